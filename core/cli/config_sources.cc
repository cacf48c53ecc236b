#include "config_sources.h"

#include <iostream>

#include "config_files.h"

namespace ppemu::cli {

namespace {

// `model=NAME` on the command line, as Hydra reads a group override: key without + / ++.
std::string group_of(const std::string& assignment) {
  std::string key = assignment.substr(0, assignment.find('='));
  key.erase(0, key.find_first_not_of('+'));
  for (const std::string& g : config_groups())
    if (key == g) return g;
  return "";
}

// Applies one config object in Hydra's order (config_parts), with the config path's group files
// registered first, and records where each part's keys are written.
Status apply_file(Config& config, ConfigOrigins& origins, const std::string& dir, const ConfigFile& file,
                  const std::map<std::string, std::string>& choices) {
  Result<std::vector<ConfigPart>> parts = config_parts(file.json, choices);
  if (!parts.ok()) return Error{origins.in(file, parts.error())};
  Result<std::map<std::string, ConfigFile>> group_files = register_group_files(dir, parts.value());
  if (!group_files.ok()) return Error{group_files.error()};
  for (const ConfigPart& part : parts.value()) {
    if (part.group.empty()) origins.add(file);
    else if (auto f = group_files.value().find(part.group); f != group_files.value().end()) origins.add(f->second);
  }
  // A choice the command line made is the command line's error, not the file's: try it alone.
  for (const auto& choice : choices) {
    Config alone;
    if (Status st = apply_assignment(alone, choice.first + "=" + choice.second); !st.ok()) return Error{origins.in(ConfigFile{}, st.error())};
  }
  if (Status st = apply_json(config, file.json, choices); !st.ok()) return Error{origins.in(file, st.error())};
  return {};
}

}  // namespace

Result<BuiltConfig> build_config(const Options& options) {
  // Group selections on the command line (`model=llama3_70b`) replace the primary config's
  // defaults-list choice, or are appended to it; every other key=value applies last.
  std::map<std::string, std::string> choices;
  std::vector<std::string> rest;
  for (const std::string& a : options.assignments) {
    const std::string group = group_of(a);
    if (group.empty()) rest.push_back(a);
    else choices[group] = a.substr(a.find('=') + 1);
  }
  BuiltConfig built;
  Config& config = built.config;

  Result<std::optional<ConfigFile>> primary = read_primary_config(options);
  if (!primary.ok()) return Error{primary.error()};
  // No primary config: the built-in defaults, with the command line's selections appended.
  const ConfigFile none{"", "{}", {}};
  if (Status st = apply_file(config, built.origins, options.config_path, primary.value() ? *primary.value() : none, choices); !st.ok())
    return Error{st.error()};

  if (!options.config_file.empty()) {
    Result<ConfigFile> file = read_config_file(options.config_file);
    if (!file.ok()) return Error{file.error()};
    // The file's own selections give way to the command line's; the groups it does not select
    // keep what the primary config and the command line chose.
    Result<std::vector<ConfigPart>> own = config_parts(file.value().json);
    if (!own.ok()) return Error{built.origins.in(file.value(), own.error())};
    std::map<std::string, std::string> replacing;
    for (const ConfigPart& part : own.value())
      if (!part.group.empty() && choices.count(part.group)) replacing[part.group] = choices.at(part.group);
    if (Status st = apply_file(config, built.origins, options.config_path, file.value(), replacing); !st.ok()) return Error{st.error()};
  }

  ConfigFile command_line;  // empty path: errors about these keys are shown as they are
  for (const std::string& a : rest) {
    if (Status st = apply_assignment(config, a); !st.ok()) return Error{st.error()};
    std::string key = a.substr(0, a.find('='));
    key.erase(0, key.find_first_not_of('+'));
    command_line.lines.emplace(key, 0);
  }
  built.origins.add(std::move(command_line));
  return built;
}

void note_ignored_keys(const Config& config) {
  for (const std::string& key : config.ignored_keys) {
    if (key == "visualization_port")
      std::cerr << "ppemu: note: visualization_port is ignored (it is the port of PP-Emulation's Dash server; ppemu's page is a static site: scripts/serve)\n";
    else
      std::cerr << "ppemu: note: " << key << " is ignored\n";
  }
}

}  // namespace ppemu::cli
