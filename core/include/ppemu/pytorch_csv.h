#pragma once
// torch.distributed.pipelining's compute-only schedule CSV, in and out.
//
// The file has one row per rank and one action per cell, in the rank's execution order; an
// empty cell is an idle step (PyTorch's None) and is skipped. Actions are `<stage><kind><mb>`:
//   current dialect:                 F forward, I input backward (our B), W weight backward, B full backward (our BW)
//   legacy dialect (older releases): F forward, B input backward,          W weight backward, BW full backward
// and `(<forward>;<full backward>)OVERLAP_F_B`, a forward and a full backward run as one unit (our OV).
// Which rank runs a stage follows from the rows; the number of stages and microbatches from the
// largest numbers used by compute actions. The dialect with communication (PyTorch's *_comms.csv,
// as _PipelineScheduleRuntime loads it) adds `<stage>SEND_F<mb>`, `RECV_F`, `SEND_B`, `RECV_B`:
// they become Schedule::device_comms, where a RECV holds its rank until its data has arrived and,
// in p2p_mode=sync, a SEND until its RECV is posted. FSDP's UNSHARD, RESHARD and REDUCE_GRAD are
// refused: nothing in ppemu's model gives them a cost.
#include <string>
#include <string_view>
#include <vector>

#include "ppemu/config.h"
#include "ppemu/emulator.h"
#include "ppemu/result.h"
#include "ppemu/schedule.h"
#include "ppemu/simulate.h"

namespace ppemu {

enum class CsvDialect {
  Auto,     ///< legacy if the file uses BW, or B and W for the same (stage, microbatch) and no I; else current
  Current,  ///< B is the full backward, I the input backward
  Legacy,   ///< B is the input backward, BW the full backward
};

/// "auto", "current" or "legacy"; anything else is an error listing those three.
Result<CsvDialect> parse_csv_dialect(std::string_view word);
const char* csv_dialect_name(CsvDialect dialect);

/// A schedule read from a file, with where each action came from.
struct ImportedSchedule {
  Schedule schedule;
  CsvDialect dialect = CsvDialect::Current;  ///< the dialect the file was read in (never Auto)
  /// 1-based column of each action, per device (= row - 1), parallel to schedule.device_actions.
  std::vector<std::vector<int32_t>> columns;
  /// The same for each communication action, parallel to schedule.device_comms (empty without).
  std::vector<std::vector<int32_t>> comm_columns;

  /// Names an action "row R, column C" (1-based, as a spreadsheet counts) for the emulator's errors.
  OpLocator locator() const;
  OpLocator comm_locator() const;
};

/// Parses the file's text. Accepts CRLF or LF line ends, a UTF-8 byte-order mark, spaces around
/// cells, trailing commas, double-quoted cells, and blank lines after the last rank. Every other
/// problem is one line naming the row and column and the offending text. The result has one
/// chain; whether it can run (each op once, no deadlock) is the emulator's check.
Result<ImportedSchedule> read_pytorch_csv(std::string_view text, CsvDialect dialect = CsvDialect::Auto,
                                          const Limits& limits = Limits{});

/// The schedule as a current-dialect CSV (LF line ends, no idle cells). Refuses what PyTorch
/// cannot express: more than one chain (DualPipe's two directions) or a rank with no actions.
Result<std::string> to_pytorch_csv(const Schedule& schedule);

/// What an imported run reports as its strategy (the file, not a registered strategy, chose the order).
constexpr const char* kImportedStrategyName = "pytorch_csv";

/// Reads the file and emulates it with the config's op times and latency. The file decides the
/// counts and the order, so the config's strategy and counts are ignored; run.config.strategy
/// becomes kImportedStrategyName. Errors about ops name the file's row and column.
Result<Run> simulate_pytorch_csv(const Config& config, std::string_view csv_text, CsvDialect dialect = CsvDialect::Auto,
                                 const Limits& limits = Limits{});

}  // namespace ppemu
