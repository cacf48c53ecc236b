// GPipe (Huang et al. 2019): fill, then drain. Every forward, then every full backward, in
// microbatch order (PyTorch ScheduleGPipe's order). Holds all m activations at once.
#include "strategies/common.h"

namespace ppemu {
namespace {

Result<Schedule> generate(const Config& c) {
  if (Status st = detail::require_one_stage_per_device(c, "gpipe"); !st.ok()) return Error{st.error()};
  const int p = c.num_devices, m = c.num_batches;
  Schedule s = make_schedule(p, linear_placement(p), m);
  for (int d = 0; d < p; ++d) {
    auto& list = s.device_actions[static_cast<size_t>(d)];
    list.reserve(2 * static_cast<size_t>(m));
    for (int i = 0; i < m; ++i) detail::append(list, OpKind::F, d, i);
    for (int i = 0; i < m; ++i) detail::append(list, OpKind::BW, d, i);
  }
  return s;
}

std::vector<Formula> formulas(const Config& c, const Metrics& mx) {
  const auto u = detail::uniform_times(c);
  const double p = c.num_devices, m = c.num_batches;
  Formula makespan = detail::formula("makespan", "(m+p-1)(F+Bf) + 2(p-1)c", (m + p - 1) * (u.F + u.Bf) + 2 * (p - 1) * c.p2p_latency,
                                         mx.makespan, "fill-drain critical path (Huang et al. 2019; exact in this model)", c);
  makespan.assumptions = "every stage has the same op times";
  makespan.holds = u.uniform;
  return {makespan, detail::formula("peak activations", "m", m, mx.peak_activations, "every forward precedes every backward", c)};
}

}  // namespace

extern const Strategy kGpipe;
const Strategy kGpipe = {"gpipe", {}, "GPipe fill-drain: all forwards, then all full backwards",
                         "num_stages = num_devices", generate, formulas};

}  // namespace ppemu
