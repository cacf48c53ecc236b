#pragma once
// YAML config files, natively (target ppemu::yaml, yaml-cpp; not in the WASM build, where the
// page parses YAML and hands the core JSON). Reads YAML 1.2's core schema: `null`/`~`/empty are
// null, `true`/`false` booleans, plain numbers numbers, everything else (and anything quoted)
// a string; mapping keys are strings (`0: 0.8` is the key "0").
#include <map>
#include <string>
#include <string_view>

#include "ppemu/result.h"

namespace ppemu {

/// The document as JSON text, or "line L, column C: what is wrong" (1-based, as editors count).
/// Duplicate keys in a mapping and multi-document files are errors. An empty file is `null`.
Result<std::string> yaml_to_json(std::string_view text);

/// A YAML config read for the config layer: its JSON and where each key is written.
struct YamlConfig {
  std::string json;
  /// The 1-based line of every mapping key and list item, by dotted path: `op_times.forward`,
  /// `op_times.forward.3` (a per-stage map's key or a list's item), `defaults.1`.
  std::map<std::string, int> lines;
};

/// yaml_to_json with the line of every key (www/src/yaml-config.js reads the same way).
Result<YamlConfig> read_yaml(std::string_view text);

/// The line of the key a config error is about, or 0: of the paths in `lines`, the one the
/// message names first (the longest of those starting at one place). "unknown config key
/// 'op_times.backwad'; did you mean 'op_times.backward'?" is about op_times.backwad.
int line_of_key_in(std::string_view message, const std::map<std::string, int>& lines);
/// The path itself ("" if none): the same rule as line_of_key_in.
std::string key_named_in(std::string_view message, const std::map<std::string, int>& lines);

/// JSON text written as block YAML that read_yaml reads back to the same JSON: strings
/// double-quoted, numbers as JavaScript writes them (so www/src/yaml-config.js writes the same
/// bytes), lists in flow style. Errors only for text that is not JSON.
Result<std::string> json_to_yaml(std::string_view json_text);

/// Registers a preset from a YAML file's text: the file must be a mapping of the group's keys;
/// its first line, when it is a comment, is the preset's description. Errors name `source`.
Status register_yaml_preset(const std::string& group, const std::string& name, std::string_view text, const std::string& source);

/// Registers every embedded conf/<group>/<name>.yaml (ppemu/conf_files.h) as preset `name` of
/// `group`. Files directly in conf/ are primary configs, not presets, and are skipped.
Status register_embedded_presets();

}  // namespace ppemu
