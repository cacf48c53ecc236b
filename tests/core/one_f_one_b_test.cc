// 1F1B and GPipe: hand-worked timelines and the Narayanan et al. / Megatron closed forms.
#include "helpers.h"

using namespace ppemu;

TEST_CASE("1f1b p=2 m=3: order and timeline worked out by hand") {
  Run r = test::run_of({"strategy=1f1b", "num_devices=2", "num_stages=2", "num_batches=3"});
  CHECK(ascii_order(r.schedule) ==
        "d0: F0 F1 BW0 F2 BW1 BW2\n"
        "d1: F0 BW0 F1 BW1 F2 BW2\n");
  // d1 waits 1 for F0; d0 waits for BW0 (d1: 2..4); F2 reaches d1 at 7. Makespan (m+p-1)(F+Bf) = 12.
  CHECK(ascii_timeline(r.schedule, r.timeline, 3).value() ==
        "d0 |F0 F1 ......BW0   F2 BW1   ...BW2   |\n"
        "d1 |...F0 BW0   F1 BW1   F2 BW2   ......|\n");
  CHECK(r.metrics.makespan == 12);
}

TEST_CASE("gpipe p=2 m=3: every forward, then every backward") {
  Run r = test::run_of({"strategy=gpipe", "num_devices=2", "num_stages=2", "num_batches=3"});
  // d1's backwards run 4..10; d0's wait for them (6..12).
  CHECK(ascii_timeline(r.schedule, r.timeline, 3).value() ==
        "d0 |F0 F1 F2 .........BW0   BW1   BW2   |\n"
        "d1 |...F0 F1 F2 BW0   BW1   BW2   ......|\n");
  CHECK(r.metrics.makespan == 12);
  CHECK(r.metrics.devices[0].peak_activations == 3);
  CHECK(r.metrics.devices[1].peak_activations == 3);
}

TEST_CASE("1f1b makespan is (m+p-1)(F+Bf) at zero latency") {
  auto [p, m, F, Bf] = GENERATE(table<int, int, double, double>({
      {4, 8, 1, 2},    // the original README's example: 33
      {4, 6, 0.5, 1},  // its override example: 13.5
      {8, 16, 1, 2},
      {8, 3, 1, 2},  // fewer microbatches than devices: warm-up capped, still valid
      {1, 5, 1, 2},
  }));
  Run r = test::run_of({"strategy=1f1b", "num_devices=" + std::to_string(p), "num_stages=" + std::to_string(p),
                        "num_batches=" + std::to_string(m), "op_times.forward=" + std::to_string(F),
                        "op_times.backward=" + std::to_string(Bf)});
  CHECK(r.metrics.makespan == Approx((m + p - 1) * (F + Bf)));
  CHECK(r.metrics.bubble_ratio == Approx(double(p - 1) / (m + p - 1)));
  CHECK(r.metrics.bubble_over_ideal == Approx(double(p - 1) / m));
}

TEST_CASE("1f1b peak activations on device d are min(p-d, m)") {
  auto [p, m] = GENERATE(table<int, int>({{4, 8}, {4, 2}, {8, 5}, {6, 24}}));
  Run r = test::run_of({"strategy=1f1b", "num_devices=" + std::to_string(p), "num_stages=" + std::to_string(p),
                        "num_batches=" + std::to_string(m)});
  for (int d = 0; d < p; ++d) {
    INFO("device " << d);
    CHECK(r.metrics.devices[static_cast<size_t>(d)].peak_activations == std::min(p - d, m));
  }
}

TEST_CASE("1f1b with latency c: (m+p-1)(F+Bf) + 2c(m+p-3-floor((m-2)/p))") {
  // schedules.md §2.2: exact in this model on a grid (p = 2..8, m = 1..4p+3); spot-check a few by table.
  auto [p, m, c] = GENERATE(table<int, int, double>({{4, 8, 0.1}, {2, 5, 0.25}, {8, 20, 0.5}, {3, 7, 1}}));
  Run r = test::run_of({"strategy=1f1b", "num_devices=" + std::to_string(p), "num_stages=" + std::to_string(p),
                        "num_batches=" + std::to_string(m), "p2p_latency=" + std::to_string(c)});
  const int floor_term = (m - 2) >= 0 ? (m - 2) / p : -1;
  CHECK(r.metrics.makespan == Approx((m + p - 1) * 3.0 + 2 * c * (m + p - 3 - floor_term)));
}

TEST_CASE("gpipe makespan is (m+p-1)(F+Bf) + 2(p-1)c and peak is m") {
  auto [p, m, c] = GENERATE(table<int, int, double>({{4, 8, 0}, {4, 8, 0.5}, {3, 2, 0.25}}));
  Run r = test::run_of({"strategy=gpipe", "num_devices=" + std::to_string(p), "num_stages=" + std::to_string(p),
                        "num_batches=" + std::to_string(m), "p2p_latency=" + std::to_string(c)});
  CHECK(r.metrics.makespan == Approx((m + p - 1) * 3.0 + 2 * (p - 1) * c));
  CHECK(r.metrics.peak_activations == m);
}

TEST_CASE("linear strategies refuse several stages per device and name what works") {
  CHECK(test::error_of({"strategy=1f1b", "num_stages=8"}) ==
        "1f1b needs num_stages equal to num_devices (got 8 stages on 4 devices); try num_stages=4, or "
        "strategy=interleave for several stages per device");
  CHECK(test::error_of({"strategy=gpipe", "num_stages=5"}) ==
        "gpipe needs num_stages equal to num_devices (got 5 stages on 4 devices); try num_stages=4");
}
