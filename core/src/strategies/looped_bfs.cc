// Breadth-first pipeline (Lamy-Poirier 2022, arXiv 2211.05953; PyTorch ScheduleLoopedBFS): rank r
// holds stages r, r+p, ... (interleaved). It runs every microbatch's forward through its first
// stage, then through its next stage, ...; then the full backwards, last local stage first,
// microbatches in reverse order. All m*v activations are held at the turn.
#include "strategies/common.h"

namespace ppemu {
namespace {

Result<Schedule> generate(const Config& c) {
  const int p = c.num_devices, m = c.num_batches;
  // PyTorch places the stages in a loop (stage s on rank s mod p), the same count on every rank.
  if (c.num_stages % p != 0) {
    const int up = (c.num_stages / p + 1) * p;
    return Error{"looped_bfs needs num_stages to be a multiple of num_devices (got " + std::to_string(c.num_stages) +
                 " stages on " + std::to_string(p) + " devices); try num_stages=" + std::to_string(up)};
  }
  const int v = c.num_stages / p;
  Schedule s = make_schedule(p, interleaved_placement(p, c.num_stages), m);
  for (int r = 0; r < p; ++r) {
    auto& list = s.device_actions[static_cast<size_t>(r)];
    list.reserve(2 * static_cast<size_t>(m) * static_cast<size_t>(v));
    for (int chunk = 0; chunk < v; ++chunk)
      for (int mb = 0; mb < m; ++mb) detail::append(list, OpKind::F, chunk * p + r, mb);
    for (int chunk = v - 1; chunk >= 0; --chunk)
      for (int mb = m - 1; mb >= 0; --mb) detail::append(list, OpKind::BW, chunk * p + r, mb);
  }
  return s;
}

std::vector<Formula> formulas(const Config& c, const Metrics& mx) {
  const auto u = detail::uniform_times(c);
  const double p = c.num_devices, m = c.num_batches, v = c.num_stages / c.num_devices, lat = c.p2p_latency;
  // A device never waits once the pipe is full when m microbatches take at least as long as a
  // round trip of the first one through the other p-1 devices plus their links.
  Formula makespan = detail::formula(
      "makespan", "(v*m+p-1)(F+Bf) + 2(p-1)c, per-stage times", (v * m + p - 1) * (u.F + u.Bf) + 2 * (p - 1) * lat,
      mx.makespan, "derived (schedules.md §3, checked on a 1521-case grid)", c);
  makespan.assumptions = "every stage has the same op times; (m-p)F >= p*c and (m-p)Bf >= p*c";
  makespan.holds = u.uniform && (m - p) * u.F >= p * lat && (m - p) * u.Bf >= p * lat;
  Formula memory = detail::order_formula("peak activations", "v*m (every forward before the first backward)", v * m,
                                   mx.peak_activations, "PyTorch ScheduleLoopedBFS order");
  return {makespan, memory};
}

}  // namespace

extern const Strategy kLoopedBfs;
const Strategy kLoopedBfs = {
    "looped_bfs", {"loopedbfs", "breadth_first"},
    "Looped BFS (PyTorch ScheduleLoopedBFS): all forwards of each local stage, then all backwards in reverse",
    "num_stages a multiple of num_devices (1 per device is allowed, as in PyTorch)", generate, formulas};

}  // namespace ppemu
