#pragma once
// Which transformer layers each model stage holds (Megatron's pipeline split).
#include <vector>

#include "ppemu/config.h"
#include "ppemu/result.h"

namespace ppemu::projection {

struct StageLayers {
  int first = 0;  ///< index of the stage's first layer
  int count = 0;
};

/// From parallel.pipeline_model_parallel_layout, or decoder_first/last_pipeline_num_layers with
/// the rest split evenly, or an even split; errors say what would cover the layers.
Result<std::vector<StageLayers>> stage_layers(const Config& config);

}  // namespace ppemu::projection
