// ZB-H2 (zb2p): hand-worked orders and timeline, the closed forms on a grid where their
// assumptions hold, the order-only peak under any times, and constraint errors.
#include "helpers.h"

using namespace ppemu;

namespace {

Run zb2p(int p, int m, std::initializer_list<std::string> extra = {}) {
  Config c = test::config_of({"strategy=zb2p", "num_devices=" + std::to_string(p), "num_stages=" + std::to_string(p),
                              "num_batches=" + std::to_string(m)});
  for (const auto& a : extra) REQUIRE(apply_assignment(c, a).ok());
  return test::run_of(c);
}

const Formula& formula_for(const Run& r, const std::string& quantity) {
  for (const Formula& f : r.formulas)
    if (f.quantity == quantity) return f;
  FAIL("no formula for " << quantity);
  return r.formulas.front();
}

}  // namespace

TEST_CASE("zb2p p=2 m=4: order and timeline worked out by hand") {
  Run r = zb2p(2, 4);
  // d0: F^3 (B W F)^1 (B W)^2 B W^1; d1: F^1 (B F)^2 (B W F)^1 B W^3.
  CHECK(ascii_order(r.schedule) ==
        "d0: F0 F1 F2 B0 W0 F3 B1 W1 B2 W2 B3 W3\n"
        "d1: F0 B0 F1 B1 F2 B2 W0 F3 B3 W1 W2 W3\n");
  // F = B = W = 1: d1 starts at 1 and never waits; d0's B's each wait for d1's, which d0 fills
  // with its extra warm-up forward and a W. Both spans are solid: zero bubble inside them.
  CHECK(ascii_timeline(r.schedule, r.timeline, 2).value() ==
        "d0 |F0F1F2B0W0F3B1W1B2W2B3W3..|\n"
        "d1 |..F0B0F1B1F2B2W0F3B3W1W2W3|\n");
  CHECK(r.metrics.makespan == 13);  // m(F+B+W) + (p-1)F = 12 + 1
  CHECK(r.metrics.span_bubble_ratio == 0);
  CHECK(r.metrics.peak_activations == 3);  // 2p-1: F0 F1 F2 held on d0 until W0
}

TEST_CASE("zb2p p=3 m=5 runs F^(2p-1-2d) (B F)^(2d) (B W F)^(m-2p+1) (B W)^(2p-2-2d) B W^(2d+1)") {
  Run r = zb2p(3, 5);
  CHECK(ascii_order(r.schedule) ==
        "d0: F0 F1 F2 F3 F4 B0 W0 B1 W1 B2 W2 B3 W3 B4 W4\n"
        "d1: F0 F1 F2 B0 F3 B1 F4 B2 W0 B3 W1 B4 W2 W3 W4\n"
        "d2: F0 B0 F1 B1 F2 B2 F3 B3 F4 B4 W0 W1 W2 W3 W4\n");
}

TEST_CASE("zb2p with F = B = W and no latency: makespan m(F+B+W)+(p-1)F, zero span bubble, peak 2p-1") {
  const int p = GENERATE(range(2, 9));
  const int m = GENERATE_COPY(range(2 * p - 1, 4 * p + 1));
  const double t = GENERATE(0.5, 1.0, 2.0);
  const std::string ts = std::to_string(t);
  Run r = zb2p(p, m, {"op_times.forward=" + ts, "op_times.backward_D=" + ts, "op_times.backward_W=" + ts});
  INFO("p=" << p << " m=" << m << " F=B=W=" << t);
  CHECK(r.metrics.makespan == Approx(m * 3 * t + (p - 1) * t));
  CHECK(r.metrics.span_bubble_ratio == Approx(0).margin(1e-12));
  CHECK(r.metrics.peak_activations == 2 * p - 1);
  for (const Formula& f : r.formulas) {
    INFO(f.quantity);
    CHECK(f.holds);
    CHECK(f.value == Approx(f.emulated).margin(1e-12));
  }
}

TEST_CASE("zb2p's peak is 2p-1 under any op times and latency: it follows from the op order") {
  const int p = GENERATE(2, 4, 7);
  Run r = zb2p(p, 3 * p, {"op_times.forward=1", "op_times.backward_D=1.5", "op_times.backward_W=0.5", "p2p_latency=0.3"});
  CHECK(r.metrics.peak_activations == 2 * p - 1);
  const Formula& memory = formula_for(r, "peak activations");
  CHECK(memory.holds);
  CHECK(memory.value == memory.emulated);
}

TEST_CASE("zb2p with W shorter than B: the zero-bubble forms are marked as not holding, and indeed miss") {
  // F=1, B=1.5, W=0.5, p=2, m=3: d0's B1 waits for d1's B1, which its W0 (0.5) cannot cover.
  Run r = zb2p(2, 3, {"op_times.forward=1", "op_times.backward_D=1.5", "op_times.backward_W=0.5"});
  const Formula& makespan = formula_for(r, "makespan");
  const Formula& bubble = formula_for(r, "span bubble ratio");
  CHECK_FALSE(makespan.holds);
  CHECK_FALSE(bubble.holds);
  CHECK(makespan.value == 10);  // 3 * 3 + 1
  CHECK(r.metrics.makespan > 10);
  CHECK(r.metrics.span_bubble_ratio > 0);
}

TEST_CASE("zb2p refuses too few microbatches and several stages per device, naming what works") {
  CHECK(test::error_of({"strategy=zb2p", "num_devices=4", "num_stages=4", "num_batches=6"}) ==
        "zb2p needs num_batches >= 2 x num_devices - 1 to fill its warm-up (got 6 microbatches on 4 devices); "
        "try num_batches=7, or strategy=zb1p");
  CHECK(test::error_of({"strategy=zb2p", "num_devices=4", "num_stages=8", "num_batches=8"}) ==
        "zb2p needs num_stages equal to num_devices (got 8 stages on 4 devices); try num_stages=4, or "
        "strategy=interleave for several stages per device");
}

// The authors' own handcrafted ZB-H1/ZB-H2 generator: sail-sg/zero-bubble-pipeline-parallelism,
// branch arxiv (commit f68d3879), megatron/core/pipeline_parallel/efficiency.py, get_hand_schedule
// (warmup_c=2 is ZB-H2, 1 is ZB-H1), run with Python 3.11 in a scratch folder with its per-rank op
// lists read out; `ends` is its end time per rank (e), `objective` what it returns (the longest
// span for warmup_c=2, the makespan for 1). Checked the same way for p = 2..8, m = 2p..4p and five
// cost sets, latency included (770 runs); these rows are kept here.
TEST_CASE("zb2p and zb1p are the authors' handcrafted generator's ZB-H2 and ZB-H1, op for op") {
  auto orders = [](const Run& r) {
    std::vector<std::string> out;
    for (const auto& list : r.schedule.device_actions) {
      std::string line;
      for (const Action& a : list) line += (line.empty() ? "" : " ") + action_label(a);
      out.push_back(line);
    }
    return out;
  };
  auto ends = [](const Run& r) {
    std::vector<double> out;
    for (const DeviceMetrics& d : r.metrics.devices) out.push_back(d.span_end);
    return out;
  };
  auto longest = [](const Run& r) {
    double span = 0;
    for (const DeviceMetrics& d : r.metrics.devices) span = std::max(span, d.span_end - d.span_start);
    return span;
  };
  const std::initializer_list<std::string> unequal = {"op_times.forward=2", "op_times.backward_D=1", "op_times.backward_W=1",
                                                      "p2p_latency=0.25"};
  Run h2 = zb2p(4, 8);
  CHECK(orders(h2) == std::vector<std::string>{
                          "F0 F1 F2 F3 F4 F5 F6 B0 W0 F7 B1 W1 B2 W2 B3 W3 B4 W4 B5 W5 B6 W6 B7 W7",
                          "F0 F1 F2 F3 F4 B0 F5 B1 F6 B2 W0 F7 B3 W1 B4 W2 B5 W3 B6 W4 B7 W5 W6 W7",
                          "F0 F1 F2 B0 F3 B1 F4 B2 F5 B3 F6 B4 W0 F7 B5 W1 B6 W2 B7 W3 W4 W5 W6 W7",
                          "F0 B0 F1 B1 F2 B2 F3 B3 F4 B4 F5 B5 F6 B6 W0 F7 B7 W1 W2 W3 W4 W5 W6 W7"});
  CHECK(ends(h2) == std::vector<double>{24, 25, 26, 27});
  CHECK(longest(h2) == 24);
  Run h2c = zb2p(4, 9, unequal);
  CHECK(orders(h2c)[1] == "F0 F1 F2 F3 F4 B0 F5 B1 F6 B2 W0 F7 B3 W1 F8 B4 W2 B5 W3 B6 W4 B7 W5 B8 W6 W7 W8");
  CHECK(ends(h2c) == std::vector<double>{40.5, 41.25, 42, 42.75});
  CHECK(longest(h2c) == 40.5);

  Run h1 = test::sized_run("zb1p", 4, 4, 8);
  CHECK(orders(h1) == std::vector<std::string>{
                          "F0 F1 F2 F3 B0 W0 F4 B1 W1 F5 B2 W2 F6 B3 W3 F7 B4 W4 B5 W5 B6 W6 B7 W7",
                          "F0 F1 F2 B0 F3 B1 W0 F4 B2 W1 F5 B3 W2 F6 B4 W3 F7 B5 W4 B6 W5 B7 W6 W7",
                          "F0 F1 B0 F2 B1 F3 B2 W0 F4 B3 W1 F5 B4 W2 F6 B5 W3 F7 B6 W4 B7 W5 W6 W7",
                          "F0 B0 F1 B1 F2 B2 F3 B3 W0 F4 B4 W1 F5 B5 W2 F6 B6 W3 F7 B7 W4 W5 W6 W7"});
  CHECK(ends(h1) == std::vector<double>{27, 27, 27, 27});
  Run h1c = test::sized_run("zb1p", 4, 4, 9, unequal);
  CHECK(ends(h1c) == std::vector<double>{45, 44.75, 44.5, 44.25});
  CHECK(h1c.metrics.makespan == 45);

  // The same script's measured setting (p = 8, m = 24, F 18522, B 18086, W 9337, c 601 us): its
  // generator ends the ranks 13 us apart, the first at 1236632 = 24 (F+B+W) + 7 (F+B+2c-2W).
  Run measured = zb2p(8, 24, {"op_times.forward=18522", "op_times.backward_D=18086", "op_times.backward_W=9337", "p2p_latency=601"});
  CHECK(ends(measured) == std::vector<double>{1236632, 1236619, 1236606, 1236593, 1236580, 1236567, 1236554, 1236541});
  CHECK(formula_for(measured, "longest device span").holds);
  CHECK(formula_for(measured, "longest device span").value == 1236632);
}

TEST_CASE("zb2p's longest span is the authors' m(F+B+W) + (p-1)(F+B-2W+2c) wherever it says it holds") {
  const double values[] = {0.5, 1, 1.5, 2, 3};
  int holds = 0, checked = 0;
  for (int p = 2; p <= 8; ++p) {
    for (int m = 2 * p - 1; m <= 3 * p + 1; ++m) {
      for (double f : values) {
        for (double b : values) {
          for (double w : values) {
            for (double c : {0.0, 0.1, 0.5, 1.0}) {
              Run r = zb2p(p, m, {"op_times.forward=" + test::fmt(f), "op_times.backward_D=" + test::fmt(b),
                                  "op_times.backward_W=" + test::fmt(w), "p2p_latency=" + test::fmt(c)});
              const Formula& span = formula_for(r, "longest device span");
              ++checked;
              if (!span.holds) continue;
              INFO("p=" << p << " m=" << m << " F=" << f << " B=" << b << " W=" << w << " c=" << c);
              CHECK(span.emulated == Approx(span.value).epsilon(1e-12));
              ++holds;
            }
          }
        }
      }
    }
  }
  CHECK(holds > checked / 4);
}
