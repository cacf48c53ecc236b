#pragma once
// FLOPs: of one layer's forward for one microbatch (what the op times are made of), and of a whole
// iteration as Megatron-LM counts them (num_floating_point_operations in
// megatron/training/training.py), with and without halving causal attention.
#include "projection/shape.h"

namespace ppemu::projection {

/// One transformer layer's forward for one microbatch of b sequences, on the whole layer (the
/// tensor-parallel GPUs share it). A GEMM of (m x k) by (k x n) is 2mkn FLOPs.
struct LayerFlops {
  double attention_linear = 0;  ///< QKV (or MLA's projections) and the output projection
  double attention_core = 0;    ///< QK^T and softmax(QK^T)V over the full s x s scores (not halved)
  double mlp = 0;               ///< dense MLP, or the MoE layer's top-k routed and shared experts
  double router = 0;            ///< MoE router (Megatron's count leaves it out)
  double linear() const { return attention_linear + mlp + router; }
};
LayerFlops layer_flops(const Shape& x, bool moe);

/// The output layer's forward for one microbatch: 2 b s h V (padded V, as Megatron counts).
double head_flops(const Shape& x);
/// Per MTP layer on top of its transformer layer: the [h; embedding] projection and another head.
double mtp_extra_flops(const Shape& x);

struct IterationFlops {
  double model = 0;                 ///< Megatron's: 3 x forward, causal attention halved
  double model_full_attention = 0;  ///< 3 x forward, the full s x s attention (Narayanan et al. 2021 eq. 3)
  double hardware = 0;              ///< model_full_attention + the recomputed forward
};
/// For global_batch sequences.
IterationFlops iteration_flops(const Shape& x, double global_batch);

}  // namespace ppemu::projection
