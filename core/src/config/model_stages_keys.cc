// model_stages: the stage count the given op_times and op_memory describe. A stage of a model cut
// into model_stages stages holds 1/model_stages of it; a run cut into num_stages stages gives each
// of its stages model_stages / num_stages of that time and memory, so every split (1F1B's p
// stages, interleaving's v p, a V's 2p) runs the same model. The search's same_model sets it; the
// page's compare mode ("same model") applies the same factor to op times in JS. Memory scales too:
// a stage of half the layers holds half their activations and half their weights. Applied once, when the config
// resolves: the resolved config holds the scaled values and no model_stages, so it reads back
// as the same run.
#include "config/key_group.h"
#include "config/values.h"

namespace ppemu::detail {
namespace {

constexpr std::string_view kKey = "model_stages";

bool owns(std::string_view key) { return key == kKey; }
bool is_prefix(std::string_view) { return false; }

Status apply(Config& c, std::string_view key, const json& v) {
  if (key != kKey) return unknown_key(key);
  if (v.is_null()) {
    c.model_stages = 0;
    return {};
  }
  return set_count(c.model_stages, key, v);
}

void scale(StageTimes& t, double factor) {
  t.scalar *= factor;
  for (double& x : t.per_stage) x *= factor;
}

// After op_times and op_memory resolved (groups.inc lists this group below them): their
// per-stage lists are whole by now, so every entry scales.
Status resolve(Config& c, const Limits& limits) {
  if (c.model_stages == 0) return {};
  if (c.model_stages < 0 || c.model_stages > limits.max_stages)
    return Error{"model_stages must be a whole number from 1 to " + std::to_string(limits.max_stages) + " (got " +
                 std::to_string(c.model_stages) + "), or 0 for op times per stage as given"};
  // A projection sizes each stage from its own layers; scaling the few values given explicitly
  // would mix two models.
  if (c.projected())
    return Error{"model_stages does not apply to a projected run (its stage times follow the model's layers); drop "
                 "model_stages or the model"};
  const double factor = static_cast<double>(c.model_stages) / c.num_stages;
  OpTimes& t = c.op_times;
  for (StageTimes* s : {&t.forward, &t.backward, &t.backward_D, &t.backward_W}) scale(*s, factor);
  if (t.overlapped_forward_backward) scale(*t.overlapped_forward_backward, factor);
  OpMemory& m = c.op_memory;
  scale(m.activation, factor);
  if (m.after_B) scale(*m.after_B, factor);
  scale(m.static_memory, factor);
  c.model_stages = 0;
  return {};
}

// Unresolved configs (a search's base) keep the key; resolved ones have applied it.
void write(const Config& c, json& j) {
  if (c.model_stages > 0) j[std::string(kKey)] = c.model_stages;
}

}  // namespace

extern const KeyGroup kModelStagesKeys;
const KeyGroup kModelStagesKeys = {
    {
        {"model_stages", "none",
         "the stage count op_times and op_memory describe; a run with num_stages stages scales them by model_stages / "
         "num_stages (the same model, whatever the split)"},
    },
    owns, is_prefix, apply, resolve, write};

}  // namespace ppemu::detail
