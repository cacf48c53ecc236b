// ZB-V (zbv): V placement, hand-worked orders and timeline (including PyTorch's dropping of
// microbatches past m), the closed forms on a grid where their assumptions hold, and errors.
#include "helpers.h"

using namespace ppemu;

namespace {

Run zbv(int p, int m, std::initializer_list<std::string> extra = {}) { return test::sized_run("zbv", p, 2 * p, m, extra); }

}  // namespace

TEST_CASE("zbv places stage r and 2p-1-r on device r") {
  Run r = zbv(3, 5);
  CHECK(r.schedule.stage_device == std::vector<int32_t>{0, 1, 2, 2, 1, 0});
}

TEST_CASE("zbv p=2 m=3: PyTorch's seven phases and the timeline worked out by hand") {
  Run r = zbv(2, 3);
  // Upper case = chunk 0 (stage r), lower case = chunk 1 (stage 3-r); n = max(m, 2p-1) = 3.
  // d0 (r=0): F0^3 | (F1 B1 W1)^2 | [F0 none left] B0 W0 F1 B1 W1 | (B0 W0)^2.
  // d1 (r=1): F0 | F1 F0 | F1 B1 W1 | F0 B0 W0 F1 B1 W1 | B0 B1 | B0 W0 | W1 | W0.
  CHECK(ascii_order(r.schedule) ==
        "d0: F0 F1 F2 f0 b0 w0 f1 b1 w1 B0 W0 f2 b2 w2 B1 W1 B2 W2\n"
        "d1: F0 f0 F1 f1 b0 w0 F2 B0 W0 f2 b1 w1 B1 b2 B2 W1 w2 W2\n");
  // F = B = W = 1: the V's turn at d1 costs nothing; every device is busy from its first op to
  // its last, the only idle time is d1's start-up offset (p-1)F and d0's matching tail.
  CHECK(ascii_timeline(r.schedule, r.timeline, 2).value() ==
        "d0 |F0F1F2f0b0w0f1b1w1B0W0f2b2w2B1W1B2W2..|\n"
        "d1 |..F0f0F1f1b0w0F2B0W0f2b1w1B1b2B2W1w2W2|\n");
  CHECK(r.metrics.makespan == 19);  // 2m(F+B+W) + (p-1)F = 18 + 1
  CHECK(r.metrics.span_bubble_ratio == 0);
  CHECK(r.metrics.peak_activations == 4);  // 2p chunks: F0 F1 F2 f0 on d0
}

TEST_CASE("zbv p=2 m=2 runs the 2p-1 order with microbatch 2 left out, as PyTorch does") {
  Run r = zbv(2, 2);
  // The m=3 order above without any op of microbatch 2.
  CHECK(ascii_order(r.schedule) ==
        "d0: F0 F1 f0 b0 w0 f1 b1 w1 B0 W0 B1 W1\n"
        "d1: F0 f0 F1 f1 b0 w0 B0 W0 b1 w1 B1 W1\n");
  for (const Formula& f : r.formulas)
    if (f.quantity != "peak activations") CHECK_FALSE(f.holds);
}

TEST_CASE("zbv with F = B = W and no latency: makespan 2m(F+B+W)+(p-1)F, zero span bubble, peak 2p chunks") {
  const int p = GENERATE(range(2, 9));
  const int m = GENERATE_COPY(range(2 * p - 1, 4 * p + 1));
  const double t = GENERATE(0.5, 1.0, 2.0);
  const std::string ts = std::to_string(t);
  Run r = zbv(p, m, {"op_times.forward=" + ts, "op_times.backward_D=" + ts, "op_times.backward_W=" + ts});
  INFO("p=" << p << " m=" << m << " F=B=W=" << t);
  CHECK(r.metrics.makespan == Approx(2 * m * 3 * t + (p - 1) * t));
  CHECK(r.metrics.span_bubble_ratio == Approx(0).margin(1e-12));
  CHECK(r.metrics.peak_activations == 2 * p);
  for (const Formula& f : r.formulas) {
    INFO(f.quantity);
    CHECK(f.holds);
    CHECK(f.value == Approx(f.emulated).margin(1e-12));
  }
}

TEST_CASE("zbv's peak is 2 min(p, m) chunks for every m and any times: it follows from the op order") {
  const int p = GENERATE(1, 2, 3, 5, 8);
  const int m = GENERATE_COPY(range(1, 4 * p + 1));
  Run r = zbv(p, m, {"op_times.forward=1", "op_times.backward_D=2", "op_times.backward_W=0.5", "p2p_latency=0.25"});
  INFO("p=" << p << " m=" << m);
  CHECK(r.metrics.peak_activations == 2 * std::min(p, m));
}

TEST_CASE("zbv below 2p-1 microbatches leaves bubbles inside the spans, so the zero-bubble forms do not hold") {
  // p=4, m=6 (2p-1 = 7): same makespan as the formula by coincidence, but d0 idles inside its span.
  Run r = zbv(4, 6);
  CHECK(r.metrics.makespan == 39);
  CHECK(r.metrics.span_bubble_ratio > 0);
  for (const Formula& f : r.formulas)
    if (f.quantity != "peak activations") CHECK_FALSE(f.holds);
}

TEST_CASE("zbv refuses anything but two stages per device, naming what works") {
  CHECK(test::error_of({"strategy=zbv", "num_devices=4", "num_stages=4", "num_batches=8"}) ==
        "zbv needs num_stages = 2 x num_devices for its V-shape placement (got 4 stages on 4 devices); try num_stages=8");
  CHECK(test::error_of({"strategy=zbv", "num_devices=3", "num_stages=9", "num_batches=8"}) ==
        "zbv needs num_stages = 2 x num_devices for its V-shape placement (got 9 stages on 3 devices); try num_stages=6");
}
