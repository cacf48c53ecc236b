#pragma once
// What a strategy produces: which stage lives where, and each device's ordered list of ops.
// A schedule says nothing about time; the emulator alone decides that.
#include <cstdint>
#include <string>
#include <vector>

namespace ppemu {

enum class OpKind : uint8_t {
  F = 0,   ///< forward
  B = 1,   ///< backward for the input (split backward)
  W = 2,   ///< backward for the weights (split backward)
  BW = 3,  ///< full backward (B + W as one op)
  OV = 4,  ///< a forward and a full backward of different microbatches run as one unit
};
constexpr int kNumOpKinds = 5;

const char* kind_name(OpKind kind);  ///< "F", "B", "W", "BW", "OV"

/// One op in a device's list. For OV, (stage, microbatch) is the forward half and
/// (stage2, microbatch2) the full-backward half; for every other kind those two are -1.
///
/// 12 bytes, not the 20 of five full fields: a million-op schedule is written once and read once,
/// and a one-shot run pays a page fault per 4 KiB of it (issue 13's cold runs). Stages fit in 16
/// bits and microbatches in 24, which is why Limits stops at kMaxStages and kMaxMicrobatches; a
/// value outside them (only a reader that skipped its limit check could pass one) is stored as
/// kOutOfRange, which no schedule accepts, so it can never wrap into a valid stage.
struct Action {
  static constexpr int32_t kMaxStages = 1 << 15;        ///< stage ids 0 .. 32767
  static constexpr int32_t kMaxMicrobatches = 1 << 23;  ///< microbatch ids 0 .. 8388607
  static constexpr int32_t kOutOfRange = -(1 << 15);    ///< what an unrepresentable stage or microbatch becomes

  OpKind kind : 8;
  int32_t microbatch : 24;
  int32_t stage : 16;
  int32_t stage2 : 16;
  int32_t microbatch2;

  constexpr Action() : kind(OpKind::F), microbatch(0), stage(0), stage2(-1), microbatch2(-1) {}
  constexpr Action(OpKind k, int32_t s, int32_t mb, int32_t s2 = -1, int32_t mb2 = -1)
      : kind(k), microbatch(fit(mb, kMaxMicrobatches)), stage(fit(s, kMaxStages)), stage2(fit(s2, kMaxStages)),
        microbatch2(fit(mb2, kMaxMicrobatches)) {}

  static Action f(int stage, int mb) { return {OpKind::F, stage, mb}; }
  static Action b(int stage, int mb) { return {OpKind::B, stage, mb}; }
  static Action w(int stage, int mb) { return {OpKind::W, stage, mb}; }
  static Action bw(int stage, int mb) { return {OpKind::BW, stage, mb}; }
  static Action ov(int f_stage, int f_mb, int b_stage, int b_mb) { return {OpKind::OV, f_stage, f_mb, b_stage, b_mb}; }
  bool operator==(const Action& o) const {
    return kind == o.kind && stage == o.stage && microbatch == o.microbatch && stage2 == o.stage2 && microbatch2 == o.microbatch2;
  }

 private:
  static constexpr int32_t fit(int32_t v, int32_t limit) { return v >= -1 && v < limit ? v : kOutOfRange; }
};
static_assert(sizeof(Action) == 12, "Action is three 32-bit words");

/// A point-to-point action of a schedule that states its communication (PyTorch's *_comms.csv
/// dialect). SEND_F(s, i) sends the activation of F(s, i) to stage s+1, RECV_F(s, i) receives
/// it at stage s; SEND_B(s, i) sends the gradient of stage s's backward to stage s-1, RECV_B(s, i)
/// receives it at stage s. They take no time of their own: a RECV holds its device until the data
/// has arrived (p2p_latency after its SEND); with p2p_mode=sync a SEND holds its device until its
/// RECV is posted and the transfer is over.
enum class CommKind : uint8_t { SendF = 0, RecvF = 1, SendB = 2, RecvB = 3 };
const char* comm_name(CommKind kind);  ///< "SEND_F", "RECV_F", "SEND_B", "RECV_B"

struct CommAction {
  CommKind kind = CommKind::SendF;
  int32_t stage = 0;
  int32_t microbatch = 0;
  uint32_t before = 0;  ///< index in the device's compute list of the op it comes before (the list's size: after the last)
  bool operator==(const CommAction& o) const {
    return kind == o.kind && stage == o.stage && microbatch == o.microbatch && before == o.before;
  }
};

/// Stages form chains that a microbatch visits in order. Usually one chain of all stages;
/// DualPipe has two (one per direction), stages [c*L, (c+1)*L) forming chain c, L = num_stages / num_chains.
struct Schedule {
  int num_devices = 0;
  int num_stages = 0;
  int num_microbatches = 0;
  int num_chains = 1;
  std::vector<int32_t> stage_device;       ///< device holding each stage (size num_stages)
  std::vector<int32_t> microbatch_chain;   ///< chain of each microbatch; empty = every microbatch on chain 0
  std::vector<std::vector<Action>> device_actions;  ///< per device, in execution order
  /// Per device, its communication actions in order (`before` non-decreasing); empty when the
  /// schedule states none (every strategy: latency is charged from the compute dependencies).
  std::vector<std::vector<CommAction>> device_comms;

  bool has_comms() const {
    for (const auto& list : device_comms)
      if (!list.empty()) return true;
    return false;
  }

  int chain_of(int microbatch) const { return microbatch_chain.empty() ? 0 : microbatch_chain[static_cast<size_t>(microbatch)]; }
  int chain_length() const { return num_stages / num_chains; }
  /// Previous / next stage of `stage` on its chain, -1 at the chain's ends.
  int prev_stage(int stage) const { return stage % chain_length() == 0 ? -1 : stage - 1; }
  int next_stage(int stage) const { return (stage + 1) % chain_length() == 0 ? -1 : stage + 1; }
  size_t num_ops() const;
  /// Index of each stage among its device's stages, by increasing stage id (size num_stages).
  std::vector<int32_t> stage_chunks() const;
};

/// A schedule with every device's list empty and the given placement.
Schedule make_schedule(int num_devices, std::vector<int32_t> stage_device, int num_microbatches);

/// Placements (device of each stage).
std::vector<int32_t> linear_placement(int num_devices);                       ///< stage s on device s
std::vector<int32_t> interleaved_placement(int num_devices, int num_stages);  ///< stage s on device s mod p
std::vector<int32_t> v_placement(int num_devices);                            ///< 2p stages: s, then 2p-1-s

/// One op as text: `F3`, `B3`, `W3`, `BW3`, `F4&BW1`; with_stage adds ` s2` (stage) for readers of interleaved runs.
std::string action_label(const Action& a, bool with_stage = false);

}  // namespace ppemu
