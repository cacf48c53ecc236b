// Interleaved placements beyond Megatron's plain 1F1B: combined 1F1B (overlapped steady pairs),
// PyTorch's LoopedBFS and InterleavedZeroBubble. Hand-worked small cases, closed forms on grids,
// constraint errors.
#include "helpers.h"

using namespace ppemu;

namespace {

Run run(const std::string& strategy, int p, int v, int m, std::initializer_list<std::string> extra = {}) {
  return test::sized_run(strategy, p, p * v, m, extra);
}

Run run_timed(const std::string& strategy, int p, int v, int m, double F, double B, double W, double Bf,
              double latency = 0) {
  return run(strategy, p, v, m,
             {"op_times.forward=" + std::to_string(F), "op_times.backward_D=" + std::to_string(B),
              "op_times.backward_W=" + std::to_string(W), "op_times.backward=" + std::to_string(Bf),
              "p2p_latency=" + std::to_string(latency)});
}

// Forwards a device runs before its first op that holds a backward.
int leading_forwards(const std::vector<Action>& list) {
  int n = 0;
  while (n < static_cast<int>(list.size()) && list[static_cast<size_t>(n)].kind == OpKind::F) ++n;
  return n;
}

}  // namespace

// ---- 1f1b_interleave_overlap (Megatron combined 1F1B) ----

TEST_CASE("1f1b_interleave_overlap p=2 v=2 m=4: order and timeline worked out by hand") {
  Run r = run("1f1b_interleave_overlap", 2, 2, 4);
  // Table (N = 2): (mb, chunk) = 0,0 1,0 0,1 1,1 2,0 3,0 2,1 3,1. Rank 0 warms up with
  // 2(p-1) + (v-1)N + 1 = 5 forwards, rank 1 with 3; each steady step is one overlapped unit
  // (next forward & next backward), the k-th backward on chunk v-1-chunk(k).
  CHECK(ascii_order(r.schedule) ==
        "d0: F0 F1 f0 f1 F2 F3&bw0 f2&bw1 f3&BW0 BW1 bw2 bw3 BW2 BW3\n"
        "d1: F0 F1 f0 f1&bw0 F2&bw1 F3&BW0 f2&BW1 f3&bw2 bw3 BW2 BW3\n");
  // F = 1, full backward 2, overlapped unit 3 (unset: F + Bf).
  CHECK(ascii_timeline(r.schedule, r.timeline, 2).value() ==
        "d0 |F0F1f0f1F2....F3&bw0f2&bw1f3&BW0BW1 ..bw2 bw3 BW2 BW3 |\n"
        "d1 |..F0F1f0f1&bw0F2&bw1F3&BW0f2&BW1f3&bw2bw3 BW2 BW3 ....|\n");
  // (p-1)(F+Bf) + (p(v-1)+1)(F+Bf) + (mv - p(v-1) - 1)T = 3 + 9 + 5*3
  CHECK(r.metrics.makespan == 27);
}

TEST_CASE("1f1b_interleave_overlap warms up one forward more than interleave, then overlaps every steady pair") {
  auto [p, v, m] = GENERATE(table<int, int, int>({{2, 2, 4}, {4, 2, 8}, {4, 3, 12}, {4, 2, 4}, {8, 2, 16}, {3, 4, 6}}));
  Run plain = run("interleave", p, v, m);
  Run over = run("1f1b_interleave_overlap", p, v, m);
  INFO("p=" << p << " v=" << v << " m=" << m);
  for (int d = 0; d < p; ++d) {
    const auto& a = plain.schedule.device_actions[static_cast<size_t>(d)];
    const auto& b = over.schedule.device_actions[static_cast<size_t>(d)];
    // Megatron: min(2(p-d-1) + (v-1)N + 1, m*v) with N = p. The extra forward is the one plain
    // interleave runs just before its first backward, so both lead with the same forwards.
    const int w = leading_forwards(b);
    CHECK(w == std::min(2 * (p - d - 1) + (v - 1) * p + 1, m * v));
    CHECK(w == leading_forwards(a));
    // m*v forwards and backwards: w forwards, m*v - w overlapped units, w full backwards.
    REQUIRE(static_cast<int>(b.size()) == m * v + w);
    for (int k = w; k < m * v; ++k) CHECK(b[static_cast<size_t>(k)].kind == OpKind::OV);
    for (int k = m * v; k < m * v + w; ++k) CHECK(b[static_cast<size_t>(k)].kind == OpKind::BW);
  }
}

TEST_CASE("1f1b_interleave_overlap makespan is Victarry's (p-1)(F+Bf) + (p(v-1)+1)(F+Bf) + (mv-p(v-1)-1)T") {
  // (F, Bf, T) with T from perfect overlap max(F, Bf) up to none F + Bf and beyond.
  auto [F, Bf, T] = GENERATE(table<double, double, double>({{1, 2, 3}, {1, 2, 2}, {1, 2, 2.5}, {2, 3, 4}, {2, 1, 2}, {1, 2, 4}}));
  auto [p, v, m] = GENERATE(table<int, int, int>({{2, 2, 2}, {2, 2, 6}, {4, 2, 4}, {4, 2, 8}, {4, 3, 12}, {8, 2, 16}, {3, 2, 6}}));
  Run r = run("1f1b_interleave_overlap", p, v, m,
              {"op_times.forward=" + std::to_string(F), "op_times.backward=" + std::to_string(Bf),
               "op_times.overlapped_forward_backward=" + std::to_string(T)});
  INFO("p=" << p << " v=" << v << " m=" << m << " F=" << F << " Bf=" << Bf << " T=" << T);
  const double expected = (p - 1) * (F + Bf) + (p * (v - 1) + 1) * (F + Bf) + (m * v - p * (v - 1) - 1) * T;
  CHECK(r.metrics.makespan == Approx(expected));
  CHECK(r.formulas[0].holds);
}

TEST_CASE("1f1b_interleave_overlap makespan formula does not hold below perfect overlap") {
  // p=2 v=2 m=4, F=1, Bf=2, T=1.5 < max(F, Bf): a unit shorter than the full backward inside it.
  // The formula gives 3 + 9 + 5*1.5 = 19.5; the cool-down's full backwards now set the end: 20.
  Run r = run("1f1b_interleave_overlap", 2, 2, 4, {"op_times.overlapped_forward_backward=1.5"});
  CHECK(r.formulas[0].value == 19.5);
  CHECK_FALSE(r.formulas[0].holds);
  CHECK(r.metrics.makespan == 20);
}

TEST_CASE("1f1b_interleave_overlap refuses one stage per device and Megatron's bad groups") {
  CHECK(test::error_of({"strategy=1f1b_interleave_overlap", "num_devices=4", "num_stages=4"}) ==
        "1f1b_interleave_overlap needs at least two stages per device (got 4 stages on 4 devices): Megatron's "
        "combined 1F1B requires a virtual pipeline; try num_stages=8, or strategy=1f1b_overlap for one stage per device");
  CHECK(test::error_of({"strategy=1f1b_interleave_overlap", "num_devices=4", "num_stages=8", "num_batches=6"}) ==
        "1f1b_interleave_overlap needs the last microbatch group to hold 0 or at least num_devices microbatches: "
        "num_batches 6 mod group size 4 = 2 < 4 (Megatron rejects this: it leaves dependency bubbles); try "
        "num_batches=4 or 8");
}

// ---- looped_bfs (PyTorch ScheduleLoopedBFS) ----

TEST_CASE("looped_bfs p=2 v=2 m=2: order and timeline worked out by hand") {
  Run r = run("looped_bfs", 2, 2, 2);
  // Every forward of chunk 0, then of chunk 1; backwards from the last chunk, microbatches reversed.
  CHECK(ascii_order(r.schedule) ==
        "d0: F0 F1 f0 f1 bw1 bw0 BW1 BW0\n"
        "d1: F0 F1 f0 f1 bw1 bw0 BW1 BW0\n");
  CHECK(ascii_timeline(r.schedule, r.timeline, 2).value() ==
        "d0 |F0F1f0f1......bw1 bw0 BW1 BW0 |\n"
        "d1 |..F0F1f0f1bw1 bw0 BW1 BW0 ....|\n");
  CHECK(r.metrics.makespan == 15);  // (v*m + p - 1)(F + Bf) = 5 * 3
  for (const auto& d : r.metrics.devices) CHECK(d.peak_activations == 4);  // v*m
}

TEST_CASE("looped_bfs makespan is (vm+p-1)(F+Bf) + 2(p-1)c when (m-p)F >= pc and (m-p)Bf >= pc") {
  auto [F, Bf, c] = GENERATE(table<double, double, double>({{1, 2, 0}, {1, 2, 0.25}, {2, 1, 0.5}, {0.5, 3, 0.125}}));
  const int p = GENERATE(2, 3, 4, 8);
  const int v = GENERATE(1, 2, 3);
  const int m = GENERATE_COPY(values({p, p + 2, 4 * p}));
  INFO("p=" << p << " v=" << v << " m=" << m << " F=" << F << " Bf=" << Bf << " c=" << c);
  const bool fills = (m - p) * F >= p * c && (m - p) * Bf >= p * c;
  Run r = run_timed("looped_bfs", p, v, m, F, 1, 1, Bf, c);
  CHECK(r.formulas[0].holds == fills);
  if (fills) CHECK(r.metrics.makespan == Approx((v * m + p - 1) * (F + Bf) + 2 * (p - 1) * c));
  // v*m activations at the turn from forwards to backwards, on every device.
  for (const auto& d : r.metrics.devices) CHECK(d.peak_activations == v * m);
}

TEST_CASE("looped_bfs with too few microbatches to hide the latency is slower than the formula") {
  // p=2 v=2 m=2, F=1, Bf=2, c=0.5: (m-p)F = 0 < pc. Device 0 waits for microbatch 0 to come back
  // from device 1 before its chunk 1 (F(1,0) ends at 2.5, arrives at 3; device 0 is free at 2).
  // The critical path is then F(s,0) for s = 0..3, F(3,1), BW(3,1), BW(s,0) for s = 3..0: 15 of
  // compute and 6 device hops of 0.5 = 18, where the formula says 15 + 2(p-1)c = 16.
  Run r = run_timed("looped_bfs", 2, 2, 2, 1, 1, 1, 2, 0.5);
  CHECK_FALSE(r.formulas[0].holds);
  CHECK(r.formulas[0].value == 16);
  CHECK(r.metrics.makespan == 18);
}

TEST_CASE("looped_bfs takes any microbatch count and one stage per device, as PyTorch does; refuses uneven stages") {
  CHECK(run("looped_bfs", 4, 1, 3).metrics.makespan == Approx((3 + 4 - 1) * 3.0));
  CHECK(test::error_of({"strategy=looped_bfs", "num_devices=4", "num_stages=6"}) ==
        "looped_bfs needs num_stages to be a multiple of num_devices (got 6 stages on 4 devices); try num_stages=8");
}

// ---- interleave_zb (PyTorch ScheduleInterleavedZeroBubble) ----

TEST_CASE("interleave_zb p=2 v=2 m=2: order and timeline worked out by hand") {
  Run r = run("interleave_zb", 2, 2, 2, {"op_times.backward=3"});
  // One round of 2 microbatches. Warm-up (v-1)*2 + (p-1-r): 3 on rank 0, 2 on rank 1. Backward j
  // runs chunk v-1-(j div 2); from backward j = r on, each B is followed by the oldest missing W.
  CHECK(ascii_order(r.schedule) ==
        "d0: F0 F1 f0 f1 b0 w0 b1 w1 B0 W0 B1 W1\n"
        "d1: F0 F1 f0 b0 f1 b1 w0 B0 w1 B1 W0 W1\n");
  CHECK(ascii_timeline(r.schedule, r.timeline, 2).value() ==
        "d0 |F0F1f0f1..b0w0b1w1B0W0B1W1|\n"
        "d1 |..F0F1f0b0f1b1w0B0w1B1W0W1|\n");
  CHECK(r.metrics.makespan == 13);  // v*m(F+B+W) + (p-1)(F+B-W) = 12 + 1
}

TEST_CASE("interleave_zb with one stage per device is ZB-H1 op for op (PyTorch's v = 1 case)") {
  const int p = GENERATE(1, 2, 3, 4, 8);
  const int m = GENERATE_COPY(values({p, p + 1, 2 * p, 3 * p}));
  Run zb = run("interleave_zb", p, 1, m);
  Run h1 = run("zb1p", p, 1, m);
  INFO("p=" << p << " m=" << m);
  CHECK(ascii_order(zb.schedule) == ascii_order(h1.schedule));
}

TEST_CASE("interleave_zb makespan is v*m(F+B+W) + (p-1)(F+B-W) when m >= p and W <= min(F, B)") {
  // ZB-H1's form (Qi et al. 2024 §3.1) at v = 1; with v*m in place of m for v > 1 (found by emulation).
  auto [F, B, W] = GENERATE(table<double, double, double>({{1, 1, 1}, {2, 1, 1}, {1, 2, 0.5}, {2, 2, 1}, {1, 1, 0.5}}));
  const int p = GENERATE(2, 3, 4, 8);
  const int v = GENERATE(1, 2, 3);
  const int m = GENERATE_COPY(values({p, 2 * p, 3 * p}));
  Run r = run_timed("interleave_zb", p, v, m, F, B, W, B + W);
  INFO("p=" << p << " v=" << v << " m=" << m << " F=" << F << " B=" << B << " W=" << W);
  CHECK(r.metrics.makespan == Approx(v * m * (F + B + W) + (p - 1) * (F + B - W)));
  CHECK(r.formulas[0].holds);
}

TEST_CASE("interleave_zb's makespan form fails when W exceeds B") {
  // p=2 v=1 m=2, F=1, B=1, W=2: the form says 2*4 + (p-1)(F+B-W) = 8 + 0, but device 1 cannot
  // start before device 0's first forward ends and then runs m(F+B+W) = 8 of work back to back: 9.
  Run r = run_timed("interleave_zb", 2, 1, 2, 1, 1, 2, 3);
  CHECK(r.formulas[0].value == 8);
  CHECK_FALSE(r.formulas[0].holds);
  CHECK(r.metrics.makespan == 9);
}

TEST_CASE("interleave_zb refuses what PyTorch refuses and names what works") {
  CHECK(test::error_of({"strategy=interleave_zb", "num_devices=4", "num_stages=8", "num_batches=9"}) ==
        "interleave_zb needs num_batches to be a multiple of its number of rounds, max(1, num_batches div "
        "num_devices) = 2, as PyTorch requires (got 9); try num_batches=8");
  CHECK(test::error_of({"strategy=interleave_zb", "num_devices=4", "num_stages=6"}) ==
        "interleave_zb needs num_stages to be a multiple of num_devices (got 6 stages on 4 devices); try num_stages=8");
  // PyTorch's own examples: p = 4 accepts m = 10 (2 rounds of 5) and m = 3 (1 round).
  CHECK(run("interleave_zb", 4, 2, 10).metrics.makespan > 0);
  CHECK(run("interleave_zb", 4, 2, 3).metrics.makespan > 0);
}
