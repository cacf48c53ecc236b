// The projection's second half, from the emulated run: memory per device (the emulator's step
// function, fed with the projected sizes), and the iteration time:
//   iteration = max over devices of (its last op's end + the part of its data-parallel gradient
//               reduction not hidden under its last backward ops + the optimizer step + the
//               distributed optimizer's weight all-gather),
// then tokens/s, TFLOP/s per GPU and MFU from it.
#include <algorithm>
#include <limits>

#include "ppemu/projection.h"
#include "projection/comm.h"
#include "projection/shape.h"

namespace ppemu {
namespace {

using namespace projection;

constexpr double kMs = 1e3;

// Adam's step reads the FP32 gradient, master weight and two moments (16 bytes), writes the
// three (12) and the BF16 weight copy (2); the gradient-norm clip reads the gradient once more (4).
constexpr double kOptimizerBytesPerParameter = 34;

}  // namespace

void finish_projection(Projection& p, const Config& c, const Schedule& schedule, const Timeline& tl, const Metrics& mx) {
  Result<Shape> shape = make_shape(c);
  if (!shape.ok()) return;  // project() succeeded on the same config, so this does not happen
  const Shape& x = shape.value();
  const Links links = links_of(x);
  const int L = schedule.chain_length();
  // FP16 runs all-reduce FP16 gradients; BF16 (and FP8) accumulate and reduce them in FP32
  // (Megatron-LM forces --accumulate-allreduce-grads-in-fp32 with --bf16).
  const double grad_bytes = x.fp16 ? 2 : 4;
  const double dp_bw = link_bytes_per_s(x, links.dp);
  const int expert_dp = x.dp / x.ep;

  p.devices.assign(static_cast<size_t>(schedule.num_devices), DeviceProjection{});
  std::vector<double> dense(p.devices.size()), expert(p.devices.size());
  std::vector<bool> tied_copy(p.devices.size(), false);
  for (int s = 0; s < schedule.num_stages; ++s) {
    const auto d = static_cast<size_t>(schedule.stage_device[static_cast<size_t>(s)]);
    const StageProjection& st = p.stages[static_cast<size_t>(s % L)];
    DeviceProjection& dev = p.devices[d];
    dev.weight_bytes += st.weight_bytes;
    dev.gradient_bytes += st.gradient_bytes;
    dev.optimizer_bytes += st.optimizer_bytes;
    dense[d] += st.parameters - st.expert_parameters;
    expert[d] += st.expert_parameters;
    if (x.tied && L > 1 && (st.embedding || st.lm_head)) tied_copy[d] = true;
  }

  // The earliest start among the last backward op of each stage a device holds: from there on
  // the gradients of its stages become final, so an overlapped reduction can run.
  std::vector<double> last_end(static_cast<size_t>(schedule.num_stages), -1), last_start(static_cast<size_t>(schedule.num_stages), 0);
  for (size_t i = 0; i < tl.size(); ++i) {
    const auto kind = static_cast<OpKind>(tl.kind[i]);
    int stage = -1;
    if (kind == OpKind::B || kind == OpKind::W || kind == OpKind::BW) stage = tl.stage[i];
    if (kind == OpKind::OV) stage = tl.stage2[i];
    if (stage < 0) continue;
    if (tl.end[i] > last_end[static_cast<size_t>(stage)]) {
      last_end[static_cast<size_t>(stage)] = tl.end[i];
      last_start[static_cast<size_t>(stage)] = tl.start[i];
    }
  }
  std::vector<double> window_from(p.devices.size(), std::numeric_limits<double>::infinity());
  for (int s = 0; s < schedule.num_stages; ++s) {
    const auto d = static_cast<size_t>(schedule.stage_device[static_cast<size_t>(s)]);
    if (last_end[static_cast<size_t>(s)] >= 0) window_from[d] = std::min(window_from[d], last_start[static_cast<size_t>(s)]);
  }

  p.fits = true;
  p.peak_memory_bytes = 0;
  p.iteration_time_ms = 0;
  for (size_t d = 0; d < p.devices.size(); ++d) {
    DeviceProjection& dev = p.devices[d];
    const DeviceMetrics& dm = mx.devices[d];
    dev.device = static_cast<int>(d);
    dev.static_bytes = dm.static_memory;
    dev.peak_bytes = dm.peak_memory;
    dev.activations_peak_bytes = dm.peak_memory - dm.static_memory;
    dev.fits = dev.peak_bytes <= p.memory_capacity_bytes;
    p.fits = p.fits && dev.fits;
    p.peak_memory_bytes = std::max(p.peak_memory_bytes, dev.peak_bytes);
    dev.end_ms = dm.span_end;

    // Data-parallel gradient reduction: an all-reduce, or with the distributed optimizer a
    // reduce-scatter now and an all-gather of the updated BF16 weights after the step (Megatron-LM
    // docs/distrib_optimizer.md). Routed experts reduce over their own group of d / ep.
    double reduce_s = 0, gather_s = 0, updated = dense[d] + expert[d];
    if (x.distributed_optimizer) {
      reduce_s = reduce_scatter_s(grad_bytes * dense[d], x.dp, dp_bw) + reduce_scatter_s(grad_bytes * expert[d], expert_dp, dp_bw);
      gather_s = all_gather_s(2 * dense[d], x.dp, dp_bw) + all_gather_s(2 * expert[d], expert_dp, dp_bw);
      updated = dense[d] / x.dp + expert[d] / expert_dp;
    } else {
      reduce_s = all_reduce_s(grad_bytes * dense[d], x.dp, dp_bw) + all_reduce_s(grad_bytes * expert[d], expert_dp, dp_bw);
    }
    // Tied embeddings: the first and the last stage all-reduce their two copies' gradients
    // (Megatron-LM finalize_model_grads, _allreduce_word_embedding_grads).
    if (tied_copy[d]) reduce_s += all_reduce_s(grad_bytes * x.V * x.h / x.t, 2, link_bytes_per_s(x, links.pp));
    dev.grad_reduce_ms = reduce_s * kMs;
    const double window_ms = x.overlap_grad_reduce && window_from[d] < dev.end_ms ? dev.end_ms - window_from[d] : 0;
    dev.grad_reduce_exposed_ms = std::max(0.0, dev.grad_reduce_ms - window_ms);
    dev.optimizer_ms = kOptimizerBytesPerParameter * updated / x.hbm_bytes_per_s * kMs;
    dev.param_gather_ms = gather_s * kMs;
    dev.finish_ms = dev.end_ms + dev.grad_reduce_exposed_ms + dev.optimizer_ms + dev.param_gather_ms;
    if (dev.finish_ms > p.iteration_time_ms) {
      p.iteration_time_ms = dev.finish_ms;
      p.critical_device = static_cast<int>(d);
    }
  }
  const DeviceProjection& crit = p.devices[static_cast<size_t>(p.critical_device)];
  p.makespan_ms = mx.makespan;
  p.grad_reduce_exposed_ms = crit.grad_reduce_exposed_ms;
  p.optimizer_step_ms = crit.optimizer_ms;
  p.param_gather_ms = crit.param_gather_ms;

  const double seconds = p.iteration_time_ms / kMs;
  if (seconds <= 0) return;
  p.tokens_per_s = p.tokens_per_iteration / seconds;
  const double per_gpu = seconds * p.num_gpus * 1e12;
  p.tflops_per_gpu = p.flops_per_iteration / per_gpu;
  p.tflops_per_gpu_full_attention = p.flops_per_iteration_full_attention / per_gpu;
  p.hardware_tflops_per_gpu = p.hardware_flops_per_iteration / per_gpu;
  p.mfu = p.tflops_per_gpu * 1e12 / x.peak_bf16;
  p.mfu_full_attention = p.tflops_per_gpu_full_attention * 1e12 / x.peak_bf16;
  p.hfu = p.hardware_tflops_per_gpu * 1e12 / x.peak_bf16;
}

}  // namespace ppemu
