// fuzz-flags: -dict=tests/fuzz/dict/config.dict -max_len=2048
// The JSON config (ppemu::apply_json), as `--config FILE.json` and the WASM simulate() read it:
// the input is the file; then resolve, and a resolved config must read back as itself.
#include "checks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ppemu;
  Config config;
  const Status applied = apply_json(config, fuzz::text_of(data, size));
  if (!applied.ok()) {
    fuzz::check_error(applied.error());
    return 0;
  }
  const Status st = resolve(config);
  if (!st.ok()) {
    fuzz::check_error(st.error());
    return 0;
  }
  fuzz::check_config_round_trip(config);
  return 0;
}
