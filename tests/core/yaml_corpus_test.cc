// tests/data/yaml/: the native reader's side of the corpus the page's reader also passes
// (tests/wasm/yaml_corpus.test.mjs). Each good file gives its expected resolved config, each
// broken one fails at the line (and with the message) its first line states.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "helpers.h"
#include "ppemu/simulate.h"
#include "ppemu/yaml.h"

using namespace ppemu;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<fs::path> yaml_files(const std::string& folder) {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(fs::path(PPEMU_YAML_CORPUS_DIR) / folder))
    if (e.path().extension() == ".yaml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

// The config a file gives, run as the page runs it (WASM simulate): an empty document is an
// empty mapping; a strategy's constraints count as errors of the file.
Result<std::string> resolved(const std::string& json) {
  Config c;
  if (Status st = apply_json(c, json == "null" ? "{}" : json); !st.ok()) return Error{st.error()};
  Result<Run> run = simulate(c);
  if (!run.ok()) return Error{run.error()};
  return config_to_json(run.value().config);
}

// Whether `actual` has every key of `expected` with its value (objects compared key by key), so
// that keys added to the core later need no change to the corpus.
bool covers(const nlohmann::json& actual, const nlohmann::json& expected) {
  if (!expected.is_object()) return actual == expected;
  if (!actual.is_object()) return false;
  for (const auto& [k, v] : expected.items())
    if (!actual.contains(k) || !covers(actual[k], v)) return false;
  return true;
}

}  // namespace

TEST_CASE("every good corpus file gives its expected resolved config") {
  const std::vector<fs::path> files = yaml_files("good");
  REQUIRE(files.size() >= 5);
  for (const fs::path& file : files) {
    INFO(file.filename().string());
    Result<YamlConfig> doc = read_yaml(slurp(file));
    REQUIRE(doc.ok());
    Result<std::string> config = resolved(doc.value().json);
    INFO(config.error());
    REQUIRE(config.ok());
    fs::path expected = file;
    expected.replace_extension(".json");
    INFO(config.value());
    CHECK(covers(nlohmann::json::parse(config.value()), nlohmann::json::parse(slurp(expected))));
  }
}

TEST_CASE("every broken corpus file fails at the line its first line names") {
  const std::vector<fs::path> files = yaml_files("broken");
  REQUIRE(files.size() >= 10);
  const std::regex header("# error(?: at line ([0-9]+))?(?:: (.*))?");
  for (const fs::path& file : files) {
    INFO(file.filename().string());
    const std::string text = slurp(file);
    std::smatch m;
    const std::string first = text.substr(0, text.find('\n'));
    REQUIRE(std::regex_match(first, m, header));
    const int line = m[1].matched ? std::stoi(m[1].str()) : 0;
    const std::string message = m[2].str();

    Result<YamlConfig> doc = read_yaml(text);
    std::string error;
    int error_line = 0;
    if (!doc.ok()) {
      error = doc.error();
      std::smatch at;
      if (std::regex_search(error, at, std::regex("^line ([0-9]+), column [0-9]+: (.*)$"))) {
        error_line = std::stoi(at[1].str());
        error = at[2].str();
      }
    } else {
      Result<std::string> config = resolved(doc.value().json);
      REQUIRE_FALSE(config.ok());
      error = config.error();
      error_line = line_of_key_in(error, doc.value().lines);
    }
    CHECK(error_line == line);
    if (!message.empty()) CHECK(error == message);
  }
}
