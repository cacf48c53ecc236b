// Properties every strategy's timeline must have, swept over devices, microbatches, random
// per-stage times and latencies: the emulator and each strategy checked against the model's rules.
#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <tuple>

#include "helpers.h"
#include "ppemu/metrics.h"
#include "ppemu/strategy.h"

namespace {

using namespace ppemu;

// Stage counts worth trying for a strategy on p devices: one per device, several per device, V-shape.
std::vector<int> stage_counts(int p) { return {p, 2 * p, 3 * p}; }

std::string random_list(std::mt19937& rng, int n, double lo, double hi) {
  std::uniform_real_distribution<double> dist(lo, hi);
  std::string s = "[";
  for (int i = 0; i < n; ++i) s += (i ? "," : "") + std::to_string(std::round(dist(rng) * 4) / 4 + 0.25);
  return s + "]";
}

void check_invariants(const Run& run) {
  const Schedule& s = run.schedule;
  const Timeline& tl = run.timeline;
  const CostModel costs = cost_model(run.config, s);
  const double lat = run.config.p2p_latency;
  const double eps = 1e-9;

  // Where each half-op ran: (kind, stage, mb) -> row.
  std::map<std::tuple<int, int, int>, size_t> at;  // kind 0 F, 1 B/BW (first backward), 2 W
  auto put = [&](int kind, int stage, int mb, size_t row) {
    INFO("duplicate op kind " << kind << " stage " << stage << " mb " << mb);
    REQUIRE(at.emplace(std::make_tuple(kind, stage, mb), row).second);
  };
  for (size_t i = 0; i < tl.size(); ++i) {
    const auto k = static_cast<OpKind>(tl.kind[i]);
    if (k == OpKind::F || k == OpKind::OV) put(0, tl.stage[i], tl.microbatch[i], i);
    if (k == OpKind::B || k == OpKind::BW) put(1, tl.stage[i], tl.microbatch[i], i);
    if (k == OpKind::OV) put(1, tl.stage2[i], tl.microbatch2[i], i);
    if (k == OpKind::W) put(2, tl.stage[i], tl.microbatch[i], i);
  }
  // Each (microbatch, stage) of its chain: one F, one backward, and a W exactly when the backward is split.
  for (int mb = 0; mb < s.num_microbatches; ++mb) {
    const int first = s.chain_of(mb) * s.chain_length();
    for (int st = first; st < first + s.chain_length(); ++st) {
      INFO("microbatch " << mb << " stage " << st);
      REQUIRE(at.count({0, st, mb}) == 1);
      REQUIRE(at.count({1, st, mb}) == 1);
      const size_t b = at[{1, st, mb}];
      const bool split = tl.kind[b] == static_cast<uint8_t>(OpKind::B);
      REQUIRE(at.count({2, st, mb}) == (split ? 1u : 0u));
    }
  }
  REQUIRE(at.size() == static_cast<size_t>([&] {
            size_t n = 0;
            for (size_t i = 0; i < tl.size(); ++i) n += tl.kind[i] == static_cast<uint8_t>(OpKind::OV) ? 2 : 1;
            return n;
          }()));

  auto arrival = [&](size_t dep, size_t row) { return tl.end[dep] + (tl.device[dep] == tl.device[row] ? 0 : lat); };
  auto forward_ready = [&](int stage, int mb, size_t row) {
    const int prev = s.prev_stage(stage);
    return prev < 0 ? 0.0 : arrival(at[{0, prev, mb}], row);
  };
  auto backward_ready = [&](int stage, int mb, size_t row) {
    double t = arrival(at[{0, stage, mb}], row);
    const int next = s.next_stage(stage);
    if (next >= 0) t = std::max(t, arrival(at[{1, next, mb}], row));
    return t;
  };

  for (int d = 0; d < s.num_devices; ++d) {
    double prev_end = 0;
    for (uint32_t i = tl.device_offset[static_cast<size_t>(d)]; i < tl.device_offset[static_cast<size_t>(d) + 1]; ++i) {
      INFO("device " << d << " row " << i);
      REQUIRE(tl.device[i] == d);
      REQUIRE(s.stage_device[static_cast<size_t>(tl.stage[i])] == d);
      // One op at a time, in list order.
      REQUIRE(tl.start[i] >= prev_end - eps);
      const Action a{static_cast<OpKind>(tl.kind[i]), tl.stage[i], tl.microbatch[i], tl.stage2[i], tl.microbatch2[i]};
      REQUIRE(tl.end[i] - tl.start[i] == Approx(costs.duration(a)));
      // Every dependency holds, and the op starts as early as its device order allows.
      double ready = 0;
      switch (a.kind) {
        case OpKind::F: ready = forward_ready(a.stage, a.microbatch, i); break;
        case OpKind::B:
        case OpKind::BW: ready = backward_ready(a.stage, a.microbatch, i); break;
        case OpKind::W: ready = arrival(at[{1, a.stage, a.microbatch}], i); break;
        case OpKind::OV:
          ready = std::max(forward_ready(a.stage, a.microbatch, i), backward_ready(a.stage2, a.microbatch2, i));
          break;
      }
      REQUIRE(tl.start[i] >= ready - eps);
      REQUIRE(tl.start[i] == Approx(std::max(prev_end, ready)).margin(eps));
      prev_end = tl.end[i];
    }
  }

  // Memory, counted by brute force: every allocation and free as an event, the level observed
  // after all events of one instant (frees before allocations), against the metrics' walk.
  const MemoryModel mm = memory_model(run.config, s);
  for (int d = 0; d < s.num_devices; ++d) {
    std::map<double, double> delta;  // time -> net change at that instant
    double base = 0;
    for (int st = 0; st < s.num_stages; ++st)
      if (s.stage_device[static_cast<size_t>(st)] == d) base += mm.static_memory[static_cast<size_t>(st)];
    for (uint32_t i = tl.device_offset[static_cast<size_t>(d)]; i < tl.device_offset[static_cast<size_t>(d) + 1]; ++i) {
      const auto st = static_cast<size_t>(tl.stage[i]);
      switch (static_cast<OpKind>(tl.kind[i])) {
        case OpKind::F: delta[tl.start[i]] += mm.activation[st]; break;
        case OpKind::B: delta[tl.end[i]] -= mm.activation[st] - mm.after_B[st]; break;
        case OpKind::W: delta[tl.end[i]] -= mm.after_B[st]; break;
        case OpKind::BW: delta[tl.end[i]] -= mm.activation[st]; break;
        case OpKind::OV:
          delta[tl.start[i]] += mm.activation[st];
          delta[tl.end[i]] -= mm.activation[static_cast<size_t>(tl.stage2[i])];
          break;
      }
    }
    double level = base, peak = base;
    for (const auto& [t, change] : delta) peak = std::max(peak, level += change);
    INFO("device " << d);
    REQUIRE(run.metrics.devices[static_cast<size_t>(d)].peak_memory == Approx(peak));
    REQUIRE(level == Approx(base).margin(1e-9));  // everything allocated is freed by the end
  }

  // Metrics agree with the timeline.
  double makespan = 0;
  for (double e : tl.end) makespan = std::max(makespan, e);
  REQUIRE(run.metrics.makespan == makespan);
  double busy = 0;
  for (size_t i = 0; i < tl.size(); ++i) busy += tl.end[i] - tl.start[i];
  REQUIRE(run.metrics.total_busy == Approx(busy));
}

}  // namespace

TEST_CASE("every strategy keeps the emulator's rules over a sweep of sizes, times and latencies") {
  std::mt19937 rng(20261128);
  int valid = 0, refused = 0;
  for (const Strategy* strategy : strategies()) {
    for (int p = 1; p <= 8; ++p) {
      for (int stages : stage_counts(p)) {
        for (int m = 1; m <= 4 * p; ++m) {
          Config c = test::config_of({"strategy=" + std::string(strategy->name), "num_devices=" + std::to_string(p),
                                      "num_stages=" + std::to_string(stages), "num_batches=" + std::to_string(m)});
          // Every third case gets random per-stage times and a latency; the rest the defaults.
          if ((p + m + stages) % 3 == 0) {
            for (const char* key : {"forward", "backward", "backward_D", "backward_W"})
              REQUIRE(apply_override(c, std::string("op_times.") + key, random_list(rng, stages, 0.5, 3)).ok());
            REQUIRE(apply_override(c, "p2p_latency", std::to_string((m % 4) * 0.25)).ok());
            if (m % 2) REQUIRE(apply_override(c, "op_times.overlapped_forward_backward", random_list(rng, stages, 1, 4)).ok());
          }
          // Every other case gets its own memory sizes; after_B is at most the activation by construction.
          if ((p + m) % 2 == 0) {
            const std::string act = random_list(rng, stages, 2, 4);
            REQUIRE(apply_override(c, "op_memory.activation", act).ok());
            REQUIRE(apply_override(c, "op_memory.after_B", random_list(rng, stages, 0, 1.5)).ok());
            REQUIRE(apply_override(c, "op_memory.static", random_list(rng, stages, 0, 9)).ok());
          }
          Result<Run> r = simulate(c);
          if (!r.ok()) {
            // A refusal must be a constraint message, never a stuck schedule.
            INFO(strategy->name << " p=" << p << " S=" << stages << " m=" << m << ": " << r.error());
            REQUIRE(r.error().find("can never finish") == std::string::npos);
            REQUIRE(r.error().find("never runs") == std::string::npos);
            REQUIRE(r.error().find("internal") == std::string::npos);
            ++refused;
            continue;
          }
          INFO(strategy->name << " p=" << p << " S=" << stages << " m=" << m);
          check_invariants(r.value());
          ++valid;
        }
      }
    }
  }
  CHECK(valid > 500);
  CHECK(refused > 0);
}
