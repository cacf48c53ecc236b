// Interleaved 1F1B (Megatron virtual pipeline; Narayanan et al. 2021 §2.2.2). Stage c*p + d is
// chunk c of device d. Forwards follow Megatron's schedule table: microbatches in groups of N,
// each group run through chunk 0, then chunk 1, ...; the k-th backward runs chunk v-1-c of the
// k-th table entry. Rank r runs 2(p-r-1) + (v-1)N warm-up forwards (all of them if that is
// more than m*v), then one forward / one backward, then drains.
#include "strategies/common.h"
#include "strategies/megatron_interleaved.h"

namespace ppemu {

namespace {

Result<Schedule> generate(const Config& c) {
  if (Status st = detail::require_interleaved(c, "interleave"); !st.ok()) return Error{st.error()};
  if (Status st = detail::require_megatron_groups(c, "interleave"); !st.ok()) return Error{st.error()};
  return detail::megatron_interleaved(c, 0, false);
}

std::vector<Formula> formulas(const Config& c, const Metrics& mx) {
  const auto u = detail::uniform_times(c);
  const double p = c.num_devices, m = c.num_batches, v = c.num_stages / c.num_devices;
  const double ideal = v * m * (u.F + u.Bf);
  const bool default_group = c.group_size() == c.num_devices;
  const char* group = "microbatch_group_size_per_vp_stage = num_devices";
  return {
      detail::formula("makespan", "(v*m+p-1)(F+Bf), per-stage times", (v * m + p - 1) * (u.F + u.Bf), mx.makespan,
                          "Narayanan et al. 2021 §2.2.2", c, group, default_group),
      detail::formula("bubble over ideal", "(p-1)/(v*m)", (p - 1) / (v * m), (mx.makespan - ideal) / ideal,
                          "Narayanan et al. 2021 §2.2.2", c, group, default_group),
  };
}

}  // namespace

extern const Strategy kInterleave;
const Strategy kInterleave = {
    "interleave", {"1f1b_interleave", "interleaved"},
    "Interleaved 1F1B (Megatron virtual pipeline): v = num_stages/num_devices chunks per device",
    "num_stages a multiple of num_devices, at least 2 per device; num_devices <= group size <= num_batches; "
    "num_batches mod group size is 0 or >= num_devices",
    generate, formulas, {"microbatch_group_size_per_vp_stage"}};

}  // namespace ppemu
