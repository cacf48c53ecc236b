// torch.profiler Chrome traces of torch.distributed.pipelining: the schedule runs each action
// inside record_function("PP:<action>") (schedules.py, _get_profiler_function_name), so the PP:
// ranges are the ops; every other event is ignored.
#include <cctype>

#include "pytorch_action.h"
#include "traces/chrome_events.h"
#include "traces/measured.h"

namespace ppemu::detail {
namespace {

constexpr double kMsPerUs = 1e-3;

struct Range {
  ParsedAction action;
  double start_ms, end_ms;
  uint32_t ordinal;
  bool gpu;
  std::string name;
};

struct FileRanges {
  std::string file;
  int rank = -1;
  std::vector<Range> ranges;
};

// `rank<N>`, `rank_<N>` or `rank-<N>` in a file name (the last one wins), or -1.
int rank_from_name(const std::string& name) {
  int found = -1;
  for (size_t i = 0; i + 4 <= name.size(); ++i) {
    bool word = true;
    for (size_t k = 0; k < 4; ++k) word = word && std::tolower(static_cast<unsigned char>(name[i + k])) == "rank"[k];
    if (!word) continue;
    size_t j = i + 4;
    if (j < name.size() && (name[j] == '_' || name[j] == '-')) ++j;
    const size_t digits = j;
    int value = 0;
    while (j < name.size() && std::isdigit(static_cast<unsigned char>(name[j])) && j - digits < 9) value = value * 10 + (name[j++] - '0');
    if (j > digits) found = value;
  }
  return found;
}

std::string event_where(const std::string& file, uint32_t ordinal, const std::string& name) {
  return file + ": event #" + std::to_string(ordinal) + " " + show_text(name);
}

}  // namespace

Result<ReadTrace> read_pytorch_profiler(const std::vector<TraceFile>& files, const TraceOptions&) {
  std::vector<FileRanges> read;
  size_t comm_ranges = 0, gpu_files = 0;
  for (const TraceFile& f : files) {
    FileRanges fr;
    fr.file = f.name;
    ChromeFile top;
    Status st = read_chrome_events(
        f.text, f.name,
        [&](const ChromeEvent& e) -> Status {
          if (e.ph != "X" || e.name.compare(0, 3, "PP:") != 0) return {};
          const std::string where = event_where(f.name, e.ordinal, e.name);
          Result<ParsedAction> p = parse_action(std::string_view(e.name).substr(3), where);
          if (!p.ok()) return Error{p.error()};
          if (p->comm != CommWord::None) {
            ++comm_ranges;
            return {};
          }
          if (!e.has_ts || !e.has_dur)
            return Error{where + " has no " + (e.has_ts ? "dur" : "ts") + "; a complete event (ph X) gives ts and dur in microseconds"};
          if (!(e.dur >= 0)) return Error{where + " ends before it starts (dur " + show_value(e.dur) + " us)"};
          fr.ranges.push_back({p.value(), e.ts * kMsPerUs, (e.ts + e.dur) * kMsPerUs, e.ordinal, e.cat == "gpu_user_annotation", e.name});
          return {};
        },
        top);
    if (!st.ok()) return Error{st.error()};
    if (fr.ranges.empty())
      return Error{f.name + ": no PP:<action> ranges (complete events named like PP:2F0, which torch.distributed.pipelining's "
                            "schedules record); is it a profile of a pipelined training step?"};
    // Kernels run after their launch: where the GPU side of a range is there, it is the op's time.
    bool gpu = false;
    for (const Range& r : fr.ranges) gpu = gpu || r.gpu;
    if (gpu) {
      std::vector<Range> kept;
      for (const Range& r : fr.ranges)
        if (r.gpu) kept.push_back(r);
      fr.ranges = std::move(kept);
      ++gpu_files;
    }
    fr.rank = top.has_rank ? top.rank : rank_from_name(base_name(f.name));
    if (fr.rank < 0)
      return Error{f.name + ": no rank: the trace has no distributedInfo.rank and the file name no rank<N> (name the files rank0.json, "
                            "rank1.json, ...)"};
    read.push_back(std::move(fr));
  }

  std::vector<const ParsedAction*> actions;
  std::vector<std::pair<size_t, size_t>> origin;
  for (size_t i = 0; i < read.size(); ++i)
    for (size_t k = 0; k < read[i].ranges.size(); ++k) {
      actions.push_back(&read[i].ranges[k].action);
      origin.emplace_back(i, k);
    }
  auto where_of = [&](size_t n) {
    const FileRanges& fr = read[origin[n].first];
    return fr.file + ": event #" + std::to_string(fr.ranges[origin[n].second].ordinal);
  };
  std::string conflict;
  const CsvDialect dialect = detect_dialect(actions, where_of, conflict);
  if (dialect == CsvDialect::Auto) return Error{conflict};

  ReadTrace out;
  out.format = TraceFormat::PyTorch;
  for (const FileRanges& fr : read) {
    RankOps r;
    r.rank = fr.rank;
    r.file = fr.file;
    for (const Range& range : fr.ranges) {
      const std::string where = fr.file + ": event #" + std::to_string(range.ordinal);
      Result<Action> a = action_of(range.action, dialect, where, range.name);
      if (!a.ok()) return Error{a.error()};
      r.actions.push_back(a.value());
      r.start.push_back(range.start_ms);
      r.end.push_back(range.end_ms);
      r.ordinal.push_back(range.ordinal);
    }
    out.ranks.push_back(std::move(r));
  }
  out.op_name = [](const RankOps& r, size_t k) {
    return "event #" + std::to_string(r.ordinal[k]) + " 'PP:" + action_text(r.actions[k]) + "'";
  };
  if (gpu_files > 0)
    out.notes.push_back(std::to_string(gpu_files) + " of " + std::to_string(read.size()) +
                        " files have GPU-side PP: ranges (gpu_user_annotation); their ops are timed by those, not by the CPU launches");
  if (comm_ranges > 0)
    out.notes.push_back(std::to_string(comm_ranges) + " communication ranges (PP:...SEND_F, RECV_F, SEND_B, RECV_B, UNSHARD, ...) are not ops; ignored");
  if (dialect == CsvDialect::Legacy) out.notes.push_back("actions read in the legacy dialect (B input backward, BW full backward)");
  return out;
}

}  // namespace ppemu::detail
