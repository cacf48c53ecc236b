// V-Min (Qi et al., "Pipeline Parallelism with Controllable Memory", NeurIPS 2024, arXiv
// 2405.15362): V-shape building blocks with the shortest lifespan, holding about a third of
// 1F1B's activations, (p+4)//3 microbatches, at the price of a larger bubble. The order is built
// as the authors' zbv_greedy.py builds it (see v_building_block.cc).
#include <algorithm>

#include "strategies/common.h"
#include "strategies/v_building_block.h"
#include "strategies/v_shape.h"

namespace ppemu {
namespace {

Result<Schedule> generate(const Config& c) {
  if (Status st = detail::require_v_shape(c, "v_min"); !st.ok()) return Error{st.error()};
  return detail::v_building_block_schedule(detail::VBlock::kMin, c.num_devices, c.num_batches);
}

std::vector<Formula> formulas(const Config& c, const Metrics& mx) {
  const int p = c.num_devices, m = c.num_batches;
  // The papers count microbatches; a device holds two chunks of each, so half the chunk count.
  Formula memory = detail::formula("peak activations (microbatches)", "(p+4)//3, at most m",
                                   std::min(m, (p + 4) / 3), mx.peak_activations / 2.0,
                                   "Qi et al. 2024 (arXiv 2405.15362); sail HF space table", c);
  // The count follows from the op order alone, and the order does not depend on the times.
  memory.assumptions = "none beyond the strategy's constraints";
  memory.holds = true;
  return {memory};
}

}  // namespace

extern const Strategy kVMin;
const Strategy kVMin = {"v_min", {"vmin"},
                        "V-Min: V-shape building blocks holding about a third of 1F1B's activations",
                        "num_stages = 2 x num_devices", generate, formulas};

}  // namespace ppemu
