// conf/<group>/<name>.yaml, carried in the binary, as presets.
#include <nlohmann/json.hpp>

#include "ppemu/conf_files.h"
#include "ppemu/presets.h"
#include "ppemu/yaml.h"

namespace ppemu {
namespace {

// "# GPT-3 175B (Brown et al. 2020)" on the first line describes the preset.
std::string first_comment(std::string_view text) {
  const std::string_view line = text.substr(0, text.find('\n'));
  if (line.empty() || line[0] != '#') return "";
  const size_t start = line.find_first_not_of("# ");
  return start == std::string_view::npos ? "" : std::string(line.substr(start));
}

}  // namespace

Status register_yaml_preset(const std::string& group, const std::string& name, std::string_view text, const std::string& source) {
  Result<std::string> json = yaml_to_json(text);
  if (!json.ok()) return Error{source + ": " + json.error()};
  const nlohmann::json body = nlohmann::json::parse(json.value(), nullptr, false);
  if (!body.is_object()) return Error{source + ": a " + group + " preset must be a mapping of " + group + ".* keys (num_layers: 96, ...)"};
  return register_preset({group, name, json.value(), source, first_comment(text)});
}

Status register_embedded_presets() {
  for (const ConfFile& f : embedded_conf_files()) {
    const std::string path = f.path;
    const size_t slash = path.find('/');
    if (slash == std::string::npos) continue;  // conf/config.yaml and friends: primary configs
    const std::string group = path.substr(0, slash);
    std::string name = path.substr(slash + 1);
    if (name.find('/') != std::string::npos || name.size() < 6 || name.substr(name.size() - 5) != ".yaml") continue;
    name.resize(name.size() - 5);
    if (Status st = register_yaml_preset(group, name, f.text, "conf/" + path); !st.ok()) return st;
  }
  return {};
}

}  // namespace ppemu
