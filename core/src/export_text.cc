#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "export_projection.h"
#include "ppemu/ascii.h"
#include "ppemu/export.h"

namespace ppemu {
namespace {

std::string num(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", x);
  return buf;
}

std::string pad(std::string s, size_t width) {
  if (s.size() < width) s.insert(0, width - s.size(), ' ');
  return s;
}

// Columns per time unit so that every label fits its op, or 0 if the drawing would be too wide to read.
double ascii_scale(const Run& run) {
  constexpr size_t kMaxOps = 600, kMaxWidth = 200;
  const Timeline& tl = run.timeline;
  if (tl.size() == 0 || tl.size() > kMaxOps || run.metrics.makespan <= 0) return 0;
  const auto chunk = run.schedule.stage_chunks();
  double scale = 1;
  for (int d = 0; d < run.schedule.num_devices; ++d) {
    const auto& list = run.schedule.device_actions[static_cast<size_t>(d)];
    const uint32_t base = tl.device_offset[static_cast<size_t>(d)];
    for (size_t k = 0; k < list.size(); ++k) {
      const double width = tl.end[base + k] - tl.start[base + k];
      const size_t label = op_label(list[k], chunk, run.schedule.num_stages > run.schedule.num_devices).size() + 1;
      if (width > 0) scale = std::max(scale, std::ceil(static_cast<double>(label) / width));
    }
  }
  if (run.metrics.makespan * scale > kMaxWidth) return 0;
  return scale;
}

}  // namespace

const char* metric_definitions() {
  return "makespan           latest op end; every device starts at time 0\n"
         "busy (device)      sum of the device's op durations; idle = makespan - busy\n"
         "bubble_ratio       per device idle / makespan; whole run 1 - sum(busy) / (num_devices x makespan)\n"
         "bubble_over_ideal  (makespan - max busy) / max busy: Megatron's bubble fraction, (p-1)/m for 1F1B\n"
         "span_bubble_ratio  per device (span - busy) / span, span = first op start .. last op end; whole run\n"
         "                   the max over devices: the Zero Bubble papers' rate (ignores start-up offsets)\n"
         "peak_activations   most (microbatch, stage) pairs a device holds at once: allocated when the F\n"
         "                   starts, freed when the last backward op (W if split, else full backward) ends;\n"
         "                   frees before allocations at the same instant. peak_activations_until_B frees at\n"
         "                   the end of the input backward instead\n"
         "peak_memory        most memory a device holds at once, in op_memory units (bytes when projected):\n"
         "                   op_memory.static of its stages, plus op_memory.activation from each F's start;\n"
         "                   B frees all but op_memory.after_B, W the rest, a full backward all of it\n";
}

std::string to_summary(const Run& run) {
  const Config& c = run.config;
  const Metrics& mx = run.metrics;
  std::string out;
  out += "strategy " + c.strategy + ": " + std::to_string(c.num_devices) + " devices, " + std::to_string(c.num_stages) +
         " stages, " + std::to_string(c.num_batches) + " microbatches, p2p_latency " + num(c.p2p_latency) + ", " +
         std::to_string(run.timeline.size()) + " ops\n\n";
  const bool projected = run.projection.has_value();
  out += "makespan           " + num(mx.makespan) + (projected ? " ms" : "") + "\n";
  out += "bubble_ratio       " + num(mx.bubble_ratio) + "   1 - sum(busy) / (devices x makespan)\n";
  out += "bubble_over_ideal  " + num(mx.bubble_over_ideal) + "   (makespan - max busy) / max busy\n";
  out += "span_bubble_ratio  " + num(mx.span_bubble_ratio) + "   max over devices of (span - busy) / span\n";
  out += "peak_activations   " + std::to_string(mx.peak_activations) + "   (microbatch, stage) pairs, max over devices\n";
  const bool memory = c.op_memory.given();
  // Projected memory is bytes; people read it in GiB, as the projection's own memory table does.
  const auto memory_text = [projected](double amount) { return projected ? gib_text(amount) : num(amount); };
  if (memory)
    out += "peak_memory        " + memory_text(mx.peak_memory) +
           (projected ? " GiB   static + activations, max over devices\n"
                      : "   static + activations in op_memory units, max over devices\n");
  out += "\n";

  out += projected ? "device     busy_ms     idle_ms" : "device        busy        idle";
  out += "  bubble_ratio  span_bubble  peak_act  peak_until_B";
  out += memory ? (projected ? "  static_GiB    peak_GiB\n" : "  static_mem  peak_memory\n") : "\n";
  for (size_t d = 0; d < mx.devices.size(); ++d) {
    const DeviceMetrics& dm = mx.devices[d];
    out += pad(std::to_string(d), 6) + pad(num(dm.busy), 12) + pad(num(dm.idle), 12) + pad(num(dm.bubble_ratio), 14) +
           pad(num(dm.span_bubble_ratio), 13) + pad(std::to_string(dm.peak_activations), 10) +
           pad(std::to_string(dm.peak_activations_until_B), 14);
    out += memory ? pad(memory_text(dm.static_memory), 12) + pad(memory_text(dm.peak_memory), 12) + "\n" : "\n";
  }

  if (!run.formulas.empty()) {
    out += "\npublished closed forms (value with this run's numbers vs emulated):\n";
    for (const Formula& f : run.formulas) {
      out += "  " + f.quantity + " = " + f.expression + " = " + num(f.value) + "   emulated " + num(f.emulated) + "   " +
             (f.holds ? "[assumptions hold]" : "[assumptions do not hold: " + f.assumptions + "]") + "\n";
      out += "    source: " + f.source + "\n";
    }
  }

  if (projected) out += projection_summary(run);

  if (const double scale = ascii_scale(run); scale > 0) {
    out += "\ntimeline (" + num(scale) + " column" + (scale == 1 ? "" : "s") + " per time unit; '.' idle" +
           (run.schedule.num_stages > run.schedule.num_devices ? "; lower case = chunk 1, ^k = chunk k" : "") + "):\n";
    out += ascii_timeline(run.schedule, run.timeline, scale).value();  // ascii_scale keeps it within 200 columns
  }
  return out;
}

}  // namespace ppemu
