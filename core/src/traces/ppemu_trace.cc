// ppemu's own Chrome trace (export_json.cc, to_trace): one track (tid) per device, one complete
// event per op with its kind in `cat` and stage, microbatch, start and end (op_times units, read
// as ms) in args, so an exported run reads back to the same schedule and times.
#include <cmath>
#include <map>

#include "pytorch_action.h"
#include "traces/chrome_events.h"
#include "traces/measured.h"

namespace ppemu::detail {
namespace {

bool kind_of(const std::string& cat, OpKind& kind) {
  for (int k = 0; k < kNumOpKinds; ++k)
    if (cat == kind_name(static_cast<OpKind>(k))) {
      kind = static_cast<OpKind>(k);
      return true;
    }
  return false;
}

bool whole(double v, int limit) { return v >= 0 && v == std::floor(v) && v < limit; }

}  // namespace

Result<ReadTrace> read_ppemu_trace(const std::vector<TraceFile>& files, const TraceOptions& options) {
  if (files.size() != 1)
    return Error{"a ppemu trace holds every device of one run in one file; give one file (got " + std::to_string(files.size()) + ")"};
  const TraceFile& f = files.front();
  std::map<int, RankOps> devices;
  std::string pid, process;
  ChromeFile top;
  Status st = read_chrome_events(
      f.text, f.name,
      [&](const ChromeEvent& e) -> Status {
        const std::string where = f.name + ": event #" + std::to_string(e.ordinal) + " " + detail::show_text(e.name);
        if (e.ph == "M" && e.name == "process_name") process = e.arg_name;
        if (e.ph != "X") return {};
        if (pid.empty()) pid = e.pid;
        if (e.pid != pid)
          return Error{where + " is in process " + e.pid + ", but earlier ops are in process " + pid +
                       "; a trace of several runs (compare mode) holds one per process: export the run alone"};
        OpKind kind;
        if (!kind_of(e.cat, kind)) return Error{where + ": cat " + detail::show_text(e.cat) + " is not an op kind (F, B, W, BW or OV)"};
        char* rest = nullptr;
        const double tid = std::strtod(e.tid.c_str(), &rest);
        if (e.tid.empty() || *rest != '\0' || !whole(tid, options.limits.max_devices))
          return Error{where + ": tid '" + e.tid + "' is not a device number"};
        if (!whole(e.arg_stage, options.limits.max_stages) || !whole(e.arg_microbatch, options.limits.max_batches))
          return Error{where + " has no args.stage and args.microbatch (whole numbers)"};
        Action a{kind, static_cast<int32_t>(e.arg_stage), static_cast<int32_t>(e.arg_microbatch), -1, -1};
        if (kind == OpKind::OV) {
          if (!whole(e.arg_backward_stage, options.limits.max_stages) || !whole(e.arg_backward_microbatch, options.limits.max_batches))
            return Error{where + " is an OV unit without args.backward_stage and args.backward_microbatch"};
          a.stage2 = static_cast<int32_t>(e.arg_backward_stage);
          a.microbatch2 = static_cast<int32_t>(e.arg_backward_microbatch);
        }
        // args hold the exact times; ts and dur are µs for the viewers.
        double start = e.arg_start, end = e.arg_end;
        if (!e.has_arg_times) {
          if (!e.has_ts || !e.has_dur) return Error{where + " has neither args.start/args.end nor ts/dur"};
          start = e.ts / 1000;
          end = (e.ts + e.dur) / 1000;
        }
        if (!(end >= start)) return Error{where + " ends (" + show_ms(end) + ") before it starts (" + show_ms(start) + ")"};
        RankOps& r = devices[static_cast<int>(tid)];
        r.actions.push_back(a);
        r.start.push_back(start);
        r.end.push_back(end);
        r.ordinal.push_back(e.ordinal);
        return {};
      },
      top);
  if (!st.ok()) return Error{st.error()};
  if (devices.empty()) return Error{f.name + ": no ops (complete events with cat F, B, W, BW or OV)"};
  ReadTrace out;
  out.format = TraceFormat::Ppemu;
  for (auto& [device, r] : devices) {
    r.rank = device;
    r.file = f.name;
    out.ranks.push_back(std::move(r));
  }
  out.op_name = [](const RankOps& r, size_t k) {
    return "event #" + std::to_string(r.ordinal[k]) + " '" + action_label(r.actions[k], true) + "'";
  };
  if (!process.empty()) out.notes.push_back("exported by " + process);
  return out;
}

}  // namespace ppemu::detail
