// fuzz-flags: -dict=tests/fuzz/dict/config.dict -max_len=1024
// The CLI's key=value overrides (ppemu::apply_assignment), as build/ppemu applies its arguments:
// the input is an argv, NUL-separated (so values may hold newlines and other bytes a shell can
// pass), applied in order to one Config; then the strategy-independent checks of resolve.
#include "checks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ppemu;
  Config config;
  Status applied;
  for (std::string_view argument : fuzz::split(fuzz::text_of(data, size), '\0')) {
    applied = apply_assignment(config, argument);
    if (!applied.ok()) break;
  }
  fuzz::check_config(config, applied);
  return 0;
}
