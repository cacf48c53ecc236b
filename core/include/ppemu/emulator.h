#pragma once
// Decides time: each device runs its list strictly in order, one op at a time; an op starts at the
// latest of its device's previous end and the arrival of its inputs. Linear in the number of ops.
#include <functional>
#include <string>
#include <vector>

#include "ppemu/config.h"
#include "ppemu/result.h"
#include "ppemu/schedule.h"
#include "ppemu/timeline.h"

namespace ppemu {

/// Per-stage op durations and the link latency, resolved from a Config for one schedule.
struct CostModel {
  std::vector<double> forward, backward_D, backward_W, backward;  ///< per schedule stage
  std::vector<double> overlapped;  ///< per stage of the forward half; empty = forward + backward of the halves
  double p2p_latency = 0;
  /// Sync: a send also holds its sender. Between two consecutive ops of one device, both of one
  /// stage and neither an OV unit, the second starts p2p_latency after the first ends when the
  /// first sends to another device: F then F (the forward's activation goes to the next stage), or
  /// B/BW then B, BW or W (the gradient goes to the previous stage), and the receiving op is not
  /// half of an OV unit. These are the pairs PP-Emulation's newest version charges (blocking sends
  /// in warm-up and cool-down, where Megatron-LM calls send_forward / send_backward alone); a
  /// steady-state pair (F then B) overlaps its send with the next op and pays nothing extra.
  P2pMode p2p_mode = P2pMode::Async;

  /// Duration of an op of `kind` at `stage`; for OV, `stage2` is the full-backward half's stage.
  /// Inline: the emulator calls it once per op.
  double duration(OpKind kind, size_t stage, size_t stage2) const {
    switch (kind) {
      case OpKind::F: return forward[stage];
      case OpKind::B: return backward_D[stage];
      case OpKind::W: return backward_W[stage];
      case OpKind::BW: return backward[stage];
      case OpKind::OV: return overlapped.empty() ? forward[stage] + backward[stage2] : overlapped[stage];
    }
    return 0;
  }
  double duration(const Action& a) const {
    return duration(a.kind, static_cast<size_t>(a.stage), a.kind == OpKind::OV ? static_cast<size_t>(a.stage2) : 0);
  }
};

/// Schedule stage s takes the config's times of model stage s mod chain_length: the same thing
/// for one chain, and for DualPipe's two directions both copies of model stage k cost the same.
CostModel cost_model(const Config& config, const Schedule& schedule);

/// Names an op for error messages, e.g. "row 3, column 7" for an imported file.
using OpLocator = std::function<std::string(int device, size_t index)>;

/// Checks that the schedule is complete and consistent: every stage on the device that runs it,
/// each (microbatch, stage) of the microbatch's chain forwarded once and backwarded once (full
/// backward, or B then W), nothing else.
Status validate_schedule(const Schedule& schedule, const OpLocator& locate = nullptr);

/// Times a valid schedule. A schedule that can never finish (a device waits on an op ordered
/// after something that waits on it) fails with the ops that are stuck.
/// With communication actions (Schedule::device_comms) a RECV holds its device until its SEND's
/// data has arrived and, in sync mode, a SEND until its RECV is posted; `locate_comm` names them.
Result<Timeline> emulate(const Schedule& schedule, const CostModel& costs, const OpLocator& locate = nullptr,
                         const OpLocator& locate_comm = nullptr);

}  // namespace ppemu
