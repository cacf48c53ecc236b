#pragma once
// Measured pipeline traces in: each reader turns files into a measured run, the op order per
// device (a Schedule) and the measured times (a Timeline), so that metrics, exports and the page's
// renderer treat it like an emulated run. The readers, one file each in core/src/traces/:
//   pytorch  torch.profiler Chrome traces of torch.distributed.pipelining, one file per rank:
//            complete events ("ph": "X", ts/dur in µs) named PP:<action> in the schedule CSV's
//            notation (PP:2F0, PP:1I3, PP:0W5, PP:3B2, PP:(0F7;7B3)OVERLAP_F_B); every other
//            event is ignored, and so are the PP:...SEND_F/RECV_F/SEND_B/RECV_B ranges (they are
//            not compute). Where a file has GPU-side ranges (cat gpu_user_annotation) only those
//            are read: they time the kernels, the CPU ranges only their launches. The rank comes
//            from distributedInfo.rank, else from `rank<N>` (or rank_N, rank-N) in the file name.
//   megatron Megatron-LM pipeline-timer dumps as PP-Emulation's examples/megatron-lm/plot.py reads
//            them: files event_times_PP<p>_VPP<v>_TPxCPxDP_rank_<r>_pp_rank_<pr>_rank_<g>.json, of
//            which only data-parallel rank r = 0 is read; one JSON object of times in ms with keys
//            forward-<mb>-start/-end and backward-<mb>-start/-end, or forward-<chunk>-<mb>-start
//            ... with virtual pipeline chunks; chunk c of pipeline rank r is stage c*p + r, and
//            backward is the full backward (BW).
//   ppemu    ppemu's own Chrome trace (--format trace), so an export round-trips.
// Times are in ms. Clocks of different ranks are aligned on the earliest op of all: it starts at
// 0 and every time is relative to it (ranks' clocks are assumed synchronised; `offset_ms` corrects
// a rank whose clock is skewed). Ops of one rank that overlap in time are an error, not reordered.
// Gzip is the caller's job (the CLI inflates with zlib, the page with DecompressionStream): text
// that starts with the gzip magic bytes is refused with a message saying so.
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "ppemu/config.h"
#include "ppemu/result.h"
#include "ppemu/simulate.h"

namespace ppemu {

enum class TraceFormat { Auto, PyTorch, Megatron, Ppemu };

/// "auto", "pytorch", "megatron" or "ppemu"; anything else is an error listing them.
Result<TraceFormat> parse_trace_format(std::string_view word);
const char* trace_format_name(TraceFormat format);
/// "PyTorch profiler trace", "Megatron-LM timer dump", "ppemu trace".
const char* trace_format_title(TraceFormat format);

/// One input file: its name (the rank and, for Megatron, the sizes come from it) and its text.
struct TraceFile {
  std::string name;
  std::string_view text;  ///< not owned: the caller keeps it alive during import_trace
};

/// The largest text import_trace reads from one file natively. A 50 MB profiler trace reads in
/// about a second and holds only its PP: ranges beyond the text (bench/trace_bench.cc prints the
/// figures); the WASM module passes a lower limit (wasm/bindings.cc).
constexpr size_t kMaxTraceFileBytes = size_t{256} << 20;

struct TraceOptions {
  TraceFormat format = TraceFormat::Auto;  ///< Auto: by file name (Megatron) and content
  /// Per rank, ms added to every time of that rank before aligning (for a rank whose clock is
  /// skewed): the CLI's trace.offset_ms.<rank>=MS.
  std::map<int, double> offset_ms;
  size_t max_file_bytes = kMaxTraceFileBytes;
  Limits limits;
};

/// What an imported run reports as its strategy: the trace, not a strategy, chose the order.
constexpr const char* kMeasuredStrategyName = "measured";

struct MeasuredRun {
  /// schedule: the order per device; timeline: the measured times in ms, the earliest op at 0;
  /// metrics: as for an emulated run. config: the counts, strategy "measured", default op times
  /// (fit_trace gives the measured ones).
  Run run;
  TraceFormat format = TraceFormat::Auto;  ///< the format the files were read as (never Auto)
  double origin_ms = 0;                    ///< the earliest op's start on its own rank's clock (after its offset)
  std::vector<std::string> device_files;  ///< per device, the file it was read from
  std::vector<std::string> notes;         ///< what was ignored or assumed, one sentence each
};

/// Reads the files as one measured run. Errors name the file and the offending event or key: a
/// missing end, an end before its start, a rank twice, ranks missing from 0..p-1, an action that
/// does not parse, two ops of one rank that overlap, an op the schedule cannot contain.
Result<MeasuredRun> import_trace(const std::vector<TraceFile>& files, const TraceOptions& options = {});

/// Whether `text` starts with the gzip magic bytes (1f 8b), also as a JS string of the bytes
/// reaches the core (U+008B in UTF-8, or the replacement character for the byte).
bool is_gzip(std::string_view text);

}  // namespace ppemu
