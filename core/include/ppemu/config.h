#pragma once
// The run's settings, with the key names of the original PP-Emulation Hydra config.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ppemu/projection_config.h"
#include "ppemu/result.h"

namespace ppemu {

/// One per-stage value (an op time, a memory size): a single number for every stage, or one number per stage.
struct StageTimes {
  double scalar = 0;               ///< used when per_stage is empty
  std::vector<double> per_stage;   ///< empty, or exactly num_stages entries (index = stage)
  bool given = false;              ///< set by a config source rather than left at its default
  double at(int stage) const { return per_stage.empty() ? scalar : per_stage[static_cast<size_t>(stage)]; }
  /// Given times, one per stage (a fitted or replayed set); scalar is the first, as a list's is.
  static StageTimes of(std::vector<double> values) {
    StageTimes t;
    t.scalar = values.empty() ? 0 : values.front();
    t.per_stage = std::move(values);
    t.given = true;
    return t;
  }
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

/// Memory per stage, in the user's unit (bytes when projected). Allocated at the start of a
/// (microbatch, stage)'s F; its input backward B frees `activation - after_B`, its W the rest; a
/// full backward frees everything at its end. Static memory is held for the whole run by the
/// device holding the stage (weights, gradients, optimizer state).
struct OpMemory {
  StageTimes activation{1, {}};
  std::optional<StageTimes> after_B;  ///< unset: equal to activation (nothing is freed before W)
  StageTimes static_memory{0, {}};    ///< key op_memory.static
  double after_B_at(int stage) const { return after_B ? after_B->at(stage) : activation.at(stage); }
  /// Whether any size was given: only then do summaries show memory beside the activation count.
  bool given() const { return activation.given || after_B.has_value() || static_memory.given; }
};

/// How a send costs its sender (key p2p_mode). Async: only the receiver waits for the data
/// (p2p_latency after the producer ends). Sync: a blocking send also holds its sender for the
/// transfer, as PP-Emulation's newest version charges it; which op pairs pay is in emulator.h.
enum class P2pMode : uint8_t { Async = 0, Sync = 1 };

struct Config {
  std::string strategy = "1f1b";
  int num_devices = 4;
  int num_stages = 4;   ///< model stages; per-stage op times index these (DualPipe runs each in both directions)
  int num_batches = 8;
  bool num_batches_given = false;  ///< set by a config source (train.global_batch_size must then agree)
  double p2p_latency = 0;  ///< charged only when producer and consumer stages are on different devices
  bool p2p_latency_given = false;  ///< set by a config source (a projection then leaves it alone)
  P2pMode p2p_mode = P2pMode::Async;
  int microbatch_group_size_per_vp_stage = 0;  ///< Megatron's interleaving group; 0 = num_devices
  OpTimes op_times;
  OpMemory op_memory;
  /// 0: op_times and op_memory are per stage as given. N: they describe a model cut into N stages,
  /// and resolve() scales them by N / num_stages (then clears this), so any split runs the same model.
  int model_stages = 0;
  double zb_memory_limit = 1;  ///< zb_auto: activation memory limit per device, in units of num_devices x op_memory.activation
  /// The projection's inputs: with a model, simulate() projects op_times (ms), p2p_latency (ms) and
  /// op_memory (bytes) from them, keeping whatever a config source gave explicitly.
  std::optional<ModelSpec> model;
  std::optional<GpuSpec> gpu;
  ParallelSpec parallel;
  TrainSpec train;
  /// Config group -> the preset chosen for it (`model=gpt3_175b`), as Hydra records its choices.
  std::map<std::string, std::string> choices;
  /// Keys that were given and are accepted without effect (`visualization_port`, the original
  /// project's Dash port), in the order first given: hosts say once that they are ignored.
  std::vector<std::string> ignored_keys;

  bool projected() const { return model.has_value(); }
  int group_size() const { return microbatch_group_size_per_vp_stage > 0 ? microbatch_group_size_per_vp_stage : num_devices; }
};

/// The range of a nonzero op time or p2p_latency. Sums over the largest run (Limits::max_ops ops,
/// times num_devices in the bubble ratio) stay far inside a double, and so does a drawing's
/// pixels per time unit: at 1e308 the makespan was infinite and every ratio NaN, at 1e-310 the
/// SVG's coordinates were infinite.
constexpr double kMinTime = 1e-12;
constexpr double kMaxTime = 1e12;
/// The largest op_memory size (an exabyte, in bytes): a device's sum over every activation of the
/// largest run stays finite; at 1e308 the peak memory was infinite.
constexpr double kMaxMemory = 1e18;

/// Bounds that keep a run inside memory. The WASM build passes a tighter max_ops. Stages and
/// microbatches also stop where a schedule's 12-byte Action can hold them (Action::kMaxStages,
/// kMaxMicrobatches in schedule.h); a Limits asking for more is held to those.
struct Limits {
  int max_devices = 4096;
  int max_stages = 1 << 15;
  int max_batches = 1 << 22;
  int64_t max_ops = int64_t{1} << 25;  ///< about 33 M ops, ~4 GB with schedule, timeline and indexes
};

/// One accepted key as --help and the page describe it.
struct KeyDoc {
  const char* key;           ///< dotted: `op_times.forward`
  const char* default_text;  ///< the default as a user reads it ("4", "num_devices", "F + backward")
  const char* help;          ///< one line
};

/// Every accepted key with its default and meaning, in the order --help lists them.
const std::vector<KeyDoc>& config_key_docs();

/// Every accepted key, dotted (`op_times.forward`), in the order --help lists them.
const std::vector<std::string>& config_keys();

/// The config groups whose presets `group=NAME` selects ("model", "gpu"), in --help order.
std::vector<std::string> config_groups();

/// Applies one `key=value` override (Hydra style). The value is JSON-ish text: a number, a
/// list `[1,2]`, or a bare word for `strategy`. `op_times.forward.3=2` sets stage 3 only.
Status apply_override(Config& config, std::string_view key, std::string_view value);

/// A config group selection (`model=NAME`) resets that group's keys and applies the preset's
/// (ppemu/presets.h); keys set before it in the same group are lost, so callers apply group
/// selections first, as Hydra does (apply_json and the CLI do).
/// Applies `key=value` (one argument, split at the first '=').
Status apply_assignment(Config& config, std::string_view assignment);

/// One step of applying a config object, in order: a config group's preset, or the object's own
/// keys (Hydra's `_self_`).
struct ConfigPart {
  std::string group;      ///< empty: the object's own keys
  std::string name;       ///< the preset chosen for `group`; empty: none (`group: null` clears the group)
  bool optional = false;  ///< `optional group: name`: a preset that does not exist is skipped
  bool listed = false;    ///< from the object's `defaults` list (its errors start "defaults: ")
};

/// The parts apply_json applies for an object, in order. A `defaults` list orders them as Hydra
/// 1.1 does: entries `_self_`, `group: name`, `group/name`, `optional group: name`,
/// `override group: name` (replaces the group's earlier entry); `_self_` comes last when absent.
/// The object's own selections (`"model": "gpt3_175b"`, or `"choices": {"model": ...}` as
/// config_to_json writes them) come just before its own keys. `choices` (group -> preset name or
/// "null", e.g. from the command line) replace the object's choice for a group; a group the
/// object does not choose is appended (Hydra's `+group=name`). A selection resets its group's
/// keys (see apply_assignment), so with `_self_` before a group entry the object's own keys in
/// that group are replaced by the preset's rather than merged with them.
Result<std::vector<ConfigPart>> config_parts(std::string_view json_text, const std::map<std::string, std::string>& choices = {});

/// Applies a JSON object: nested (`{"op_times": {"forward": 1}}`) or dotted keys
/// (`{"op_times.forward": 1}`), as read by `--config FILE.json`, `--config-name` (via YAML) and
/// the WASM `simulate()`, in the order of config_parts(json_text, choices).
Status apply_json(Config& config, std::string_view json_text, const std::map<std::string, std::string>& choices = {});

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
