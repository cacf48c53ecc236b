// fuzz-flags: -dict=tests/fuzz/dict/trace.dict -max_len=16384
// ppemu's own trace (--format trace read back with --trace): one file, every device a tid. The
// input is a file's name line then its text (gzip inflated; trace_checks.h). Beyond the checks of
// every trace target, a measured run exported with to_trace reads back as the same schedule and times.
#include "trace_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ppemu;
  const std::string_view text = fuzz::text_of(data, size);
  fuzz::check_trace_input(text, TraceFormat::Ppemu);

  const fuzz::TraceInput in = fuzz::trace_input(text);
  if (!in.error.empty() || in.names.size() != 1) return 0;
  TraceOptions options;
  options.format = TraceFormat::Ppemu;
  options.limits = fuzz::small_limits();
  const Result<MeasuredRun> first = import_trace({{in.names[0], in.texts[0]}}, options);
  if (!first.ok()) return 0;
  const std::string exported = to_trace(first->run);
  const Result<MeasuredRun> again = import_trace({{"exported.json", exported}}, options);
  PPEMU_FUZZ_REQUIRE(again.ok(), "a measured run's trace does not read back: " + again.error());
  const Timeline &a = first->run.timeline, &b = again->run.timeline;
  PPEMU_FUZZ_REQUIRE(again->run.schedule.device_actions == first->run.schedule.device_actions,
                     "a measured run's trace reads back as another schedule");
  PPEMU_FUZZ_REQUIRE(a.start == b.start && a.end == b.end, "a measured run's trace reads back with other times");
  return 0;
}
