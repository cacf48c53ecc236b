// fuzz-flags: -dict=tests/fuzz/dict/yaml.dict -max_len=2048
// The YAML config reader (ppemu::yaml_to_json), as the CLI reads conf/ presets and will read YAML
// configs: the input is the file. Its JSON must parse and then go through apply_json and resolve
// like a --config file; every refusal on the way is one line. yaml-cpp itself is a Debian library,
// built without coverage, so the fuzzer steers by ppemu's conversion alone.
#include "checks.h"
#include "ppemu/yaml.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ppemu;
  const Result<std::string> json = yaml_to_json(fuzz::text_of(data, size));
  if (!json.ok()) {
    fuzz::check_error(json.error());
    return 0;
  }
  PPEMU_FUZZ_REQUIRE(!nlohmann::json::parse(json.value(), nullptr, false).is_discarded(),
                     "yaml_to_json wrote invalid JSON: " + json.value().substr(0, 200));
  Config config;
  fuzz::check_config(config, apply_json(config, json.value()));
  return 0;
}
