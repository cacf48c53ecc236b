// 1F1B / PipeDream-Flush (Narayanan et al. 2021 §2.2.1; Megatron's non-interleaved schedule):
// device d runs min(p-d-1, m) warm-up forwards, then alternates one forward and one full
// backward, then drains the remaining backwards. Holds at most min(p-d, m) activations.
#include <algorithm>

#include "strategies/common.h"

namespace ppemu {
namespace {

Result<Schedule> generate(const Config& c) {
  if (Status st = detail::require_one_stage_per_device(c, "1f1b"); !st.ok()) return Error{st.error()};
  const int p = c.num_devices, m = c.num_batches;
  Schedule s = make_schedule(p, linear_placement(p), m);
  for (int d = 0; d < p; ++d) {
    auto& list = s.device_actions[static_cast<size_t>(d)];
    list.reserve(2 * static_cast<size_t>(m));
    const int warmup = std::min(p - d - 1, m);
    int f = 0, b = 0;
    while (f < warmup) detail::append(list, OpKind::F, d, f++);
    while (f < m) {
      detail::append(list, OpKind::F, d, f++);
      detail::append(list, OpKind::BW, d, b++);
    }
    while (b < m) detail::append(list, OpKind::BW, d, b++);
  }
  return s;
}

std::vector<Formula> formulas(const Config& c, const Metrics& mx) {
  const auto u = detail::uniform_times(c);
  const double p = c.num_devices, m = c.num_batches;
  const double ideal = m * (u.F + u.Bf);
  return {
      detail::formula("makespan", "(m+p-1)(F+Bf)", (m + p - 1) * (u.F + u.Bf), mx.makespan,
                          "Narayanan et al. 2021 §2.2.1", c),
      detail::formula("bubble over ideal", "(p-1)/m", (p - 1) / m, (mx.makespan - ideal) / ideal,
                          "Narayanan et al. 2021 §2.2.1 (Megatron's bubble time fraction)", c),
      detail::formula("bubble ratio", "(p-1)/(m+p-1)", (p - 1) / (m + p - 1), mx.bubble_ratio,
                          "sail-sg zero-bubble README", c),
      detail::formula("peak activations (device 0)", "min(p, m)", std::min(p, m),
                          mx.devices.empty() ? 0 : mx.devices[0].peak_activations, "Megatron warm-up count", c),
  };
}

}  // namespace

extern const Strategy kOneFOneB;
const Strategy kOneFOneB = {"1f1b", {"pipedream_flush"},
                            "1F1B (PipeDream-Flush): warm-up forwards, then one forward / one full backward",
                            "num_stages = num_devices", generate, formulas};

}  // namespace ppemu
