#pragma once
// A group of config keys (the run's counts, op_times, op_memory, the projection's model, ...):
// each group lives in one file and is listed once in config/groups.inc, so that adding keys
// never edits the others. config.cc asks each group in turn.
#include <nlohmann/json.hpp>

#include <string_view>
#include <vector>

#include "ppemu/config.h"
#include "ppemu/result.h"

namespace ppemu::detail {

struct KeyGroup {
  /// Every key the group accepts, dotted, in --help order (a key's per-stage forms, such as
  /// `op_times.forward.3`, are implied).
  std::vector<KeyDoc> keys;
  /// Whether `key` is this group's (exactly, or in a form such as `op_times.forward.3`).
  bool (*owns)(std::string_view key);
  /// Whether a JSON object at `path` is a subtree of this group's keys (`op_times`) rather than a value.
  bool (*is_prefix)(std::string_view path);
  /// Sets one key the group owns; an unknown key under its prefix is an error from unknown_key().
  Status (*apply)(Config& config, std::string_view key, const nlohmann::json& value);
  /// Checks ranges and cross-key rules and normalises; groups resolve in list order. May be null.
  Status (*resolve)(Config& config, const Limits& limits);
  /// Writes the group's resolved keys into the config object (nested, as apply_json reads back).
  void (*write)(const Config& config, nlohmann::json& out);
  /// The Hydra config group whose presets fill these keys (`model` for model.*), or null. A
  /// `group=NAME` key then resets the keys with `reset` and applies the preset (ppemu/presets.h).
  const char* config_group = nullptr;
  void (*reset)(Config& config) = nullptr;
};

/// The groups, in the order of config/groups.inc.
const std::vector<const KeyGroup*>& key_groups();

/// "unknown config key 'x'; did you mean 'y'?" or, with no near miss, the top-level keys.
Status unknown_key(std::string_view key);

/// Whether `key` starts with `prefix` followed by a dot (`op_times.` for `op_times.forward`).
inline bool under(std::string_view key, std::string_view prefix) {
  return key.size() > prefix.size() && key.substr(0, prefix.size()) == prefix && key[prefix.size()] == '.';
}

}  // namespace ppemu::detail
