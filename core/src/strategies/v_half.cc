// V-Half (Qi et al., "Pipeline Parallelism with Controllable Memory", NeurIPS 2024, arXiv
// 2405.15362): V-shape building blocks whose lifespan holds about half of 1F1B's activations,
// (p+2)//2 microbatches, for a bubble of roughly half of 1F1B's. The order is built as the
// authors' zbv_greedy.py builds it (see v_building_block.cc).
#include "strategies/common.h"
#include "strategies/v_building_block.h"
#include "strategies/v_shape.h"

namespace ppemu {
namespace {

Result<Schedule> generate(const Config& c) {
  if (Status st = detail::require_v_shape(c, "v_half"); !st.ok()) return Error{st.error()};
  return detail::v_building_block_schedule(detail::VBlock::kHalf, c.num_devices, c.num_batches);
}

std::vector<Formula> formulas(const Config& c, const Metrics& mx) {
  return detail::v_building_block_formulas(detail::VBlock::kHalf, c, mx);
}

}  // namespace

extern const Strategy kVHalf;
const Strategy kVHalf = {"v_half", {"vhalf"},
                         "V-Half: V-shape building blocks holding about half of 1F1B's activations",
                         "num_stages = 2 x num_devices", generate, formulas};

}  // namespace ppemu
