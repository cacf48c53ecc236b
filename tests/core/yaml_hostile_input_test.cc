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
