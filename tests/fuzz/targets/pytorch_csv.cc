// fuzz-flags: -dict=tests/fuzz/dict/pytorch_csv.dict -max_len=8192
// The PyTorch schedule CSV (ppemu::read_pytorch_csv, simulate_pytorch_csv), as `--schedule FILE`
// and the page's file drop read it: the input is the file. It is read in both dialects, then
// emulated as the CLI does (auto dialect, default op times; a comms CSV also with p2p_mode=sync)
// with a small op budget, and every export of the run is checked, since an imported schedule
// reaches them with any shape a file has.
#include "checks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ppemu;
  const std::string_view text = fuzz::text_of(data, size);
  const Limits limits = fuzz::small_limits();
  for (CsvDialect dialect : {CsvDialect::Current, CsvDialect::Legacy}) {
    const Result<ImportedSchedule> imported = read_pytorch_csv(text, dialect, limits);
    if (!imported.ok()) {
      fuzz::check_error(imported.error());
      continue;
    }
    const Schedule& s = imported->schedule;
    PPEMU_FUZZ_REQUIRE(imported->columns.size() == s.device_actions.size(), "a row's columns are missing");
    for (size_t d = 0; d < s.device_actions.size(); ++d)
      PPEMU_FUZZ_REQUIRE(imported->columns[d].size() == s.device_actions[d].size(), "an action has no column");
  }
  const Result<Run> run = simulate_pytorch_csv(Config{}, text, CsvDialect::Auto, limits);
  if (!run.ok()) {
    fuzz::check_error(run.error());
    return 0;
  }
  fuzz::check_run(run.value());
  if (!run->schedule.device_comms.empty()) {
    // A comms CSV also runs with rendezvous sends, which can deadlock where async ones do not.
    Config sync;
    if (Status st = apply_assignment(sync, "p2p_mode=sync"); !st.ok()) fuzz::fail(st.error());
    const Result<Run> rendezvous = simulate_pytorch_csv(sync, text, CsvDialect::Auto, limits);
    if (rendezvous.ok()) fuzz::check_run(rendezvous.value());
    else fuzz::check_error(rendezvous.error());
  }
  return 0;
}
