#pragma once
// Hydra's defaults list: the order in which a config object's presets and own keys apply.
#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

#include "ppemu/config.h"
#include "ppemu/result.h"

namespace ppemu::detail {

/// config_parts for a parsed object (ppemu/config.h says the rules).
Result<std::vector<ConfigPart>> parts_of(const nlohmann::json& object, const std::map<std::string, std::string>& choices);

/// Whether `key: value` at the top of an object selects a preset (`"model": "gpt3_175b"`) rather
/// than giving the group's keys (`"model": {"num_layers": 96}`).
bool is_selection(const std::string& key, const nlohmann::json& value);

}  // namespace ppemu::detail
