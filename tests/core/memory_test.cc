// op_memory: what each (microbatch, stage) holds and when it is freed, worked out by hand, and
// the config rules for it. The invariant sweep checks every strategy against a brute-force count.
#include "helpers.h"
#include "ppemu/strategy.h"

using namespace ppemu;

namespace {

std::vector<std::pair<double, double>> memory_points(const Run& r, size_t d) {
  const MemorySeries& s = r.metrics.memory;
  std::vector<std::pair<double, double>> out;
  for (uint32_t i = s.offset[d]; i < s.offset[d + 1]; ++i) out.emplace_back(s.time[i], s.used[i]);
  return out;
}

}  // namespace

TEST_CASE("zb1p p=2 m=2 with activation 3, after_B 1: B frees 2, W the last 1") {
  // Order (zb1p): d0 F0 F1 B0 W0 B1 W1, d1 F0 B0 F1 B1 W0 W1; F = B = W = 1.
  // d0: F0 0-1, F1 1-2, B0 3-4, W0 4-5, B1 5-6, W1 6-7.  d1: F0 1-2, B0 2-3, F1 3-4, B1 4-5, W0 5-6, W1 6-7.
  Run r = test::run_of({"strategy=zb1p", "num_devices=2", "num_stages=2", "num_batches=2", "op_memory.activation=3",
                        "op_memory.after_B=1"});
  using P = std::vector<std::pair<double, double>>;
  CHECK(memory_points(r, 0) == P{{0, 3}, {1, 6}, {4, 4}, {5, 3}, {6, 1}, {7, 0}});
  // d1 at 3: B0's free (-2) and F1's allocation (+3) at one instant are one point, frees first.
  CHECK(memory_points(r, 1) == P{{0, 0}, {1, 3}, {3, 4}, {5, 2}, {6, 1}, {7, 0}});
  CHECK(r.metrics.devices[0].peak_memory == 6);
  CHECK(r.metrics.devices[1].peak_memory == 4);
  CHECK(r.metrics.peak_memory == 6);
}

TEST_CASE("static memory is the device's base line, summed over the stages it holds") {
  // interleave on 2 devices, 4 stages: d0 holds stages 0 and 2, d1 stages 1 and 3.
  Run r = test::run_of({"strategy=interleave", "num_devices=2", "num_stages=4", "num_batches=2",
                        "op_memory.static=[10,20,30,40]", "op_memory.activation=0"});
  CHECK(r.metrics.devices[0].static_memory == 40);
  CHECK(r.metrics.devices[1].static_memory == 60);
  CHECK(r.metrics.devices[0].peak_memory == 40);  // no activation memory at all
  CHECK(memory_points(r, 1) == std::vector<std::pair<double, double>>{{0, 60}});
}

TEST_CASE("dualpipe's two copies of a stage each hold their static memory") {
  Run r = test::run_of({"strategy=dualpipe", "num_devices=4", "num_stages=4", "num_batches=8", "op_memory.static=[1,2,3,4]"});
  // Device r holds stage r of one direction and stage 3 - r of the other.
  CHECK(r.metrics.devices[0].static_memory == 1 + 4);
  CHECK(r.metrics.devices[1].static_memory == 2 + 3);
}

TEST_CASE("the default op_memory reports the activation count") {
  for (const char* strategy : {"1f1b", "zb1p", "dualpipe_v", "1f1b_overlap"}) {
    const int stages = std::string(strategy) == "dualpipe_v" ? 8 : 4;
    Run r = test::sized_run(strategy, 4, stages, 8);
    INFO(strategy);
    const ActivationSeries& a = r.metrics.activations;
    const MemorySeries& m = r.metrics.memory;
    REQUIRE(m.offset == a.offset);
    CHECK(m.time == a.time);
    for (size_t i = 0; i < a.count.size(); ++i) CHECK(m.used[i] == a.count[i]);
    CHECK(r.metrics.peak_memory == r.metrics.peak_activations);
  }
}

TEST_CASE("op_memory errors name the key and what works") {
  auto [input, message] = GENERATE(table<std::string, std::string>({
      {"op_memory.activation=-1", "op_memory.activation must be a number >= 0 (got -1)"},
      {"op_memory.activation=[1,2]", "op_memory.activation gives no size for stage 2; a per-stage list or map must give all 4 stages"},
      {"op_memory.static.7=1", "op_memory.static gives 8 stage sizes but num_stages is 4 (stages 0..3)"},
      {"op_memory.after_B=2", "op_memory.after_B (2) is more than op_memory.activation (1): B can only free part of what F "
                              "allocated; give at most 1"},
      {"op_memory.after_B.1=5", "op_memory.after_B.1 (5) is more than op_memory.activation (1): B can only free part of what F "
                                "allocated; give at most 1"},
      {"op_memory.activaton=1", "unknown config key 'op_memory.activaton'; did you mean 'op_memory.activation'?"},
  }));
  INFO(input);
  CHECK(test::error_of({input}) == message);
}

TEST_CASE("op_memory reads back from the resolved JSON") {
  Config c = test::config_of({"op_memory.activation=[4,3,2,1]", "op_memory.after_B=0.5", "op_memory.static=7"});
  REQUIRE(resolve(c).ok());
  Config back;
  REQUIRE(apply_json(back, config_to_json(c)).ok());
  REQUIRE(resolve(back).ok());
  CHECK(back.op_memory.activation == c.op_memory.activation);
  CHECK(back.op_memory.after_B_at(2) == 0.5);
  CHECK(back.op_memory.static_memory.at(3) == 7);
}

TEST_CASE("op_memory at its defaults leaves every strategy's figures as they were, given or not") {
  // Explicit defaults (activation 1, nothing freed at B, no static) must change no figure, and
  // memory must then count activations exactly: the accounting every existing test assumes.
  int compared = 0;
  for (const Strategy* s : strategies()) {
    for (int p : {1, 2, 4}) {
      for (int stages : {p, 2 * p}) {
        for (int m : {1, p, 2 * p + 1}) {
          Config plain = test::config_of({"strategy=" + std::string(s->name), "num_devices=" + std::to_string(p),
                                          "num_stages=" + std::to_string(stages), "num_batches=" + std::to_string(m),
                                          "op_times.backward_W=0.5", "p2p_latency=0.25"});
          Result<Run> a = simulate(plain);
          if (!a.ok()) continue;
          Config given = plain;
          for (const char* kv : {"op_memory.activation=1", "op_memory.after_B=1", "op_memory.static=0"})
            REQUIRE(apply_assignment(given, kv).ok());
          Result<Run> b = simulate(given);
          REQUIRE(b.ok());
          INFO(s->name << " p=" << p << " S=" << stages << " m=" << m);
          const Metrics &x = a->metrics, &y = b->metrics;
          CHECK(x.makespan == y.makespan);
          CHECK(x.bubble_ratio == y.bubble_ratio);
          CHECK(x.span_bubble_ratio == y.span_bubble_ratio);
          CHECK(x.peak_activations == y.peak_activations);
          CHECK(a->timeline.start == b->timeline.start);
          CHECK(x.activations.count == y.activations.count);
          CHECK(x.peak_memory == x.peak_activations);
          CHECK(y.peak_memory == y.peak_activations);
          for (size_t d = 0; d < x.devices.size(); ++d) {
            CHECK(x.devices[d].peak_memory == x.devices[d].peak_activations);
            CHECK(x.devices[d].static_memory == 0);
          }
          REQUIRE(y.memory.time == y.activations.time);
          for (size_t i = 0; i < y.memory.used.size(); ++i) CHECK(y.memory.used[i] == y.activations.count[i]);
          ++compared;
        }
      }
    }
  }
  CHECK(compared > 100);
}
