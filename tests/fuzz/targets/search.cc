// fuzz-flags: -dict=tests/fuzz/dict/config.dict -max_len=2048
// The search settings (ppemu::search_from_json), as the page's worker pool and the WASM module
// read them: config keys beside strategies, memory_cap, vary and vary.KEY ranges (`8..64:8`,
// `1p..8p`, `2..32:*2`). A search it accepts stays within kMaxSearchConfigurations, and its
// first, middle and last configurations run (small op budget) or are skipped with one line.
#include "checks.h"
#include "ppemu/search.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ppemu;
  const Result<SearchSpec> spec = search_from_json(fuzz::text_of(data, size));
  if (!spec.ok()) {
    fuzz::check_error(spec.error());
    return 0;
  }
  const size_t count = spec->count();
  PPEMU_FUZZ_REQUIRE(count <= kMaxSearchConfigurations, "a search of " + std::to_string(count) + " configurations was accepted");
  if (count == 0) return 0;
  for (size_t index : {size_t{0}, count / 2, count - 1}) {
    const Result<SearchConfiguration> c = search_configuration(spec.value(), index);
    if (!c.ok()) {
      fuzz::check_error(c.error());
      continue;
    }
    PPEMU_FUZZ_REQUIRE(c->index == index && c->values.size() == spec->vary.size(), "configuration " + std::to_string(index) + " is off");
    const Result<Run> run = simulate(c->config, fuzz::small_limits());
    if (run.ok())
      fuzz::check_figures(run.value());
    else
      fuzz::check_error(run.error());
  }
  return 0;
}
