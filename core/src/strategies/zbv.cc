// ZB-V (Qi et al., "Zero Bubble Pipeline Parallelism", ICLR 2024 §6), in the handcrafted form of
// PyTorch's ScheduleZBVZeroBubble. Device r holds chunk 0 = stage r and chunk 1 = stage 2p-1-r, so
// a microbatch's forward runs down the devices and back up (a V) and the turn at device p-1 needs
// no transfer. With n = max(m, 2p-1), device r runs (F0/B0/W0 = chunk 0, F1/B1/W1 = chunk 1):
//   1. F0^(2(p-r)-1)   2. (F1 F0)^r   3. (F1 B1 W1)^(p-r)
//   4. while chunk 1 trails chunk 0 or forwards remain: [F0 if any left] B0 W0 F1 B1 W1
//   5. (B0 B1)^r, their W's deferred   6. (B0 W0)^(p-r)   7. pending W1's, then pending W0's
// Like PyTorch, fewer than 2p-1 microbatches run the 2p-1 order with the missing ones left out:
// a sub-order of a schedule that finishes still finishes.
#include <algorithm>
#include <string>

#include "strategies/common.h"
#include "strategies/v_shape.h"

namespace ppemu {
namespace {

Result<Schedule> generate(const Config& c) {
  if (Status st = detail::require_v_shape(c, "zbv"); !st.ok()) return Error{st.error()};
  const int p = c.num_devices, m = c.num_batches;
  const int n = std::max(m, 2 * p - 1);
  Schedule s = make_schedule(p, v_placement(p), m);
  for (int r = 0; r < p; ++r) {
    auto& list = s.device_actions[static_cast<size_t>(r)];
    list.reserve(6 * static_cast<size_t>(m));
    const int stage[2] = {r, 2 * p - 1 - r};
    int f[2] = {0, 0}, b[2] = {0, 0}, w[2] = {0, 0};
    auto op = [&](OpKind kind, int k, int& count) {
      if (count < m) detail::append(list, kind, stage[k], count);
      ++count;
    };
    auto F = [&](int k) { op(OpKind::F, k, f[k]); };
    auto B = [&](int k) { op(OpKind::B, k, b[k]); };
    auto W = [&](int k) { op(OpKind::W, k, w[k]); };
    for (int i = 0; i < 2 * (p - r) - 1; ++i) F(0);
    for (int i = 0; i < r; ++i) F(1), F(0);
    for (int i = 0; i < p - r; ++i) F(1), B(1), W(1);
    while (f[1] < f[0] || f[0] < n) {
      if (f[0] < n) F(0);
      B(0);
      W(0);
      F(1);
      B(1);
      W(1);
    }
    for (int i = 0; i < r; ++i) B(0), B(1);
    for (int i = 0; i < p - r; ++i) B(0), W(0);
    while (w[1] < b[1]) W(1);
    while (w[0] < b[0]) W(0);
  }
  return s;
}

std::vector<Formula> formulas(const Config& c, const Metrics& mx) {
  const auto u = detail::uniform_times(c);
  const double p = c.num_devices, m = c.num_batches;
  const bool equal = u.F == u.B && u.B == u.W;
  const bool full = c.num_batches >= 2 * c.num_devices - 1;
  const char* cond = "F = B = W (per chunk); num_batches >= 2 x num_devices - 1";
  Formula makespan = detail::formula(
      "makespan", "2m(F+B+W) + (p-1)F", 2 * m * (u.F + u.B + u.W) + (p - 1) * u.F, mx.makespan,
      "zero span bubble (Qi et al. 2024 §6) plus the (p-1)F start-up offset; schedules.md §2.6", c, cond,
      equal && full);
  Formula bubble = detail::formula(
      "span bubble ratio", "0", 0, mx.span_bubble_ratio,
      "Qi et al. 2024 §6; PyTorch ScheduleZBVZeroBubble docstring (idle inside each device's own span, not over the "
      "makespan)",
      c, cond, equal && full);
  Formula memory = detail::order_formula(
      "peak activations", "2 min(p, m) chunks: 1F1B's min(p, m) microbatches", 2 * std::min(p, m),
      mx.peak_activations, "Qi et al. 2024 §6 and sail-sg README (ZB-V activation memory 1x 1F1B)");
  // Device r starts 2p forwards (2p-1-r of chunk 0, r+1 of chunk 1) before its first W and never
  // gets further ahead: the count follows from the op order alone, whatever the times.
  return {makespan, bubble, memory};
}

}  // namespace

extern const Strategy kZbv;
const Strategy kZbv = {"zbv", {"zb_v"},
                       "ZB-V zero bubble on a V-shape: two chunks per device, W's fill the gaps; 1F1B's memory",
                       "num_stages = 2 x num_devices", generate, formulas};

}  // namespace ppemu
