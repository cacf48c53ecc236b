#pragma once
// The V-shape building-block schedules of Qi et al., "Pipeline Parallelism with Controllable
// Memory" (NeurIPS 2024, arXiv 2405.15362), built the way sail-sg's scheduler/zbv_greedy.py does.
#include <vector>

#include "ppemu/config.h"
#include "ppemu/metrics.h"
#include "ppemu/schedule.h"
#include "ppemu/strategy.h"

namespace ppemu::detail {

enum class VBlock {
  kHalf,  ///< V-Half: about 1/2 of 1F1B's activations, (p+2)//2 microbatches
  kMin,   ///< V-Min: about 1/3 of 1F1B's activations, (p+4)//3 microbatches
};

/// The op order on p devices (2p stages, V placement) for m microbatches. It depends on p and m
/// only: the reference decides order with unit op times and lets real costs decide time.
Schedule v_building_block_schedule(VBlock block, int p, int m);

/// The papers' memory figure for the block ((p+2)//2 or (p+4)//3 microbatches, at most m) beside
/// the emulated peak. It follows from the op order alone, so it holds for any times and latency.
std::vector<Formula> v_building_block_formulas(VBlock block, const Config& c, const Metrics& mx);

}  // namespace ppemu::detail
