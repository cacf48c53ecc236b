// Bytes per layer per microbatch, 2-byte activations, dropout masks 1 byte. Korthikanti et al.
// 2022 §4.1 list what GPT's backward needs: attention 11sbh + 5as^2b (QKV input 2sbh, Q and K
// 4sbh, softmax output 2as^2b, its dropout mask as^2b and output 2as^2b, V 2sbh, the output
// projection's input 2sbh, a dropout mask sbh), MLP 19sbh (inputs of the two linears 2sbh and
// 8sbh, GeLU input 8sbh, a mask sbh), two norm inputs 4sbh: 34sbh + 5as^2b. Table 2 splits it
// by tensor parallelism t (what it splits: 24sbh + 5as^2b) and sequence parallelism (the rest);
// selective recompute drops the 5as^2b, full recompute keeps only the layer input 2sbh. The terms
// below are the same list written for any head count, GQA, FFN width, SwiGLU, dropout and MoE.
#include "projection/activations.h"

#include <algorithm>

namespace ppemu::projection {

ActivationBytes layer_activations(const Shape& x, bool moe) {
  const double sb = x.s * x.b, t = x.t, sd = x.seq_split();
  const double mask = x.hidden_dropout ? 1 : 0;
  if (x.recompute == Recompute::kFull) {
    // Only the layer's input is checkpointed; B recomputes the rest (and what W needs is then
    // held from B to W, which this accounting cannot show: the allocation happens in B).
    const double in = 2 * sb * x.h / sd;
    return {in, in};
  }
  // What tensor parallelism leaves whole (sequence parallelism splits it): the two norm inputs,
  // the QKV and first-MLP-linear inputs, the two dropout masks.
  double kept_whole = (2 + 2 + 2 + 2 + 2 * mask) * sb * x.h / sd;
  // What tensor parallelism splits by heads or by the MLP's width.
  double split = 0;
  if (x.mla) {
    // Q and K (with their RoPE parts), V, the output projection's input; the compressed latents
    // (q and kv) are kept whole.
    split += 2 * sb * x.a * (2 * (x.qk_d + x.qk_rope) + 2 * x.v_d) / t;
    kept_whole += 2 * sb * (x.q_lora + x.kv_lora + x.qk_rope) / sd;
  } else {
    split += 2 * sb * (2 * x.a * x.d + 2 * x.g * x.d) / t;  // Q, K, V and the output projection's input
  }
  auto mlp = [&](double ffn) { return 2 * sb * ffn * (x.swiglu ? 2 : 1) + 2 * sb * ffn; };  // activation input, second linear's input
  if (moe) {
    split += x.topk * (2 * sb * x.h + mlp(x.f_moe)) / t + mlp(x.f_shared) / t;  // routed tokens' copies, experts
    kept_whole += 4 * sb * x.experts / sd;                                      // router probabilities, fp32
  } else {
    split += mlp(x.f) / t;
  }
  double scores = 0;
  if (!x.flash && x.recompute != Recompute::kSelective) {
    // Softmax output 2as^2b, dropout mask as^2b and output 2as^2b (without attention dropout the
    // softmax output is the second GEMM's input: 2as^2b).
    scores = (x.attention_dropout ? 5 : 2) * x.a * x.s * sb / t;
  }
  // Flash attention keeps its output (already counted as the projection's input) and the
  // softmax statistics, one fp32 per head and token.
  const double stats = x.flash ? 4 * x.a * sb / t : 0;
  ActivationBytes act;
  act.allocated = kept_whole + split + scores + stats;
  // W needs every linear layer's input and its output gradient (Qi et al.: 32h of the 34h + 5as
  // per token of a GPT layer; B frees the rest). Inputs: QKV 2h, projection 2ad/t, MLP 2h and
  // 2f/t; output gradients: QKV 2(a+2g)d/t, projection 2h, MLP 2f/t (x2 for SwiGLU) and 2h.
  double w_needs = 0;
  if (x.mla) {
    w_needs = 2 * sb * (2 * x.h) / sd + 2 * sb * x.a * 2 * x.v_d / t + 2 * sb * (x.q_lora + x.kv_lora) / sd;
  } else {
    w_needs = 2 * sb * (2 * x.h) / sd + 2 * sb * (2 * x.a * x.d + 2 * x.g * x.d) / t;
  }
  auto mlp_w = [&](double ffn) { return 2 * sb * ffn / t + 2 * sb * ffn * (x.swiglu ? 2 : 1) / t; };
  w_needs += 2 * sb * (2 * x.h) / sd;  // MLP (or router) input and output gradient
  w_needs += moe ? x.topk * (2 * sb * x.h / t + mlp_w(x.f_moe)) + mlp_w(x.f_shared) : mlp_w(x.f);
  act.after_B = std::min(act.allocated, w_needs);
  return act;
}

ActivationBytes stage_activations(const Shape& x, const StageLayers& layers, int stage) {
  ActivationBytes act;
  for (int l = layers.first; l < layers.first + layers.count; ++l) {
    const ActivationBytes a = layer_activations(x, x.moe_layer[static_cast<size_t>(l)]);
    act.allocated += a.allocated;
    act.after_B += a.after_B;
  }
  const double sb = x.s * x.b, sd = x.seq_split();
  if (stage == 0) {
    // Megatron's theoretical_memory_usage.py (compute_activation_memory): the input tokens (8sb)
    // and the embedding dropout mask (sbh); the tokens stay for the embedding's weight gradient.
    act.allocated += (8 * sb + (x.hidden_dropout ? sb * x.h : 0)) / sd;
    act.after_B += 8 * sb / sd;
  }
  if (stage == x.num_stages - 1) {
    // The same file's output-layer term, 4sbh(1 + V/h) / t: the final norm's and the output
    // layer's inputs (2sbh each) and the fp32 logits (4sbV, split over the vocabulary). W keeps
    // the output layer's input and the logits' gradient.
    const double heads = 1.0 + x.mtp;
    const double head_input = 2 * sb * x.h / sd, logits = 4 * sb * x.V / x.t;
    act.allocated += heads * (2 * head_input + logits);
    act.after_B += heads * (head_input + 2 * sb * x.V / x.t);
    if (x.mtp > 0) {
      const ActivationBytes a = layer_activations(x, x.moe_layer.back());
      act.allocated += x.mtp * a.allocated;
      act.after_B += x.mtp * a.after_B;
    }
  }
  act.after_B = std::min(act.after_B, act.allocated);
  return act;
}

}  // namespace ppemu::projection
