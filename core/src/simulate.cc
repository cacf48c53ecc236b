#include "ppemu/simulate.h"

#include <utility>

namespace ppemu {
namespace {

Result<Run> finish(Config config, Schedule schedule, const OpLocator& locate, const OpLocator& locate_comm = nullptr) {
  Result<Timeline> timeline = emulate(schedule, cost_model(config, schedule), locate, locate_comm);
  if (!timeline.ok()) return Error{timeline.error()};
  Run run;
  const MemoryModel memory = memory_model(config, schedule);
  run.metrics = compute_metrics(schedule, timeline.value(), &memory);
  run.config = std::move(config);
  run.schedule = std::move(schedule);
  run.timeline = std::move(timeline).value();
  return run;
}

}  // namespace

Result<Run> simulate(const Config& input, const Limits& limits) {
  Config config = input;
  if (Status st = resolve(config, limits); !st.ok()) return Error{st.error()};
  const Strategy* strategy = find_strategy(config.strategy);
  Result<Schedule> schedule = strategy->generate(config);
  if (!schedule.ok()) return Error{schedule.error()};
  Result<Run> run = finish(std::move(config), std::move(schedule).value(), nullptr);
  if (run.ok() && strategy->formulas) run->formulas = strategy->formulas(run->config, run->metrics);
  return run;
}

Result<Run> simulate_schedule(const Config& input, Schedule schedule, const OpLocator& locate, const Limits& limits,
                              const OpLocator& locate_comm) {
  Config config = input;
  config.num_devices = schedule.num_devices;
  config.num_stages = schedule.chain_length();
  config.num_batches = schedule.num_microbatches;
  if (Status st = resolve(config, limits); !st.ok()) return Error{st.error()};
  if (static_cast<int64_t>(schedule.num_ops()) > limits.max_ops)
    return Error{"the schedule has " + std::to_string(schedule.num_ops()) + " ops, more than the limit of " +
                 std::to_string(limits.max_ops)};
  return finish(std::move(config), std::move(schedule), locate, locate_comm);
}

}  // namespace ppemu
