// Fitted op times: the median of each kind at each model stage, and the median latency of the
// transfers that someone waited for.
#include <algorithm>
#include <cmath>
#include <limits>

#include "ppemu/trace_fit.h"

namespace ppemu {
namespace {

// Durations measured as 0 (a timer that read the same instant twice) cannot be an op time; the
// fitted value becomes this, with a note.
constexpr double kSmallestTimeMs = 1e-6;

Spread spread_of(std::vector<double>& v) {
  Spread s;
  s.count = static_cast<int>(v.size());
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  s.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  s.min = v.front();
  s.max = v.back();
  return s;
}

}  // namespace

TraceFit fit_trace(const MeasuredRun& measured) {
  const Schedule& s = measured.run.schedule;
  const Timeline& tl = measured.run.timeline;
  const int L = s.chain_length();
  const auto Ls = static_cast<size_t>(L);
  std::vector<std::vector<double>> samples(Ls * kNumOpKinds);
  for (size_t i = 0; i < tl.size(); ++i)
    samples[static_cast<size_t>(tl.stage[i] % L) * kNumOpKinds + tl.kind[i]].push_back(tl.end[i] - tl.start[i]);

  TraceFit fit;
  fit.stages.resize(Ls);
  for (size_t st = 0; st < Ls; ++st) {
    StageFit& f = fit.stages[st];
    auto take = [&](OpKind k) { return spread_of(samples[st * kNumOpKinds + static_cast<size_t>(k)]); };
    f.forward = take(OpKind::F);
    f.backward_D = take(OpKind::B);
    f.backward_W = take(OpKind::W);
    f.backward = take(OpKind::BW);
    f.overlapped = take(OpKind::OV);
  }

  // Kinds a stage did not run come from the kinds it did: a full backward is B + W; a split of a
  // measured full backward is even (the Zero Bubble papers' T_B = T_W, Qi et al. 2024 §2).
  bool split_evenly = false, joined = false, forward_borrowed = false, zero = false, overlap_filled = false;
  bool any_overlap = false;
  std::vector<double> all_forward;
  for (const StageFit& f : fit.stages) {
    if (f.forward.count) all_forward.push_back(f.forward.median);
    any_overlap = any_overlap || f.overlapped.count > 0;
  }
  const double forward_fallback = all_forward.empty() ? OpTimes{}.forward.scalar : spread_of(all_forward).median;
  std::vector<double> F(Ls), BW(Ls), B(Ls), W(Ls), OV(Ls);
  for (size_t st = 0; st < Ls; ++st) {
    StageFit& f = fit.stages[st];
    F[st] = f.forward.count ? f.forward.median : (forward_borrowed = true, forward_fallback);
    if (f.backward.count) {
      BW[st] = f.backward.median;
    } else if (f.backward_D.count) {
      BW[st] = f.backward_D.median + (f.backward_W.count ? f.backward_W.median : 0);
      joined = true;
    } else {
      BW[st] = 2 * F[st];  // no backward of any kind: OpTimes' default ratio
      forward_borrowed = true;
    }
    B[st] = f.backward_D.count ? f.backward_D.median : (split_evenly = true, BW[st] / 2);
    W[st] = f.backward_W.count ? f.backward_W.median : (f.backward_D.count ? 0 : BW[st] / 2);
    if (any_overlap) OV[st] = f.overlapped.count ? f.overlapped.median : (overlap_filled = true, F[st] + BW[st]);
    for (double* v : {&F[st], &BW[st], &B[st], &OV[st]})
      if (*v < kSmallestTimeMs && (v != &OV[st] || any_overlap)) *v = kSmallestTimeMs, zero = true;
  }
  if (joined) fit.notes.push_back("op_times.backward (full) = backward_D + backward_W where only the split was measured");
  if (split_evenly)
    fit.notes.push_back("op_times.backward_D = backward_W = backward / 2 where only full backwards were measured (the Zero Bubble papers' B = W)");
  if (forward_borrowed) fit.notes.push_back("a stage with no forward or no backward measured takes the median of the others (or the defaults)");
  if (overlap_filled) fit.notes.push_back("op_times.overlapped_forward_backward = forward + backward at stages with no OV unit measured");
  if (zero) fit.notes.push_back("ops measured as taking no time are fitted as 1e-6 ms (an op time must be positive)");

  Config& c = fit.config;
  c.num_devices = s.num_devices;
  c.num_stages = L;
  c.num_batches = s.num_microbatches;
  c.op_times.forward = StageTimes::of(F);
  c.op_times.backward = StageTimes::of(BW);
  c.op_times.backward_D = StageTimes::of(B);
  c.op_times.backward_W = StageTimes::of(W);
  if (any_overlap) c.op_times.overlapped_forward_backward = StageTimes::of(OV);

  // Transfers: where a consumer on another device waited, the gap since its latest input ended.
  const auto m = static_cast<size_t>(s.num_microbatches);
  constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();
  std::vector<uint32_t> f_row(static_cast<size_t>(s.num_stages) * m, kNone), b_row(f_row.size(), kNone);
  for (uint32_t i = 0; i < tl.size(); ++i) {
    const auto k = static_cast<OpKind>(tl.kind[i]);
    const size_t slot = static_cast<size_t>(tl.stage[i]) * m + static_cast<size_t>(tl.microbatch[i]);
    if (k == OpKind::F || k == OpKind::OV) f_row[slot] = i;
    if (k == OpKind::B || k == OpKind::BW) b_row[slot] = i;
    if (k == OpKind::OV) b_row[static_cast<size_t>(tl.stage2[i]) * m + static_cast<size_t>(tl.microbatch2[i])] = i;
  }
  std::vector<double> gaps;
  for (int d = 0; d < s.num_devices; ++d) {
    const uint32_t lo = tl.device_offset[static_cast<size_t>(d)], hi = tl.device_offset[static_cast<size_t>(d) + 1];
    for (uint32_t i = lo; i < hi; ++i) {
      const double free = i > lo ? tl.end[i - 1] : 0;
      const double latest_local = i > lo ? tl.end[i - 1] : 0;
      uint32_t producer = kNone;
      double latest = -std::numeric_limits<double>::infinity();
      auto input = [&](int stage, int mb, bool forward) {
        if (stage < 0) return;
        const uint32_t row = (forward ? f_row : b_row)[static_cast<size_t>(stage) * m + static_cast<size_t>(mb)];
        if (row == kNone || tl.device[row] == d) return;
        if (tl.end[row] > latest) latest = tl.end[row], producer = row;
      };
      const auto k = static_cast<OpKind>(tl.kind[i]);
      auto halves = [&](OpKind kind, int stage, int mb) {
        if (kind == OpKind::F) input(s.prev_stage(stage), mb, true);
        if (kind == OpKind::B || kind == OpKind::BW) input(s.next_stage(stage), mb, false);
      };
      if (k == OpKind::OV) {
        halves(OpKind::F, tl.stage[i], tl.microbatch[i]);
        halves(OpKind::BW, tl.stage2[i], tl.microbatch2[i]);
      } else {
        halves(k, tl.stage[i], tl.microbatch[i]);
      }
      if (producer == kNone || latest < latest_local) continue;  // its own device held it, not a transfer
      const double gap = tl.start[i] - latest;
      if (gap < -kSmallestTimeMs) {
        ++fit.skewed;
        fit.worst_skew_ms = std::max(fit.worst_skew_ms, -gap);
      } else if (tl.start[i] > free + kSmallestTimeMs || i == lo) {
        gaps.push_back(std::max(0.0, gap));
      }
    }
  }
  fit.p2p = spread_of(gaps);
  c.p2p_latency = fit.p2p.count ? fit.p2p.median : 0;
  c.p2p_latency_given = true;
  if (!fit.p2p.count) fit.notes.push_back("no op waited for a transfer from another device, so p2p_latency is fitted as 0");
  return fit;
}

}  // namespace ppemu
