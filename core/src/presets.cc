#include "ppemu/presets.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace ppemu {
namespace {

std::vector<Preset>& registry() {
  static std::vector<Preset> all;
  return all;
}

}  // namespace

Status register_preset(Preset preset) {
  if (preset.group.empty() || preset.name.empty()) return Error{"a preset needs a group and a name (" + preset.source + ")"};
  const nlohmann::json v = nlohmann::json::parse(preset.json, nullptr, false);
  if (v.is_discarded() || !v.is_object())
    return Error{preset.source + ": a " + preset.group + " preset must be a mapping of keys (num_layers: 96, ...)"};
  auto& all = registry();
  auto same = std::find_if(all.begin(), all.end(), [&](const Preset& p) { return p.group == preset.group && p.name == preset.name; });
  if (same != all.end()) {
    *same = std::move(preset);
  } else {
    all.push_back(std::move(preset));
  }
  return {};
}

const Preset* find_preset(std::string_view group, std::string_view name) {
  for (const Preset& p : registry())
    if (p.group == group && p.name == name) return &p;
  return nullptr;
}

std::vector<std::string> preset_names(std::string_view group) {
  std::vector<std::string> names;
  for (const Preset& p : registry())
    if (p.group == group) names.push_back(p.name);
  std::sort(names.begin(), names.end());
  return names;
}

const std::vector<Preset>& presets() { return registry(); }

void clear_presets() { registry().clear(); }

}  // namespace ppemu
