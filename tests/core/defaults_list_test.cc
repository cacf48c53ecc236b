// Hydra's defaults list in the config layer (config_parts, apply_json): where _self_ goes, one
// entry per group, optional and override, and the caller's choices replacing or appending.
#include <nlohmann/json.hpp>

#include "helpers.h"
#include "ppemu/presets.h"
#include "ppemu/yaml.h"

using namespace ppemu;

namespace {

// The parts as "group=name" / "_self_", in order.
std::vector<std::string> parts_of(const std::string& json, const std::map<std::string, std::string>& choices = {}) {
  Result<std::vector<ConfigPart>> parts = config_parts(json, choices);
  INFO(json << ": " << parts.error());
  REQUIRE(parts.ok());
  std::vector<std::string> out;
  for (const ConfigPart& p : parts.value()) out.push_back(p.group.empty() ? "_self_" : p.group + "=" + (p.name.empty() ? "null" : p.name));
  return out;
}

std::string parts_error(const std::string& json) {
  Result<std::vector<ConfigPart>> parts = config_parts(json);
  REQUIRE_FALSE(parts.ok());
  Config c;
  CHECK(apply_json(c, json).error() == parts.error());  // apply_json refuses with the same words
  return parts.error();
}

bool has_group(const std::string& group) {
  const std::vector<std::string> groups = config_groups();
  return std::find(groups.begin(), groups.end(), group) != groups.end();
}

}  // namespace

TEST_CASE("an object without a defaults list is its own keys; defaults: [_self_] is the same") {
  CHECK(parts_of("{}") == std::vector<std::string>{"_self_"});
  CHECK(parts_of(R"({"defaults": ["_self_"], "num_devices": 2})") == std::vector<std::string>{"_self_"});
  Config with_list, without;
  REQUIRE(apply_json(with_list, R"({"defaults": ["_self_"], "num_devices": 2, "op_times": {"forward": 3}})").ok());
  REQUIRE(apply_json(without, R"({"num_devices": 2, "op_times": {"forward": 3}})").ok());
  CHECK(config_to_json(with_list) == config_to_json(without));
  CHECK(with_list.num_devices == 2);
}

TEST_CASE("a defaults list that ppemu cannot compose is refused by name") {
  CHECK(parts_error(R"({"defaults": "model"})") == "defaults must be a list (- _self_, - model: NAME); got model");
  CHECK(parts_error(R"({"defaults": ["_self_", "_self_"]})") == "defaults: _self_ is listed twice");
  CHECK(parts_error(R"({"defaults": ["config"]})").rfind("defaults: 'config' would include another primary config", 0) == 0);
  CHECK(parts_error(R"({"defaults": [{"a": 1, "b": 2}]})").rfind("defaults: an entry must be _self_ or one group: name", 0) == 0);
  CHECK(parts_error(R"({"defaults": [{"sometimes optimizer": "adam"}]})") ==
        "defaults: 'sometimes optimizer': 'sometimes' is neither optional nor override");
  CHECK(parts_error(R"({"defaults": [{"optimizer@opt": "adam"}]})") ==
        "defaults: 'optimizer@opt': package overrides (@) are not supported; a group's keys always go under its name");
  CHECK(parts_error(R"({"defaults": [{"optimizer": "adam"}]})").rfind("defaults: 'optimizer' is not a config group (", 0) == 0);
  CHECK(parts_error(R"({"choices": {"optimizer": "adam"}})").rfind("choices.optimizer is not a config group (", 0) == 0);
}

TEST_CASE("visualization_port from the original conf/config.yaml is accepted, recorded once and written nowhere") {
  Config c;
  REQUIRE(apply_json(c, R"({"visualization_port": 8050, "num_devices": 4})").ok());
  REQUIRE(apply_assignment(c, "visualization_port=9000").ok());
  CHECK(c.ignored_keys == std::vector<std::string>{"visualization_port"});
  CHECK(config_to_json(c).find("visualization_port") == std::string::npos);
  CHECK(std::find(config_keys().begin(), config_keys().end(), "visualization_port") == config_keys().end());
  Config plain;
  CHECK(config_to_json(c) == config_to_json(plain));
}

TEST_CASE("defaults-list entries, own selections and the caller's choices take Hydra's order") {
  if (!has_group("model")) {
    WARN("no model config group is defined in this build, so group composition is not exercised");
    return;
  }
  clear_presets();
  REQUIRE(register_preset({"model", "small", R"({"num_layers": 8})", "test:small", ""}).ok());
  REQUIRE(register_preset({"model", "big", R"({"num_layers": 96})", "test:big", ""}).ok());

  // _self_ last when absent, so the file's own keys win over the preset's.
  CHECK(parts_of(R"({"defaults": [{"model": "small"}]})") == std::vector<std::string>{"model=small", "_self_"});
  CHECK(parts_of(R"({"defaults": ["_self_", {"model": "small"}]})") == std::vector<std::string>{"_self_", "model=small"});
  // override replaces the entry in its place; optional keeps its flag; null clears.
  CHECK(parts_of(R"({"defaults": [{"model": "small"}, "_self_", {"override model": "big"}]})") ==
        std::vector<std::string>{"model=big", "_self_"});
  CHECK(parts_of(R"({"defaults": [{"model": null}]})") == std::vector<std::string>{"model=null", "_self_"});
  CHECK(parts_of(R"({"defaults": ["model/small"]})") == std::vector<std::string>{"model=small", "_self_"});
  // The object's own selection comes just before its own keys.
  CHECK(parts_of(R"({"choices": {"model": "big"}, "num_devices": 2})") == std::vector<std::string>{"model=big", "_self_"});
  // The caller's choice replaces the list's, or is appended after _self_ (Hydra's +model=).
  CHECK(parts_of(R"({"defaults": [{"model": "small"}, "_self_"]})", {{"model", "big"}}) == std::vector<std::string>{"model=big", "_self_"});
  CHECK(parts_of("{}", {{"model", "big"}}) == std::vector<std::string>{"_self_", "model=big"});
  CHECK(parts_of("{}", {{"model", "null"}}) == std::vector<std::string>{"_self_", "model=null"});

  CHECK(parts_error(R"({"defaults": [{"model": "small"}, {"model": "big"}]})") ==
        "defaults: model is listed twice; write 'override model: NAME' to replace the first");
  CHECK(parts_error(R"({"defaults": [{"override model": "big"}]})") == "defaults: override model: big has no model entry before it to override");
  CHECK(parts_error(R"({"defaults": [{"model": "small"}], "model": "big"})") ==
        "model is chosen twice: in defaults and by the key 'model'; keep one");
  CHECK(parts_error(R"({"defaults": [{"model": ["small", "big"]}]})") == "defaults: model takes one preset name; lists of options are not supported");

  // Applied: a selection resets the group and applies its preset, so the order decides.
  auto layers = [](const std::string& json) {
    Config c;
    Status st = apply_json(c, json);
    INFO(json << ": " << st.error());
    REQUIRE(st.ok());
    CHECK(c.choices.at("model") == "small");
    return nlohmann::json::parse(config_to_json(c))["model"]["num_layers"].get<int>();
  };
  CHECK(layers(R"({"defaults": [{"model": "small"}, "_self_"], "model": {"num_layers": 40}})") == 40);
  CHECK(layers(R"({"defaults": ["_self_", {"model": "small"}], "model": {"num_layers": 40}})") == 8);
  CHECK(layers(R"({"defaults": [{"optional model": "small"}]})") == 8);
  Config c;
  CHECK(apply_json(c, R"({"defaults": [{"model": "nope"}]})").error().rfind("defaults: unknown model preset 'nope'", 0) == 0);
  CHECK(apply_json(c, R"({"defaults": [{"optional model": "nope"}]})").ok());
  CHECK(c.choices.count("model") == 0);

  clear_presets();
  REQUIRE(register_embedded_presets().ok());
}
