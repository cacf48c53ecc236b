// fuzz-flags: -dict=tests/fuzz/dict/trace.dict -max_len=16384
// Megatron-LM pipeline-timer dumps (--trace-format megatron): files named
// event_times_PP<p>_VPP<v>_TPxCPxDP_rank_<r>_pp_rank_<pr>_rank_<g>.json holding forward-/backward-
// start/end times. The input is files separated by a "--ppemu-file--" line, each its name line then its text,
// gzip inflated (trace_checks.h); the measured run, its fit, replay, a what-if and the report are checked.
#include "trace_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ppemu::fuzz::check_trace_input(ppemu::fuzz::text_of(data, size), ppemu::TraceFormat::Megatron);
  return 0;
}
