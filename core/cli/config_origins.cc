#include "config_origins.h"

#include <algorithm>

#include "ppemu/config.h"
#include "ppemu/yaml.h"

namespace ppemu::cli {
namespace {

std::string at_line(const ConfigFile& file, const std::string& error) {
  if (file.path.empty()) return error;  // the command line: the message names the argument's key
  const int line = line_of_key_in(error, file.lines);
  return file.path + ": " + (line > 0 ? "line " + std::to_string(line) + ": " : "") + error;
}

// Where `source` sets `key`: the key itself, or a config key above it that it gives whole (a
// per-stage list or map: `op_times.forward` sets `op_times.forward.3`). Null if it does not.
const int* line_setting(const ConfigFile& source, const std::string& key) {
  if (auto it = source.lines.find(key); it != source.lines.end()) return &it->second;
  const std::vector<std::string>& keys = config_keys();
  for (size_t dot = key.rfind('.'); dot != std::string::npos && dot > 0; dot = key.rfind('.', dot - 1)) {
    const std::string above = key.substr(0, dot);
    auto it = source.lines.find(above);
    if (it != source.lines.end() && std::find(keys.begin(), keys.end(), above) != keys.end()) return &it->second;
  }
  return nullptr;
}

}  // namespace

void ConfigOrigins::add(ConfigFile source) { sources_.push_back(std::move(source)); }

std::string ConfigOrigins::in(const ConfigFile& file, const std::string& error) const {
  for (const ConfigFile& s : sources_) {
    const std::string prefix = s.path + ": ";
    if (!s.path.empty() && error.compare(0, prefix.size(), prefix) == 0) return at_line(s, error.substr(prefix.size()));
  }
  return at_line(file, error);
}

std::string ConfigOrigins::locate(const std::string& error) const {
  std::map<std::string, int> every;
  for (const ConfigFile& s : sources_) every.insert(s.lines.begin(), s.lines.end());
  const std::string key = key_named_in(error, every);
  if (key.empty()) return error;
  for (auto s = sources_.rbegin(); s != sources_.rend(); ++s) {
    const int* line = line_setting(*s, key);
    if (!line) continue;
    if (s->path.empty()) return error;
    return s->path + ": " + (*line > 0 ? "line " + std::to_string(*line) + ": " : "") + error;
  }
  return error;
}

}  // namespace ppemu::cli
