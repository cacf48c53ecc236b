// fuzz-flags: -dict=tests/fuzz/dict/config.dict -max_len=2048
// The JSON config (ppemu::apply_json), as `--config FILE.json` and the WASM simulate() read it:
// the input is the file; then resolve, and a resolved config must read back as itself.
#include "checks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ppemu;
  Config config;
  fuzz::check_config(config, apply_json(config, fuzz::text_of(data, size)));
  return 0;
}
