// DualPipeV, DualPipe "cut in half" (deepseek-ai/DualPipe `dualpipev.py`; PyTorch
// ScheduleDualPipeV): one direction, 2p stages in a V (device d holds stages d and 2p-1-d), so
// every microbatch passes each device twice and parameters are not duplicated. Device d runs the
// eight phases of dualpipe_phases.h as rank d of a p-rank line, phase 0 = stage d.
#include <algorithm>

#include "strategies/common.h"
#include "strategies/dualpipe_phases.h"

namespace ppemu {
namespace {

Status check(const Config& c) {
  const int p = c.num_devices, m = c.num_batches;
  if (c.num_stages != 2 * p)
    return Error{"dualpipe_v needs num_stages = 2 x num_devices = " + std::to_string(2 * p) + " (got " +
                 std::to_string(c.num_stages) + "): each device holds two stages of a V; try num_stages=" +
                 std::to_string(2 * p)};
  if (m < 2 * p)
    return Error{"dualpipe_v needs num_batches of at least num_stages = 2 x num_devices = " + std::to_string(2 * p) +
                 " (got " + std::to_string(m) + "); try num_batches=" + std::to_string(2 * p)};
  return {};
}

Result<Schedule> generate(const Config& c) {
  if (Status st = check(c); !st.ok()) return Error{st.error()};
  const int p = c.num_devices, m = c.num_batches;
  Schedule s = make_schedule(p, v_placement(p), m);
  for (int d = 0; d < p; ++d) {
    detail::DualPipeRank r;
    r.ranks = p;
    r.index = d;
    r.chunks = m;
    r.stage[0] = d;
    r.stage[1] = 2 * p - 1 - d;
    s.device_actions[static_cast<size_t>(d)] = detail::dualpipe_phases(r);
  }
  return s;
}

std::vector<Formula> formulas(const Config& c, const Metrics& mx) {
  const auto u = detail::uniform_times(c);
  const double p = c.num_devices, m = c.num_batches;
  double max_idle = 0;
  for (const auto& d : mx.devices) max_idle = std::max(max_idle, d.idle);
  const bool times = detail::readme_times_hold(u);
  // Victarry's makespan needs only a physical overlapped unit; the README's bubble also needs it not
  // to exceed running the halves apart.
  const bool physical = u.ov >= std::max(u.F, u.Bf);
  const double T = u.ov;
  Formula makespan = detail::formula(
      "makespan",
      "(p-1)F + 2pF + (2(m-p)-1)T + (p-1)T + (2p-1)B + W + 2Bf + F, T = overlapped F&B, per-stage times",
      (p - 1) * u.F + 2 * p * u.F + (2 * (m - p) - 1) * T + (p - 1) * T + (2 * p - 1) * u.B + u.W + 2 * u.Bf + u.F,
      mx.makespan, "Victarry/PP-Emulation formula.py (dualpipe_v_execution_time_by_formula_detailed)", c,
      std::string(detail::readme_times_text()) + "; F&B >= Bf", times && physical);
  Formula bubble = detail::formula(
      "bubble (max device idle)", "(PP/2-1)(F&B + B - 3W), PP = 2p stages, B = full backward, F&B = overlapped unit",
      (p - 1) * (T + u.Bf - 3 * u.W), max_idle, "DualPipe README (DualPipeV row)", c,
      std::string(detail::readme_times_text()) + "; " + detail::overlap_text(),
      times && detail::overlap_between_perfect_and_none(u));
  Formula memory = detail::order_formula("peak activations", "PP+1 stage activations per device, PP = 2p", 2 * p + 1,
                                   mx.peak_activations, "DualPipe README (DualPipeV row)");
  return {makespan, bubble, memory};
}

}  // namespace

extern const Strategy kDualPipeV;
const Strategy kDualPipeV = {
    "dualpipe_v", {"dualpipev"},
    "DualPipeV (DualPipe cut in half): 2 stages per device in a V, steady forward and full backward overlapped",
    "num_stages = 2 x num_devices; num_batches >= num_stages", generate, formulas};

}  // namespace ppemu
