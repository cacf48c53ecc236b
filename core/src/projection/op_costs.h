#pragma once
// How long a layer's F, B (input gradient) and W (weight gradient) take on one GPU, split into
// GEMMs, memory-bound kernels and communication; then a stage's: its layers, plus the embedding on
// the first stage and the output layer with the loss on the last.
#include "projection/comm.h"
#include "projection/layout.h"
#include "projection/shape.h"

namespace ppemu::projection {

/// Seconds, by what the GPU spends them on.
struct Cost {
  double gemm = 0;    ///< tensor-core GEMMs at gpu.matmul_efficiency of the peak
  double memory = 0;  ///< memory-bound kernels (norms, activations, softmax, dropout, loss) at gpu.hbm_efficiency
  double tp = 0;      ///< tensor-parallel collectives (not overlapped with compute, as in Megatron without --tp-comm-overlap)
  double ep = 0;      ///< expert-parallel all-to-all
  double compute() const { return gemm + memory; }
  double comm() const { return tp + ep; }
  double total() const { return compute() + comm(); }
  Cost& operator+=(const Cost& o) {
    gemm += o.gemm;
    memory += o.memory;
    tp += o.tp;
    ep += o.ep;
    return *this;
  }
  Cost scaled(double k) const { return {gemm * k, memory * k, tp * k, ep * k}; }
};

struct OpCosts {
  Cost f, b, w;
  Cost recompute;  ///< the forward B re-runs first (full: the layer; selective: its core attention); not in b
  OpCosts& operator+=(const OpCosts& o) {
    f += o.f;
    b += o.b;
    w += o.w;
    recompute += o.recompute;
    return *this;
  }
};

/// One transformer layer, one microbatch.
OpCosts layer_costs(const Shape& x, const Links& links, bool moe);
/// Everything stage `stage` runs for one microbatch.
OpCosts stage_costs(const Shape& x, const Links& links, const StageLayers& layers, int stage);

/// Bytes one GPU moves through HBM in a layer's memory-bound forward kernels, per token.
double layer_memory_traffic_per_token(const Shape& x, bool moe);

}  // namespace ppemu::projection
