// Op costs. GEMM FLOPs from flops.cc, divided over tensor parallelism; memory-bound kernels from
// the bytes each reads and writes (2-byte activations, Megatron's fused kernels: bias+GeLU,
// bias+dropout+add, scale+mask+softmax); each backward kernel moves about twice its forward's
// bytes (it reads the saved input and the incoming gradient and writes a gradient).
#include "projection/op_costs.h"

#include "projection/flops.h"

namespace ppemu::projection {
namespace {

double act_traffic(const Shape& x, double ffn) { return x.swiglu ? 6 * ffn : 4 * ffn; }  // GeLU: 2f in, 2f out; SwiGLU: 4f in, 2f out

// FP8 GEMMs quantize their operands first (Transformer Engine: read 2 bytes, write 1, per element):
// the forward casts each linear layer's input, the backward each output gradient. Per token.
double fp8_cast_bytes(const Shape& x, bool moe, bool backward) {
  if (!x.fp8) return 0;
  const double ffn = moe ? x.topk * x.f_moe + x.f_shared : x.f;
  const double qkv = x.mla ? x.a * (x.qk_d + x.qk_rope) : (x.a + 2 * x.g) * x.d;
  const double proj = x.mla ? x.a * x.v_d : x.a * x.d;
  if (!backward) return 3 * (x.h + proj / x.t + x.h * (moe ? x.topk : 1) + ffn / x.t);
  return 3 * (qkv / x.t + x.h + ffn * (x.swiglu ? 2 : 1) / x.t + x.h * (moe ? x.topk : 1));
}

double ar_s(const Shape& x, const Links& l, double bytes) { return all_reduce_s(bytes, x.t, link_bytes_per_s(x, l.tp)); }

}  // namespace

double layer_memory_traffic_per_token(const Shape& x, bool moe) {
  const double sd = x.seq_split(), drop = x.hidden_dropout ? 1 : 0;
  // Two norms (2h in, 2h out each) and two bias+dropout+residual adds (out, residual in; sum out;
  // a 1-byte mask): what sequence parallelism splits.
  double bytes = (8 + 2 * (6 + drop)) * x.h / sd;
  if (!x.flash) {
    // Unfused attention streams the a x s scores per token: softmax reads and writes them (2 + 2
    // bytes), dropout reads, writes and keeps a mask (5 bytes). Flash attention keeps them on chip.
    bytes += (4 + (x.attention_dropout ? 5 : 0)) * x.a * x.s / x.t;
  }
  if (!x.learned_positions && !x.mla) bytes += 4 * (x.a * x.d + x.g * x.d) / x.t;  // RoPE on q and k
  if (moe) {
    bytes += x.topk * act_traffic(x, x.f_moe) / x.t + act_traffic(x, x.f_shared) / x.t;
    bytes += 8 * x.h * x.topk / sd;       // permuting tokens to their experts and back (2h read + 2h write, twice)
    bytes += 8 * x.experts / sd;          // router logits in fp32, written and read
  } else {
    bytes += act_traffic(x, x.f) / x.t;
  }
  return bytes;
}

OpCosts layer_costs(const Shape& x, const Links& links, bool moe) {
  const LayerFlops fl = layer_flops(x, moe);
  const double tokens = x.b * x.s;
  OpCosts c;
  // The core attention runs in BF16 even with FP8 GEMMs (Transformer Engine keeps attention in
  // higher precision). Flash attention skips the masked half of the causal scores and its
  // backward runs five GEMMs to the forward's two (Dao 2023, FlashAttention-2 §3.1-3.2); the
  // unfused path computes every score and its backward two GEMMs per forward one.
  const double core_f = (x.flash ? fl.attention_core / 2 : fl.attention_core) / x.t / x.bf16_flops_per_s;
  const double core_b = core_f * (x.flash ? 2.5 : 2);
  const double linear_f = fl.linear() / x.t / x.gemm_flops_per_s;
  const double memory_f = tokens * (layer_memory_traffic_per_token(x, moe) + fp8_cast_bytes(x, moe, false)) / x.hbm_bytes_per_s;
  const double memory_b = tokens * (2 * layer_memory_traffic_per_token(x, moe) + fp8_cast_bytes(x, moe, true)) / x.hbm_bytes_per_s;
  // Megatron's tensor parallelism (Shoeybi et al. 2019 §3; Korthikanti et al. 2022 §4.2.2): two
  // all-reduces of the b s h activation per layer forward and two in backward; sequence
  // parallelism replaces each by a reduce-scatter and an all-gather, the same bytes.
  const double activation_bytes = 2 * tokens * x.h;
  const double tp = 2 * ar_s(x, links, activation_bytes);
  double ep = 0;
  if (moe && x.ep > 1) {
    // Token dispatch and combine (all-to-all), each moving the b s top-k hidden states a GPU
    // routes, split over tensor parallelism by sequence parallelism.
    ep = 2 * all_to_all_s(x.topk * activation_bytes / x.t, x.ep, link_bytes_per_s(x, links.ep));
  }
  c.f = {linear_f + core_f, memory_f, tp, ep};
  // B: the input gradient of every GEMM, both core GEMMs' gradients, the memory-bound backward.
  c.b = {linear_f + core_b, memory_b, tp, ep};
  // W: the weight gradient of every GEMM (the core attention has no weights).
  c.w = {linear_f, 0, 0, 0};
  if (x.recompute == Recompute::kFull) c.recompute = c.f;
  if (x.recompute == Recompute::kSelective) {
    const double scores = x.flash ? 0 : tokens * (4 + (x.attention_dropout ? 5 : 0)) * x.a * x.s / x.t / x.hbm_bytes_per_s;
    c.recompute = {core_f, scores, 0, 0};
  }
  return c;
}

OpCosts stage_costs(const Shape& x, const Links& links, const StageLayers& layers, int stage) {
  OpCosts c;
  for (int l = layers.first; l < layers.first + layers.count; ++l) c += layer_costs(x, links, x.moe_layer[static_cast<size_t>(l)]);
  const double tokens = x.b * x.s, sd = x.seq_split();
  const double hbm = x.hbm_bytes_per_s;
  const double ar = ar_s(x, links, 2 * tokens * x.h);
  if (stage == 0) {
    // Embedding lookup (2h written), position embedding add (2 x 2h read, 2h written), dropout
    // (5h); the vocabulary-parallel lookup ends in an all-reduce (a reduce-scatter under sequence
    // parallelism, whose backward is an all-gather). Its weight gradient scatters 2h per token
    // into the table (read grad, read and write the row: 6h).
    const double fwd = (2 + (x.learned_positions ? 6 : 0) + (x.hidden_dropout ? 5 : 0)) * x.h / sd;
    c.f += {0, tokens * fwd / hbm, x.sp ? ar / 2 : ar, 0};
    c.b += {0, tokens * 2 * (fwd - 2 * x.h / sd) / hbm, x.sp ? ar / 2 : 0, 0};
    c.w += {0, tokens * 6 * x.h / sd / hbm, 0, 0};
  }
  if (stage == x.num_stages - 1) {
    // Final norm, the output layer (2 b s h V split over the vocabulary) and the vocabulary-
    // parallel cross entropy: logits read in BF16, converted to FP32, exponentiated and summed
    // (about 14 bytes per vocabulary entry forward, 6 backward). The output layer's input is
    // all-gathered under sequence parallelism (its gradient reduce-scattered); without it the
    // input gradient is all-reduced.
    const double head = head_flops(x) / x.t / x.gemm_flops_per_s;
    const double fwd_mem = tokens * (4 * x.h / sd + 14 * x.V / x.t) / hbm;
    const double bwd_mem = tokens * (8 * x.h / sd + 6 * x.V / x.t) / hbm;
    auto add_head = [&](double times) {
      c.f += Cost{head, fwd_mem, x.sp ? ar / 2 : 0, 0}.scaled(times);
      c.b += Cost{head, bwd_mem, x.sp ? ar / 2 : ar, 0}.scaled(times);
      c.w += Cost{head, 0, 0, 0}.scaled(times);
    };
    add_head(1);
    if (x.mtp > 0) {
      // DeepSeek-V3's MTP modules: a layer like the last, the 2h -> h projection, another head.
      const OpCosts layer = layer_costs(x, links, x.moe_layer.back());
      const double proj = 2 * tokens * 2 * x.h * x.h / x.t / x.gemm_flops_per_s;
      for (int k = 0; k < x.mtp; ++k) {
        c += layer;
        c.f.gemm += proj;
        c.b.gemm += proj;
        c.w.gemm += proj;
        add_head(1);
      }
    }
  }
  return c;
}

}  // namespace ppemu::projection
