// The projection's first half: model + GPU + layout + step -> per-stage op times (ms), the p2p
// latency (ms) and per-stage memory (bytes), written into the Config where no config source gave
// them. The emulator then runs as for any other config.
#include <algorithm>
#include <cstdio>

#include "ppemu/projection.h"
#include "projection/activations.h"
#include "projection/comm.h"
#include "projection/flops.h"
#include "projection/layout.h"
#include "projection/op_costs.h"
#include "projection/parameters.h"
#include "projection/shape.h"
#include "projection/static_memory.h"

namespace ppemu {
namespace {

using namespace projection;

constexpr double kMs = 1e3;

StageTimes per_stage(const std::vector<double>& values) {
  StageTimes t;
  t.per_stage = values;
  return t;
}

void term(Projection& p, std::string name, double value, std::string unit, std::string formula, std::string source) {
  p.terms.push_back({std::move(name), value, std::move(unit), std::move(formula), std::move(source)});
}

void add_terms(Projection& p, const Shape& x, const Links& links) {
  const bool moe0 = !x.moe_layer.empty() && x.moe_layer.front();
  const LayerFlops lf = layer_flops(x, moe0);
  const LayerParams lp = layer_params(x, moe0);
  const ActivationBytes act = layer_activations(x, moe0);
  const OpCosts lc = layer_costs(x, links, moe0);
  const char* megatron_flops = "Megatron-LM num_floating_point_operations (megatron/training/training.py)";
  term(p, "parameters per layer (layer 0)", lp.total(), "parameters", x.mla ? "MLA + MLP/MoE + norms" : "h(a d + 2 g d) + a d h + h f (2 or 3 with SwiGLU) + norms",
       "Megatron-LM theoretical_memory_usage.py");
  term(p, "forward GEMM FLOPs per layer per microbatch", lf.linear(), "FLOP", "2 b s (h(a+2g)d + a d h + h f (2|3))", megatron_flops);
  term(p, "forward core-attention FLOPs per layer per microbatch", lf.attention_core, "FLOP", "4 b s^2 a d (full; causal halves it)", megatron_flops);
  term(p, "achieved GEMM rate", x.gemm_flops_per_s, "FLOP/s", "peak x gpu.matmul_efficiency", "gpu.*");
  term(p, "memory-bound bytes per layer per token", layer_memory_traffic_per_token(x, moe0), "bytes",
       "norms, bias+dropout+add, activation, softmax/dropout (unfused), RoPE, MoE permute", "core/src/projection/op_costs.cc");
  term(p, "layer F: GEMM", lc.f.gemm * kMs, "ms", "FLOPs / t / achieved rate", "");
  term(p, "layer F: memory-bound", lc.f.memory * kMs, "ms", "bytes / (hbm_tbps x hbm_efficiency)", "");
  term(p, "layer F: tensor-parallel communication", lc.f.tp * kMs, "ms", "2 all-reduces of 2 b s h bytes, 2(t-1)/t x bytes / link",
       "Shoeybi et al. 2019 §3; Korthikanti et al. 2022 §4.2.2");
  if (x.ep > 1) term(p, "layer F: expert all-to-all", lc.f.ep * kMs, "ms", "2 x (ep-1)/ep x 2 b s k h / t bytes / link", "DeepSeek-V3 §3.2");
  term(p, "layer B (with recompute)", (lc.b.total() + lc.recompute.total()) * kMs, "ms", "input gradients: GEMMs, 2x core, 2x memory, TP", "");
  term(p, "layer W", lc.w.total() * kMs, "ms", "weight gradients: GEMMs", "Qi et al. 2024 (Zero Bubble) §2");
  term(p, "activation bytes per layer per microbatch", act.allocated, "bytes",
       x.recompute == Recompute::kFull ? "2 s b h (/ t with SP)" : "s b h (10 + 24/t + 5 a s/(h t)) for GPT, generalised",
       "Korthikanti et al. 2022 Table 2");
  term(p, "held after B per layer per microbatch", act.after_B, "bytes", "linear inputs + output gradients (32 s b h for GPT)",
       "Qi et al. 2024 (Zero Bubble), zero-bubble-pipeline-parallelism runtime.py");
  term(p, "static bytes per parameter", x.distributed_optimizer ? 6 + 12.0 / x.dp : 18, "bytes",
       x.distributed_optimizer ? "2 + 4 + 12 / d" : "2 (weights) + 4 (gradients) + 12 (optimizer)", "Megatron-LM theoretical_memory_usage.py");
  term(p, "padded vocabulary", x.V, "entries", "ceil(V / (128 t)) x 128 t", "Megatron-LM --make-vocab-size-divisible-by");
}

}  // namespace

Result<Projection> project(Config& c) {
  Result<Shape> shape = make_shape(c);
  if (!shape.ok()) return Error{shape.error()};
  const Shape& x = shape.value();
  Result<std::vector<StageLayers>> layout = stage_layers(c);
  if (!layout.ok()) return Error{layout.error()};
  const Links links = links_of(x);

  Projection p;
  p.pipeline_size = x.p;
  p.tensor_size = x.t;
  p.data_size = x.dp;
  p.expert_size = x.ep;
  p.num_gpus = int64_t{x.p} * x.t * x.dp;
  p.micro_batch_size = static_cast<int>(x.b);
  p.global_batch_size = int64_t{x.m} * static_cast<int64_t>(x.b) * x.dp;
  p.padded_vocab_size = static_cast<int64_t>(x.V);
  p.tp_link = link_name(links.tp);
  p.p2p_link = link_name(links.pp);
  p.dp_link = link_name(links.dp);
  p.ep_link = link_name(links.ep);
  const ModelParams mp = model_params(x);
  p.num_parameters = mp.total;
  p.num_active_parameters = mp.active;
  const IterationFlops it = iteration_flops(x, static_cast<double>(p.global_batch_size));
  p.flops_per_iteration = it.model;
  p.flops_per_iteration_full_attention = it.model_full_attention;
  p.hardware_flops_per_iteration = it.hardware;
  p.tokens_per_iteration = static_cast<double>(p.global_batch_size) * x.s;
  p.memory_capacity_bytes = x.memory_bytes;

  const int S = c.num_stages;
  std::vector<double> fwd(S), bwd_in(S), bwd_w(S), bwd(S), ov(S), act(S), kept(S), stat(S);
  for (int s = 0; s < S; ++s) {
    const StageLayers& layers = layout.value()[static_cast<size_t>(s)];
    const OpCosts oc = stage_costs(x, links, layers, s);
    const ActivationBytes ab = stage_activations(x, layers, s);
    const StageParams sp = stage_params(x, layers, s);
    const StaticBytes sb = static_bytes(x, sp);
    StageProjection st;
    st.stage = s;
    st.first_layer = layers.first;
    st.num_layers = layers.count;
    for (int l = layers.first; l < layers.first + layers.count; ++l) st.num_moe_layers += x.moe_layer[static_cast<size_t>(l)];
    st.embedding = s == 0;
    st.lm_head = s == S - 1;
    st.parameters = sp.total();
    st.expert_parameters = sp.expert;
    Cost input = oc.b;
    input += oc.recompute;
    st.forward_ms = oc.f.total() * kMs;
    st.backward_input_ms = input.total() * kMs;
    st.backward_weight_ms = oc.w.total() * kMs;
    st.backward_ms = st.backward_input_ms + st.backward_weight_ms;
    // One F and another microbatch's full backward as one unit: each half's communication runs
    // under the other's computation (DeepSeek-V3 §3.2.1, DualPipe), so the unit takes the longer
    // of all the computation and all the communication.
    Cost full = input;
    full += oc.w;
    st.overlapped_ms = std::max(oc.f.compute() + full.compute(), oc.f.comm() + full.comm()) * kMs;
    Cost all = oc.f;
    all += full;
    st.gemm_ms = all.gemm * kMs;
    st.memory_bound_ms = all.memory * kMs;
    st.tp_comm_ms = all.tp * kMs;
    st.ep_comm_ms = all.ep * kMs;
    st.recompute_ms = oc.recompute.total() * kMs;
    st.activation_bytes = ab.allocated;
    st.after_B_bytes = ab.after_B;
    st.weight_bytes = sb.weights;
    st.gradient_bytes = sb.gradients;
    st.optimizer_bytes = sb.optimizer;
    const auto i = static_cast<size_t>(s);
    fwd[i] = st.forward_ms;
    bwd_in[i] = st.backward_input_ms;
    bwd_w[i] = st.backward_weight_ms;
    bwd[i] = st.backward_ms;
    ov[i] = st.overlapped_ms;
    act[i] = st.activation_bytes;
    kept[i] = st.after_B_bytes;
    stat[i] = sb.total();
    p.stages.push_back(st);
  }

  // Between stages one activation (or its gradient) of 2 s b h bytes crosses the pipeline link.
  // Each tensor-parallel GPU sends 1/t of it: under sequence parallelism it holds only that part;
  // without it Megatron scatters the tensor over the t senders and all-gathers it over NVLink on
  // arrival (Narayanan et al. 2021 §4.1, "scatter/gather optimization").
  const double whole = 2 * x.s * x.b * x.h;
  p.p2p_bytes = whole / x.t;
  if (x.p > 1) {
    p.p2p_latency_ms = p.p2p_bytes / link_bytes_per_s(x, links.pp) * kMs;
    if (x.t > 1 && !x.sp) p.p2p_latency_ms += all_gather_s(whole, x.t, link_bytes_per_s(x, links.tp)) * kMs;
  }

  // What a config source gave wins; the projection fills the rest.
  auto fill = [&](StageTimes& field, const std::vector<double>& values, const char* key) {
    if (field.given) {
      p.kept.emplace_back(key);
    } else {
      field = per_stage(values);
    }
  };
  fill(c.op_times.forward, fwd, "op_times.forward");
  fill(c.op_times.backward_D, bwd_in, "op_times.backward_D");
  fill(c.op_times.backward_W, bwd_w, "op_times.backward_W");
  fill(c.op_times.backward, bwd, "op_times.backward");
  if (c.op_times.overlapped_forward_backward && c.op_times.overlapped_forward_backward->given) {
    p.kept.emplace_back("op_times.overlapped_forward_backward");
  } else {
    c.op_times.overlapped_forward_backward = per_stage(ov);
  }
  if (c.p2p_latency_given) {
    p.kept.emplace_back("p2p_latency");
  } else {
    c.p2p_latency = p.p2p_latency_ms;
  }
  const bool activation_given = c.op_memory.activation.given;
  fill(c.op_memory.activation, act, "op_memory.activation");
  if (c.op_memory.after_B && c.op_memory.after_B->given) {
    p.kept.emplace_back("op_memory.after_B");
  } else if (!activation_given) {
    c.op_memory.after_B = per_stage(kept);  // with a given activation, after_B stays equal to it
  }
  fill(c.op_memory.static_memory, stat, "op_memory.static");
  add_terms(p, x, links);
  return p;
}

}  // namespace ppemu
