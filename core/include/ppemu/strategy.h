#pragma once
// A strategy decides only the order of ops on each device. Each lives in one file under
// core/src/strategies/ and is listed once in core/src/strategies/list.inc.
#include <string>
#include <string_view>
#include <vector>

#include "ppemu/config.h"
#include "ppemu/metrics.h"
#include "ppemu/result.h"
#include "ppemu/schedule.h"

namespace ppemu {

/// A published closed form evaluated with the run's numbers, beside the emulated figure.
struct Formula {
  std::string quantity;     ///< what it predicts: "makespan", "bubble (max device idle)", ...
  std::string expression;   ///< as its authors write it, in p, m, v, F, B, W, Bf, c
  double value = 0;         ///< the expression evaluated with this run's numbers
  double emulated = 0;      ///< ppemu's figure for the same quantity
  std::string source;       ///< paper section or reference implementation
  std::string assumptions;  ///< when the authors' form is exact
  bool holds = false;       ///< whether this run meets the assumptions (then value == emulated)
};

struct Strategy {
  const char* name;                  ///< what `strategy=` takes
  std::vector<const char*> aliases;  ///< other accepted names
  const char* description;           ///< one line
  const char* constraints;           ///< one line, plain language
  /// The per-device op order, or an Error saying which constraint failed and what would work.
  Result<Schedule> (*generate)(const Config& config);
  /// Closed forms for this strategy; null when its authors publish none.
  std::vector<Formula> (*formulas)(const Config& config, const Metrics& metrics);
  /// Config keys only some strategies read (zb_memory_limit, Megatron's group size). A search
  /// varying such a key runs a strategy that does not read it once, not once per value.
  std::vector<const char*> reads = {};
};

/// Every registered strategy, in the order --list-strategies prints them.
const std::vector<const Strategy*>& strategies();

/// By name or alias; null if unknown.
const Strategy* find_strategy(std::string_view name);

/// Every accepted name and alias (for "did you mean" and the page's controls).
std::vector<std::string> strategy_names();

}  // namespace ppemu
