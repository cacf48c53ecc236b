#pragma once
// One torch.distributed.pipelining action as text (`2F0`, `1I3`, `(0F7;7B3)OVERLAP_F_B`,
// `3SEND_F1`): shared by the schedule CSV reader and the profiler-trace reader, whose ranges are
// named `PP:<action>` in the same notation. What B means depends on the dialect, so parsing
// keeps the letters and `action_of` decides once the dialect is known.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "ppemu/pytorch_csv.h"
#include "ppemu/result.h"
#include "ppemu/schedule.h"

namespace ppemu::detail {

/// The kind letters as written.
enum class ActionWord { F, I, B, W, BW };

/// Communication and FSDP actions: SEND_F, RECV_F, SEND_B, RECV_B; Other = UNSHARD, RESHARD, REDUCE_GRAD.
enum class CommWord { None, SendF, RecvF, SendB, RecvB, Other };

struct ActionHalf {
  ActionWord word = ActionWord::F;
  int stage = 0;
  int microbatch = 0;
};

struct ParsedAction {
  bool overlap = false;
  CommWord comm = CommWord::None;  ///< set for a communication action; then only `first.stage` / `first.microbatch` mean anything
  ActionHalf first, second;        ///< second only for OVERLAP_F_B (forward first)
};

/// The offending text as an error shows it: quoted, at most 40 characters, printable ASCII.
std::string show_text(std::string_view text);

/// Parses one action; `where` starts every error ("row 2, column 3", "rank0.json, event 17").
Result<ParsedAction> parse_action(std::string_view text, const std::string& where);

/// The dialect a set of actions is written in (see CsvDialect::Auto). On a file mixing I and BW
/// returns Auto and sets `conflict` to a message naming both, through `where_of(index)`.
CsvDialect detect_dialect(const std::vector<const ParsedAction*>& actions, const std::function<std::string(size_t)>& where_of,
                          std::string& conflict);

/// The ppemu op of a compute action in `dialect` (never Auto); errors start with `where`.
Result<Action> action_of(const ParsedAction& p, CsvDialect dialect, const std::string& where, std::string_view text);

/// The action's text in the current dialect (`2I0`, `2B0` for a full backward, `(0F1;3B0)OVERLAP_F_B`).
std::string action_text(const Action& a);

}  // namespace ppemu::detail
