#pragma once
// The whole pipeline in one call: Config -> Schedule -> Timeline -> Metrics (+ formulas).
#include <optional>
#include <vector>

#include "ppemu/config.h"
#include "ppemu/emulator.h"
#include "ppemu/metrics.h"
#include "ppemu/projection.h"
#include "ppemu/result.h"
#include "ppemu/schedule.h"
#include "ppemu/strategy.h"
#include "ppemu/timeline.h"

namespace ppemu {

struct Run {
  Config config;
  Schedule schedule;
  Timeline timeline;
  Metrics metrics;
  std::vector<Formula> formulas;
  /// The time of one iteration, what a search ranks by: the makespan in op_times units; a
  /// projection (issue 8) sets its iteration time here instead.
  double iteration_time = 0;
  /// With a model (config.projected()): every term of the projection; times are then in ms and
  /// memory in bytes throughout the run.
  std::optional<Projection> projection;
};

/// Validates the config, projects it when it has a model (ppemu/projection.h), generates the
/// strategy's schedule, emulates it and computes metrics.
Result<Run> simulate(const Config& config, const Limits& limits = Limits{});

/// Emulates a given schedule (e.g. an imported file) with the config's costs; the config's
/// counts are taken from the schedule. `locate` names ops in errors.
Result<Run> simulate_schedule(const Config& config, Schedule schedule, const OpLocator& locate = nullptr,
                              const Limits& limits = Limits{}, const OpLocator& locate_comm = nullptr);

}  // namespace ppemu
