// The emulator on schedules broken at random (ops swapped, moved to another device, dropped,
// repeated, or given a wrong stage or microbatch): it must never hang or crash, must report
// exactly validate_schedule's message when validation fails, and otherwise either time the
// schedule by its rules or say that it can never finish.
#include <random>

#include "helpers.h"
#include "ppemu/emulator.h"
#include "ppemu/strategy.h"

using namespace ppemu;

namespace {

Schedule corrupt(Schedule s, std::mt19937& rng) {
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  auto& list = s.device_actions[pick(s.device_actions.size())];
  if (list.empty()) return s;
  const size_t i = pick(list.size()), j = pick(list.size());
  switch (rng() % 6) {
    case 0: std::swap(list[i], list[j]); break;
    case 1: {
      const Action moved = list[i];
      list.erase(list.begin() + static_cast<std::ptrdiff_t>(i));
      s.device_actions[pick(s.device_actions.size())].push_back(moved);
      break;
    }
    case 2: list.erase(list.begin() + static_cast<std::ptrdiff_t>(i)); break;
    case 3: list.insert(list.begin() + static_cast<std::ptrdiff_t>(j), list[i]); break;
    case 4: list[i].microbatch = static_cast<int>(pick(static_cast<size_t>(s.num_microbatches) + 2)) - 1; break;
    default: list[i].stage = static_cast<int>(pick(static_cast<size_t>(s.num_stages) + 2)) - 1; break;
  }
  return s;
}

}  // namespace

TEST_CASE("emulate on corrupted schedules reports validate_schedule's error or a stuck wait, never anything else") {
  std::mt19937 rng(5);
  int invalid = 0, stuck = 0, timed = 0;
  for (const Strategy* strategy : strategies()) {
    for (int p : {2, 3, 4}) {
      for (int stages : {p, 2 * p}) {
        Config c = test::config_of({"num_devices=" + std::to_string(p), "num_stages=" + std::to_string(stages),
                                    "num_batches=" + std::to_string(2 * p)});
        c.strategy = strategy->name;
        if (!resolve(c).ok()) continue;
        Result<Schedule> generated = strategy->generate(c);
        if (!generated.ok()) continue;
        const CostModel costs = cost_model(c, generated.value());
        for (int trial = 0; trial < 20; ++trial) {
          const Schedule s = corrupt(generated.value(), rng);
          const Status valid = validate_schedule(s);
          const Result<Timeline> t = emulate(s, costs);
          INFO(strategy->name << " p=" << p << " stages=" << stages << " trial " << trial);
          if (!valid.ok()) {
            REQUIRE_FALSE(t.ok());
            CHECK(t.error() == valid.error());
            ++invalid;
          } else if (!t.ok()) {
            CHECK(t.error().rfind("the schedule can never finish: ", 0) == 0);
            ++stuck;
          } else {
            // A reordering that still works: each device runs its list in order, one op at a time.
            for (int d = 0; d < s.num_devices; ++d)
              for (uint32_t i = t->device_offset[static_cast<size_t>(d)] + 1; i < t->device_offset[static_cast<size_t>(d) + 1]; ++i)
                CHECK(t->start[i] >= t->end[i - 1]);
            ++timed;
          }
        }
      }
    }
  }
  // The corruptions reach all three outcomes.
  CHECK(invalid > 100);
  CHECK(stuck > 20);
  CHECK(timed > 5);
}
