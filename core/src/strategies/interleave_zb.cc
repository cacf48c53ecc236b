// Interleaved zero bubble (PyTorch ScheduleInterleavedZeroBubble, "ZB1P" of Qi et al. 2024
// generalised to v chunks per device). Interleaved placement; PyTorch groups the microbatches in
// rounds of m / max(1, m div p). Rank r runs (v-1)*per_round + (p-1-r) warm-up forwards (half
// of Interleaved1F1B's hop allowance: B's no longer wait for W's), then forward / input-backward
// pairs, then the remaining input backwards. From the r-th backward on, each B is followed by
// the W of the oldest backward that still lacks one (so rank r keeps up to r W's pending, as in
// ZB-H1); leftover W's run at the end.
#include <algorithm>

#include "strategies/common.h"

namespace ppemu {
namespace {

Status check(const Config& c) {
  const int p = c.num_devices, m = c.num_batches;
  if (c.num_stages % p != 0) {
    const int up = (c.num_stages / p + 1) * p;
    return Error{"interleave_zb needs num_stages to be a multiple of num_devices (got " + std::to_string(c.num_stages) +
                 " stages on " + std::to_string(p) + " devices); try num_stages=" + std::to_string(up)};
  }
  const int rounds = std::max(1, m / p);
  if (m % rounds != 0) {
    // PyTorch's rule; m = rounds * p always satisfies it.
    return Error{"interleave_zb needs num_batches to be a multiple of its number of rounds, max(1, num_batches div "
                 "num_devices) = " + std::to_string(rounds) + ", as PyTorch requires (got " + std::to_string(m) +
                 "); try num_batches=" + std::to_string(rounds * p)};
  }
  return {};
}

Result<Schedule> generate(const Config& c) {
  if (Status st = check(c); !st.ok()) return Error{st.error()};
  const int p = c.num_devices, m = c.num_batches, v = c.num_stages / p;
  const int per_round = m / std::max(1, m / p);
  const int total = m * v;
  Schedule s = make_schedule(p, interleaved_placement(p, c.num_stages), m);
  for (int r = 0; r < p; ++r) {
    auto& list = s.device_actions[static_cast<size_t>(r)];
    list.reserve(3 * static_cast<size_t>(total));
    const int warmup = std::min((v - 1) * per_round + (p - 1 - r), total);
    // Step k of the forwards / j of the backwards runs this chunk; microbatches go in order per chunk.
    auto fwd_chunk = [&](int k) { return (k / per_round) % v; };
    auto bwd_chunk = [&](int j) { return v - 1 - (j / per_round) % v; };
    std::vector<int> f(static_cast<size_t>(v), 0), b(f), w(f);
    auto forward = [&](int k) {
      const int ch = fwd_chunk(k);
      detail::append(list, OpKind::F, ch * p + r, f[static_cast<size_t>(ch)]++);
    };
    int weights = 0;
    auto backward = [&](int j) {
      const int ch = bwd_chunk(j);
      detail::append(list, OpKind::B, ch * p + r, b[static_cast<size_t>(ch)]++);
      if (j >= r) {
        const int wc = bwd_chunk(weights++);
        detail::append(list, OpKind::W, wc * p + r, w[static_cast<size_t>(wc)]++);
      }
    };
    for (int k = 0; k < warmup; ++k) forward(k);
    for (int j = 0; j < total; ++j) {
      if (warmup + j < total) forward(warmup + j);
      backward(j);
    }
    while (weights < total) {
      const int wc = bwd_chunk(weights++);
      detail::append(list, OpKind::W, wc * p + r, w[static_cast<size_t>(wc)]++);
    }
  }
  return s;
}

std::vector<Formula> formulas(const Config& c, const Metrics& mx) {
  const auto u = detail::uniform_times(c);
  const double p = c.num_devices, m = c.num_batches, v = c.num_stages / c.num_devices;
  const bool ok = c.num_batches >= c.num_devices && u.W <= std::min(u.F, u.B);
  return {
      detail::formula("makespan", "v*m(F+B+W) + (p-1)(F+B-W), per-chunk times",
                      v * m * (u.F + u.B + u.W) + (p - 1) * (u.F + u.B - u.W), mx.makespan,
                      "Qi et al. 2024 (Zero Bubble) §3.1, ZB-H1, at v = 1; the same form with v*m for v > 1 is "
                      "empirical (emulated p = 2..8, v = 2..4, m = p..5p)",
                      c, "num_batches >= num_devices; W <= min(F, B)", ok),
  };
}

}  // namespace

extern const Strategy kInterleaveZb;
const Strategy kInterleaveZb = {
    "interleave_zb", {"interleaved_zb", "interleaved_zero_bubble"},
    "Interleaved zero bubble (PyTorch ScheduleInterleavedZeroBubble): ZB-H1's deferred W's on v chunks per device",
    "num_stages a multiple of num_devices; num_batches a multiple of max(1, num_batches div num_devices)", generate,
    formulas};

}  // namespace ppemu
