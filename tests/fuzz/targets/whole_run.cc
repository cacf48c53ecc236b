// fuzz-flags: -dict=tests/fuzz/dict/config.dict -max_len=2048
// A whole run from a fuzzed config: generate + emulate + metrics (ppemu::simulate) with a small op
// budget, then every export (json, trace, svg, summary, ascii, csv). The input is a JSON config
// if it starts with '{', else one key=value per line; a config that is refused must say why in one line.
#include "checks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ppemu;
  const std::string_view text = fuzz::text_of(data, size);
  Config config;
  Status st;
  if (!text.empty() && text.front() == '{') {
    st = apply_json(config, text);
  } else {
    for (std::string_view line : fuzz::split(text, '\n'))
      if (!line.empty() && st.ok()) st = apply_assignment(config, line);
  }
  if (!st.ok()) {
    fuzz::check_error(st.error());
    return 0;
  }
  const Result<Run> run = simulate(config, fuzz::small_limits());
  if (!run.ok()) {
    fuzz::check_error(run.error());
    return 0;
  }
  fuzz::check_run(run.value());
  fuzz::check_config_round_trip(run->config);  // the JSON export's `config`, as --config reads it back
  return 0;
}
