#pragma once
// Parameter counts: per layer by kind, the whole model, and what one GPU of a stage holds.
// Megatron-LM's accounting (megatron/training/theoretical_memory_usage.py,
// compute_weight_and_optimizer_memory), with the biases it leaves out counted.
#include "projection/layout.h"
#include "projection/shape.h"

namespace ppemu::projection {

struct LayerParams {
  double attention = 0;  ///< attention weights and biases: split over tensor parallelism
  double mlp = 0;        ///< dense MLP, or an MoE layer's shared expert: split over tensor parallelism
  double routed = 0;     ///< every routed expert: split over expert x tensor parallelism
  double active_routed = 0;  ///< the top-k experts a token uses
  double replicated = 0;     ///< norms and the router: on every tensor-parallel GPU
  double total() const { return attention + mlp + routed + replicated; }
};

/// One transformer layer (dense or MoE).
LayerParams layer_params(const Shape& x, bool moe);
/// The MTP block of DeepSeek-V3 (a layer like the last one, its projection and norms), per MTP layer.
LayerParams mtp_params(const Shape& x);

struct ModelParams {
  double total = 0, active = 0;  ///< with the vocabulary as given (the model card counts it so)
  double embedding = 0;          ///< word (+ position) embeddings
  double output_layer = 0;       ///< untied LM head
};
ModelParams model_params(const Shape& x);

/// What one GPU of `stage` holds: parameters replicated over data parallelism (`dense`) and the
/// routed experts' (`expert`), whose gradients reduce over data / expert parallelism.
struct StageParams {
  double dense = 0, expert = 0;
  double total() const { return dense + expert; }
};
StageParams stage_params(const Shape& x, const StageLayers& layers, int stage);

}  // namespace ppemu::projection
