#pragma once
// Config groups, as Hydra has them: `model=gpt3_175b` applies the keys of conf/model/gpt3_175b.yaml
// under `model.`. The core holds no presets of its own and reads no YAML: the host registers them
// (the CLI from conf/ files it reads as YAML, the WASM module what the page parsed), so both sides
// apply the same files through the same JSON path.
#include <string>
#include <string_view>
#include <vector>

#include "ppemu/result.h"

namespace ppemu {

struct Preset {
  std::string group;        ///< "model", "gpu": the key prefix its keys go under
  std::string name;         ///< what `group=` takes
  std::string json;         ///< a JSON object of the group's keys, relative ({"num_layers": 96})
  std::string source;       ///< where it came from ("conf/model/gpt3_175b.yaml"), for messages
  std::string description;  ///< one line (the file's `description` or first comment), may be empty
};

/// Adds or replaces (same group and name) a preset. The JSON must be an object; its keys are
/// checked when the preset is applied, so a broken file names itself then.
Status register_preset(Preset preset);

/// Null if none has that group and name.
const Preset* find_preset(std::string_view group, std::string_view name);

/// Names in a group, sorted; empty for a group with no presets.
std::vector<std::string> preset_names(std::string_view group);

/// Every preset, grouped, in registration order within a group.
const std::vector<Preset>& presets();

/// Drops every preset (tests).
void clear_presets();

}  // namespace ppemu
