#pragma once
// What every trace reader hands over: per rank, its ops in file order with their times in ms.
// build_measured (measured.cc) turns that into a MeasuredRun, with the checks every format shares.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "ppemu/schedule.h"
#include "ppemu/trace_import.h"

namespace ppemu::detail {

struct RankOps {
  int rank = 0;
  std::string file;
  std::vector<Action> actions;
  std::vector<double> start, end;  ///< ms on the rank's clock
  std::vector<uint32_t> ordinal;   ///< per op, its event number in the file (1-based), for messages
};

struct ReadTrace {
  TraceFormat format = TraceFormat::Auto;
  std::vector<RankOps> ranks;       ///< any order; build_measured checks they are 0..p-1, each once
  std::vector<std::string> notes;
  /// How the file names op k of a rank in messages ("event #17 'PP:2F0'", "keys forward-3-*").
  std::function<std::string(const RankOps&, size_t)> op_name;
};

/// Sorts each rank's ops by start (ties keep file order), reports overlaps, applies the offsets,
/// aligns on the earliest op, places stages on ranks, checks the schedule and computes metrics.
Result<MeasuredRun> build_measured(ReadTrace trace, const TraceOptions& options);

/// Readers, one per format (files already checked for size and gzip).
Result<ReadTrace> read_pytorch_profiler(const std::vector<TraceFile>& files, const TraceOptions& options);
Result<ReadTrace> read_megatron_timers(const std::vector<TraceFile>& files, const TraceOptions& options);
Result<ReadTrace> read_ppemu_trace(const std::vector<TraceFile>& files, const TraceOptions& options);

/// Whether `name` (no folder) has the Megatron timer-dump pattern.
bool is_megatron_file_name(const std::string& name);

/// The file name without its folder.
std::string base_name(const std::string& path);

/// A number as messages show it (6 significant digits), and a time: "12.5 ms".
std::string show_value(double x);
std::string show_ms(double ms);

/// "0, 2, 5": the first ten, then ", ... (N in all)", so that a message stays one short line.
std::string list_ranks(const std::vector<int>& ranks);

/// nlohmann's parse error as a message reads it: without its "[json.exception.parse_error.101]
/// parse error at" lead, bytes outside printable ASCII (its "last read" quotes the file) as '?',
/// at most 240 characters.
std::string json_error_text(const std::string& what);

}  // namespace ppemu::detail
