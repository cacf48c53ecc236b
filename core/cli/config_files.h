#pragma once
// Config files as the command line finds them: --config FILE, Hydra's primary config
// DIR/NAME.yaml (--config-path, --config-name) and config group files DIR/<group>/<name>.yaml.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "options.h"
#include "ppemu/config.h"
#include "ppemu/result.h"

namespace ppemu::cli {

struct ConfigFile {
  std::string path;                  ///< as shown in messages: "conf/model_A.yaml"
  std::string json;                  ///< an object; an empty YAML file is {}
  std::map<std::string, int> lines;  ///< dotted key -> line (YAML); 0 for every key of a JSON file
};

/// A .yaml / .yml file read as YAML, anything else as JSON. Errors name the file (and line).
Result<ConfigFile> read_config_file(const std::string& path);

/// DIR/NAME.yaml, or none when it is the default (conf/config.yaml) and does not exist. A named
/// config that does not exist is an error listing the .yaml files beside it.
Result<std::optional<ConfigFile>> read_primary_config(const Options& options);

/// For each part that chooses a preset, DIR/<group>/<name>.yaml when it exists, registered as
/// that preset over the built-in one of the same name. Returns the files read by group, their
/// keys under `group.`.
Result<std::map<std::string, ConfigFile>> register_group_files(const std::string& dir, const std::vector<ConfigPart>& parts);

}  // namespace ppemu::cli
