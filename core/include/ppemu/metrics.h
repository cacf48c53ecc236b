#pragma once
// Figures computed from a timeline. Definitions differ between papers; each is stated here
// exactly as computed, and the CLI's --help and the README repeat them.
#include <cstdint>
#include <vector>

#include "ppemu/config.h"
#include "ppemu/schedule.h"
#include "ppemu/timeline.h"

namespace ppemu {

struct DeviceMetrics {
  double busy = 0;           ///< sum of the device's op durations
  double idle = 0;           ///< makespan - busy
  double bubble_ratio = 0;   ///< idle / makespan
  double span_start = 0;     ///< start of the device's first op
  double span_end = 0;       ///< end of the device's last op
  double span_bubble_ratio = 0;  ///< (span - busy) / span: idle inside the device's own span
  int32_t peak_activations = 0;  ///< most (microbatch, stage) pairs held at once, from F start to last backward end
  int32_t peak_activations_until_B = 0;  ///< the same, freed when the input backward (B or BW) ends
  double static_memory = 0;  ///< op_memory.static summed over the stages the device holds
  double peak_memory = 0;    ///< most memory held at once: static + activations (op_memory units; bytes when projected)
};

/// Activation count over time, one step function per device: on device d, for i in
/// [offset[d], offset[d+1]), `count[i]` pairs are held from `time[i]` until `time[i+1]`
/// (or the makespan for the device's last point). Starts with (0, 0).
struct ActivationSeries {
  std::vector<uint32_t> offset;
  std::vector<double> time;
  std::vector<int32_t> count;
};

/// Memory held over time, one step function per device, in op_memory units (bytes when
/// projected): on device d, for i in [offset[d], offset[d+1]), `used[i]` is held from `time[i]`
/// until the next point (or the makespan). Starts at (0, static memory of the device). With the
/// default op_memory it equals the activation count.
struct MemorySeries {
  std::vector<uint32_t> offset;
  std::vector<double> time;
  std::vector<double> used;
};

/// op_memory resolved per schedule stage (schedule stage s takes model stage s mod chain length,
/// as the cost model does: DualPipe's two copies of a stage each hold their own).
struct MemoryModel {
  std::vector<double> activation, after_B, static_memory;
};
MemoryModel memory_model(const Config& config, const Schedule& schedule);

struct Metrics {
  double makespan = 0;           ///< latest end; every device starts at 0
  double total_busy = 0;         ///< sum of busy over devices
  double bubble_ratio = 0;       ///< 1 - total_busy / (num_devices * makespan)
  double bubble_over_ideal = 0;  ///< (makespan - max busy) / max busy: Megatron's (p-1)/m
  double span_bubble_ratio = 0;  ///< max over devices of span_bubble_ratio: the ZB papers' rate
  int32_t peak_activations = 0;  ///< max over devices
  double peak_memory = 0;        ///< max over devices
  std::vector<DeviceMetrics> devices;
  ActivationSeries activations;
  MemorySeries memory;
};

/// `memory` null: the default op_memory (1 per activation, nothing freed before W, no static).
Metrics compute_metrics(const Schedule& schedule, const Timeline& timeline, const MemoryModel* memory = nullptr);

}  // namespace ppemu
