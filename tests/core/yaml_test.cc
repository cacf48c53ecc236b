// The native YAML reader: YAML 1.2 core-schema scalars, the original project's per-stage maps,
// and errors that name the line.
#include <nlohmann/json.hpp>

#include "helpers.h"
#include "ppemu/yaml.h"

using namespace ppemu;

namespace {

std::string json_of(const std::string& yaml) {
  Result<std::string> r = yaml_to_json(yaml);
  INFO(yaml << "\n" << r.error());
  REQUIRE(r.ok());
  return r.value();
}

std::string error_of(const std::string& yaml) {
  Result<std::string> r = yaml_to_json(yaml);
  REQUIRE_FALSE(r.ok());
  return r.error();
}

}  // namespace

TEST_CASE("yaml_to_json resolves plain scalars by the core schema and keeps quoted ones as strings") {
  CHECK(json_of("a: 1\nb: 2.5\nc: true\nd: ~\ne: null\nf:\ng: 1f1b\nh: \"8\"\ni: '1.5'\nj: 1e3\nk: -.5\nl: yes\n") ==
        R"({"a":1,"b":2.5,"c":true,"d":null,"e":null,"f":null,"g":"1f1b","h":"8","i":"1.5","j":1000.0,"k":-0.5,"l":"yes"})");
  CHECK(json_of("x: [1, 2.5, \"3\"]\n") == R"({"x":[1,2.5,"3"]})");
  CHECK(json_of("") == "null");
}

TEST_CASE("the original project's per-stage maps have integer keys, which become stage numbers") {
  const std::string yaml =
      "strategy: \"1f1b\"\n"
      "op_times:\n"
      "  forward:\n"
      "    0: 0.8\n"
      "    1: 1.2\n"
      "  backward: {0: 1.6, 1: 2.4}\n";
  CHECK(json_of(yaml) == R"({"op_times":{"backward":{"0":1.6,"1":2.4},"forward":{"0":0.8,"1":1.2}},"strategy":"1f1b"})");
  Config c;
  REQUIRE(apply_json(c, json_of(yaml)).ok());
  CHECK(c.op_times.forward.per_stage == std::vector<double>{0.8, 1.2});
}

TEST_CASE("YAML errors name the line and column") {
  CHECK(error_of("a: 1\nb: [1, 2\n").rfind("line ", 0) == 0);
  CHECK(error_of("a: 1\na: 2\n") == "line 2, column 1: duplicate key 'a'");
  CHECK(error_of("a: 1\n---\nb: 2\n") == "the file holds 2 YAML documents; a config is one");
  CHECK(error_of("a:\n  - 1\n b: 2\n").find("line 3") == 0);
}

TEST_CASE("read_yaml gives the line of every key and list item by dotted path") {
  Result<YamlConfig> doc = read_yaml("# c\nnum_devices: 4\nop_times:\n  forward:\n    0: 1\n  backward: [1,\n    2]\n");
  REQUIRE(doc.ok());
  CHECK(doc.value().lines == std::map<std::string, int>{{"num_devices", 2}, {"op_times", 3}, {"op_times.forward", 4},
                                                         {"op_times.forward.0", 5}, {"op_times.backward", 6},
                                                         {"op_times.backward.0", 6}, {"op_times.backward.1", 7}});
}

TEST_CASE("line_of_key_in finds the first key a config error names, the longest at one place") {
  const std::map<std::string, int> lines = {{"op_times", 2}, {"op_times.backward", 3}, {"op_times.backwad", 4},
                                            {"num_stages", 5}, {"num_devices", 6}, {"op_times.forward", 7}};
  CHECK(line_of_key_in("unknown config key 'op_times.backwad'; did you mean 'op_times.backward'?", lines) == 4);
  CHECK(line_of_key_in("interleave needs num_stages to be a multiple of num_devices", lines) == 5);
  CHECK(line_of_key_in("op_times.forward.3 must be a number > 0 (got -1)", lines) == 7);
  CHECK(line_of_key_in("xnum_stages is no key", lines) == 0);
  CHECK(key_named_in("nothing named here", lines).empty());
}

TEST_CASE("json_to_yaml writes numbers as JavaScript does and reads back to the same JSON") {
  // ECMAScript Number::toString: plain from 1e-6 to 1e21, shortest digits that read back.
  CHECK(json_to_yaml(R"({"a": 0.1, "b": 1e21, "c": 1e-7, "d": 1.5e-7, "e": 0.000001, "f": -2.5, "g": 100.0, "h": 0.3333333333333333,
                        "i": 123456789012345680000.0, "j": -0.0, "k": 7})")
            .value() == "a: 0.1\nb: 1e+21\nc: 1e-7\nd: 1.5e-7\ne: 0.000001\nf: -2.5\ng: 100\nh: 0.3333333333333333\n"
                        "i: 123456789012345680000\nj: 0\nk: 7\n");
  const std::string json = R"({"choices":{"model":"x"},"empty":{},"list":[1,2.5,"a b",null,true,[1],{"k":1}],"n":null,)"
                           R"("nested":{"deep":{"x":"1f1b"}},"null":1,"odd key":"q\"uote","s":"0x10"})";
  Result<std::string> yaml = json_to_yaml(json);
  REQUIRE(yaml.ok());
  CHECK(yaml.value() ==
        "choices:\n  model: \"x\"\nempty: {}\nlist: [1, 2.5, \"a b\", null, true, [1], {k: 1}]\nn: null\nnested:\n  deep:\n"
        "    x: \"1f1b\"\n\"null\": 1\n\"odd key\": \"q\\\"uote\"\ns: \"0x10\"\n");
  CHECK(nlohmann::json::parse(yaml_to_json(yaml.value()).value()) == nlohmann::json::parse(json));
  CHECK(json_to_yaml("[1, 2]").value() == "[1, 2]\n");
  CHECK_FALSE(json_to_yaml("{nope").ok());
}
