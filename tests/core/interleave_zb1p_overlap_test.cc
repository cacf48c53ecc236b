// Interleaved 1F1B, ZB-H1 and 1F1B batch overlap: hand-worked small cases, then closed forms.
#include "helpers.h"
#include "strategies/megatron_interleaved.h"

using namespace ppemu;

TEST_CASE("interleave p=2 v=2 m=2: Megatron order and timeline worked out by hand") {
  Run r = test::run_of({"strategy=interleave", "num_devices=2", "num_stages=4", "num_batches=2"});
  // Rank 0 warms up with 2(p-1) + (v-1)N = 4 forwards, i.e. all of them; rank 1 with 2.
  // Lower case = chunk 1 (stages 2 and 3).
  CHECK(ascii_order(r.schedule) ==
        "d0: F0 F1 f0 f1 bw0 bw1 BW0 BW1\n"
        "d1: F0 F1 f0 bw0 f1 bw1 BW0 BW1\n");
  CHECK(ascii_timeline(r.schedule, r.timeline, 3).value() ==
        "d0 |F0 F1 f0 f1 ......bw0   ...bw1   BW0   BW1   |\n"
        "d1 |...F0 F1 f0 bw0   f1 bw1   BW0   BW1   ......|\n");
  CHECK(r.metrics.makespan == 15);  // (v*m + p - 1)(F + Bf) = 5 * 3
}

TEST_CASE("megatron_schedule_table groups microbatches by N, the last group taking the rest") {
  // Megatron's docstring example: PP2 N3 M5 VP2 -> mb 0 1 2 0 1 2 3 4 3 4, chunk 0 0 0 1 1 1 0 0 1 1.
  const auto t = detail::megatron_schedule_table(5, 2, 3);
  std::vector<int> mb, chunk;
  for (auto [m, c] : t) {
    mb.push_back(m);
    chunk.push_back(c);
  }
  CHECK(mb == std::vector<int>{0, 1, 2, 0, 1, 2, 3, 4, 3, 4});
  CHECK(chunk == std::vector<int>{0, 0, 0, 1, 1, 1, 0, 0, 1, 1});
}

TEST_CASE("interleave makespan is (v*m+p-1)(F+Bf) with per-chunk times (Narayanan et al. 2021)") {
  auto [p, v, m] = GENERATE(table<int, int, int>({{4, 2, 8}, {4, 4, 8}, {2, 2, 6}, {8, 2, 16}, {4, 3, 12}}));
  Run r = test::run_of({"strategy=interleave", "num_devices=" + std::to_string(p), "num_stages=" + std::to_string(p * v),
                        "num_batches=" + std::to_string(m)});
  CHECK(r.metrics.makespan == Approx((v * m + p - 1) * 3.0));
  CHECK(r.metrics.bubble_over_ideal == Approx(double(p - 1) / (v * m)));
  // Device 0 holds (v+1)p - 1 chunks at its peak with N = p (schedules.md §2.3).
  CHECK(r.metrics.devices[0].peak_activations == std::min(v * m, (v + 1) * p - 1));
}

TEST_CASE("interleave refuses what Megatron refuses, saying what would work") {
  CHECK(test::error_of({"strategy=interleave", "num_stages=6"}) ==
        "interleave needs num_stages to be a multiple of num_devices (got 6 stages on 4 devices); try num_stages=8");
  CHECK(test::error_of({"strategy=interleave", "num_stages=4"}) ==
        "interleave needs at least two stages per device (got 4 stages on 4 devices); try num_stages=8, or strategy=1f1b "
        "for one stage per device");
  CHECK(test::error_of({"strategy=interleave", "num_stages=8", "num_batches=10"}) ==
        "interleave needs the last microbatch group to hold 0 or at least num_devices microbatches: num_batches 10 mod "
        "group size 4 = 2 < 4 (Megatron rejects this: it leaves dependency bubbles); try num_batches=8 or 12");
  CHECK(test::error_of({"strategy=interleave", "num_stages=8", "num_batches=8", "microbatch_group_size_per_vp_stage=3"}) ==
        "interleave needs microbatch_group_size_per_vp_stage between num_devices and num_batches (got 3, allowed 4..8)");
  // With N = 5 the same 10 microbatches are accepted (schedules.md §5.5: makespan 69 for v=2, F=B=W=1, i.e. Bf=2).
  Run ok = test::run_of({"strategy=interleave", "num_stages=8", "num_batches=10", "microbatch_group_size_per_vp_stage=5"});
  CHECK(ok.metrics.makespan == 69);
}

TEST_CASE("zb1p p=2 m=2: W deferred on the last device, timeline worked out by hand") {
  Run r = test::run_of({"strategy=zb1p", "num_devices=2", "num_stages=2", "num_batches=2"});
  CHECK(ascii_order(r.schedule) ==
        "d0: F0 F1 B0 W0 B1 W1\n"
        "d1: F0 B0 F1 B1 W0 W1\n");
  CHECK(ascii_timeline(r.schedule, r.timeline, 3).value() ==
        "d0 |F0 F1 ...B0 W0 B1 W1 |\n"
        "d1 |...F0 B0 F1 B1 W0 W1 |\n");
  CHECK(r.metrics.makespan == 7);  // m(F+B+W) + (p-1)(F+B-W) = 6 + 1
}

TEST_CASE("zb1p makespan is m(F+B+W) + (p-1)(F+B-W) (Zero Bubble §3.1)") {
  auto [p, m, F, B, W] = GENERATE(table<int, int, double, double, double>({
      {4, 8, 1, 1, 1},  // 27: the bubble is a third of 1F1B's (p-1)(F+B+W) = 9
      {4, 8, 1, 2, 1},
      {8, 24, 1, 1, 1},
      {3, 3, 2, 1, 0.5},
  }));
  Run r = test::run_of({"strategy=zb1p", "num_devices=" + std::to_string(p), "num_stages=" + std::to_string(p),
                        "num_batches=" + std::to_string(m), "op_times.forward=" + std::to_string(F),
                        "op_times.backward_D=" + std::to_string(B), "op_times.backward_W=" + std::to_string(W)});
  CHECK(r.metrics.makespan == Approx(m * (F + B + W) + (p - 1) * (F + B - W)));
  // Every device holds p microbatches until their W, and 1F1B's p-d until their B.
  for (int d = 0; d < p; ++d) {
    CHECK(r.metrics.devices[static_cast<size_t>(d)].peak_activations == std::min(p, m));
    CHECK(r.metrics.devices[static_cast<size_t>(d)].peak_activations_until_B == std::min(p - d, m));
  }
}

TEST_CASE("1f1b_overlap p=2 m=4: a forward and another microbatch's backward as one unit") {
  Run r = test::run_of({"strategy=1f1b_overlap", "num_devices=2", "num_stages=2", "num_batches=4"});
  // Warm-up 2(p-d-1)+1 forwards: 3 on d0, 1 on d1. An overlapped unit costs F + Bf = 3 by default.
  CHECK(ascii_timeline(r.schedule, r.timeline, 3).value() ==
        "d0 |F0 F1 F2 ......F3&BW0   BW1   ...BW2   BW3   |\n"
        "d1 |...F0 F1&BW0   F2&BW1   F3&BW2   BW3   ......|\n");
  CHECK(r.metrics.makespan == 15);  // (p-1)(F+Bf) + (F+Bf) + (m-1)T = 3 + 3 + 9
  CHECK(r.metrics.devices[0].peak_activations == 4);  // min(m, 2(p-d))
  CHECK(r.metrics.devices[1].peak_activations == 2);
}

TEST_CASE("1f1b_overlap gains exactly what the overlapped unit saves") {
  // T = max(F, Bf) ("perfect overlap") instead of F + Bf: (p-1)(F+Bf) + (F+Bf) + (m-1)T.
  Run r = test::run_of({"strategy=1f1b_overlap", "num_batches=16", "op_times.overlapped_forward_backward=2"});
  CHECK(r.metrics.makespan == Approx(3 * 3 + 3 + 15 * 2));
}
