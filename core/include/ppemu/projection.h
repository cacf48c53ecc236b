#pragma once
// The projection: a model, a GPU, the parallel layout and the training step turned into what a
// Config already has a place for (op_times per stage in ms, p2p_latency in ms, op_memory in
// bytes), so every strategy runs through the same emulator; then, from the emulated timeline,
// memory per device, iteration time, throughput and MFU. Every figure is in the report with the
// terms it came from. Formulas and their sources: core/src/projection/*.cc and the README.
#include <cstdint>
#include <string>
#include <vector>

#include "ppemu/config.h"
#include "ppemu/metrics.h"
#include "ppemu/result.h"
#include "ppemu/schedule.h"
#include "ppemu/timeline.h"

namespace ppemu {

/// One number of the projection and where it comes from, for users who distrust a single figure.
struct ProjectionTerm {
  std::string name;     ///< "forward GEMM FLOPs per layer"
  double value = 0;
  std::string unit;     ///< "FLOP", "bytes", "ms", ...
  std::string formula;  ///< in the paper's letters (s, b, h, a, t, ...)
  std::string source;   ///< paper section or reference code
};

/// One model stage (a chunk of layers) on one GPU of its tensor-parallel group.
struct StageProjection {
  int stage = 0;
  int first_layer = 0;      ///< index of its first transformer layer
  int num_layers = 0;       ///< transformer layers it holds
  int num_moe_layers = 0;   ///< of which MoE
  bool embedding = false;   ///< the first stage: word (and position) embeddings
  bool lm_head = false;     ///< the last stage: final norm, output layer, loss (and MTP layers)
  double parameters = 0;    ///< held by one GPU of the stage (its tensor/expert shard)
  double expert_parameters = 0;  ///< of which routed experts (their gradients reduce over d / ep)
  // Op times, ms: F, B (input gradient), W (weight gradient), the full backward B + W, and one F
  // overlapped with another microbatch's full backward (communication hidden under compute).
  double forward_ms = 0, backward_input_ms = 0, backward_weight_ms = 0, backward_ms = 0, overlapped_ms = 0;
  // Where F + B + W goes, ms: GEMMs, memory-bound kernels, tensor-parallel and expert-parallel
  // communication; recompute_ms is the part of B that re-runs the forward.
  double gemm_ms = 0, memory_bound_ms = 0, tp_comm_ms = 0, ep_comm_ms = 0, recompute_ms = 0;
  double activation_bytes = 0;  ///< allocated by one microbatch's F
  double after_B_bytes = 0;     ///< of which still held after its B (what W needs)
  double weight_bytes = 0, gradient_bytes = 0, optimizer_bytes = 0;  ///< static, for one copy of the stage
};

/// One pipeline device (one GPU of its tensor-parallel group), after emulation.
struct DeviceProjection {
  int device = 0;
  double weight_bytes = 0, gradient_bytes = 0, optimizer_bytes = 0;  ///< summed over the stages it holds
  double static_bytes = 0;            ///< the emulated static memory (op_memory.static of its stages)
  double activations_peak_bytes = 0;  ///< peak - static: the most activation memory held at once
  double peak_bytes = 0;              ///< the emulated peak
  bool fits = true;                   ///< peak <= gpu.memory_gib
  double end_ms = 0;                  ///< its last op's end
  double grad_reduce_ms = 0;          ///< data-parallel gradient reduction (and the tied-embedding all-reduce)
  double grad_reduce_exposed_ms = 0;  ///< the part not hidden under its last backward ops
  double optimizer_ms = 0;            ///< the optimizer step
  double param_gather_ms = 0;         ///< distributed optimizer: all-gather of the updated weights
  double finish_ms = 0;               ///< end + exposed reduction + optimizer + gather
};

struct Projection {
  int pipeline_size = 0, tensor_size = 1, data_size = 1, expert_size = 1;
  int64_t num_gpus = 0;
  int micro_batch_size = 1;
  int64_t global_batch_size = 0, padded_vocab_size = 0;
  std::string tp_link, p2p_link, dp_link, ep_link;  ///< "NVLink" or "network"
  double p2p_bytes = 0;        ///< one activation (or its gradient) sent between stages, per GPU
  double p2p_latency_ms = 0;   ///< as projected (config.p2p_latency may be the user's)
  double num_parameters = 0;         ///< whole model, unpadded vocabulary (the model card's figure)
  double num_active_parameters = 0;  ///< used per token (MoE: routed top-k of the experts)
  double flops_per_iteration = 0;                  ///< Megatron-LM's model FLOPs (causal attention halved)
  double flops_per_iteration_full_attention = 0;   ///< the same without halving (Narayanan et al. 2021, PaLM)
  double hardware_flops_per_iteration = 0;         ///< full attention + recomputed forward
  double tokens_per_iteration = 0;
  // Iteration time = the latest device's end + its exposed gradient reduction + optimizer step +
  // weight all-gather; the terms are those of the device that finishes last.
  double makespan_ms = 0, grad_reduce_exposed_ms = 0, optimizer_step_ms = 0, param_gather_ms = 0, iteration_time_ms = 0;
  int critical_device = 0;
  double tokens_per_s = 0;
  double tflops_per_gpu = 0, tflops_per_gpu_full_attention = 0, hardware_tflops_per_gpu = 0;
  double mfu = 0, mfu_full_attention = 0, hfu = 0;  ///< over the dense BF16 peak
  double memory_capacity_bytes = 0;
  double peak_memory_bytes = 0;  ///< max over devices
  bool fits = true;              ///< every device fits
  std::vector<StageProjection> stages;
  std::vector<DeviceProjection> devices;
  std::vector<ProjectionTerm> terms;
  std::vector<std::string> kept;  ///< keys a config source gave, which won over the projection
};

/// Fills config.op_times, p2p_latency and op_memory from its model, GPU, layout and step, except
/// what a config source gave (StageTimes::given, p2p_latency_given). The config must be resolved
/// and projected(). Errors name the key at fault and what would work.
Result<Projection> project(Config& config);

/// The figures that need the emulated run: memory per device, iteration time, throughput, MFU.
void finish_projection(Projection& projection, const Config& config, const Schedule& schedule, const Timeline& timeline,
                       const Metrics& metrics);

constexpr double kBytesPerGiB = 1024.0 * 1024.0 * 1024.0;

}  // namespace ppemu
