// Interleaved 1F1B with batch overlap: Megatron's combined 1F1B (`combined_1f1b.py`, enabled by
// overlap_moe_expert_parallel_comm, which requires a virtual pipeline when PP > 1). Megatron's
// interleaved order with one more warm-up forward on every rank, so that each steady step pairs
// a forward with the backward of a different microbatch and runs the pair as one overlapped unit
// (the all-to-all of one hides behind the compute of the other).
#include <algorithm>
#include <string>

#include "strategies/common.h"
#include "strategies/megatron_interleaved.h"

namespace ppemu {
namespace {

constexpr const char* kName = "1f1b_interleave_overlap";

Result<Schedule> generate(const Config& c) {
  if (c.num_stages == c.num_devices)
    return Error{std::string(kName) + " needs at least two stages per device (got " + std::to_string(c.num_stages) +
                 " stages on " + std::to_string(c.num_devices) +
                 " devices): Megatron's combined 1F1B requires a virtual pipeline; try num_stages=" +
                 std::to_string(2 * c.num_devices) + ", or strategy=1f1b_overlap for one stage per device"};
  if (Status st = detail::require_interleaved(c, kName); !st.ok()) return Error{st.error()};
  if (Status st = detail::require_megatron_groups(c, kName); !st.ok()) return Error{st.error()};
  return detail::megatron_interleaved(c, 1, true);
}

std::vector<Formula> formulas(const Config& c, const Metrics& mx) {
  const auto u = detail::uniform_times(c);
  const double p = c.num_devices, m = c.num_batches, v = c.num_stages / c.num_devices;
  const double Fb = u.F + u.Bf;
  return {
      detail::formula("makespan",
                      "(p-1)(F+Bf) + (p(v-1)+1)(F+Bf) + (m*v - p(v-1) - 1)T, T = overlapped F&B, per-stage times",
                      (p - 1) * Fb + (p * (v - 1) + 1) * Fb + (m * v - p * (v - 1) - 1) * u.ov, mx.makespan,
                      "Victarry/PP-Emulation formula.py (1F1B interleave overlap)", c,
                      "microbatch_group_size_per_vp_stage = num_devices; F&B >= max(F, Bf) (no better than perfect overlap)",
                      c.group_size() == c.num_devices && u.ov >= std::max(u.F, u.Bf)),
  };
}

}  // namespace

extern const Strategy kInterleaveOverlap;
const Strategy kInterleaveOverlap = {
    kName, {"interleave_overlap", "combined_1f1b"},
    "Interleaved 1F1B whose steady forward/backward pairs run overlapped (Megatron combined 1F1B, one extra warm-up)",
    "as interleave: num_stages a multiple of num_devices, at least 2 per device; num_devices <= group size <= "
    "num_batches; num_batches mod group size is 0 or >= num_devices",
    generate, formulas, {"microbatch_group_size_per_vp_stage"}};

}  // namespace ppemu
