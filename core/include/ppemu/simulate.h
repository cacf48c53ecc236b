#pragma once
// The whole pipeline in one call: Config -> Schedule -> Timeline -> Metrics (+ formulas).
#include <vector>

#include "ppemu/config.h"
#include "ppemu/emulator.h"
#include "ppemu/metrics.h"
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
};

/// Validates the config, generates the strategy's schedule, emulates it and computes metrics.
Result<Run> simulate(const Config& config, const Limits& limits = Limits{});

/// Emulates a given schedule (e.g. an imported file) with the config's costs; the config's
/// counts are taken from the schedule. `locate` names ops in errors.
Result<Run> simulate_schedule(const Config& config, Schedule schedule, const OpLocator& locate = nullptr,
                              const Limits& limits = Limits{}, const OpLocator& locate_comm = nullptr);

}  // namespace ppemu
