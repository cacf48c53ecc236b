// The projection's views: its JSON object (the CLI's --format json "projection", and the WASM
// Result's, parsed from the same text) and the summary's projection section.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>

#include "export_projection.h"
#include "ppemu/export.h"

namespace ppemu {
namespace {

using nlohmann::json;

double gib(double bytes) { return bytes / kBytesPerGiB; }

json memory_gib(const DeviceProjection& d) {
  return {{"weights", gib(d.weight_bytes)},
          {"gradients", gib(d.gradient_bytes)},
          {"optimizer", gib(d.optimizer_bytes)},
          {"static", gib(d.static_bytes)},
          {"activations_peak", gib(d.activations_peak_bytes)},
          {"peak", gib(d.peak_bytes)}};
}

std::string fmt(const char* format, double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, x);
  return buf;
}

std::string pad(std::string s, size_t width) {
  if (s.size() < width) s.insert(0, width - s.size(), ' ');
  return s;
}

// 174.6B, 6.3M: counts for people.
std::string count(double x) {
  if (x >= 1e12) return fmt("%.2fT", x / 1e12);
  if (x >= 1e9) return fmt("%.1fB", x / 1e9);
  if (x >= 1e6) return fmt("%.1fM", x / 1e6);
  return fmt("%.0f", x);
}

}  // namespace

std::string gib_text(double bytes) { return fmt("%.2f", gib(bytes)); }

json projection_json_value(const Projection& p) {
  json stages = json::array();
  for (const StageProjection& s : p.stages)
    stages.push_back({{"stage", s.stage},
                      {"first_layer", s.first_layer},
                      {"num_layers", s.num_layers},
                      {"num_moe_layers", s.num_moe_layers},
                      {"embedding", s.embedding},
                      {"lm_head", s.lm_head},
                      {"parameters", s.parameters},
                      {"forward_ms", s.forward_ms},
                      {"backward_input_ms", s.backward_input_ms},
                      {"backward_weight_ms", s.backward_weight_ms},
                      {"backward_ms", s.backward_ms},
                      {"overlapped_ms", s.overlapped_ms},
                      {"gemm_ms", s.gemm_ms},
                      {"memory_bound_ms", s.memory_bound_ms},
                      {"tp_comm_ms", s.tp_comm_ms},
                      {"ep_comm_ms", s.ep_comm_ms},
                      {"recompute_ms", s.recompute_ms},
                      {"activation_bytes", s.activation_bytes},
                      {"after_B_bytes", s.after_B_bytes},
                      {"weight_bytes", s.weight_bytes},
                      {"gradient_bytes", s.gradient_bytes},
                      {"optimizer_bytes", s.optimizer_bytes}});
  json devices = json::array();
  for (const DeviceProjection& d : p.devices)
    devices.push_back({{"device", d.device},
                       {"memory_gib", memory_gib(d)},
                       {"fits", d.fits},
                       {"end_ms", d.end_ms},
                       {"grad_reduce_ms", d.grad_reduce_ms},
                       {"grad_reduce_exposed_ms", d.grad_reduce_exposed_ms},
                       {"optimizer_ms", d.optimizer_ms},
                       {"param_gather_ms", d.param_gather_ms},
                       {"finish_ms", d.finish_ms}});
  json terms = json::array();
  for (const ProjectionTerm& t : p.terms)
    terms.push_back({{"name", t.name}, {"value", t.value}, {"unit", t.unit}, {"formula", t.formula}, {"source", t.source}});
  return {{"time_unit", "ms"},
          {"memory_unit", "bytes"},
          {"num_gpus", p.num_gpus},
          {"pipeline_size", p.pipeline_size},
          {"tensor_size", p.tensor_size},
          {"data_size", p.data_size},
          {"expert_size", p.expert_size},
          {"micro_batch_size", p.micro_batch_size},
          {"global_batch_size", p.global_batch_size},
          {"padded_vocab_size", p.padded_vocab_size},
          {"num_parameters", p.num_parameters},
          {"num_active_parameters", p.num_active_parameters},
          {"flops_per_iteration", p.flops_per_iteration},
          {"flops_per_iteration_full_attention", p.flops_per_iteration_full_attention},
          {"hardware_flops_per_iteration", p.hardware_flops_per_iteration},
          {"tokens_per_iteration", p.tokens_per_iteration},
          {"iteration_time_s", p.iteration_time_ms / 1e3},
          {"tokens_per_s", p.tokens_per_s},
          {"tflops_per_gpu", p.tflops_per_gpu},
          {"tflops_per_gpu_full_attention", p.tflops_per_gpu_full_attention},
          {"hardware_tflops_per_gpu", p.hardware_tflops_per_gpu},
          {"mfu", p.mfu},
          {"mfu_full_attention", p.mfu_full_attention},
          {"hfu", p.hfu},
          {"peak_memory_gib", gib(p.peak_memory_bytes)},
          {"memory_capacity_gib", gib(p.memory_capacity_bytes)},
          {"fits", p.fits},
          {"breakdown",
           {{"makespan_ms", p.makespan_ms},
            {"grad_reduce_exposed_ms", p.grad_reduce_exposed_ms},
            {"optimizer_step_ms", p.optimizer_step_ms},
            {"param_gather_ms", p.param_gather_ms},
            {"iteration_time_ms", p.iteration_time_ms},
            {"critical_device", p.critical_device}}},
          {"links", {{"tensor", p.tp_link}, {"pipeline", p.p2p_link}, {"data", p.dp_link}, {"expert", p.ep_link}}},
          {"p2p_bytes", p.p2p_bytes},
          {"p2p_latency_ms", p.p2p_latency_ms},
          {"stages", std::move(stages)},
          {"devices", std::move(devices)},
          {"terms", std::move(terms)},
          {"kept", p.kept}};
}

std::string projection_json(const Projection& projection, int indent) { return projection_json_value(projection).dump(indent); }

json device_memory_gib(const DeviceProjection& d) { return memory_gib(d); }

std::string projection_summary(const Run& run) {
  const Projection& p = *run.projection;
  const Config& c = run.config;
  std::string out = "\nprojection";
  for (const char* group : {"model", "gpu"}) {
    const auto it = c.choices.find(group);
    out += std::string(group == std::string("model") ? ": " : " on ") + (it != c.choices.end() ? it->second : std::string("custom ") + group);
  }
  out += " - " + std::to_string(p.num_gpus) + " GPUs (pipeline " + std::to_string(p.pipeline_size) + " x tensor " +
         std::to_string(p.tensor_size) + " x data " + std::to_string(p.data_size) +
         (p.expert_size > 1 ? ", experts over " + std::to_string(p.expert_size) : "") + "), " + std::to_string(p.global_batch_size) +
         " sequences of " + fmt("%.0f", p.tokens_per_iteration / std::max<double>(static_cast<double>(p.global_batch_size), 1)) + " tokens per iteration\n";
  out += "  parameters " + count(p.num_parameters) +
         (p.num_active_parameters < p.num_parameters ? " (" + count(p.num_active_parameters) + " active per token)" : "") +
         "; model FLOPs per iteration " + fmt("%.4g", p.flops_per_iteration) + " (Megatron-LM's count, causal attention halved; " +
         fmt("%.4g", p.flops_per_iteration_full_attention) + " without halving; " + fmt("%.4g", p.hardware_flops_per_iteration) +
         " with recompute)\n";
  out += "  links: tensor " + p.tp_link + ", pipeline " + p.p2p_link + " (p2p " + fmt("%.4g", p.p2p_latency_ms) + " ms for " +
         fmt("%.3g", p.p2p_bytes / 1e6) + " MB), data " + p.dp_link + (p.expert_size > 1 ? ", experts " + p.ep_link : "") + "\n";
  if (!p.kept.empty()) {
    out += "  given, not projected:";
    for (const std::string& k : p.kept) out += " " + k;
    out += "\n";
  }

  out += "\nstage  layers        F ms        B ms        W ms       BW ms   activation MiB  after_B MiB   params/GPU\n";
  const size_t shown = p.stages.size() <= 40 ? p.stages.size() : 20;
  for (size_t i = 0; i < p.stages.size(); ++i) {
    if (i == shown && shown < p.stages.size()) {
      out += "  ... (" + std::to_string(p.stages.size() - shown - 1) + " more; --format json lists every stage)\n";
      i = p.stages.size() - 1;
    }
    const StageProjection& s = p.stages[i];
    std::string layers = std::to_string(s.num_layers) + (s.embedding ? "+E" : "") + (s.lm_head ? "+L" : "");
    out += pad(std::to_string(s.stage), 5) + pad(layers, 8) + pad(fmt("%.4g", s.forward_ms), 12) + pad(fmt("%.4g", s.backward_input_ms), 12) +
           pad(fmt("%.4g", s.backward_weight_ms), 12) + pad(fmt("%.4g", s.backward_ms), 12) +
           pad(fmt("%.1f", s.activation_bytes / 1048576.0), 17) + pad(fmt("%.1f", s.after_B_bytes / 1048576.0), 13) +
           pad(count(s.parameters), 13) + "\n";
  }
  out += "  (E embedding, L output layer and loss; B includes recomputation, BW = B + W)\n";

  const DeviceProjection& crit = p.devices[static_cast<size_t>(p.critical_device)];
  out += "\ntime per iteration (device " + std::to_string(p.critical_device) + " finishes last):\n";
  out += "  emulated end of its last op      " + pad(fmt("%.6g", crit.end_ms), 12) + " ms   (makespan " + fmt("%.6g", p.makespan_ms) + " ms)\n";
  out += "  + gradient reduction not hidden  " + pad(fmt("%.6g", p.grad_reduce_exposed_ms), 12) + " ms   (of " +
         fmt("%.6g", crit.grad_reduce_ms) + " ms; data parallelism on " + p.dp_link + ")\n";
  out += "  + optimizer step                 " + pad(fmt("%.6g", p.optimizer_step_ms), 12) + " ms\n";
  if (p.param_gather_ms > 0) out += "  + weight all-gather              " + pad(fmt("%.6g", p.param_gather_ms), 12) + " ms\n";
  out += "  = iteration time                 " + pad(fmt("%.6g", p.iteration_time_ms), 12) + " ms\n";
  out += "  tokens/s " + fmt("%.6g", p.tokens_per_s) + "; TFLOP/s per GPU " + fmt("%.1f", p.tflops_per_gpu) + " (model), " +
         fmt("%.1f", p.hardware_tflops_per_gpu) + " (hardware, with recompute); MFU " + fmt("%.1f%%", 100 * p.mfu);
  if (p.mfu_full_attention != p.mfu) out += " (" + fmt("%.1f%%", 100 * p.mfu_full_attention) + " without halving causal attention)";
  out += ", HFU " + fmt("%.1f%%", 100 * p.hfu) + "\n";

  out += "\nmemory per device, GiB (capacity " + fmt("%.4g", gib(p.memory_capacity_bytes)) + "):\n";
  out += "device   weights  gradients  optimizer  activations      peak  fits\n";
  for (const DeviceProjection& d : p.devices)
    out += pad(std::to_string(d.device), 6) + pad(gib_text(d.weight_bytes), 10) + pad(gib_text(d.gradient_bytes), 11) +
           pad(gib_text(d.optimizer_bytes), 11) + pad(gib_text(d.activations_peak_bytes), 13) +
           pad(gib_text(d.peak_bytes), 10) + (d.fits ? "   yes" : "   NO: out of memory") + "\n";
  out += "  (activations: the emulated peak minus the static part, so what the schedule holds in flight)\n";
  return out;
}

}  // namespace ppemu
