#pragma once
// Activation memory of one microbatch on one GPU: what its F allocates (Korthikanti et al. 2022,
// "Reducing Activation Recomputation in Large Transformer Models", §4 and Table 2) and what is
// still held after its B, until W (the Zero Bubble papers' accounting: Qi et al. 2024, §3).
#include "projection/layout.h"
#include "projection/shape.h"

namespace ppemu::projection {

struct ActivationBytes {
  double allocated = 0;  ///< held from the start of F
  double after_B = 0;    ///< still held after B (W's inputs and the output gradients it needs)
};

/// One transformer layer.
ActivationBytes layer_activations(const Shape& x, bool moe);
/// Everything stage `stage` keeps for one microbatch (its layers, the embedding, the loss).
ActivationBytes stage_activations(const Shape& x, const StageLayers& layers, int stage);

}  // namespace ppemu::projection
