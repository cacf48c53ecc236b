#pragma once
// The projection's inputs resolved into one flat set of numbers in the papers' letters (s, b, h,
// a, t, ...), with Megatron's defaults filled in and every cross-key rule checked once.
#include <string>
#include <vector>

#include "ppemu/config.h"
#include "ppemu/result.h"

namespace ppemu::projection {

enum class Recompute { kNone, kSelective, kFull };

struct Shape {
  // Model (doubles: products of these reach 1e20).
  double L = 0, h = 0, a = 0, g = 0, d = 0, f = 0, s = 0, b = 0;
  double V = 0;      ///< padded vocabulary (what the GPUs compute with)
  double V_raw = 0;  ///< as given (what the model card counts)
  bool swiglu = false, tied = true, rms_norm = false, bias = true, learned_positions = true;
  bool hidden_dropout = true, attention_dropout = true;
  bool mla = false;
  double q_lora = 0, kv_lora = 0, qk_d = 0, qk_rope = 0, v_d = 0;
  int experts = 0, topk = 0;
  double f_moe = 0, f_shared = 0;
  std::vector<bool> moe_layer;  ///< per layer
  int mtp = 0;
  // Parallelism and the step.
  int t = 1, p = 1, dp = 1, ep = 1, num_stages = 1, m = 1, gpus_per_node = 1;
  bool sp = false, distributed_optimizer = false, overlap_grad_reduce = false, flash = true, fp8 = false, fp16 = false;
  Recompute recompute = Recompute::kNone;
  // The GPU, in per-second units.
  double gemm_flops_per_s = 0;  ///< achieved: peak (FP8 for fp8 GEMMs) x matmul efficiency
  double bf16_flops_per_s = 0;  ///< achieved at the BF16 peak (attention core, and MFU's base before efficiency)
  double peak_bf16 = 0;         ///< dense BF16 peak, FLOP/s
  double hbm_bytes_per_s = 0;   ///< achieved
  double intra_bytes_per_s = 0, inter_bytes_per_s = 0;  ///< achieved, per GPU per direction
  double memory_bytes = 0;

  double norm_size() const { return rms_norm ? 1 : 2; }
  double seq_split() const { return sp ? t : 1; }  ///< what norms, dropout and residuals are divided by
  bool any_moe() const { return experts > 0; }
};

/// Checks the cross-key rules (heads divisible by TP, experts by EP, ...) and fills defaults.
Result<Shape> make_shape(const Config& config);

}  // namespace ppemu::projection
