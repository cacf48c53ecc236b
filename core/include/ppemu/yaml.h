#pragma once
// YAML config files, natively (target ppemu::yaml, yaml-cpp; not in the WASM build, where the
// page parses YAML and hands the core JSON). Reads YAML 1.2's core schema: `null`/`~`/empty are
// null, `true`/`false` booleans, plain numbers numbers, everything else (and anything quoted)
// a string; mapping keys are strings (`0: 0.8` is the key "0").
#include <string>
#include <string_view>

#include "ppemu/result.h"

namespace ppemu {

/// The document as JSON text, or "line L, column C: what is wrong" (1-based, as editors count).
/// Duplicate keys in a mapping and multi-document files are errors.
Result<std::string> yaml_to_json(std::string_view text);

/// Registers a preset from a YAML file's text: the file must be a mapping of the group's keys;
/// its first line, when it is a comment, is the preset's description. Errors name `source`.
Status register_yaml_preset(const std::string& group, const std::string& name, std::string_view text, const std::string& source);

/// Registers every embedded conf/<group>/<name>.yaml (ppemu/conf_files.h) as preset `name` of
/// `group`. Files directly in conf/ are primary configs, not presets, and are skipped.
Status register_embedded_presets();

}  // namespace ppemu
