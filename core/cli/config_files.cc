#include "config_files.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "io.h"
#include "ppemu/yaml.h"

namespace ppemu::cli {
namespace {

namespace fs = std::filesystem;

bool ends_with(const std::string& s, const char* tail) {
  const std::string t = tail;
  return s.size() >= t.size() && s.compare(s.size() - t.size(), t.size(), t) == 0;
}

std::string join(const std::string& dir, const std::string& name) {
  return dir.empty() || dir.back() == '/' ? dir + name : dir + "/" + name;
}

// A JSON file's keys, dotted, without lines: enough to say which file set a key.
void json_paths(const nlohmann::json& v, const std::string& path, std::map<std::string, int>& out) {
  if (!v.is_object()) return;
  for (const auto& [k, item] : v.items()) {
    const std::string key = path.empty() ? k : path + "." + k;
    out.emplace(key, 0);
    json_paths(item, key, out);
  }
}

std::string yaml_files_in(const std::string& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec))
    if (e.is_regular_file(ec) && e.path().extension() == ".yaml") names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  if (names.empty()) return dir + " holds no .yaml configs";
  std::string list;
  for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
  return "configs in " + dir + ": " + list;
}

}  // namespace

Result<ConfigFile> read_config_file(const std::string& path) {
  std::string text;
  if (!read_file(path, text)) return Error{"cannot read config file " + path};
  ConfigFile file{path, "", {}};
  if (ends_with(path, ".yaml") || ends_with(path, ".yml")) {
    Result<YamlConfig> doc = read_yaml(text);
    if (!doc.ok()) return Error{path + ": " + doc.error()};
    file.json = doc.value().json == "null" ? "{}" : doc.value().json;
    file.lines = std::move(doc.value().lines);
    return file;
  }
  const nlohmann::json v = nlohmann::json::parse(text, nullptr, false);
  if (v.is_discarded()) return Error{path + ": the config is not valid JSON"};
  file.json = text;
  json_paths(v, "", file.lines);
  return file;
}

Result<std::optional<ConfigFile>> read_primary_config(const Options& options) {
  const std::string& dir = options.config_path;
  const std::string path = join(dir, options.config_name + ".yaml");
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) {
    Result<ConfigFile> file = read_config_file(path);
    if (!file.ok()) return Error{file.error()};
    return std::optional<ConfigFile>(std::move(file.value()));
  }
  const bool named = options.has("--config-name"), placed = options.has("--config-path");
  if (!fs::is_directory(dir, ec)) {
    if (!named && !placed) return std::optional<ConfigFile>();  // no conf/ here: the built-in defaults
    const std::string here = fs::path(dir).is_absolute() ? "" : " (--config-path is relative to the working directory, " + fs::current_path(ec).string() + ")";
    return Error{"config folder " + dir + " does not exist" + here};
  }
  if (!named) return std::optional<ConfigFile>();  // Hydra's default config name: optional
  return Error{"config " + path + " does not exist (--config-name " + options.config_name + "); " + yaml_files_in(dir)};
}

Result<std::map<std::string, ConfigFile>> register_group_files(const std::string& dir, const std::vector<ConfigPart>& parts) {
  std::map<std::string, ConfigFile> files;
  for (const ConfigPart& part : parts) {
    if (part.group.empty() || part.name.empty()) continue;
    const std::string path = join(join(dir, part.group), part.name + ".yaml");
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) continue;  // the built-in preset of that name, if any
    std::string text;
    if (!read_file(path, text)) return Error{"cannot read config file " + path};
    if (Status st = register_yaml_preset(part.group, part.name, text, path); !st.ok()) return Error{st.error()};
    Result<YamlConfig> doc = read_yaml(text);  // read again for its lines; it parsed a moment ago
    ConfigFile file{path, doc.value().json, {}};
    for (const auto& [key, line] : doc.value().lines) file.lines.emplace(part.group + "." + key, line);
    files[part.group] = std::move(file);
  }
  return files;
}

}  // namespace ppemu::cli
