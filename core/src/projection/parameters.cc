#include "projection/parameters.h"

namespace ppemu::projection {
namespace {

double mlp_weights(const Shape& x, double ffn) { return x.h * ffn * (x.swiglu ? 3 : 2); }

}  // namespace

LayerParams layer_params(const Shape& x, bool moe) {
  LayerParams p;
  if (x.mla) {
    // Multi-latent attention (DeepSeek-V2 §2.1; Megatron's theoretical_memory_usage MLA terms):
    // compressed query and key/value, the RoPE key, the output projection, and the two latent norms.
    const double q = x.q_lora > 0 ? x.q_lora * (x.h + x.a * (x.qk_d + x.qk_rope)) : x.h * x.a * (x.qk_d + x.qk_rope);
    p.attention = q + x.kv_lora * (x.h + x.a * (x.qk_d + x.v_d)) + x.h * x.qk_rope + x.a * x.v_d * x.h;
    p.replicated += x.q_lora + x.kv_lora;
  } else {
    // Q (a heads) + K and V (g groups) of d channels each, and the output projection.
    p.attention = x.h * (x.a * x.d + 2 * x.g * x.d) + x.a * x.d * x.h;
    if (x.bias) p.attention += (x.a * x.d + 2 * x.g * x.d) + x.h;
  }
  p.replicated += 2 * x.norm_size() * x.h;  // the two norms before attention and MLP
  if (!moe) {
    p.mlp = mlp_weights(x, x.f);
    if (x.bias) p.mlp += x.f * (x.swiglu ? 2 : 1) + x.h;
    return p;
  }
  p.mlp = mlp_weights(x, x.f_shared);
  p.routed = x.experts * mlp_weights(x, x.f_moe);
  p.active_routed = x.topk * mlp_weights(x, x.f_moe);
  p.replicated += x.h * x.experts;  // the router
  return p;
}

LayerParams mtp_params(const Shape& x) {
  // DeepSeek-V3 §2.2: each MTP module is a transformer layer, a projection of [h; embedding] (2h
  // to h) and two RMSNorms; it shares the embedding and output head with the main model.
  LayerParams p = layer_params(x, x.moe_layer.empty() ? false : x.moe_layer.back());
  p.attention += 2 * x.h * x.h;
  p.replicated += 3 * x.norm_size() * x.h;  // the two input norms and its own final norm
  return p;
}

ModelParams model_params(const Shape& x) {
  ModelParams mp;
  double layers = 0, active = 0;
  for (bool moe : x.moe_layer) {
    const LayerParams p = layer_params(x, moe);
    layers += p.total();
    active += p.total() - p.routed + p.active_routed;
  }
  if (x.mtp > 0) {
    const LayerParams p = mtp_params(x);
    layers += x.mtp * p.total();
    active += x.mtp * (p.total() - p.routed + p.active_routed);
  }
  mp.embedding = x.V_raw * x.h + (x.learned_positions ? x.s * x.h : 0);
  mp.output_layer = x.tied ? 0 : x.V_raw * x.h;
  const double final_norm = x.norm_size() * x.h;
  mp.total = layers + mp.embedding + mp.output_layer + final_norm;
  mp.active = active + mp.embedding + mp.output_layer + final_norm;
  return mp;
}

StageParams stage_params(const Shape& x, const StageLayers& layers, int stage) {
  StageParams sp;
  auto add = [&](const LayerParams& p, double times) {
    sp.dense += times * ((p.attention + p.mlp) / x.t + p.replicated);
    sp.expert += times * p.routed / (x.ep * x.t);  // expert tensor parallelism = t (Megatron's default)
  };
  for (int l = layers.first; l < layers.first + layers.count; ++l) add(layer_params(x, x.moe_layer[static_cast<size_t>(l)]), 1);
  const bool first = stage == 0, last = stage == x.num_stages - 1;
  // The word embedding is split over the vocabulary (VocabParallelEmbedding); learned position
  // embeddings are not split.
  if (first) sp.dense += x.V * x.h / x.t + (x.learned_positions ? x.s * x.h : 0);
  if (last) {
    sp.dense += x.norm_size() * x.h;
    // Untied: the output layer. Tied across stages: Megatron keeps a copy of the word embedding
    // on the last stage and all-reduces the two copies' gradients.
    if (!x.tied || x.num_stages > 1) sp.dense += x.V * x.h / x.t;
    if (x.mtp > 0) add(mtp_params(x), x.mtp);
  }
  return sp;
}

}  // namespace ppemu::projection
