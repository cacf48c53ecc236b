// zb_auto: the Zero Bubble paper's automatic schedule under a memory limit (Qi et al., "Zero Bubble
// Pipeline Parallelism", ICLR 2024 §3). ppemu's own implementation of the heuristic the authors
// publish in sail-sg/zero-bubble-pipeline-parallelism (`scheduler/zb.py`, `Graph.manual_order` and
// `initial_solution`; their ILP refinement is switched off there too). It builds each stage's order
// microbatch by microbatch while timing it the way the emulator does:
//   1. warm-up: every stage starts one F; then, from the last stage up, a stage adds F's while they
//      fit in its memory and start before its first B can arrive (choice A: only F's that also end
//      by then, which may leave a bubble before the first B); stage j keeps fewer than stage j-1.
//   2. steady state, per microbatch: an F on every stage that may take one (choice P: a stage two or
//      more F's ahead of the next one skips its F when the next stage's F and B would make it wait
//      anyway), then B from the last stage up. Before each F or B the stage runs W's while memory
//      does not fit, and W's that end before the op's input arrives; a gap shorter than a W gets one
//      anyway when leaving it idle would make this stage the one that idles most, and with choice G
//      also when it would not.
//   3. each stage ends with its remaining W's.
// The heuristic runs for all eight (A, P, G) and keeps the first with the shortest longest device
// span (first F start to last W end), the authors' objective. Their times and memory arithmetic are
// reproduced operation for operation, so ties break the same way. A run the authors' code would
// reject is dropped: one that finds no W to free memory (their ValueError), one whose times break a
// dependency (their final assertion: the warm-up can give a stage more F's than the stage before it
// when both reach the last microbatch, and those F's are timed before their input exists), and one
// that leaves F's unscheduled (the same warm-up starves the stage before; their code does not
// notice). Only when all eight are dropped does ppemu run its fallback: the same eight with the
// paper's own invariant kept in the warm-up (stage i always has more F's than stage i+1 until they
// run out) and rounding at the memory limit forgiven.
//
// Memory, per stage j in op_memory units: F allocates activation_j, B frees activation_j - after_B_j,
// W frees after_B_j; the limit is zb_memory_limit x num_devices x activation_j (static memory is
// outside it). The authors' runtime uses F: 34h + 5as, B: -(2h + 5as), W: -32h per token per layer,
// which is op_memory.activation = 34h + 5as, op_memory.after_B = 32h.
#include "strategies/zb_auto.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "config/values.h"
#include "ppemu/emulator.h"
#include "strategies/common.h"

namespace ppemu {
namespace detail {
namespace {

struct Inputs {
  int p = 0, m = 0;
  std::vector<double> cost_f, cost_b, cost_w;  ///< per stage
  double comm = 0;
  std::vector<double> mem_f, mem_b, mem_w, max_mem;  ///< per stage; mem_b, mem_w <= 0
};

// One run of the heuristic for one (A, P, G). Stage j = device j. Field names follow the quantities
// of the authors' description: f/b/w ops put so far, memory held, end of the last op, the stage's
// accumulated idle time after its first F.
class Heuristic {
 public:
  /// `fallback`: a warm-up that keeps every stage at fewer F's than the stage before it unless
  /// both have them all (the invariant the paper states for the heuristic).
  Heuristic(const Inputs& in, bool allow_bubble_before_first_b, bool prioritize_b, bool no_bubble_greedy, bool fallback)
      : in_(in), allow_(allow_bubble_before_first_b), prioritize_b_(prioritize_b), greedy_(no_bubble_greedy), fallback_(fallback) {
    const auto p = static_cast<size_t>(in.p);
    f_.assign(p, 0);
    b_.assign(p, 0);
    w_.assign(p, 0);
    mem_.assign(p, 0);
    end_.assign(p, 0);
    bubble_.assign(p, 0);
    end_f_.assign(p * static_cast<size_t>(in.m), 0);
    end_b_.assign(p * static_cast<size_t>(in.m), 0);
    order_.resize(p);
    for (auto& list : order_) list.reserve(3 * static_cast<size_t>(in.m));
  }

  /// False when a stage would have to exceed its limit with no W left to free memory.
  bool run() {
    const int p = in_.p, m = in_.m;
    for (int i = 0; i < m; ++i) {
      if (i == 0) {
        warm_up();
        continue;
      }
      std::vector<int> required(static_cast<size_t>(p), 0);
      for (int j = 0; j < p; ++j) required[static_cast<size_t>(j)] = wants_forward(j) ? 1 : 0;
      // A stage takes an F only if the next one does: stage j stays ahead of stage j+1.
      for (int j = p - 2; j >= 0; --j)
        required[static_cast<size_t>(j)] = std::min(required[static_cast<size_t>(j)], required[static_cast<size_t>(j) + 1]);
      for (int j = 0; j < p; ++j) {
        if (!required[static_cast<size_t>(j)]) continue;
        if (!free_until_fits(j, in_.mem_f[static_cast<size_t>(j)])) return false;
        if (j > 0) fill_gap(j, ef(j - 1, f(j)) + in_.comm);
        put(j, OpKind::F);
      }
      for (int j = p - 1; j >= 0; --j) {
        if (!free_until_fits(j, in_.mem_b[static_cast<size_t>(j)])) return false;
        if (j + 1 < p) fill_gap(j, eb(j + 1, i) + in_.comm);
        if (j == 0 && f(j) == m)
          while (w(j) < b(j)) put(j, OpKind::W);
        put(j, OpKind::B);
      }
    }
    for (int j = 0; j < p; ++j)
      while (w(j) < m) put(j, OpKind::W);
    return true;
  }

  /// Whether the run is one the authors' code accepts. Their warm-up can leave a stage more F's
  /// than the stage before it when both reach the last microbatch; the extra F's are then timed
  /// before their input exists (their final assertion stops there), or the stage before never
  /// gets its remaining F's (an incomplete order their code does not notice). Both are dropped.
  bool consistent() const {
    const int p = in_.p, m = in_.m;
    for (int j = 0; j < p; ++j)
      if (f_[static_cast<size_t>(j)] != m) return false;
    for (int j = 0; j < p; ++j) {
      const auto s = static_cast<size_t>(j);
      for (int mb = 0; mb < m; ++mb) {
        if (j > 0 && !(ef(j, mb) >= ef(j - 1, mb) + in_.comm + in_.cost_f[s])) return false;
        if (j + 1 < p && !(eb(j, mb) >= eb(j + 1, mb) + in_.comm + in_.cost_b[s])) return false;
      }
    }
    return true;
  }

  /// The authors' objective: per stage, last W end - first F end + F; the largest.
  double longest_span() const {
    double best = 0;
    for (int j = 0; j < in_.p; ++j) best = std::max(best, end_[static_cast<size_t>(j)] - ef(j, 0) + in_.cost_f[static_cast<size_t>(j)]);
    return best;
  }

  std::vector<std::vector<Action>>& order() { return order_; }

 private:
  int& f(int j) { return f_[static_cast<size_t>(j)]; }
  int& b(int j) { return b_[static_cast<size_t>(j)]; }
  int& w(int j) { return w_[static_cast<size_t>(j)]; }
  double& ef(int j, int mb) { return end_f_[static_cast<size_t>(j) * static_cast<size_t>(in_.m) + static_cast<size_t>(mb)]; }
  double ef(int j, int mb) const { return end_f_[static_cast<size_t>(j) * static_cast<size_t>(in_.m) + static_cast<size_t>(mb)]; }
  double& eb(int j, int mb) { return end_b_[static_cast<size_t>(j) * static_cast<size_t>(in_.m) + static_cast<size_t>(mb)]; }
  double eb(int j, int mb) const { return end_b_[static_cast<size_t>(j) * static_cast<size_t>(in_.m) + static_cast<size_t>(mb)]; }

  // Appends the stage's next op of `kind` and times it: after the stage's last op, and for F (B)
  // after the previous (next) stage's F (B) of the same microbatch plus the latency.
  void put(int j, OpKind kind) {
    const auto s = static_cast<size_t>(j);
    int& count = kind == OpKind::F ? f(j) : kind == OpKind::B ? b(j) : w(j);
    const double cost = kind == OpKind::F ? in_.cost_f[s] : kind == OpKind::B ? in_.cost_b[s] : in_.cost_w[s];
    const double mem = kind == OpKind::F ? in_.mem_f[s] : kind == OpKind::B ? in_.mem_b[s] : in_.mem_w[s];
    double t = end_[s] + cost;
    const double no_bubble = t;
    if (kind == OpKind::F && j > 0) t = std::max(t, ef(j - 1, count) + in_.comm + cost);
    if (kind == OpKind::B && j < in_.p - 1) t = std::max(t, eb(j + 1, count) + in_.comm + cost);
    if (f(j) > 0) {
      bubble_[s] += t - no_bubble;
      max_bubble_ = std::max(max_bubble_, bubble_[s]);  // bubbles only grow: the running max is the max
    }
    end_[s] = t;
    if (kind == OpKind::F) ef(j, count) = t;
    if (kind == OpKind::B) eb(j, count) = t;
    mem_[s] += mem;
    append(order_[s], kind, j, count);
    ++count;
  }

  // Step 1. The last stage's B can start right after its first F; going up, each stage's first B
  // can start when the one below has finished it (last_t), and the stage adds F's until then.
  void warm_up() {
    const int p = in_.p, m = in_.m;
    for (int j = 0; j < p; ++j) put(j, OpKind::F);
    std::vector<int> extra(static_cast<size_t>(p), 0);
    double last_t = 0;
    for (int j = p - 1; j >= 0; --j) {
      const auto s = static_cast<size_t>(j);
      if (j == p - 1) {
        last_t = ef(j, 0) + in_.cost_b[s];
        continue;
      }
      double mem = mem_[s], t = end_[s];
      while (f(j) + extra[s] < m && mem + in_.mem_f[s] <= in_.max_mem[s]) {
        if (allow_ ? t + in_.cost_f[s] > last_t + in_.comm : t >= last_t + in_.comm) break;
        mem += in_.mem_f[s];
        t += in_.cost_f[s];
        ++extra[s];
      }
      last_t = std::max(t, last_t + in_.comm) + in_.cost_b[s];
    }
    for (int j = 1; j < p; ++j) {
      const auto s = static_cast<size_t>(j);
      if (fallback_) {
        while (extra[s] > 0 && (extra[s] > extra[s - 1] || (extra[s] == extra[s - 1] && f(j) + extra[s] < m))) --extra[s];
      } else {
        while (extra[s] > 0 && extra[s] >= extra[s - 1] && f(j) + extra[s] < m) --extra[s];
      }
    }
    for (int j = 0; j < p; ++j)
      for (int k = 0; k < extra[static_cast<size_t>(j)]; ++k) put(j, OpKind::F);
    for (int j = p - 1; j >= 0; --j) put(j, OpKind::B);
  }

  // Step 2's choice P: whether stage j takes an F this microbatch.
  bool wants_forward(int j) {
    const auto s = static_cast<size_t>(j);
    if (f(j) >= in_.m) return false;
    if (!(j + 1 < in_.p && f(j) >= f(j + 1) + 2 && prioritize_b_)) return true;
    // When the next stage would run its F and B before this stage's B can start anyway.
    const double next_plus_fw = end_[s + 1] + in_.cost_f[s + 1] + in_.cost_b[s + 1] + in_.comm;
    if (end_[s] >= next_plus_fw) return false;
    double w_cost = 0, mem_with_w = mem_[s] + in_.mem_f[s];
    for (int k = 0; mem_with_w > in_.max_mem[s] && w(j) + k < b(j); ++k) {
      w_cost += in_.cost_w[s];
      mem_with_w += in_.mem_w[s];
    }
    if (end_[s] + in_.cost_f[s] + w_cost <= next_plus_fw) return true;
    // Skip when the wait it saves is no larger than the idle time this stage may still add
    // without becoming the stage that idles most.
    return !(next_plus_fw - end_[s] <= max_bubble_ - bubble_[s]);
  }

  // W's until an op needing `mem` fits; false if none is left to run.
  bool free_until_fits(int j, double mem) {
    const auto s = static_cast<size_t>(j);
    while (mem_[s] + mem > in_.max_mem[s]) {
      if (w(j) >= b(j)) return false;
      put(j, OpKind::W);
    }
    return true;
  }

  // W's that end before the next op's input arrives at `ready`, then one more into a shorter gap
  // when choice G says so (or when the gap would make this stage idle most).
  void fill_gap(int j, double ready) {
    const auto s = static_cast<size_t>(j);
    while (w(j) < b(j) && end_[s] + in_.cost_w[s] <= ready) put(j, OpKind::W);
    if (w(j) < b(j) && end_[s] < ready) {
      if (ready - end_[s] <= max_bubble_ - bubble_[s]) {
        if (greedy_) put(j, OpKind::W);
      } else {
        put(j, OpKind::W);
      }
    }
  }

  const Inputs& in_;
  const bool allow_, prioritize_b_, greedy_, fallback_;
  std::vector<int> f_, b_, w_;
  std::vector<double> mem_, end_, bubble_;
  double max_bubble_ = 0;
  std::vector<double> end_f_, end_b_;  ///< end of F / B of (stage, microbatch), stage-major
  std::vector<std::vector<Action>> order_;
};

Inputs inputs_of(const Config& c) {
  Inputs in;
  in.p = c.num_devices;
  in.m = c.num_batches;
  const Schedule shape = make_schedule(c.num_devices, linear_placement(c.num_devices), c.num_batches);
  const CostModel costs = cost_model(c, shape);
  in.cost_f = costs.forward;
  in.cost_b = costs.backward_D;
  in.cost_w = costs.backward_W;
  in.comm = costs.p2p_latency;
  for (int j = 0; j < in.p; ++j) {
    const double act = c.op_memory.activation.at(j), kept = c.op_memory.after_B_at(j);
    in.mem_f.push_back(act);
    in.mem_b.push_back(kept - act);
    in.mem_w.push_back(-kept);
    in.max_mem.push_back(c.zb_memory_limit * in.p * act);
  }
  return in;
}

}  // namespace

double zb_auto_min_limit(int num_devices) {
  double k = 1.0 / num_devices;
  while (k * num_devices < 1) k = std::nextafter(k, 2.0);
  return k;
}

Result<ZbAutoSearch> zb_auto_search(const Config& c) {
  const Inputs authors = inputs_of(c);
  // The fallback also forgives rounding at the limit: freeing after_B after activation - after_B
  // can leave a stage a hair above zero, and an F that fits exactly then "does not fit".
  Inputs forgiving = authors;
  for (double& limit : forgiving.max_mem) limit += 1e-9 * limit;
  ZbAutoSearch search;
  for (bool fallback : {false, true}) {
    const Inputs& in = fallback ? forgiving : authors;
    for (bool allow : {true, false}) {
      for (bool prioritize : {true, false}) {
        for (bool greedy : {true, false}) {
          Heuristic h(in, allow, prioritize, greedy, fallback);
          if (!h.run() || !h.consistent()) continue;
          ZbAutoTrial trial;
          trial.allow_bubble_before_first_b = allow;
          trial.prioritize_b = prioritize;
          trial.no_bubble_greedy = greedy;
          trial.fallback = fallback;
          trial.longest_span = h.longest_span();
          trial.schedule = make_schedule(in.p, linear_placement(in.p), in.m);
          trial.schedule.device_actions = std::move(h.order());
          if (!search.trials.empty() && trial.longest_span < search.trials[static_cast<size_t>(search.chosen)].longest_span)
            search.chosen = static_cast<int>(search.trials.size());
          search.trials.push_back(std::move(trial));
        }
      }
    }
    // The fallback runs only when none of the authors' eight runs holds up.
    if (!search.trials.empty()) break;
  }
  // Memory cannot stop a fallback run (K x p >= 1: each F fits once the stage's earlier W's have
  // run), and its warm-up keeps every F after its input: this is a guard, not an expected path.
  if (search.trials.empty()) return Error{"zb_auto: internal error: no run of the heuristic gave a complete order; please report this config"};
  return search;
}

}  // namespace detail

namespace {

Result<Schedule> generate(const Config& c) {
  if (Status st = detail::require_one_stage_per_device(c, "zb_auto"); !st.ok()) return Error{st.error()};
  const double least = detail::zb_auto_min_limit(c.num_devices);
  if (c.zb_memory_limit * c.num_devices < 1)
    return Error{"zb_auto needs zb_memory_limit >= " + detail::show_number(least) + " = 1/num_devices on " +
                 std::to_string(c.num_devices) + " devices (got " + detail::show_number(c.zb_memory_limit) +
                 "): each device must hold at least one activation; try zb_memory_limit=" + detail::show_number(least)};
  Result<detail::ZbAutoSearch> search = detail::zb_auto_search(c);
  if (!search.ok()) return Error{search.error()};
  return std::move(search->trials[static_cast<size_t>(search->chosen)].schedule);
}

std::vector<Formula> formulas(const Config& c, const Metrics& mx) {
  const auto u = detail::uniform_times(c);
  const double p = c.num_devices, m = c.num_batches;
  const bool equal = u.F == u.B && u.B == u.W;
  // The paper's statements count memory as F: +1, B: 0, W: -1 (nothing freed before W).
  bool kept_whole = true;
  for (int s = 0; s < c.num_stages; ++s) kept_whole = kept_whole && c.op_memory.after_B_at(s) == c.op_memory.activation.at(s);
  return {
      detail::formula("makespan", "m(F+B+W) + (p-1)(F+B-W)", m * (u.F + u.B + u.W) + (p - 1) * (u.F + u.B - u.W),
                      mx.makespan,
                      "Qi et al. 2024 §3: ZB-1p (limit p M_B) reaches ZB-H1's bubble (p-1)(F+B-W); checked against the "
                      "authors' heuristic",
                      c, "F = B = W; zb_memory_limit = 1; num_batches >= num_devices; op_memory.after_B = activation",
                      equal && c.zb_memory_limit == 1 && m >= p && kept_whole),
      detail::formula("span bubble ratio", "0", 0, mx.span_bubble_ratio,
                      "Qi et al. 2024 §3: ZB-2p (limit 2p M_B) has no bubble when F = B = W; checked against the authors' "
                      "heuristic",
                      c, "F = B = W; zb_memory_limit >= 2; num_batches >= 2 x num_devices - 1; op_memory.after_B = activation",
                      equal && c.zb_memory_limit >= 2 && m >= 2 * p - 1 && kept_whole),
  };
}

}  // namespace

extern const Strategy kZbAuto;
const Strategy kZbAuto = {"zb_auto", {"zb_1p_2p", "zbauto"},
                          "Zero Bubble's automatic schedule: its heuristic orders F, B, W from the op times, latency and "
                          "memory, within zb_memory_limit x 1F1B's activation memory (1 = ZB-1p, 2 = ZB-2p)",
                          "num_stages = num_devices; zb_memory_limit >= 1/num_devices", generate, formulas, {"zb_memory_limit"}};

}  // namespace ppemu
