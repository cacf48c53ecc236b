#pragma once
// Weights, gradients and optimizer state a GPU holds for one stage, by Megatron-LM's accounting
// (megatron/training/theoretical_memory_usage.py, num_bytes_per_parameter): BF16/FP16 weights
// (2 bytes), FP32 gradients (4) and FP32 master weights with Adam's two moments (12): 18 bytes per
// parameter; the distributed optimizer shards the 12 over data parallelism: 6 + 12/d.
#include "projection/parameters.h"

namespace ppemu::projection {

struct StaticBytes {
  double weights = 0, gradients = 0, optimizer = 0;
  double total() const { return weights + gradients + optimizer; }
};

/// Routed experts' optimizer state shards over their own data-parallel group, d / ep.
StaticBytes static_bytes(const Shape& x, const StageParams& params);

}  // namespace ppemu::projection
