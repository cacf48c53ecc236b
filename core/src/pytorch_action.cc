#include "pytorch_action.h"

#include <cctype>
#include <set>
#include <utility>

namespace ppemu::detail {
namespace {

constexpr const char* kExpected = "expected <stage><kind><microbatch> such as 2F0, 2I0, 2W0, 2B0, or (0F7;7B3)OVERLAP_F_B";

CommWord comm_word(std::string_view word) {
  if (word == "SEND_F") return CommWord::SendF;
  if (word == "RECV_F") return CommWord::RecvF;
  if (word == "SEND_B") return CommWord::SendB;
  if (word == "RECV_B") return CommWord::RecvB;
  if (word == "UNSHARD" || word == "RESHARD" || word == "REDUCE_GRAD") return CommWord::Other;
  return CommWord::None;
}

bool digit(char ch) { return ch >= '0' && ch <= '9'; }

// Reads a run of digits at pos; false if there is none or it is too long for an index.
bool number(std::string_view s, size_t& pos, int& out, bool& too_long) {
  const size_t start = pos;
  while (pos < s.size() && digit(s[pos])) ++pos;
  if (pos == start) return false;
  too_long = pos - start > 9;
  out = 0;
  if (!too_long)
    for (size_t i = start; i < pos; ++i) out = out * 10 + (s[i] - '0');
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// `s` is one action without parentheses, e.g. "7B3"; `comm` is filled for SEND_F and the like.
Result<ActionHalf> parse_half(std::string_view s, const std::string& where, std::string_view whole, CommWord* comm) {
  size_t pos = 0;
  ActionHalf h;
  bool too_long = false;
  if (!number(s, pos, h.stage, too_long)) return Error{where + ": " + show_text(whole) + " is not an action; " + kExpected};
  if (too_long) return Error{where + ": the stage number in " + show_text(whole) + " is too large"};
  const size_t kind_start = pos;
  while (pos < s.size() && (std::isalpha(static_cast<unsigned char>(s[pos])) || s[pos] == '_')) ++pos;
  const std::string_view word = s.substr(kind_start, pos - kind_start);
  if (word.empty()) return Error{where + ": " + show_text(whole) + " has no action kind after the stage number; " + kExpected};
  const CommWord cw = comm_word(word);
  if (cw != CommWord::None) {
    if (!comm) return Error{where + ": " + show_text(whole) + " is a communication action inside OVERLAP_F_B, which holds two compute actions"};
    *comm = cw;
    h.microbatch = -1;  // UNSHARD and RESHARD name no microbatch
  } else if (word == "OVERLAP_F_B") {
    return Error{where + ": " + show_text(whole) + ": OVERLAP_F_B takes its two actions in parentheses, as in (0F7;7B3)OVERLAP_F_B"};
  } else if (word == "F") {
    h.word = ActionWord::F;
  } else if (word == "I") {
    h.word = ActionWord::I;
  } else if (word == "B") {
    h.word = ActionWord::B;
  } else if (word == "W") {
    h.word = ActionWord::W;
  } else if (word == "BW") {
    h.word = ActionWord::BW;
  } else {
    return Error{where + ": unknown action kind " + show_text(word) + " in " + show_text(whole) +
                 "; expected F, I, B, W (or BW in the legacy dialect)"};
  }
  if (!number(s, pos, h.microbatch, too_long)) {
    if (cw == CommWord::Other && pos == s.size()) return h;
    if (pos == s.size()) return Error{where + ": " + show_text(whole) + " has no microbatch number; " + kExpected};
    return Error{where + ": unexpected " + show_text(s.substr(pos)) + " in " + show_text(whole) + "; " + kExpected};
  }
  if (too_long) return Error{where + ": the microbatch number in " + show_text(whole) + " is too large"};
  if (pos != s.size()) return Error{where + ": unexpected " + show_text(s.substr(pos)) + " after the microbatch in " + show_text(whole)};
  return h;
}

Result<OpKind> kind_of(ActionWord word, CsvDialect dialect, const std::string& where, std::string_view text) {
  const bool legacy = dialect == CsvDialect::Legacy;
  switch (word) {
    case ActionWord::F: return OpKind::F;
    case ActionWord::W: return OpKind::W;
    case ActionWord::B: return legacy ? OpKind::B : OpKind::BW;
    case ActionWord::I:
      if (!legacy) return OpKind::B;
      return Error{where + ": " + show_text(text) +
                   " uses I, which the legacy dialect does not have (it writes the input backward as B); read the file in the current dialect"};
    case ActionWord::BW:
      if (legacy) return OpKind::BW;
      return Error{where + ": " + show_text(text) +
                   " uses BW, which the current dialect does not have (it writes the full backward as B); read the file in the legacy dialect"};
  }
  return Error{"internal: unknown word"};
}

}  // namespace

std::string show_text(std::string_view text) {
  std::string out;
  // Bytes outside printable ASCII become '?': a cut UTF-8 sequence would be invalid text in the browser.
  for (char ch : text.substr(0, 40)) out += (static_cast<unsigned char>(ch) < 0x20 || static_cast<unsigned char>(ch) >= 0x7f) ? '?' : ch;
  if (text.size() > 40) out += "...";
  return "'" + out + "'";
}

Result<ParsedAction> parse_action(std::string_view s, const std::string& where) {
  ParsedAction p;
  if (s.empty()) return Error{where + ": the action is empty; " + kExpected};
  if (s[0] != '(') {
    Result<ActionHalf> h = parse_half(s, where, s, &p.comm);
    if (!h.ok()) return Error{h.error()};
    p.first = h.value();
    return p;
  }
  const size_t close = s.find(')');
  if (close == std::string_view::npos) return Error{where + ": " + show_text(s) + " opens a parenthesis but never closes it"};
  const std::string_view kind = trim(s.substr(close + 1));
  if (kind != "OVERLAP_F_B")
    return Error{where + ": unknown compound action kind " + show_text(kind) + " in " + show_text(s) +
                 "; expected (<forward>;<full backward>)OVERLAP_F_B"};
  const std::string_view inner = s.substr(1, close - 1);
  const size_t semi = inner.find(';');
  if (semi == std::string_view::npos || inner.find(';', semi + 1) != std::string_view::npos)
    return Error{where + ": OVERLAP_F_B in " + show_text(s) + " must hold exactly two actions separated by ';', as in (0F7;7B3)OVERLAP_F_B"};
  Result<ActionHalf> a = parse_half(trim(inner.substr(0, semi)), where, s, nullptr);
  if (!a.ok()) return Error{a.error()};
  Result<ActionHalf> b = parse_half(trim(inner.substr(semi + 1)), where, s, nullptr);
  if (!b.ok()) return Error{b.error()};
  p.overlap = true;
  // Either order names the same unit; keep the forward first, as our OV does.
  p.first = a.value();
  p.second = b.value();
  if (p.first.word != ActionWord::F) std::swap(p.first, p.second);
  return p;
}

CsvDialect detect_dialect(const std::vector<const ParsedAction*>& actions, const std::function<std::string(size_t)>& where_of,
                          std::string& conflict) {
  size_t first_i = actions.size(), first_bw = actions.size();
  std::set<std::pair<int, int>> b_pairs, w_pairs;
  for (size_t k = 0; k < actions.size(); ++k) {
    const ParsedAction& p = *actions[k];
    if (p.comm != CommWord::None) continue;
    for (const ActionHalf* h : {&p.first, &p.second}) {
      if (h == &p.second && !p.overlap) break;
      if (h->word == ActionWord::I && first_i == actions.size()) first_i = k;
      if (h->word == ActionWord::BW && first_bw == actions.size()) first_bw = k;
      if (!p.overlap && h->word == ActionWord::B) b_pairs.emplace(h->stage, h->microbatch);
      if (!p.overlap && h->word == ActionWord::W) w_pairs.emplace(h->stage, h->microbatch);
    }
  }
  if (first_i < actions.size() && first_bw < actions.size()) {
    conflict = where_of(first_i) + " uses I (current dialect) but " + where_of(first_bw) +
               " uses BW (legacy dialect); a file is written in one dialect";
    return CsvDialect::Auto;
  }
  if (first_bw < actions.size()) return CsvDialect::Legacy;
  if (first_i < actions.size()) return CsvDialect::Current;
  // Without I or BW, a B followed by a W of the same microbatch and stage can only be the legacy split backward.
  for (const auto& pair : b_pairs)
    if (w_pairs.count(pair)) return CsvDialect::Legacy;
  return CsvDialect::Current;
}

Result<Action> action_of(const ParsedAction& p, CsvDialect dialect, const std::string& where, std::string_view text) {
  // A schedule's Action holds stages and microbatches in 16 and 24 bits: refuse more here, where
  // the text can still be named, rather than let it become Action::kOutOfRange.
  for (const ActionHalf* h : {&p.first, &p.second}) {
    if (h == &p.second && !p.overlap) break;
    if (h->stage >= Action::kMaxStages)
      return Error{where + ": stage " + std::to_string(h->stage) + " in " + show_text(text) + " is beyond the limit of " +
                   std::to_string(Action::kMaxStages) + " stages"};
    if (h->microbatch >= Action::kMaxMicrobatches)
      return Error{where + ": microbatch " + std::to_string(h->microbatch) + " in " + show_text(text) + " is beyond the limit of " +
                   std::to_string(Action::kMaxMicrobatches) + " microbatches"};
  }
  Result<OpKind> k1 = kind_of(p.first.word, dialect, where, text);
  if (!k1.ok()) return Error{k1.error()};
  if (!p.overlap) return Action{k1.value(), p.first.stage, p.first.microbatch, -1, -1};
  Result<OpKind> k2 = kind_of(p.second.word, dialect, where, text);
  if (!k2.ok()) return Error{k2.error()};
  if (k1.value() != OpKind::F || k2.value() != OpKind::BW)
    return Error{where + ": OVERLAP_F_B in " + show_text(text) + " must pair one forward F with one full backward (" +
                 (dialect == CsvDialect::Legacy ? "BW" : "B") + " in the " + csv_dialect_name(dialect) + " dialect)"};
  return Action::ov(p.first.stage, p.first.microbatch, p.second.stage, p.second.microbatch);
}

std::string action_text(const Action& a) {
  switch (a.kind) {
    case OpKind::F: return std::to_string(a.stage) + "F" + std::to_string(a.microbatch);
    case OpKind::B: return std::to_string(a.stage) + "I" + std::to_string(a.microbatch);
    case OpKind::W: return std::to_string(a.stage) + "W" + std::to_string(a.microbatch);
    case OpKind::BW: return std::to_string(a.stage) + "B" + std::to_string(a.microbatch);
    case OpKind::OV:
      return "(" + std::to_string(a.stage) + "F" + std::to_string(a.microbatch) + ";" + std::to_string(a.stage2) + "B" +
             std::to_string(a.microbatch2) + ")OVERLAP_F_B";
  }
  return "";
}

}  // namespace ppemu::detail
