#pragma once
// The events of a Chrome trace-event file (the JSON Object Format `{"traceEvents": [...]}` or the
// bare JSON Array Format), streamed: nothing but the event at hand is held, so a 50 MB profiler
// trace costs the memory of the events the caller keeps, not of a JSON tree.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "ppemu/result.h"

namespace ppemu::detail {

struct ChromeEvent {
  uint32_t ordinal = 0;  ///< 1-based position in traceEvents
  std::string name, ph, cat;
  double ts = 0, dur = 0;
  bool has_ts = false, has_dur = false;
  std::string pid, tid;  ///< as written (numbers as their decimal text)
  /// args fields that ppemu's own trace writes, and args.name of metadata events.
  double arg_stage = -1, arg_microbatch = -1, arg_start = 0, arg_end = 0, arg_backward_stage = -1, arg_backward_microbatch = -1;
  bool has_arg_times = false;
  std::string arg_name;
};

struct ChromeFile {
  bool has_rank = false;  ///< distributedInfo.rank was given (torch.profiler writes it under torch.distributed)
  int rank = -1;
};

/// Calls `sink` for every event in file order; stops at the first error it or the JSON gives.
/// Errors start with `file`.
Status read_chrome_events(std::string_view text, const std::string& file, const std::function<Status(const ChromeEvent&)>& sink,
                          ChromeFile& top);

}  // namespace ppemu::detail
