#include "config_sources.h"

#include "io.h"

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

}  // namespace

Result<Config> build_config(const Options& options) {
  // Hydra's order: the chosen presets (the command line's choice over the file's), then the
  // file's own keys over them, then every other key=value.
  std::map<std::string, std::string> choices;
  std::vector<std::string> rest;
  Config config;
  for (const std::string& a : options.assignments) {
    const std::string group = group_of(a);
    if (group.empty()) {
      rest.push_back(a);
    } else if (options.config_file.empty()) {
      if (Status st = apply_assignment(config, a); !st.ok()) return Error{st.error()};
    } else {
      choices[group] = a.substr(a.find('=') + 1);  // apply_json applies it in the file's place
    }
  }
  if (!options.config_file.empty()) {
    std::string text;
    if (!read_file(options.config_file, text)) return Error{"cannot read config file " + options.config_file};
    if (Status st = apply_json(config, text, choices); !st.ok()) return Error{options.config_file + ": " + st.error()};
  }
  for (const std::string& a : rest)
    if (Status st = apply_assignment(config, a); !st.ok()) return Error{st.error()};
  return config;
}

}  // namespace ppemu::cli
