// fuzz-flags: -dict=tests/fuzz/dict/trace.dict -max_len=16384
// torch.profiler Chrome traces (--trace FILE... --trace-format pytorch, the page's trace drop):
// one file per rank, the rank from distributedInfo.rank or the file name. The input is files
// separated by a "--ppemu-file--" line, each its name line then its text, gzip inflated (trace_checks.h); the
// measured run, its fit, replay, a what-if and the report are checked.
#include "trace_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ppemu::fuzz::check_trace_input(ppemu::fuzz::text_of(data, size), ppemu::TraceFormat::PyTorch);
  return 0;
}
