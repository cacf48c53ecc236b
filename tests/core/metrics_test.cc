// Metrics from hand-built timelines: busy/idle/bubble definitions and the activation step function.
#include "helpers.h"
#include "ppemu/emulator.h"
#include "ppemu/metrics.h"

using namespace ppemu;

TEST_CASE("1f1b p=2 m=3 metrics worked out by hand") {
  Run r = test::run_of({"strategy=1f1b", "num_devices=2", "num_stages=2", "num_batches=3"});
  const Metrics& m = r.metrics;
  CHECK(m.makespan == 12);
  CHECK(m.devices[0].busy == 9);
  CHECK(m.devices[0].idle == 3);
  CHECK(m.devices[0].bubble_ratio == Approx(0.25));
  CHECK(m.bubble_ratio == Approx(1 - 18.0 / 24));
  CHECK(m.bubble_over_ideal == Approx(3.0 / 9));
  // Device 1 runs 1..10: span 9, busy 9, no idle inside its span.
  CHECK(m.devices[1].span_start == 1);
  CHECK(m.devices[1].span_end == 10);
  CHECK(m.devices[1].span_bubble_ratio == 0);
  CHECK(m.span_bubble_ratio == Approx(3.0 / 12));
}

TEST_CASE("activation series: allocate at F start, free at the last backward's end, frees first on ties") {
  Run r = test::run_of({"strategy=1f1b", "num_devices=2", "num_stages=2", "num_batches=3"});
  const ActivationSeries& a = r.metrics.activations;
  REQUIRE(a.offset.size() == 3);
  auto points = [&](size_t d) {
    std::vector<std::pair<double, int>> out;
    for (uint32_t i = a.offset[d]; i < a.offset[d + 1]; ++i) out.emplace_back(a.time[i], a.count[i]);
    return out;
  };
  // d0: F0@0 F1@1 BW0 4..6, F2@6 (BW0's free at 6 comes first: 1 -> 2), BW1 ends 9, BW2 ends 12.
  CHECK(points(0) == std::vector<std::pair<double, int>>{{0, 1}, {1, 2}, {6, 2}, {9, 1}, {12, 0}});
  // d1: F0@1, BW0 ends 4, F1@4 (free then allocate: stays 1), BW1 ends 7, F2@7, BW2 ends 10.
  CHECK(points(1) == std::vector<std::pair<double, int>>{{0, 0}, {1, 1}, {4, 1}, {7, 1}, {10, 0}});
  CHECK(r.metrics.devices[0].peak_activations == 2);
  CHECK(r.metrics.devices[1].peak_activations == 1);
}

TEST_CASE("split backward: held until W, or until B for the lower bound") {
  Run r = test::run_of({"strategy=zb1p", "num_devices=2", "num_stages=2", "num_batches=2"});
  // d1 runs F0 B0 F1 B1 W0 W1: both microbatches are held until their W's at the end.
  CHECK(r.metrics.devices[1].peak_activations == 2);
  CHECK(r.metrics.devices[1].peak_activations_until_B == 1);
}
