#include "ppemu/pytorch_csv.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <set>
#include <utility>

namespace ppemu {
namespace {

// ---- cells ---------------------------------------------------------------------------------

struct Cell {
  int row = 0;     // 1-based
  int column = 0;  // 1-based
  std::string text;  // unquoted, trimmed, never empty
};

std::string at(int row, int column) { return "row " + std::to_string(row) + ", column " + std::to_string(column); }

// The offending text as it appears in an error: quoted, short, one line, printable.
std::string show(std::string_view text) {
  std::string out;
  // Bytes outside printable ASCII become '?': a cut UTF-8 sequence would be invalid text in the browser.
  for (char ch : text.substr(0, 40)) out += (static_cast<unsigned char>(ch) < 0x20 || static_cast<unsigned char>(ch) >= 0x7f) ? '?' : ch;
  if (text.size() > 40) out += "...";
  return "'" + out + "'";
}

bool blank(char ch) { return ch == ' ' || ch == '\t'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return s;
}

// One line's non-empty cells. Quoting follows RFC 4180 (Python's csv module writes it when a
// cell holds a comma or quote, and spreadsheets may quote every cell); a quoted cell cannot span lines.
Status split_line(std::string_view line, int row, std::vector<Cell>& cells) {
  size_t pos = 0;
  for (int column = 1;; ++column) {
    while (pos < line.size() && blank(line[pos])) ++pos;
    std::string value;
    if (pos < line.size() && line[pos] == '"') {
      bool closed = false;
      for (++pos; pos < line.size();) {
        if (line[pos] != '"') {
          value += line[pos++];
        } else if (pos + 1 < line.size() && line[pos + 1] == '"') {
          value += '"';
          pos += 2;
        } else {
          ++pos;
          closed = true;
          break;
        }
      }
      if (!closed) return Error{at(row, column) + ": the quote opened here is not closed on this row"};
      while (pos < line.size() && blank(line[pos])) ++pos;
      if (pos < line.size() && line[pos] != ',')
        return Error{at(row, column) + ": unexpected " + show(line.substr(pos, line.find(',', pos) - pos)) +
                     " after the closing quote"};
    } else {
      const size_t comma = std::min(line.find(',', pos), line.size());
      value = std::string(line.substr(pos, comma - pos));
      pos = comma;
    }
    std::string_view cell = trim(value);
    if (!cell.empty()) cells.push_back({row, column, std::string(cell)});
    if (pos >= line.size()) return {};
    ++pos;  // the comma
  }
}

// Rows of non-empty cells; index = row - 1. Blank lines after the last rank are dropped.
Result<std::vector<std::vector<Cell>>> split_rows(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // UTF-8 byte-order mark (Excel writes one)
  std::vector<std::vector<Cell>> rows;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t end = std::min(text.find_first_of("\r\n", pos), text.size());
    rows.emplace_back();
    if (Status st = split_line(text.substr(pos, end - pos), static_cast<int>(rows.size()), rows.back()); !st.ok())
      return Error{st.error()};
    pos = end;
    if (pos < text.size() && text[pos] == '\r') ++pos;
    if (pos < text.size() && text[pos] == '\n') ++pos;
  }
  while (!rows.empty() && rows.back().empty()) rows.pop_back();
  return rows;
}

// ---- actions -------------------------------------------------------------------------------

// The kind letters as written; what B means depends on the dialect.
enum class Word { F, I, B, W, BW };

struct Half {
  Word word = Word::F;
  int stage = 0;
  int microbatch = 0;
};

struct Parsed {
  const Cell* cell = nullptr;
  bool overlap = false;
  Half first, second;  // second is used only by OVERLAP_F_B
};

constexpr const char* kExpected = "expected <stage><kind><microbatch> such as 2F0, 2I0, 2W0, 2B0, or (0F7;7B3)OVERLAP_F_B";

bool is_comm(std::string_view word) {
  for (const char* w : {"UNSHARD", "RESHARD", "REDUCE_GRAD", "SEND_F", "RECV_F", "SEND_B", "RECV_B"})
    if (word == w) return true;
  return false;
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

// `s` is one action without parentheses, e.g. "7B3"; `where` names its cell.
Result<Half> parse_half(std::string_view s, const std::string& where, const std::string& whole) {
  size_t pos = 0;
  Half h;
  bool too_long = false;
  if (!number(s, pos, h.stage, too_long)) return Error{where + ": " + show(whole) + " is not an action; " + kExpected};
  if (too_long) return Error{where + ": the stage number in " + show(whole) + " is too large"};
  const size_t kind_start = pos;
  while (pos < s.size() && (std::isalpha(static_cast<unsigned char>(s[pos])) || s[pos] == '_')) ++pos;
  const std::string_view word = s.substr(kind_start, pos - kind_start);
  if (word.empty()) return Error{where + ": " + show(whole) + " has no action kind after the stage number; " + kExpected};
  if (is_comm(word))
    return Error{where + ": " + show(whole) + " is a communication action; ppemu reads compute-only schedules (F, I, B, W, " +
                 "OVERLAP_F_B) and charges communication as p2p_latency"};
  if (word == "OVERLAP_F_B")
    return Error{where + ": " + show(whole) + ": OVERLAP_F_B takes its two actions in parentheses, as in (0F7;7B3)OVERLAP_F_B"};
  if (word == "F") h.word = Word::F;
  else if (word == "I") h.word = Word::I;
  else if (word == "B") h.word = Word::B;
  else if (word == "W") h.word = Word::W;
  else if (word == "BW") h.word = Word::BW;
  else
    return Error{where + ": unknown action kind " + show(word) + " in " + show(whole) +
                 "; expected F, I, B, W (or BW in the legacy dialect)"};
  if (!number(s, pos, h.microbatch, too_long)) {
    if (pos == s.size()) return Error{where + ": " + show(whole) + " has no microbatch number; " + kExpected};
    return Error{where + ": unexpected " + show(s.substr(pos)) + " in " + show(whole) + "; " + kExpected};
  }
  if (too_long) return Error{where + ": the microbatch number in " + show(whole) + " is too large"};
  if (pos != s.size()) return Error{where + ": unexpected " + show(s.substr(pos)) + " after the microbatch in " + show(whole)};
  return h;
}

Result<Parsed> parse_cell(const Cell& cell) {
  const std::string where = at(cell.row, cell.column);
  const std::string_view s = cell.text;
  Parsed p;
  p.cell = &cell;
  if (s[0] != '(') {
    Result<Half> h = parse_half(s, where, cell.text);
    if (!h.ok()) return Error{h.error()};
    p.first = h.value();
    return p;
  }
  const size_t close = s.find(')');
  if (close == std::string_view::npos) return Error{where + ": " + show(s) + " opens a parenthesis but never closes it"};
  const std::string_view kind = trim(s.substr(close + 1));
  if (kind != "OVERLAP_F_B")
    return Error{where + ": unknown compound action kind " + show(kind) + " in " + show(s) +
                 "; expected (<forward>;<full backward>)OVERLAP_F_B"};
  const std::string_view inner = s.substr(1, close - 1);
  const size_t semi = inner.find(';');
  if (semi == std::string_view::npos || inner.find(';', semi + 1) != std::string_view::npos)
    return Error{where + ": OVERLAP_F_B in " + show(s) + " must hold exactly two actions separated by ';', as in (0F7;7B3)OVERLAP_F_B"};
  Result<Half> a = parse_half(trim(inner.substr(0, semi)), where, cell.text);
  if (!a.ok()) return Error{a.error()};
  Result<Half> b = parse_half(trim(inner.substr(semi + 1)), where, cell.text);
  if (!b.ok()) return Error{b.error()};
  p.overlap = true;
  // Either order names the same unit; keep the forward first, as our OV does.
  p.first = a.value();
  p.second = b.value();
  if (p.first.word != Word::F) std::swap(p.first, p.second);
  return p;
}

// ---- dialect -------------------------------------------------------------------------------

CsvDialect detect(const std::vector<Parsed>& actions, std::string& conflict) {
  const Parsed* first_i = nullptr;
  const Parsed* first_bw = nullptr;
  std::set<std::pair<int, int>> b_pairs, w_pairs;
  for (const Parsed& p : actions) {
    for (const Half* h : {&p.first, &p.second}) {
      if (h == &p.second && !p.overlap) break;
      if (h->word == Word::I && !first_i) first_i = &p;
      if (h->word == Word::BW && !first_bw) first_bw = &p;
      if (!p.overlap && h->word == Word::B) b_pairs.emplace(h->stage, h->microbatch);
      if (!p.overlap && h->word == Word::W) w_pairs.emplace(h->stage, h->microbatch);
    }
  }
  if (first_i && first_bw) {
    conflict = at(first_i->cell->row, first_i->cell->column) + " uses I (current dialect) but " +
               at(first_bw->cell->row, first_bw->cell->column) + " uses BW (legacy dialect); a file is written in one dialect";
    return CsvDialect::Auto;
  }
  if (first_bw) return CsvDialect::Legacy;
  if (first_i) return CsvDialect::Current;
  // Without I or BW, a B followed by a W of the same microbatch and stage can only be the legacy split backward.
  for (const auto& pair : b_pairs)
    if (w_pairs.count(pair)) return CsvDialect::Legacy;
  return CsvDialect::Current;
}

Result<OpKind> kind_of(Word word, CsvDialect dialect, const Parsed& p) {
  const bool legacy = dialect == CsvDialect::Legacy;
  switch (word) {
    case Word::F: return OpKind::F;
    case Word::W: return OpKind::W;
    case Word::B: return legacy ? OpKind::B : OpKind::BW;
    case Word::I:
      if (!legacy) return OpKind::B;
      return Error{at(p.cell->row, p.cell->column) + ": " + show(p.cell->text) +
                   " uses I, which the legacy dialect does not have (it writes the input backward as B); read the file in the current dialect"};
    case Word::BW:
      if (legacy) return OpKind::BW;
      return Error{at(p.cell->row, p.cell->column) + ": " + show(p.cell->text) +
                   " uses BW, which the current dialect does not have (it writes the full backward as B); read the file in the legacy dialect"};
  }
  return Error{"internal: unknown word"};
}

Result<Action> action_of(const Parsed& p, CsvDialect dialect) {
  Result<OpKind> k1 = kind_of(p.first.word, dialect, p);
  if (!k1.ok()) return Error{k1.error()};
  if (!p.overlap) return Action{k1.value(), p.first.stage, p.first.microbatch, -1, -1};
  Result<OpKind> k2 = kind_of(p.second.word, dialect, p);
  if (!k2.ok()) return Error{k2.error()};
  if (k1.value() != OpKind::F || k2.value() != OpKind::BW)
    return Error{at(p.cell->row, p.cell->column) + ": OVERLAP_F_B in " + show(p.cell->text) +
                 " must pair one forward F with one full backward (" + (dialect == CsvDialect::Legacy ? "BW" : "B") +
                 " in the " + csv_dialect_name(dialect) + " dialect)"};
  return Action::ov(p.first.stage, p.first.microbatch, p.second.stage, p.second.microbatch);
}

std::string stage_word(const Action& a) {
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

// The emulator's messages use ppemu's names; a reader of the file needs the key to them.
std::string with_glossary(const std::string& message, CsvDialect dialect) {
  bool device = message.find("device ") != std::string::npos, backward = false;
  for (size_t i = 0; i + 1 < message.size(); ++i) {
    const bool word_start = i == 0 || !std::isalnum(static_cast<unsigned char>(message[i - 1]));
    const char next = message[i + 1];
    if (message[i] == 'B' && word_start && (digit(next) || next == 'W' || next == ' ')) backward = true;
  }
  backward = backward && dialect == CsvDialect::Current;  // the legacy dialect's names are ppemu's
  if (!device && !backward) return message;
  std::string key = device ? "device d is row d+1" : "";
  if (backward) key += std::string(device ? ", " : "") + "B is the file's I and BW the file's B";
  return message + " (in ppemu's names " + key + ")";
}

}  // namespace

Result<CsvDialect> parse_csv_dialect(std::string_view word) {
  if (word == "auto") return CsvDialect::Auto;
  if (word == "current") return CsvDialect::Current;
  if (word == "legacy") return CsvDialect::Legacy;
  return Error{"the CSV dialect must be auto, current or legacy (got " + show(word) + ")"};
}

const char* csv_dialect_name(CsvDialect dialect) {
  switch (dialect) {
    case CsvDialect::Auto: return "auto";
    case CsvDialect::Current: return "current";
    case CsvDialect::Legacy: return "legacy";
  }
  return "?";
}

OpLocator ImportedSchedule::locator() const {
  return [columns = columns](int device, size_t index) {
    return at(device + 1, columns[static_cast<size_t>(device)][index]);
  };
}

Result<ImportedSchedule> read_pytorch_csv(std::string_view text, CsvDialect dialect, const Limits& limits) {
  Result<std::vector<std::vector<Cell>>> split = split_rows(text);
  if (!split.ok()) return Error{split.error()};
  const auto& rows = split.value();
  if (rows.empty()) return Error{"the file has no actions: expected one row per rank, such as 0F0,0F1,0B0,0B1"};
  if (static_cast<int64_t>(rows.size()) > limits.max_devices)
    return Error{"the file has " + std::to_string(rows.size()) + " rows, more than the limit of " +
                 std::to_string(limits.max_devices) + " ranks"};

  std::vector<Parsed> parsed;
  for (size_t r = 0; r < rows.size(); ++r) {
    if (rows[r].empty())
      return Error{at(static_cast<int>(r) + 1, 1) + ": the row is empty, but every row up to the last is a rank's actions"};
    for (const Cell& cell : rows[r]) {
      Result<Parsed> p = parse_cell(cell);
      if (!p.ok()) return Error{p.error()};
      for (const Half* h : {&p->first, &p->second}) {
        if (h == &p->second && !p->overlap) break;
        if (h->stage >= limits.max_stages)
          return Error{at(cell.row, cell.column) + ": stage " + std::to_string(h->stage) + " in " + show(cell.text) +
                       " is beyond the limit of " + std::to_string(limits.max_stages) + " stages"};
        if (h->microbatch >= limits.max_batches)
          return Error{at(cell.row, cell.column) + ": microbatch " + std::to_string(h->microbatch) + " in " + show(cell.text) +
                       " is beyond the limit of " + std::to_string(limits.max_batches) + " microbatches"};
      }
      parsed.push_back(p.value());
    }
  }

  if (dialect == CsvDialect::Auto) {
    std::string conflict;
    dialect = detect(parsed, conflict);
    if (dialect == CsvDialect::Auto) return Error{conflict};
  }

  // The row that first names a stage owns it; PyTorch likewise derives placement from the rows.
  int max_stage = 0, max_mb = 0;
  for (const Parsed& p : parsed) {
    max_stage = std::max({max_stage, p.first.stage, p.overlap ? p.second.stage : 0});
    max_mb = std::max({max_mb, p.first.microbatch, p.overlap ? p.second.microbatch : 0});
  }
  std::vector<const Parsed*> owner(static_cast<size_t>(max_stage) + 1, nullptr);
  ImportedSchedule out;
  out.dialect = dialect;
  Schedule& s = out.schedule;
  s.num_devices = static_cast<int>(rows.size());
  s.num_stages = max_stage + 1;
  s.num_microbatches = max_mb + 1;
  s.stage_device.assign(owner.size(), -1);
  s.device_actions.resize(rows.size());
  out.columns.resize(rows.size());
  for (const Parsed& p : parsed) {
    const int device = p.cell->row - 1;
    for (const Half* h : {&p.first, &p.second}) {
      if (h == &p.second && !p.overlap) break;
      const auto st = static_cast<size_t>(h->stage);
      if (!owner[st]) {
        owner[st] = &p;
        s.stage_device[st] = device;
      } else if (s.stage_device[st] != device) {
        const Cell& first = *owner[st]->cell;
        return Error{at(p.cell->row, p.cell->column) + ": stage " + std::to_string(h->stage) + " in " + show(p.cell->text) +
                     " already runs on " + at(first.row, first.column) + " (" + show(first.text) + "); a stage belongs to one rank"};
      }
    }
    Result<Action> a = action_of(p, dialect);
    if (!a.ok()) return Error{a.error()};
    s.device_actions[static_cast<size_t>(device)].push_back(a.value());
    out.columns[static_cast<size_t>(device)].push_back(p.cell->column);
  }
  for (int st = 0; st <= max_stage; ++st)
    if (!owner[static_cast<size_t>(st)])
      return Error{"stage " + std::to_string(st) + " appears in no cell, but stages up to " + std::to_string(max_stage) +
                   " do; stages are numbered 0.." + std::to_string(max_stage) + " with none missing"};
  return out;
}

Result<std::string> to_pytorch_csv(const Schedule& schedule) {
  if (schedule.num_chains != 1)
    return Error{"this schedule sends microbatches through " + std::to_string(schedule.num_chains) +
                 " chains of stages (like DualPipe's two directions); a PyTorch schedule CSV has one chain, so it cannot be written as CSV"};
  std::string out;
  for (size_t d = 0; d < schedule.device_actions.size(); ++d) {
    const auto& list = schedule.device_actions[d];
    if (list.empty())
      return Error{"device " + std::to_string(d) + " runs no ops; a PyTorch schedule CSV gives every rank at least one action"};
    for (size_t k = 0; k < list.size(); ++k) out += (k ? "," : "") + stage_word(list[k]);
    out += "\n";
  }
  return out;
}

Result<Run> simulate_pytorch_csv(const Config& config, std::string_view csv_text, CsvDialect dialect, const Limits& limits) {
  Result<ImportedSchedule> imported = read_pytorch_csv(csv_text, dialect, limits);
  if (!imported.ok()) return Error{imported.error()};
  Config c = config;
  // The file replaces the strategy: reset it so that a config written for another run (say, a
  // --config file naming a strategy this build lacks) cannot fail resolve over a key it does not use.
  c.strategy = Config{}.strategy;
  c.microbatch_group_size_per_vp_stage = 0;
  const OpLocator locate = imported->locator();
  Result<Run> run = simulate_schedule(c, std::move(imported->schedule), locate, limits);
  if (!run.ok()) return Error{with_glossary(run.error(), imported->dialect)};
  run->config.strategy = kImportedStrategyName;
  return run;
}

}  // namespace ppemu
