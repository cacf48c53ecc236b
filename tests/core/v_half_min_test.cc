// V-Half and V-Min (arXiv 2405.15362): small orders worked out by hand through the building
// block, W placement and squeeze steps; larger orders as the authors' zbv_greedy.py produces them;
// the papers' memory (p+2)//2 and (p+4)//3 on a grid; cost independence; constraint errors.
#include "helpers.h"

using namespace ppemu;

namespace {

Run v_run(const std::string& strategy, int p, int m, std::initializer_list<std::string> extra = {}) {
  return test::sized_run(strategy, p, 2 * p, m, extra);
}

}  // namespace

// Labels: upper case = chunk 0 (stage r), lower case = chunk 1 (stage 2p-1-r). "Slots" are the
// reference's unit time steps; F=f=b=B=W=w=1 below, so the emulated timeline is the final slots.

TEST_CASE("v_min p=2 m=2: building block, W placement and squeeze worked out by hand") {
  // Block (V-Min, p=2, no extra gap): d0 F f b B at slots 0 3 4 7, d1 at 1 2 5 6; microbatch 1 at +6.
  // W's into free slots: d0 5 8 11 14, d1 9 10 13 14; peak counts d0 2, d1 4 -> limit 4.
  // Warm-up squeeze (until d0's first B): only d0's F1 moves, from slot 6 to 1 (count there 3 <= 4).
  // The stable phase then ends at once (d1's F1 is the last microbatch's forward) and nothing in
  // the cool-down can move. Final W's, chunk 1's first: d0 w0 5, W0 8, w1 11, W1 14;
  // d1 w0 9, W0 10, w1 13, W1 14.
  Run r = v_run("v_min", 2, 2);
  CHECK(ascii_order(r.schedule) ==
        "d0: F0 F1 f0 b0 w0 B0 W0 f1 b1 w1 B1 W1\n"
        "d1: F0 f0 b0 B0 F1 f1 w0 W0 b1 B1 w1 W1\n");
  CHECK(ascii_timeline(r.schedule, r.timeline, 2).value() ==
        "d0 |F0F1..f0b0w0..B0W0f1b1w1..B1W1|\n"
        "d1 |..F0f0....b0B0F1f1w0W0b1B1w1W1|\n");
  CHECK(r.metrics.makespan == 15);
  CHECK(r.metrics.peak_activations == 4);  // d1 holds F0 f0 F1 f1: (p+4)//3 = 2 microbatches
}

TEST_CASE("v_half p=2 m=2: building block, W placement and squeeze worked out by hand") {
  // Block (V-Half, p=2, extra gap 3): d0 F f b B at slots 0 4 8 13, d1 at 2 3 10 12; +6 per microbatch.
  // W's: d0 9 15 16 20, d1 11 13 17 19; limit 4 (d1). The warm-up squeeze pulls d1 F0 to 1, f0 to 2,
  // d0 f0 to 3, d0 F1 to 1, d0 b0 to 4, d1 F1 to 3, d0 W to 5, d1 f1 to 4, d0 f1 to 6, d1 b0 to 5,
  // d1 W to 6, d1 B0 to 7; d0's B0 then starts the stable phase, and the last microbatch's forwards
  // are already behind, so no cool-down squeeze. Unit replay: d0 B0 8, b1 9, B1 13; d1 b1 10, B1 12.
  Run r = v_run("v_half", 2, 2);
  CHECK(ascii_order(r.schedule) ==
        "d0: F0 F1 f0 b0 w0 f1 B0 b1 w1 W0 B1 W1\n"
        "d1: F0 f0 F1 f1 b0 w0 B0 W0 b1 w1 B1 W1\n");
  CHECK(ascii_timeline(r.schedule, r.timeline, 2).value() ==
        "d0 |F0F1..f0b0w0f1..B0b1w1W0..B1W1|\n"
        "d1 |..F0f0F1f1b0w0B0W0..b1w1B1W1..|\n");
  CHECK(r.metrics.makespan == 15);
  CHECK(r.metrics.peak_activations == 4);  // d1 holds F0 f0 F1 f1: (p+2)//2 = 2 microbatches
}

TEST_CASE("v_half p=4 m=8 and v_min p=3 m=4 match the order of sail-sg zbv_greedy.py (reference run)") {
  // Produced by running the reference PipelineGraph(...).create_schedule steps for these sizes.
  CHECK(ascii_order(v_run("v_half", 4, 8).schedule) ==
        "d0: F0 F1 F2 F3 F4 f0 b0 w0 f1 b1 w1 f2 B0 b2 w2 f3 W0 F5 B1 b3 w3 f4 W1 F6 B2 b4 w4 f5 W2 F7 B3 b5 w5 "
        "f6 b6 w6 B4 W3 W4 f7 b7 B5 w7 B6 W5 W6 B7 W7\n"
        "d1: F0 F1 F2 F3 f0 f1 b0 w0 f2 b1 w1 B0 W0 F4 f3 b2 w2 B1 W1 F5 f4 b3 w3 B2 W2 F6 f5 b4 w4 B3 F7 W3 f6 "
        "b5 w5 B4 b6 w6 f7 W4 B5 b7 B6 w7 W5 W6 B7 W7\n"
        "d2: F0 F1 F2 f0 f1 f2 b0 w0 F3 b1 B0 w1 W0 f3 F4 B1 b2 w2 f4 W1 F5 B2 b3 w3 f5 W2 F6 B3 b4 w4 f6 W3 F7 "
        "B4 b5 w5 f7 b6 B5 w6 B6 b7 w7 W4 B7 W5 W6 W7\n"
        "d3: F0 f0 F1 f1 F2 f2 b0 w0 B0 W0 F3 f3 b1 w1 B1 W1 F4 f4 b2 w2 B2 W2 F5 f5 b3 w3 B3 F6 W3 f6 b4 B4 w4 "
        "F7 W4 f7 b5 B5 b6 B6 w5 w6 b7 B7 w7 W5 W6 W7\n");
  CHECK(ascii_order(v_run("v_min", 3, 4).schedule) ==
        "d0: F0 F1 F2 f0 b0 w0 f1 B0 b1 w1 W0 f2 F3 B1 b2 w2 W1 f3 b3 B2 w3 W2 B3 W3\n"
        "d1: F0 F1 f0 f1 b0 w0 B0 F2 W0 b1 f2 w1 B1 F3 W1 b2 f3 w2 B2 b3 w3 W2 B3 W3\n"
        "d2: F0 f0 F1 f1 b0 B0 w0 W0 F2 f2 b1 B1 w1 W1 F3 f3 b2 B2 w2 W2 b3 B3 w3 W3\n");
}

TEST_CASE("v_half holds (p+2)//2 and v_min (p+4)//3 microbatches at peak (max chunks / 2), p=1..16, m=1..4p") {
  const int p = GENERATE(range(1, 17));
  const int m = GENERATE_COPY(range(1, 4 * p + 1));
  INFO("p=" << p << " m=" << m);
  // Fewer microbatches than the paper's figure cannot all be held twice: then it is m.
  const Run half = v_run("v_half", p, m);
  CHECK(half.metrics.peak_activations == 2 * std::min(m, (p + 2) / 2));
  const Run min = v_run("v_min", p, m);
  CHECK(min.metrics.peak_activations == 2 * std::min(m, (p + 4) / 3));
  for (const Run* r : {&half, &min}) {
    REQUIRE(r->formulas.size() == 1);
    CHECK(r->formulas[0].holds);
    CHECK(r->formulas[0].value == r->formulas[0].emulated);
  }
}

TEST_CASE("v_half and v_min orders do not depend on op times; their peaks then hold under any times") {
  const std::string strategy = GENERATE(std::string("v_half"), std::string("v_min"));
  const int p = GENERATE(3, 4, 6);
  const Run plain = v_run(strategy, p, 3 * p);
  const Run skewed = v_run(strategy, p, 3 * p,
                           {"op_times.forward=2", "op_times.backward_D=1", "op_times.backward_W=0.5", "p2p_latency=0.3"});
  INFO(strategy << " p=" << p);
  CHECK(ascii_order(plain.schedule) == ascii_order(skewed.schedule));
  CHECK(plain.metrics.peak_activations == skewed.metrics.peak_activations);
  CHECK(plain.metrics.makespan != skewed.metrics.makespan);
}

TEST_CASE("v_half and v_min refuse anything but two stages per device, naming what works") {
  CHECK(test::error_of({"strategy=v_half", "num_devices=4", "num_stages=4", "num_batches=8"}) ==
        "v_half needs num_stages = 2 x num_devices for its V-shape placement (got 4 stages on 4 devices); try "
        "num_stages=8");
  CHECK(test::error_of({"strategy=v_min", "num_devices=2", "num_stages=6", "num_batches=8"}) ==
        "v_min needs num_stages = 2 x num_devices for its V-shape placement (got 6 stages on 2 devices); try "
        "num_stages=4");
}
