// Replay: the measured order emulated with the fitted times, compared op by op with the trace;
// what-if: the fitted times under another strategy, chunk or microbatch count.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "ppemu/trace_fit.h"

namespace ppemu {
namespace {

std::string ms(double v) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.4g ms", v);
  return buf;
}

std::string percent(double v) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.1f%%", v * 100);
  return buf;
}

double mean_start_error(const Timeline& measured, const Timeline& replay) {
  double sum = 0;
  for (size_t i = 0; i < measured.size(); ++i) sum += std::fabs(replay.start[i] - measured.start[i]);
  return measured.size() ? sum / static_cast<double>(measured.size()) : 0;
}

const char* kind_key(OpKind k) {
  switch (k) {
    case OpKind::F: return "forward";
    case OpKind::B: return "backward_D";
    case OpKind::W: return "backward_W";
    case OpKind::BW: return "backward";
    case OpKind::OV: return "overlapped_forward_backward";
  }
  return "";
}

// What the deviations say, each sentence computed from the figures it names.
std::vector<std::string> causes_of(const MeasuredRun& measured, const TraceFit& fit, const Replay& r) {
  std::vector<std::string> out;
  const double mk = r.measured_makespan, rk = r.run.metrics.makespan;
  const double rel = mk > 0 ? (mk - rk) / mk : 0;
  if (std::fabs(rel) < 0.01) {
    out.push_back("the replay's makespan is within 1% of the measured one: the op times and one latency explain the trace");
  } else if (rel > 0) {
    out.push_back("the measured run takes " + ms(mk - rk) + " (" + percent(rel) +
                  ") longer than its own order replayed: time the model has no term for, such as host gaps between ops, sends that "
                  "wait for their receiver (rendezvous; p2p_mode=sync charges only the transfer), or compute slowed by concurrent "
                  "communication (contention)");
  } else {
    out.push_back("the replay takes " + ms(rk - mk) + " (" + percent(-rel) +
                  ") longer than the measured run: the median op times overstate the ops on the critical path, or transfers overlapped "
                  "more than one p2p_latency per hop allows");
  }
  // The widest spread: a median hides stragglers.
  double widest = 0;
  std::string widest_text;
  for (size_t st = 0; st < fit.stages.size(); ++st) {
    const StageFit& f = fit.stages[st];
    const Spread* kinds[] = {&f.forward, &f.backward_D, &f.backward_W, &f.backward, &f.overlapped};
    for (int k = 0; k < kNumOpKinds; ++k) {
      const Spread& s = *kinds[k];
      if (s.count < 2 || s.median <= 0) continue;
      const double ratio = (s.max - s.min) / s.median;
      if (ratio > 0.1 && ratio > widest) {
        widest = ratio;
        widest_text = "stage " + std::to_string(st) + "'s " + kind_key(static_cast<OpKind>(k)) + " ops range from " + ms(s.min) + " to " +
                      ms(s.max) + " around a median of " + ms(s.median) + ": the fitted median hides slow ops (stragglers, contention)";
      }
    }
  }
  if (!widest_text.empty()) out.push_back(widest_text);
  // The device whose idle time the model misses most.
  size_t worst = 0;
  double gap = 0;
  for (size_t d = 0; d < r.devices.size(); ++d) {
    const double g = r.devices[d].measured_idle - r.devices[d].replay_idle;
    if (std::fabs(g) > std::fabs(gap)) gap = g, worst = d;
  }
  if (mk > 0 && std::fabs(gap) > 0.01 * mk)
    out.push_back("device " + std::to_string(worst) + " idles " + ms(std::fabs(gap)) + (gap > 0 ? " more" : " less") +
                  " in the trace than in the replay");
  if (fit.skewed > 0)
    out.push_back(std::to_string(fit.skewed) + " ops start before their input from another rank ends (by up to " + ms(fit.worst_skew_ms) +
                  "): those ranks' clocks disagree; trace.offset_ms.<rank>=MS moves a rank's clock");
  (void)measured;
  return out;
}

}  // namespace

Result<Replay> replay_trace(const MeasuredRun& measured, const TraceFit& fit, const Limits& limits) {
  Replay r;
  r.measured_makespan = measured.run.metrics.makespan;
  Result<Run> runs[2] = {Error{""}, Error{""}};
  for (P2pMode mode : {P2pMode::Async, P2pMode::Sync}) {
    Config c = fit.config;
    c.p2p_mode = mode;
    Result<Run> run = simulate_schedule(c, measured.run.schedule, nullptr, limits);
    if (!run.ok()) return Error{"replaying the measured order: " + run.error()};
    runs[static_cast<int>(mode)] = std::move(run);
  }
  r.async_error_ms = mean_start_error(measured.run.timeline, runs[0]->timeline);
  r.sync_error_ms = mean_start_error(measured.run.timeline, runs[1]->timeline);
  // Ties go to async, the model every strategy run uses.
  r.mode = r.sync_error_ms < r.async_error_ms ? P2pMode::Sync : P2pMode::Async;
  char buf[200];
  if (fit.config.p2p_latency == 0) {
    std::snprintf(buf, sizeof buf, "p2p_mode=async: p2p_latency fits 0, so sync sends cost nothing more (mean |start error| %.4g ms)",
                  r.async_error_ms);
  } else {
    const bool sync = r.mode == P2pMode::Sync;
    std::snprintf(buf, sizeof buf, "p2p_mode=%s fits better: mean |start error| %.4g ms, against %.4g ms with p2p_mode=%s",
                  sync ? "sync" : "async", sync ? r.sync_error_ms : r.async_error_ms, sync ? r.async_error_ms : r.sync_error_ms,
                  sync ? "async" : "sync");
  }
  r.choice = buf;
  r.run = std::move(runs[static_cast<int>(r.mode)]).value();
  r.run.config.strategy = kReplayStrategyName;

  const Metrics& mm = measured.run.metrics;
  const Metrics& rm = r.run.metrics;
  for (size_t d = 0; d < mm.devices.size(); ++d) {
    DeviceError e;
    e.measured_end = mm.devices[d].span_end;
    e.replay_end = rm.devices[d].span_end;
    e.measured_busy = mm.devices[d].busy;
    e.replay_busy = rm.devices[d].busy;
    e.measured_idle = mm.devices[d].idle;
    e.replay_idle = rm.devices[d].idle;
    r.devices.push_back(e);
  }
  const Timeline& mt = measured.run.timeline;
  const Timeline& rt = r.run.timeline;
  std::vector<uint32_t> rows(mt.size());
  std::iota(rows.begin(), rows.end(), 0u);
  auto dev = [&](uint32_t i) { return std::fabs(rt.start[i] - mt.start[i]); };
  const size_t keep = std::min<size_t>(10, rows.size());
  std::partial_sort(rows.begin(), rows.begin() + static_cast<long>(keep), rows.end(),
                    [&](uint32_t a, uint32_t b) { return dev(a) > dev(b) || (dev(a) == dev(b) && a < b); });
  for (size_t k = 0; k < keep; ++k) {
    if (dev(rows[k]) == 0) break;
    r.worst.push_back({rows[k], mt.start[rows[k]], rt.start[rows[k]]});
  }
  r.causes = causes_of(measured, fit, r);
  return r;
}

void adopt_fit(MeasuredRun& measured, const TraceFit& fit, P2pMode mode) {
  Config& c = measured.run.config;
  c.op_times = fit.config.op_times;
  c.p2p_latency = fit.config.p2p_latency;
  c.p2p_latency_given = true;
  c.p2p_mode = mode;
}

Result<Config> what_if_config(const TraceFit& fit, const std::function<Status(Config&)>& overrides, std::string* note) {
  Config c = fit.config;
  if (Status st = overrides(c); !st.ok()) return Error{st.error()};
  const int from = fit.config.num_stages, to = c.num_stages;
  if (to == from || to < 1) return c;
  // Stage s of `from` covers [s*to, (s+1)*to) and stage j of `to` covers [j*from, (j+1)*from), in
  // units of 1/(from*to) of the model: exact integers, so halving and doubling stay exact.
  auto remap = [&](const StageTimes& t) {
    std::vector<double> out(static_cast<size_t>(to), 0);
    for (int j = 0; j < to; ++j)
      for (int s = 0; s < from; ++s) {
        const int64_t lo = std::max<int64_t>(int64_t{s} * to, int64_t{j} * from);
        const int64_t hi = std::min<int64_t>(int64_t{s + 1} * to, int64_t{j + 1} * from);
        if (hi > lo) out[static_cast<size_t>(j)] += t.at(s) * static_cast<double>(hi - lo) / to;
      }
    return StageTimes::of(out);
  };
  Config base = fit.config;
  base.num_stages = to;
  OpTimes& t = base.op_times;
  t.forward = remap(fit.config.op_times.forward);
  t.backward = remap(fit.config.op_times.backward);
  t.backward_D = remap(fit.config.op_times.backward_D);
  t.backward_W = remap(fit.config.op_times.backward_W);
  if (t.overlapped_forward_backward) t.overlapped_forward_backward = remap(*fit.config.op_times.overlapped_forward_backward);
  if (Status st = overrides(base); !st.ok()) return Error{st.error()};
  if (note)
    *note = "num_stages " + std::to_string(to) + " differs from the trace's " + std::to_string(from) +
            ": each measured stage's op times are spread over the new stages in proportion to the layers each covers (same model)";
  return base;
}

}  // namespace ppemu
