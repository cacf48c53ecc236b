#include "ppemu/simulate.h"

#include <utility>

namespace ppemu {
namespace {

// A config with a model: its op times, latency and memory sizes come from the projection, and
// the config is checked again with them in place.
Result<std::optional<Projection>> project_if_modelled(Config& config, const Limits& limits) {
  if (!config.projected()) return std::optional<Projection>();
  Result<Projection> projection = project(config);
  if (!projection.ok()) return Error{projection.error()};
  if (Status st = resolve(config, limits); !st.ok()) return Error{st.error()};
  return std::optional<Projection>(std::move(projection).value());
}

Result<Run> finish(Config config, Schedule schedule, const OpLocator& locate, std::optional<Projection> projection,
                   const OpLocator& locate_comm = nullptr) {
  Result<Timeline> timeline = emulate(schedule, cost_model(config, schedule), locate, locate_comm);
  if (!timeline.ok()) return Error{timeline.error()};
  Run run;
  const MemoryModel memory = memory_model(config, schedule);
  run.metrics = compute_metrics(schedule, timeline.value(), &memory);
  run.iteration_time = run.metrics.makespan;
  run.config = std::move(config);
  run.schedule = std::move(schedule);
  run.timeline = std::move(timeline).value();
  if (projection) {
    finish_projection(*projection, run.config, run.schedule, run.timeline, run.metrics);
    run.iteration_time = projection->iteration_time_ms;  // ms: makespan + gradient reduction + optimizer step
    run.projection = std::move(projection);
  }
  return run;
}

}  // namespace

Result<Run> simulate(const Config& input, const Limits& limits) {
  Config config = input;
  if (Status st = resolve(config, limits); !st.ok()) return Error{st.error()};
  Result<std::optional<Projection>> projection = project_if_modelled(config, limits);
  if (!projection.ok()) return Error{projection.error()};
  const Strategy* strategy = find_strategy(config.strategy);
  Result<Schedule> schedule = strategy->generate(config);
  if (!schedule.ok()) return Error{schedule.error()};
  Result<Run> run = finish(std::move(config), std::move(schedule).value(), nullptr, std::move(projection).value());
  if (run.ok() && strategy->formulas) run->formulas = strategy->formulas(run->config, run->metrics);
  return run;
}

Result<Run> simulate_schedule(const Config& input, Schedule schedule, const OpLocator& locate, const Limits& limits,
                              const OpLocator& locate_comm) {
  Config config = input;
  config.num_devices = schedule.num_devices;
  config.num_stages = schedule.chain_length();
  config.num_batches = schedule.num_microbatches;
  config.num_batches_given = true;  // the file decides; a train.global_batch_size must agree with it
  if (Status st = resolve(config, limits); !st.ok()) return Error{st.error()};
  if (static_cast<int64_t>(schedule.num_ops()) > limits.max_ops)
    return Error{"the schedule has " + std::to_string(schedule.num_ops()) + " ops, more than the limit of " +
                 std::to_string(limits.max_ops)};
  Result<std::optional<Projection>> projection = project_if_modelled(config, limits);
  if (!projection.ok()) return Error{projection.error()};
  return finish(std::move(config), std::move(schedule), locate, std::move(projection).value(), locate_comm);
}

}  // namespace ppemu
