#include "projection/flops.h"

namespace ppemu::projection {

LayerFlops layer_flops(const Shape& x, bool moe) {
  LayerFlops f;
  const double tokens = x.b * x.s;
  const double gate = x.swiglu ? 3 : 2;  // SwiGLU: h -> 2f and f -> h; otherwise h -> f and f -> h
  if (x.mla) {
    const double q = x.q_lora > 0 ? x.q_lora * (x.h + x.a * (x.qk_d + x.qk_rope)) : x.h * x.a * (x.qk_d + x.qk_rope);
    f.attention_linear = 2 * tokens * (q + x.kv_lora * (x.h + x.a * (x.qk_d + x.v_d)) + x.h * x.qk_rope + x.a * x.v_d * x.h);
    f.attention_core = 2 * tokens * x.s * x.a * (x.qk_d + x.qk_rope) + 2 * tokens * x.s * x.a * x.v_d;
  } else {
    f.attention_linear = 2 * tokens * x.h * (x.a * x.d + 2 * x.g * x.d) + 2 * tokens * x.a * x.d * x.h;
    f.attention_core = 4 * tokens * x.s * x.a * x.d;
  }
  if (moe) {
    f.mlp = 2 * tokens * x.h * gate * (x.topk * x.f_moe + x.f_shared);
    f.router = 2 * tokens * x.h * x.experts;
  } else {
    f.mlp = 2 * tokens * x.h * gate * x.f;
  }
  return f;
}

double head_flops(const Shape& x) { return 2 * x.b * x.s * x.h * x.V; }

double mtp_extra_flops(const Shape& x) { return 2 * x.b * x.s * (2 * x.h) * x.h + head_flops(x); }

IterationFlops iteration_flops(const Shape& x, double global_batch) {
  // Megatron counts 3 passes (forward, input gradient, weight gradient) of every GEMM; the core
  // attention's backward has no weight gradient but two GEMMs per forward one, so 3x holds for it
  // too. Causal masking halves the core ("/ 2  # causal mask" in num_floating_point_operations).
  double linear = 0, core = 0, recompute = 0;
  auto layer = [&](bool moe, double times) {
    const LayerFlops f = layer_flops(x, moe);
    linear += times * (f.attention_linear + f.mlp);
    core += times * f.attention_core;
    if (x.recompute == Recompute::kFull) recompute += times * (f.attention_linear + f.mlp + f.attention_core);
    if (x.recompute == Recompute::kSelective) recompute += times * f.attention_core;
  };
  for (bool moe : x.moe_layer) layer(moe, 1);
  if (x.mtp > 0) {
    layer(x.moe_layer.back(), x.mtp);
    linear += x.mtp * mtp_extra_flops(x);
  }
  linear += head_flops(x);
  const double microbatches = global_batch / x.b;
  IterationFlops it;
  it.model = microbatches * 3 * (linear + core / 2);
  it.model_full_attention = microbatches * 3 * (linear + core);
  it.hardware = it.model_full_attention + microbatches * recompute;
  return it;
}

}  // namespace ppemu::projection
