#pragma once
// From a measured run back to the model: fitted op times (fit_trace), the measured order emulated
// with them (replay_trace: how much of the trace the model explains), and any strategy on the
// same times (what_if). Every figure is in the trace's unit, ms.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "ppemu/config.h"
#include "ppemu/result.h"
#include "ppemu/simulate.h"
#include "ppemu/trace_import.h"

namespace ppemu {

/// The measured durations of one op kind at one stage. count 0: not measured (median is derived).
struct Spread {
  double median = 0, min = 0, max = 0;
  int count = 0;
};

struct StageFit {
  Spread forward, backward, backward_D, backward_W, overlapped;  ///< per kind, as the op_times keys
};

struct TraceFit {
  /// The fitted config: the trace's counts, op_times with one entry per model stage (the medians,
  /// or derived where a kind was not measured), p2p_latency. Strategy left at its default.
  Config config;
  std::vector<StageFit> stages;  ///< per model stage (schedule stage mod chain length)
  /// Gaps from a producer's end to its consumer's start on another device, where the consumer was
  /// waiting (it started after its device's previous op ended, and that producer was its latest input).
  Spread p2p;
  int skewed = 0;            ///< consumers that started before that producer ended: clock skew
  double worst_skew_ms = 0;  ///< the largest such head start
  std::vector<std::string> notes;  ///< how unmeasured kinds were derived
};

/// Median per kind per stage (min/max spread kept), and the median producer-to-consumer gap.
TraceFit fit_trace(const MeasuredRun& measured);

/// The fitted config as JSON in the shape of the config object (readable by --config and
/// simulate()): num_devices, num_stages, num_batches, p2p_latency, p2p_mode, op_times lists.
std::string fitted_config_json(const TraceFit& fit, P2pMode mode = P2pMode::Async);

/// The same as key=value lines ready to paste onto a command line (op_times lists, p2p_latency, p2p_mode).
std::vector<std::string> fitted_assignments(const TraceFit& fit, P2pMode mode = P2pMode::Async);

struct DeviceError {
  double measured_end = 0, replay_end = 0;    ///< the device's last op end
  double measured_busy = 0, replay_busy = 0;
  double measured_idle = 0, replay_idle = 0;  ///< makespan - busy, each in its own run
};

struct OpDeviation {
  uint32_t row = 0;  ///< timeline row, the same in the measured and the replayed run
  double measured_start = 0, replay_start = 0;
};

struct Replay {
  Run run;  ///< the measured order emulated with the fitted times; config.strategy "replay"
  P2pMode mode = P2pMode::Async;  ///< the mode that fits better (lower mean |start error|)
  double async_error_ms = 0, sync_error_ms = 0;  ///< mean |replayed start - measured start| over ops
  std::string choice;  ///< one sentence: which mode and why
  double measured_makespan = 0;
  std::vector<DeviceError> devices;
  std::vector<OpDeviation> worst;  ///< the ops whose start deviates most, largest first (at most 10)
  std::vector<std::string> causes;  ///< what the deviations point to, one sentence each
};

constexpr const char* kReplayStrategyName = "replay";

/// Emulates the measured schedule with the fitted times in both p2p modes and keeps the one
/// that fits better. Fails only if the fitted config does not resolve or the order cannot run.
Result<Replay> replay_trace(const MeasuredRun& measured, const TraceFit& fit, const Limits& limits = Limits{});

/// Gives the measured run's config the fitted op times, latency and the replay's p2p mode (its
/// strategy stays "measured"), so that its JSON and Results carry the fit beside the measured times.
void adopt_fit(MeasuredRun& measured, const TraceFit& fit, P2pMode mode);

/// The fitted config under `overrides` (key=value on top of it). A what-if with another number of
/// stages spreads the measured per-stage times over the new stages in proportion to the model
/// each covers (same model: stage j of S' covers [j/S', (j+1)/S') of the layers), and says so in
/// `note`. The caller then simulates it.
Result<Config> what_if_config(const TraceFit& fit, const std::function<Status(Config&)>& overrides, std::string* note = nullptr);

/// The trace mode's report: measured metrics, fitted times, the replay table, the what-if (null
/// when none) in the CLI's summary text, or as one JSON object with `measured` (to_json's fields),
/// `fitted` (fitted_config_json), `fit` (spreads, notes), `replay` and `what_if` (to_json's fields).
std::string trace_summary(const MeasuredRun& measured, const TraceFit& fit, const Replay& replay, const Run* what_if,
                          const std::string& what_if_note);
std::string trace_json(const MeasuredRun& measured, const TraceFit& fit, const Replay& replay, const Run* what_if,
                       const std::string& what_if_note, int indent = 2);
/// The `fit` and `replay` objects of trace_json alone (the WASM module returns them beside Results).
std::string fit_json(const TraceFit& fit);
std::string replay_json(const MeasuredRun& measured, const Replay& replay);

}  // namespace ppemu
