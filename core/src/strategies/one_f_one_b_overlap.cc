// 1F1B with batch overlap: the steady state runs the forward of one microbatch and the full
// backward of another as one unit (for MoE all-to-all hiding). Device d warms up with
// min(2(p-d-1)+1, m) forwards, twice 1F1B's, so a forward is ready to pair with every backward.
#include <algorithm>

#include "strategies/common.h"

namespace ppemu {
namespace {

Result<Schedule> generate(const Config& c) {
  if (Status st = detail::require_one_stage_per_device(c, "1f1b_overlap"); !st.ok()) return Error{st.error()};
  const int p = c.num_devices, m = c.num_batches;
  Schedule s = make_schedule(p, linear_placement(p), m);
  for (int d = 0; d < p; ++d) {
    auto& list = s.device_actions[static_cast<size_t>(d)];
    list.reserve(static_cast<size_t>(m) + 1);
    const int warmup = std::min(2 * (p - d - 1) + 1, m);
    int f = 0, b = 0;
    while (f < warmup) detail::append(list, OpKind::F, d, f++);
    while (f < m) detail::append(list, OpKind::OV, d, f++, d, b++);
    while (b < m) detail::append(list, OpKind::BW, d, b++);
  }
  return s;
}

std::vector<Formula> formulas(const Config& c, const Metrics& mx) {
  const auto u = detail::uniform_times(c);
  const double p = c.num_devices, m = c.num_batches;
  return {
      detail::formula("makespan", "(p-1)(F+Bf) + (F+Bf) + (m-1)T, T = overlapped F&B",
                          (p - 1) * (u.F + u.Bf) + (u.F + u.Bf) + (m - 1) * u.ov, mx.makespan,
                          "interleaved-overlap formula of Victarry/PP-Emulation formula.py, at v = 1", c,
                          "num_batches >= 2*num_devices - 1", c.num_batches >= 2 * c.num_devices - 1),
      detail::formula("peak activations (device 0)", "min(m, 2p)", std::min(m, 2 * p),
                          mx.devices.empty() ? 0 : mx.devices[0].peak_activations, "warm-up count", c),
  };
}

}  // namespace

extern const Strategy kOneFOneBOverlap;
const Strategy kOneFOneBOverlap = {
    "1f1b_overlap", {"1f1b_batch_overlap"},
    "1F1B with batch overlap: steady state runs one forward and another microbatch's full backward as one unit",
    "num_stages = num_devices", generate, formulas};

}  // namespace ppemu
