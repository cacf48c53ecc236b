#pragma once
// The run's settings, with the key names of the original PP-Emulation Hydra config.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ppemu/result.h"

namespace ppemu {

/// One op time: a single number for every stage, or one number per stage.
struct StageTimes {
  double scalar = 0;               ///< used when per_stage is empty
  std::vector<double> per_stage;   ///< empty, or exactly num_stages entries (index = stage)
  double at(int stage) const { return per_stage.empty() ? scalar : per_stage[static_cast<size_t>(stage)]; }
  bool operator==(const StageTimes& o) const { return scalar == o.scalar && per_stage == o.per_stage; }
};

/// Durations of the ops of one stage, in the user's time unit.
struct OpTimes {
  StageTimes forward{1, {}};       ///< F
  StageTimes backward{2, {}};      ///< full backward (input + weight), for strategies that do not split it
  StageTimes backward_D{1, {}};    ///< B: backward for the input, where backward is split
  StageTimes backward_W{1, {}};    ///< W: backward for the weights, where backward is split
  /// One F and one full backward of different microbatches run as one unit, indexed by the
  /// forward half's stage. Unset: forward + backward of the two halves (no overlap gain).
  std::optional<StageTimes> overlapped_forward_backward;
};

struct Config {
  std::string strategy = "1f1b";
  int num_devices = 4;
  int num_stages = 4;   ///< model stages; per-stage op times index these (DualPipe runs each in both directions)
  int num_batches = 8;
  double p2p_latency = 0;  ///< charged only when producer and consumer stages are on different devices
  int microbatch_group_size_per_vp_stage = 0;  ///< Megatron's interleaving group; 0 = num_devices
  OpTimes op_times;

  int group_size() const { return microbatch_group_size_per_vp_stage > 0 ? microbatch_group_size_per_vp_stage : num_devices; }
};

/// The range of a nonzero op time or p2p_latency. Sums over the largest run (Limits::max_ops ops,
/// times num_devices in the bubble ratio) stay far inside a double, and so does a drawing's
/// pixels per time unit: at 1e308 the makespan was infinite and every ratio NaN, at 1e-310 the
/// SVG's coordinates were infinite.
constexpr double kMinTime = 1e-12;
constexpr double kMaxTime = 1e12;

/// Bounds that keep a run inside memory. The WASM build passes a tighter max_ops.
struct Limits {
  int max_devices = 4096;
  int max_stages = 65536;
  int max_batches = 1 << 22;
  int64_t max_ops = int64_t{1} << 25;  ///< about 33 M ops, ~4 GB with schedule, timeline and indexes
};

/// Every accepted key, dotted (`op_times.forward`), in the order --help lists them.
const std::vector<std::string>& config_keys();

/// Applies one `key=value` override (Hydra style). The value is JSON-ish text: a number, a
/// list `[1,2]`, or a bare word for `strategy`. `op_times.forward.3=2` sets stage 3 only.
Status apply_override(Config& config, std::string_view key, std::string_view value);

/// Applies `key=value` (one argument, split at the first '=').
Status apply_assignment(Config& config, std::string_view assignment);

/// Applies a JSON object: nested (`{"op_times": {"forward": 1}}`) or dotted keys
/// (`{"op_times.forward": 1}`), as read by `--config FILE.json` and the WASM `simulate()`.
Status apply_json(Config& config, std::string_view json_text);

/// Checks ranges and cross-key rules that do not depend on the strategy (counts, the op budget,
/// per-stage lists covering every stage) and normalises: the strategy alias becomes its name,
/// per-stage holes take the single value, a per-stage list of one value becomes that value.
/// Strategies check their own constraints when they generate.
Status resolve(Config& config, const Limits& limits = Limits{});

/// The resolved config as a JSON object (the schema `apply_json` reads back).
std::string config_to_json(const Config& config, int indent = -1);

/// The closest of `candidates` to `word`, or "" when none is close enough to suggest.
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace ppemu
