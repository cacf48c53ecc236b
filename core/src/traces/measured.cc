// From per-rank op lists with times to a measured run: the checks every trace format shares.
#include "traces/measured.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <unordered_set>

#include "ppemu/emulator.h"
#include "ppemu/metrics.h"

namespace ppemu::detail {
namespace {

// Two ops of a rank may touch (one ends as the next starts) and may differ by rounding: the
// profiler writes µs with ns digits, so anything under a nanosecond is the same instant.
constexpr double kSameInstantMs = 1e-6;

// DualPipe runs two chains of stages, [0, S/2) and [S/2, S); a microbatch travels one of them.
// A measured order says which: the stages each microbatch's forwards visit.
void infer_chains(Schedule& s) {
  if (s.num_stages % 2 != 0) return;
  const int half = s.num_stages / 2;
  std::vector<int8_t> chain(static_cast<size_t>(s.num_microbatches), -1);
  bool two = true;
  auto visit = [&](int stage, int mb) {
    const int8_t c = stage < half ? 0 : 1;
    int8_t& seen = chain[static_cast<size_t>(mb)];
    if (seen >= 0 && seen != c) two = false;
    seen = c;
  };
  for (const auto& list : s.device_actions)
    for (const Action& a : list) {
      if (a.kind == OpKind::F || a.kind == OpKind::OV) visit(a.stage, a.microbatch);
      if (a.kind == OpKind::OV) visit(a.stage2, a.microbatch2);
    }
  if (!two) return;
  bool both = false;
  for (int8_t c : chain) both = both || c == 1;
  bool first = false;
  for (int8_t c : chain) first = first || c == 0;
  if (!both || !first) return;  // every microbatch on one half: an ordinary chain that never got past it
  s.num_chains = 2;
  s.microbatch_chain.assign(chain.begin(), chain.end());
}

}  // namespace

std::string base_name(const std::string& path) {
  const size_t slash = path.find_last_of("/\\");
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string show_value(double x) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.6g", x);
  return buf;
}

std::string show_ms(double ms) { return show_value(ms) + " ms"; }

std::string list_ranks(const std::vector<int>& ranks) {
  constexpr size_t kShown = 10;
  std::string out;
  for (size_t i = 0; i < ranks.size() && i < kShown; ++i) out += (i ? ", " : "") + std::to_string(ranks[i]);
  if (ranks.size() > kShown) out += ", ... (" + std::to_string(ranks.size()) + " in all)";
  return out;
}

std::string json_error_text(const std::string& what) {
  constexpr size_t kMaxChars = 240;
  std::string_view text = what;
  const size_t at = text.find("parse error at ");
  if (at != std::string_view::npos) text.remove_prefix(at + 15);
  std::string out;
  for (char ch : text.substr(0, kMaxChars)) out += (static_cast<unsigned char>(ch) < 0x20 || static_cast<unsigned char>(ch) >= 0x7f) ? '?' : ch;
  if (text.size() > kMaxChars) out += "...";
  return out;
}

Result<MeasuredRun> build_measured(ReadTrace trace, const TraceOptions& options) {
  std::vector<RankOps>& ranks = trace.ranks;
  if (ranks.empty()) return Error{"no file holds pipeline ops"};
  std::stable_sort(ranks.begin(), ranks.end(), [](const RankOps& a, const RankOps& b) { return a.rank < b.rank; });
  for (size_t i = 1; i < ranks.size(); ++i)
    if (ranks[i].rank == ranks[i - 1].rank)
      return Error{"rank " + std::to_string(ranks[i].rank) + " appears twice: in " + ranks[i - 1].file + " and in " + ranks[i].file +
                   "; give one file per rank"};
  const int P = ranks.back().rank + 1;
  if (ranks.front().rank < 0) return Error{ranks.front().file + ": rank " + std::to_string(ranks.front().rank) + " is negative"};
  if (static_cast<int>(ranks.size()) != P) {
    std::vector<int> missing, have;
    size_t k = 0;
    for (int r = 0; r < P; ++r) {
      if (k < ranks.size() && ranks[k].rank == r) {
        have.push_back(r);
        ++k;
      } else {
        missing.push_back(r);
      }
    }
    return Error{"ranks " + std::to_string(0) + ".." + std::to_string(P - 1) + " must each have a file, but rank" +
                 (missing.size() > 1 ? "s " : " ") + list_ranks(missing) + (missing.size() > 1 ? " are" : " is") +
                 " missing (the files give rank" + (have.size() > 1 ? "s " : " ") + list_ranks(have) + ")"};
  }
  if (P > options.limits.max_devices)
    return Error{"the trace has " + std::to_string(P) + " ranks, more than the limit of " + std::to_string(options.limits.max_devices)};
  for (const auto& [rank, ms] : options.offset_ms) {
    if (rank < 0 || rank >= P)
      return Error{"trace.offset_ms names rank " + std::to_string(rank) + ", but the trace has ranks 0.." + std::to_string(P - 1)};
    if (!std::isfinite(ms)) return Error{"trace.offset_ms." + std::to_string(rank) + " must be a finite number of ms"};
  }

  int64_t total = 0;
  for (const RankOps& r : ranks) {
    if (r.actions.empty()) return Error{r.file + " (rank " + std::to_string(r.rank) + ") holds no pipeline ops"};
    total += static_cast<int64_t>(r.actions.size());
  }
  if (total > options.limits.max_ops)
    return Error{"the trace has " + std::to_string(total) + " ops, more than the limit of " + std::to_string(options.limits.max_ops)};

  // Each rank's ops in time order; overlaps are the trace's problem to report, never to hide.
  std::vector<std::vector<uint32_t>> order(ranks.size());
  double origin = 0;
  bool have_origin = false;
  for (size_t d = 0; d < ranks.size(); ++d) {
    RankOps& r = ranks[d];
    auto it = options.offset_ms.find(r.rank);
    const double offset = it == options.offset_ms.end() ? 0 : it->second;
    for (size_t k = 0; k < r.start.size(); ++k) {
      r.start[k] += offset;
      r.end[k] += offset;
    }
    std::vector<uint32_t>& o = order[d];
    o.resize(r.actions.size());
    std::iota(o.begin(), o.end(), 0u);
    std::stable_sort(o.begin(), o.end(), [&](uint32_t a, uint32_t b) { return r.start[a] < r.start[b]; });
    if (!have_origin || r.start[o.front()] < origin) origin = r.start[o.front()];
    have_origin = true;
  }
  // Times in messages are on the aligned clock, as the timeline shows them.
  for (size_t d = 0; d < ranks.size(); ++d) {
    const RankOps& r = ranks[d];
    const std::vector<uint32_t>& o = order[d];
    for (size_t i = 1; i < o.size(); ++i) {
      const uint32_t a = o[i - 1], b = o[i];
      const double overlap = r.end[a] - r.start[b];
      if (overlap > kSameInstantMs + 1e-12 * std::fabs(r.end[a]))
        return Error{r.file + ": " + trace.op_name(r, b) + " starts at " + show_ms(r.start[b] - origin) + ", before " + trace.op_name(r, a) +
                     " ends at " + show_ms(r.end[a] - origin) + " (rank " + std::to_string(r.rank) + "'s ops overlap by " +
                     show_ms(overlap) + "; a rank runs one pipeline op at a time)"};
    }
  }

  MeasuredRun out;
  out.format = trace.format;
  out.origin_ms = origin;
  out.notes = std::move(trace.notes);
  Schedule& s = out.run.schedule;
  s.num_devices = P;
  int max_stage = 0, max_mb = 0;
  for (const RankOps& r : ranks)
    for (const Action& a : r.actions) {
      max_stage = std::max({max_stage, int{a.stage}, int{a.stage2}});
      max_mb = std::max({max_mb, int{a.microbatch}, int{a.microbatch2}});
    }
  if (max_stage >= options.limits.max_stages)
    return Error{"the trace names stage " + std::to_string(max_stage) + ", beyond the limit of " + std::to_string(options.limits.max_stages) +
                 " stages"};
  if (max_mb >= options.limits.max_batches)
    return Error{"the trace names microbatch " + std::to_string(max_mb) + ", beyond the limit of " +
                 std::to_string(options.limits.max_batches) + " microbatches"};
  s.num_stages = max_stage + 1;
  s.num_microbatches = max_mb + 1;
  s.stage_device.assign(static_cast<size_t>(s.num_stages), -1);
  std::vector<size_t> stage_op(static_cast<size_t>(s.num_stages), 0);
  s.device_actions.resize(ranks.size());
  for (size_t d = 0; d < ranks.size(); ++d) {
    const RankOps& r = ranks[d];
    auto& list = s.device_actions[d];
    list.reserve(r.actions.size());
    for (uint32_t k : order[d]) {
      const Action& a = r.actions[k];
      for (int stage : {int{a.stage}, int{a.stage2}}) {
        if (stage < 0) continue;
        int32_t& owner = s.stage_device[static_cast<size_t>(stage)];
        if (owner < 0) {
          owner = static_cast<int32_t>(d);
          stage_op[static_cast<size_t>(stage)] = k;
        } else if (owner != static_cast<int32_t>(d)) {
          const RankOps& first = ranks[static_cast<size_t>(owner)];
          return Error{r.file + ": " + trace.op_name(r, k) + " runs stage " + std::to_string(stage) + ", which " + first.file + " (rank " +
                       std::to_string(first.rank) + ") already runs in " + trace.op_name(first, stage_op[static_cast<size_t>(stage)]) +
                       "; a stage belongs to one rank"};
        }
      }
      list.push_back(a);
    }
  }
  for (int st = 0; st < s.num_stages; ++st)
    if (s.stage_device[static_cast<size_t>(st)] < 0)
      return Error{"no rank runs stage " + std::to_string(st) + ", but stages up to " + std::to_string(max_stage) +
                   " appear; stages are numbered 0.." + std::to_string(max_stage) + " with none missing"};
  infer_chains(s);

  const OpLocator locate = [&](int d, size_t index) {
    const RankOps& r = ranks[static_cast<size_t>(d)];
    return r.file + ": " + trace.op_name(r, order[static_cast<size_t>(d)][index]);
  };
  if (Status st = validate_schedule(s, locate); !st.ok()) {
    // The checker speaks of "the schedule"; here the schedule is what the trace recorded.
    std::string message = st.error();
    const std::string lead = "the schedule ";
    if (message.rfind(lead, 0) != 0) return Error{message};
    return Error{"the trace " + message.substr(lead.size()) + " (a trace of one whole iteration is expected)"};
  }

  // On its rank, a microbatch's backward on a stage follows its forward there and its W its B:
  // the emulator would deadlock on any other order, and the activation counts would go negative.
  for (size_t d = 0; d < ranks.size(); ++d) {
    const RankOps& r = ranks[d];
    std::unordered_set<uint64_t> forward_done, backward_done;
    const auto slot = [](int32_t stage, int32_t mb) { return (static_cast<uint64_t>(static_cast<uint32_t>(stage)) << 32) | static_cast<uint32_t>(mb); };
    for (uint32_t k : order[d]) {
      const Action& a = r.actions[k];
      const auto early = [&](int32_t stage, int32_t mb, const char* what, const char* before) {
        return Error{r.file + ": " + trace.op_name(r, k) + " runs the " + what + " of stage " + std::to_string(stage) + ", microbatch " +
                     std::to_string(mb) + " before its " + before + " on rank " + std::to_string(r.rank) + " (ops in order of start time)"};
      };
      switch (a.kind) {
        case OpKind::F: forward_done.insert(slot(a.stage, a.microbatch)); break;
        case OpKind::B:
        case OpKind::BW:
          if (!forward_done.count(slot(a.stage, a.microbatch))) return early(a.stage, a.microbatch, "backward", "forward");
          backward_done.insert(slot(a.stage, a.microbatch));
          break;
        case OpKind::W:
          if (!backward_done.count(slot(a.stage, a.microbatch))) return early(a.stage, a.microbatch, "weight gradient (W)", "input backward");
          break;
        case OpKind::OV:
          forward_done.insert(slot(a.stage, a.microbatch));
          if (!forward_done.count(slot(a.stage2, a.microbatch2))) return early(a.stage2, a.microbatch2, "backward half", "forward");
          backward_done.insert(slot(a.stage2, a.microbatch2));
          break;
      }
    }
  }

  Timeline& tl = out.run.timeline;
  const auto n = static_cast<size_t>(total);
  tl.device_offset.reserve(ranks.size() + 1);
  for (auto* col : {&tl.device, &tl.stage, &tl.microbatch, &tl.stage2, &tl.microbatch2}) col->reserve(n);
  tl.kind.reserve(n);
  tl.start.reserve(n);
  tl.end.reserve(n);
  for (size_t d = 0; d < ranks.size(); ++d) {
    tl.device_offset.push_back(static_cast<uint32_t>(tl.start.size()));
    const RankOps& r = ranks[d];
    for (uint32_t k : order[d]) {
      const Action& a = r.actions[k];
      tl.device.push_back(static_cast<int32_t>(d));
      tl.stage.push_back(a.stage);
      tl.microbatch.push_back(a.microbatch);
      tl.kind.push_back(static_cast<uint8_t>(a.kind));
      tl.stage2.push_back(a.stage2);
      tl.microbatch2.push_back(a.microbatch2);
      tl.start.push_back(r.start[k] - origin);
      tl.end.push_back(r.end[k] - origin);
    }
    out.device_files.push_back(r.file);
  }
  tl.device_offset.push_back(static_cast<uint32_t>(tl.start.size()));

  Config& c = out.run.config;
  c.strategy = kMeasuredStrategyName;
  c.num_devices = P;
  c.num_stages = s.chain_length();
  c.num_batches = s.num_microbatches;
  out.run.metrics = compute_metrics(s, tl);
  return out;
}

}  // namespace ppemu::detail
