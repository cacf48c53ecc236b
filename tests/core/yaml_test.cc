// The native YAML reader: YAML 1.2 core-schema scalars, the original project's per-stage maps,
// and errors that name the line.
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
