#include "ppemu/pytorch_csv.h"

#include "pytorch_action.h"

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

std::string show(std::string_view text) { return detail::show_text(text); }

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

struct Parsed {
  const Cell* cell = nullptr;
  detail::ParsedAction action;
};

Result<Parsed> parse_cell(const Cell& cell) {
  const std::string where = at(cell.row, cell.column);
  Result<detail::ParsedAction> p = detail::parse_action(cell.text, where);
  if (!p.ok()) return Error{p.error()};
  if (p->comm == detail::CommWord::Other)
    return Error{where + ": " + show(cell.text) + " is an FSDP action (UNSHARD, RESHARD, REDUCE_GRAD); ppemu reads compute actions and the " +
                 "pipeline's SEND_F, RECV_F, SEND_B, RECV_B"};
  return Parsed{&cell, p.value()};
}

// The emulator's messages use ppemu's names; a reader of the file needs the key to them.
std::string with_glossary(const std::string& message, CsvDialect dialect) {
  bool device = message.find("device ") != std::string::npos, backward = false;
  for (size_t i = 0; i + 1 < message.size(); ++i) {
    const bool word_start = i == 0 || !(std::isalnum(static_cast<unsigned char>(message[i - 1])) || message[i - 1] == '_');
    const char next = message[i + 1];
    if (message[i] == 'B' && word_start && (std::isdigit(static_cast<unsigned char>(next)) || next == 'W' || next == ' ')) backward = true;
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

OpLocator ImportedSchedule::comm_locator() const {
  return [columns = comm_columns](int device, size_t index) {
    return at(device + 1, columns[static_cast<size_t>(device)][index]);
  };
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
  bool comms = false;
  for (size_t r = 0; r < rows.size(); ++r) {
    if (rows[r].empty())
      return Error{at(static_cast<int>(r) + 1, 1) + ": the row is empty, but every row up to the last is a rank's actions"};
    for (const Cell& cell : rows[r]) {
      Result<Parsed> p = parse_cell(cell);
      if (!p.ok()) return Error{p.error()};
      const detail::ParsedAction& pa = p->action;
      if (pa.comm != detail::CommWord::None) comms = true;
      for (const detail::ActionHalf* h : {&pa.first, &pa.second}) {
        if (h == &pa.second && !pa.overlap) break;
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
    std::vector<const detail::ParsedAction*> actions;
    actions.reserve(parsed.size());
    for (const Parsed& p : parsed) actions.push_back(&p.action);
    dialect = detail::detect_dialect(
        actions, [&](size_t k) { return at(parsed[k].cell->row, parsed[k].cell->column); }, conflict);
    if (dialect == CsvDialect::Auto) return Error{conflict};
  }

  // The row that first names a stage owns it; PyTorch likewise derives placement from the rows.
  int max_stage = 0, max_mb = 0;
  for (const Parsed& p : parsed) {
    if (p.action.comm != detail::CommWord::None) continue;  // a communication action names a stage the compute ones place
    max_stage = std::max({max_stage, p.action.first.stage, p.action.overlap ? p.action.second.stage : 0});
    max_mb = std::max({max_mb, p.action.first.microbatch, p.action.overlap ? p.action.second.microbatch : 0});
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
  if (comms) {
    s.device_comms.resize(rows.size());
    out.comm_columns.resize(rows.size());
  }
  for (const Parsed& p : parsed) {
    const int device = p.cell->row - 1;
    if (p.action.comm != detail::CommWord::None) {
      const CommKind kinds[] = {CommKind::SendF, CommKind::SendF, CommKind::RecvF, CommKind::SendB, CommKind::RecvB};
      const auto before = static_cast<uint32_t>(s.device_actions[static_cast<size_t>(device)].size());
      s.device_comms[static_cast<size_t>(device)].push_back(
          {kinds[static_cast<int>(p.action.comm)], p.action.first.stage, p.action.first.microbatch, before});
      out.comm_columns[static_cast<size_t>(device)].push_back(p.cell->column);
      continue;
    }
    for (const detail::ActionHalf* h : {&p.action.first, &p.action.second}) {
      if (h == &p.action.second && !p.action.overlap) break;
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
    Result<Action> a = detail::action_of(p.action, dialect, at(p.cell->row, p.cell->column), p.cell->text);
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
    // Communication actions go back where they were, before the compute op they precede.
    const std::vector<CommAction> none;
    const auto& comms = d < schedule.device_comms.size() ? schedule.device_comms[d] : none;
    size_t c = 0;
    bool first = true;
    auto cell = [&](const std::string& text) {
      out += (first ? "" : ",") + text;
      first = false;
    };
    for (size_t k = 0; k <= list.size(); ++k) {
      for (; c < comms.size() && comms[c].before == k; ++c)
        cell(std::to_string(comms[c].stage) + comm_name(comms[c].kind) + std::to_string(comms[c].microbatch));
      if (k < list.size()) cell(detail::action_text(list[k]));
    }
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
  Result<Run> run = simulate_schedule(c, std::move(imported->schedule), locate, limits, imported->comm_locator());
  if (!run.ok()) return Error{with_glossary(run.error(), imported->dialect)};
  run->config.strategy = kImportedStrategyName;
  return run;
}

}  // namespace ppemu
