// Every published closed form that says its assumptions hold must equal the emulated figure.
// Sweeps every registered strategy, so a new strategy's formulas are checked the day it lands.
#include "helpers.h"
#include "ppemu/strategy.h"

using namespace ppemu;

TEST_CASE("formulas whose assumptions hold equal the emulated figure, for every strategy") {
  struct Times {
    const char* F;
    const char* B;
    const char* W;
    const char* Bf;
  };
  // F = B = W (the zero-bubble papers' case), 1F1B's default F=1 Bf=2, unequal times, and W longer
  // than F or B (where ZB-H1's deferred W's no longer fit the gaps its formula assumes).
  const Times times[] = {{"1", "1", "1", "2"},   {"1", "1", "1", "3"},     {"1", "2", "1", "3"},
                         {"2", "1.5", "0.5", "2"}, {"1", "0.5", "1", "1.5"}, {"0.5", "1", "1.5", "2.5"}};
  int checked = 0;
  for (const Strategy* strategy : strategies()) {
    for (int p = 1; p <= 8; ++p) {
      for (int stages : {p, 2 * p}) {
        for (int m = 1; m <= 4 * p; ++m) {
          for (const Times& t : times) {
            Config c = test::config_of({"strategy=" + std::string(strategy->name), "num_devices=" + std::to_string(p),
                                        "num_stages=" + std::to_string(stages), "num_batches=" + std::to_string(m),
                                        std::string("op_times.forward=") + t.F, std::string("op_times.backward_D=") + t.B,
                                        std::string("op_times.backward_W=") + t.W, std::string("op_times.backward=") + t.Bf});
            Result<Run> r = simulate(c);
            if (!r.ok()) continue;
            for (const Formula& f : r->formulas) {
              if (!f.holds) continue;
              INFO(strategy->name << " p=" << p << " S=" << stages << " m=" << m << " F=" << t.F << " B=" << t.B << " W=" << t.W
                                  << " Bf=" << t.Bf << ": " << f.quantity << " = " << f.expression);
              CHECK(f.emulated == Approx(f.value).margin(1e-9));
              ++checked;
            }
          }
        }
      }
    }
  }
  CHECK(checked > 1000);
}

TEST_CASE("a formula whose assumptions fail says so") {
  Run lat = test::run_of({"strategy=1f1b", "p2p_latency=0.5"});
  REQUIRE_FALSE(lat.formulas.empty());
  CHECK_FALSE(lat.formulas[0].holds);
  CHECK(lat.formulas[0].assumptions.find("p2p_latency = 0") != std::string::npos);
  // With latency 1F1B is slower than (m+p-1)(F+Bf): 33 + 2c(m+p-3-floor((m-2)/p)) = 33 + 2*0.5*(8+4-3-1) = 41
  // (schedules.md §2.2, an empirical closed form checked on a grid).
  CHECK(lat.metrics.makespan == Approx(41));

  Run uneven = test::run_of({"strategy=1f1b", "op_times.forward=[1,2,1,1]"});
  CHECK_FALSE(uneven.formulas[0].holds);
}
