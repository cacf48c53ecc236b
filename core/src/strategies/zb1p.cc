// ZB-H1 (Qi et al., "Zero Bubble Pipeline Parallelism", ICLR 2024 §3.1): 1F1B with the backward
// split into B (input) and W (weights). Device d keeps up to d W's pending, so B's travel upstream
// sooner, and runs the deferred W's in the cool-down where 1F1B idles. W is always the oldest pending.
#include <algorithm>

#include "strategies/common.h"

namespace ppemu {
namespace {

Result<Schedule> generate(const Config& c) {
  if (Status st = detail::require_one_stage_per_device(c, "zb1p"); !st.ok()) return Error{st.error()};
  const int p = c.num_devices, m = c.num_batches;
  Schedule s = make_schedule(p, linear_placement(p), m);
  for (int d = 0; d < p; ++d) {
    auto& list = s.device_actions[static_cast<size_t>(d)];
    list.reserve(3 * static_cast<size_t>(m));
    const int warmup = std::min(p - d - 1, m);
    int f = 0, b = 0, w = 0;
    auto backward = [&] {
      detail::append(list, OpKind::B, d, b++);
      if (b - w > d) detail::append(list, OpKind::W, d, w++);
    };
    while (f < warmup) detail::append(list, OpKind::F, d, f++);
    while (f < m) {
      detail::append(list, OpKind::F, d, f++);
      backward();
    }
    while (b < m) backward();
    while (w < m) detail::append(list, OpKind::W, d, w++);
  }
  return s;
}

std::vector<Formula> formulas(const Config& c, const Metrics& mx) {
  const auto u = detail::uniform_times(c);
  const double p = c.num_devices, m = c.num_batches;
  const bool enough = c.num_batches >= c.num_devices;
  double max_idle = 0;
  for (const auto& d : mx.devices) max_idle = std::max(max_idle, d.idle);
  return {
      detail::formula("makespan", "m(F+B+W) + (p-1)(F+B-W)", m * (u.F + u.B + u.W) + (p - 1) * (u.F + u.B - u.W),
                          mx.makespan, "Qi et al. 2024 (Zero Bubble) §3.1", c, "num_batches >= num_devices; W <= min(F, B)",
                          enough && u.W <= std::min(u.F, u.B)),
      detail::formula("bubble (device idle)", "(p-1)(F+B-W)", (p - 1) * (u.F + u.B - u.W), max_idle,
                          "Qi et al. 2024 §3.1; DualPipe README writes (PP-1)(F+B-2W) with B the full backward", c,
                          "num_batches >= num_devices; W <= min(F, B)", enough && u.W <= std::min(u.F, u.B)),
      detail::formula("peak activations", "p (held until W)", p, mx.peak_activations, "Qi et al. 2024 §3.1", c,
                          "num_batches >= num_devices", enough),
  };
}

}  // namespace

extern const Strategy kZb1p;
const Strategy kZb1p = {"zb1p", {"zb_h1", "zbh1"},
                        "ZB-H1 zero bubble: split backward (B, W), W's deferred to fill the cool-down; 1F1B's memory",
                        "num_stages = num_devices", generate, formulas};

}  // namespace ppemu
