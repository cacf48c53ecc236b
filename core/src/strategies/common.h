#pragma once
// Pieces several strategy files share: constraint messages and closed-form bookkeeping.
#include <string>
#include <vector>

#include "ppemu/config.h"
#include "ppemu/result.h"
#include "ppemu/schedule.h"
#include "ppemu/strategy.h"

namespace ppemu::detail {

/// Appends one op, constructed in place: its three words are computed in registers and stored
/// once. (Building it on the stack and copying it in, or storing field by field, made generating
/// 1f1b at 1M ops cost several ns/op instead of about 1: store-forwarding stalls.)
inline void append(std::vector<Action>& list, OpKind kind, int stage, int mb, int stage2 = -1, int mb2 = -1) {
  list.emplace_back(kind, stage, mb, stage2, mb2);
}

/// Fails unless num_stages == num_devices, suggesting what would work.
Status require_one_stage_per_device(const Config& c, const char* strategy);

/// Fails unless num_stages is a multiple of num_devices with at least two stages per device.
Status require_interleaved(const Config& c, const char* strategy);

/// Megatron's rule for the microbatch group N: num_devices <= N <= num_batches, and the last
/// group holds either N or at least num_devices microbatches.
Status require_megatron_groups(const Config& c, const char* strategy);

/// The op times when every stage has the same ones (closed forms assume that), else uniform = false.
struct UniformTimes {
  bool uniform = false;
  double F = 0, B = 0, W = 0, Bf = 0;  ///< forward, input backward, weight backward, full backward
  double ov = 0;                       ///< overlapped F&B unit (F + Bf when unset)
};
UniformTimes uniform_times(const Config& c);

/// "p2p_latency = 0 and every stage has the same op times" plus `extra`; sets holds accordingly.
Formula formula(std::string quantity, std::string expression, double value, double emulated, std::string source,
                const Config& c, std::string extra_assumption = "", bool extra_holds = true);

/// A figure that follows from the op order alone (a peak activation count: a device runs one op
/// at a time), so it holds whatever the times and latency.
Formula order_formula(std::string quantity, std::string expression, double value, double emulated, std::string source);

}  // namespace ppemu::detail
