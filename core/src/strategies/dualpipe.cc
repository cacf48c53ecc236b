// DualPipe (DeepSeek-V3 technical report §3.2.1; deepseek-ai/DualPipe `dualpipe.py`): microbatches
// enter from both ends. The first half (0 .. m/2-1) runs chain 0, model stage k on device k; the
// second half runs chain 1, model stage k on device p-1-k. Each device thus holds two copies of
// stages (parameters 2x) and runs both directions with the eight phases of dualpipe_phases.h.
// A rank's phase 0 is the direction that enters on its side of the middle.
#include <algorithm>

#include "strategies/common.h"
#include "strategies/dualpipe_phases.h"

namespace ppemu {
namespace {

Status check(const Config& c) {
  const int p = c.num_devices, m = c.num_batches;
  if (p % 2 != 0)
    return Error{"dualpipe needs an even num_devices (got " + std::to_string(p) +
                 "): the two directions meet between the two middle devices; try num_devices=" + std::to_string(p + 1) +
                 " and num_stages=" + std::to_string(p + 1)};
  if (c.num_stages != p) {
    std::string msg = "dualpipe needs num_stages equal to num_devices (got " + std::to_string(c.num_stages) + " stages on " +
                      std::to_string(p) + " devices): both directions run every model stage; try num_stages=" +
                      std::to_string(p);
    if (c.num_stages == 2 * p) msg += ", or strategy=dualpipe_v for 2 stages per device in a V";
    return Error{msg};
  }
  if (m % 2 != 0 || m < 2 * p) {
    const int ok = std::max(2 * p, m + m % 2);
    return Error{"dualpipe needs an even num_batches of at least 2 x num_devices = " + std::to_string(2 * p) + " (got " +
                 std::to_string(m) + "); try num_batches=" + std::to_string(ok)};
  }
  return {};
}

Result<Schedule> generate(const Config& c) {
  if (Status st = check(c); !st.ok()) return Error{st.error()};
  const int p = c.num_devices, m = c.num_batches, half = p / 2;
  std::vector<int32_t> placement(2 * static_cast<size_t>(p));
  for (int k = 0; k < p; ++k) {
    placement[static_cast<size_t>(k)] = k;              // chain 0, position k
    placement[static_cast<size_t>(p + k)] = p - 1 - k;  // chain 1, position k
  }
  Schedule s = make_schedule(p, std::move(placement), m);
  s.num_chains = 2;
  s.microbatch_chain.assign(static_cast<size_t>(m), 0);
  std::fill(s.microbatch_chain.begin() + m / 2, s.microbatch_chain.end(), 1);

  for (int d = 0; d < p; ++d) {
    const bool second_half = d >= half;
    const int h = std::min(d, p - 1 - d);
    // Chain 0 passes device d at stage d, chain 1 at stage 2p-1-d.
    const int own[2] = {d, 2 * p - 1 - d};
    const int first[2] = {0, m / 2};
    const int q0 = second_half ? 1 : 0;  // the chain that is this rank's phase 0
    detail::DualPipeRank r;
    r.ranks = half;
    r.index = h;
    r.chunks = m / 2;
    r.stage[0] = own[q0];
    r.stage[1] = own[1 - q0];
    r.first_mb[0] = first[q0];
    r.first_mb[1] = first[1 - q0];
    s.device_actions[static_cast<size_t>(d)] = detail::dualpipe_phases(r);
  }
  return s;
}

std::vector<Formula> formulas(const Config& c, const Metrics& mx) {
  const auto u = detail::uniform_times(c);
  const double p = c.num_devices;
  double max_idle = 0;
  for (const auto& d : mx.devices) max_idle = std::max(max_idle, d.idle);
  Formula bubble = detail::formula(
      "bubble (max device idle)", "(PP/2-1)(F&B + B - 3W), PP = p, B = full backward, F&B = overlapped unit",
      (p / 2 - 1) * (u.ov + u.Bf - 3 * u.W), max_idle, "DeepSeek-V3 report Table 2 / DualPipe README", c,
      std::string(detail::readme_times_text()) + "; " + detail::overlap_text(),
      detail::readme_times_hold(u) && detail::overlap_between_perfect_and_none(u));
  Formula memory = detail::order_formula("peak activations", "PP+1 stage activations per device, PP = p", p + 1,
                                   mx.peak_activations, "DeepSeek-V3 report Table 2 / DualPipe README");
  return {bubble, memory};
}

}  // namespace

extern const Strategy kDualPipe;
const Strategy kDualPipe = {
    "dualpipe", {"dual_pipe"},
    "DualPipe (DeepSeek-V3): microbatches enter from both ends; steady forward and full backward overlapped",
    "num_devices even; num_stages = num_devices (each device holds stage d and p-1-d); num_batches even and >= "
    "2 x num_devices",
    generate, formulas};

}  // namespace ppemu
