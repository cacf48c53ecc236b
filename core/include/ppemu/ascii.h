#pragma once
// Text drawings of a schedule, for goldens in tests and small runs in the CLI.
#include <string>

#include "ppemu/result.h"
#include "ppemu/schedule.h"
#include "ppemu/timeline.h"

namespace ppemu {

/// Order only, one line per device: `d0: F0 F1 F2 F3 BW0 F4 BW1 ...`. Labels as `op_label`.
std::string ascii_order(const Schedule& schedule);

/// The most characters ascii_timeline writes (16 MiB): beyond that a text drawing is unreadable,
/// and its size follows the makespan, which long op times make as large as a double.
constexpr double kMaxAsciiChars = 1 << 24;

/// Time-scaled, one line per device: each time unit is `cols_per_unit` characters; an op is its
/// label padded with spaces to its width (cut if it does not fit), idle time is '.':
/// `d1 |.F0 F1 F2 BW0   ...|`. Labels as `op_label`. An Error when the drawing would exceed
/// kMaxAsciiChars.
Result<std::string> ascii_timeline(const Schedule& schedule, const Timeline& timeline, double cols_per_unit);

/// A short label: kind and microbatch (`F3`, `B3`, `W3`, `BW3`, `F4&BW1`). On devices holding
/// several stages the chunk is marked: chunk 0 upper case, chunk 1 lower case (`f3`, `bw3`),
/// chunk k >= 2 upper case with `^k`.
std::string op_label(const Action& a, const std::vector<int32_t>& stage_chunk, bool device_has_chunks);

}  // namespace ppemu
