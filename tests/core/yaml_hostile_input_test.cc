// YAML written to break the reader (found by the yaml_config fuzzer in tests/fuzz/): the error
// still reads as one short line.
#include <string>

#include "helpers.h"
#include "ppemu/yaml.h"

using namespace ppemu;

namespace {

std::string error_of(const std::string& yaml) {
  Result<std::string> r = yaml_to_json(yaml);
  REQUIRE_FALSE(r.ok());
  return r.error();
}

}  // namespace

TEST_CASE("a YAML error shows the file's control characters as '?'") {
  // yaml-cpp ends this message with the character it stopped at, here a NUL.
  CHECK(error_of(std::string("a: \"\\\0\"\n", 8)) == "line 1, column 7: unknown escape character: ?");
  CHECK(error_of("\"a\\tb\": 1\n\"a\\tb\": 2\n") == "line 2, column 1: duplicate key 'a?b'");
}

TEST_CASE("a YAML error quotes at most 40 characters of a key") {
  const std::string key(100, 'k');
  CHECK(error_of(key + ": 1\n" + key + ": 2\n") == "line 2, column 1: duplicate key '" + std::string(37, 'k') + "...'");
}

TEST_CASE("a plain scalar 100,000 characters long converts instead of overflowing the stack") {
  // std::regex_match recursed once per character: 50,000 digits overflowed an 8 MB stack.
  const std::string digits(100000, '1');
  Result<std::string> r = yaml_to_json("a: " + digits + "\n");
  REQUIRE(r.ok());
  CHECK(r.value() == "{\"a\":\"" + digits + "\"}");  // beyond a double: text, which number keys refuse
  r = yaml_to_json("a: 0." + digits + "\n");
  REQUIRE(r.ok());
  CHECK(r.value() == "{\"a\":0.1111111111111111}");
}

TEST_CASE("numbers beyond a double or 64 bits stay text instead of failing the whole file") {
  // std::stod and std::stoll threw out_of_range: "cannot read the YAML: stod".
  CHECK(yaml_to_json("a: 1e999\nb: -1e999\nc: 0x1ffffffffffffffff\nd: 1e-320\n").value() ==
        R"({"a":"1e999","b":"-1e999","c":"0x1ffffffffffffffff","d":1e-320})");
  CHECK(yaml_to_json("a: 99999999999999999999\nb: 0x1f\nc: 0o17\nd: +5\n").value() == R"({"a":1e+20,"b":31,"c":15,"d":5})");
}

TEST_CASE("a stray ',' where a YAML value should start is an error, not a loop that fills memory") {
  // yaml-cpp 0.7's LoadAll collected the same empty document forever (jbeder/yaml-cpp#1040): the
  // yaml_config fuzzer's input grew to 800 MB in 6 s.
  CHECK(error_of(",") == "line 1, column 1: unexpected ',' where a value should start");
  CHECK(error_of("a: 1\n---\n, b\n") == "line 3, column 1: unexpected ',' where a value should start");
  // Real documents are still counted.
  CHECK(error_of("---\n---\n---\n") == "the file holds 3 YAML documents; a config is one");
  CHECK(yaml_to_json("---\na: 1\n").value() == R"({"a":1})");
}
