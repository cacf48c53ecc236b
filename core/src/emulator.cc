#include "ppemu/emulator.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <type_traits>

#include "always_inline.h"
#include "huge_pages.h"

namespace ppemu {
namespace {

constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();
constexpr uint32_t kAhead = 8;  // ops to prefetch ahead in the emulation loop

// Which ops of a (stage, microbatch) pair the schedule holds.
enum : uint8_t { kHasF = 1, kHasB = 2, kHasW = 4, kFull = 8 };

// Where each (stage, microbatch) pair's ops sit in the device-major op order. At a million ops
// this table is touched once per op, so it holds only what the emulator reads back: the op id
// of each forward and backward, left uninitialised (flags say which are set) so that building
// it costs no extra pass over memory. W ids are not kept: nothing waits for a W.
struct OpIndex {
  int m = 0;
  std::unique_ptr<uint32_t[]> f, b;  // b holds the B or the full backward (BW / OV backward half)
  std::vector<uint8_t> flags;        // kHas* | kFull per slot
  std::vector<uint32_t> offset;      // device d's ops are [offset[d], offset[d+1])
  size_t slot(int stage, int mb) const { return static_cast<size_t>(stage) * static_cast<size_t>(m) + static_cast<size_t>(mb); }
};

std::string half_label(OpKind kind, int stage, int mb) {
  return std::string(kind_name(kind)) + std::to_string(mb) + " s" + std::to_string(stage);
}

std::string where(const Schedule& s, const OpLocator& locate, int d, size_t k) {
  std::string label = action_label(s.device_actions[static_cast<size_t>(d)][k], true);
  if (locate) return locate(d, k) + " (" + label + ")";
  return "device " + std::to_string(d) + ", op #" + std::to_string(k) + " (" + label + ")";
}

// The message for a half op that check_half refused; kept out of line so the check stays small.
Error half_error(const Schedule& s, const OpLocator& locate, int d, size_t k, OpKind kind, int stage, int mb) {
  if (stage < 0 || stage >= s.num_stages)
    return Error{where(s, locate, d, k) + ": stage " + std::to_string(stage) + " is outside 0.." + std::to_string(s.num_stages - 1)};
  if (mb < 0 || mb >= s.num_microbatches)
    return Error{where(s, locate, d, k) + ": microbatch " + std::to_string(mb) + " is outside 0.." +
                 std::to_string(s.num_microbatches - 1)};
  const int owner = s.stage_device[static_cast<size_t>(stage)];
  if (owner != d)
    return Error{where(s, locate, d, k) + ": stage " + std::to_string(stage) + " lives on device " + std::to_string(owner) +
                 ", not device " + std::to_string(d)};
  if (stage / s.chain_length() != s.chain_of(mb))
    return Error{where(s, locate, d, k) + ": microbatch " + std::to_string(mb) + " does not pass through stage " +
                 std::to_string(stage)};
  const char* what = kind == OpKind::F ? "the forward" : kind == OpKind::W ? "the weight backward W" : "the backward";
  return Error{where(s, locate, d, k) + ": " + what + " of microbatch " + std::to_string(mb) + " at stage " +
               std::to_string(stage) + " is scheduled twice"};
}

// Records one half op (F, B, W or BW) with id `id`; false if it is out of range, misplaced or a duplicate.
inline bool check_half(const Schedule& s, OpIndex& idx, int L, int d, uint32_t id, OpKind kind, int stage, int mb) {
  if (static_cast<unsigned>(stage) >= static_cast<unsigned>(s.num_stages) ||
      static_cast<unsigned>(mb) >= static_cast<unsigned>(s.num_microbatches))
    return false;
  if (s.stage_device[static_cast<size_t>(stage)] != d) return false;
  if (!s.microbatch_chain.empty() && stage / L != s.microbatch_chain[static_cast<size_t>(mb)]) return false;
  if (s.microbatch_chain.empty() && stage >= L) return false;
  const size_t slot = idx.slot(stage, mb);
  uint8_t& flags = idx.flags[slot];
  switch (kind) {
    case OpKind::F:
      if (flags & kHasF) return false;
      flags |= kHasF;
      idx.f[slot] = id;
      return true;
    case OpKind::W:
      if (flags & kHasW) return false;
      flags |= kHasW;
      return true;
    case OpKind::B:
    case OpKind::BW:
      if (flags & kHasB) return false;
      flags |= kind == OpKind::BW ? kHasB | kFull : kHasB;
      idx.b[slot] = id;
      return true;
    case OpKind::OV: break;
  }
  return false;
}

// Indexes and checks every op; when `tl` is given, also fills its per-op columns (not the times),
// since this pass already walks the ops in timeline order.
Result<OpIndex> build_index(const Schedule& s, const OpLocator& locate, Timeline* tl) {
  if (s.num_devices < 1 || s.num_stages < 1 || s.num_microbatches < 1)
    return Error{"the schedule needs at least one device, stage and microbatch"};
  if (static_cast<int>(s.stage_device.size()) != s.num_stages || static_cast<int>(s.device_actions.size()) != s.num_devices)
    return Error{"internal: schedule tables do not match its counts"};
  if (s.num_chains < 1 || s.num_stages % s.num_chains != 0) return Error{"internal: stages do not split into chains"};
  if (!s.microbatch_chain.empty() && static_cast<int>(s.microbatch_chain.size()) != s.num_microbatches)
    return Error{"internal: microbatch_chain does not match num_microbatches"};
  for (int32_t dev : s.stage_device)
    if (dev < 0 || dev >= s.num_devices) return Error{"internal: a stage is placed on a device that does not exist"};
  for (int32_t chain : s.microbatch_chain)
    if (chain < 0 || chain >= s.num_chains) return Error{"internal: a microbatch is on a chain that does not exist"};

  OpIndex idx;
  idx.m = s.num_microbatches;
  const size_t slots = static_cast<size_t>(s.num_stages) * static_cast<size_t>(s.num_microbatches);
  idx.f.reset(new uint32_t[slots]);
  idx.b.reset(new uint32_t[slots]);
  detail::prefer_huge_pages(idx.f.get(), slots * sizeof(uint32_t));
  detail::prefer_huge_pages(idx.b.get(), slots * sizeof(uint32_t));
  detail::resize_fresh(idx.flags, slots);
  idx.offset.assign(static_cast<size_t>(s.num_devices) + 1, 0);
  size_t n = 0;
  for (const auto& list : s.device_actions) n += list.size();
  if (n >= kNone) return Error{"the schedule has more ops than the emulator can index"};
  // The columns through plain pointers: stores into them cannot change a vector's own pointers,
  // which the compiler would otherwise reload on every op.
  int32_t *col_device = nullptr, *col_stage = nullptr, *col_mb = nullptr, *col_stage2 = nullptr, *col_mb2 = nullptr;
  uint8_t* col_kind = nullptr;
  if (tl) {
    detail::resize_fresh(tl->device, n);
    detail::resize_fresh(tl->stage, n);
    detail::resize_fresh(tl->microbatch, n);
    detail::resize_fresh(tl->kind, n);
    detail::resize_fresh(tl->stage2, n);
    detail::resize_fresh(tl->microbatch2, n);
    col_device = tl->device.data();
    col_stage = tl->stage.data();
    col_mb = tl->microbatch.data();
    col_kind = tl->kind.data();
    col_stage2 = tl->stage2.data();
    col_mb2 = tl->microbatch2.data();
  }

  const int L = s.chain_length();
  uint32_t id = 0;
  for (int d = 0; d < s.num_devices; ++d) {
    const Action* const list = s.device_actions[static_cast<size_t>(d)].data();
    const size_t count = s.device_actions[static_cast<size_t>(d)].size();
    idx.offset[static_cast<size_t>(d)] = id;
    for (size_t k = 0; k < count; ++k, ++id) {
      const Action& a = list[k];
      if (a.kind == OpKind::OV) {
        if (!check_half(s, idx, L, d, id, OpKind::F, a.stage, a.microbatch))
          return half_error(s, locate, d, k, OpKind::F, a.stage, a.microbatch);
        if (!check_half(s, idx, L, d, id, OpKind::BW, a.stage2, a.microbatch2))
          return half_error(s, locate, d, k, OpKind::BW, a.stage2, a.microbatch2);
      } else if (!check_half(s, idx, L, d, id, a.kind, a.stage, a.microbatch)) {
        return half_error(s, locate, d, k, a.kind, a.stage, a.microbatch);
      }
      if (tl) {
        col_device[id] = d;
        col_stage[id] = a.stage;
        col_mb[id] = a.microbatch;
        col_kind[id] = static_cast<uint8_t>(a.kind);
        col_stage2[id] = a.stage2;
        col_mb2[id] = a.microbatch2;
      }
    }
  }
  idx.offset[static_cast<size_t>(s.num_devices)] = id;

  auto complete = [](uint8_t flags) {
    return (flags & (kHasF | kHasB)) == (kHasF | kHasB) && !(flags & kFull) == !!(flags & kHasW);
  };
  // Complete pairs are the rule: check them in memory order (stage by stage) first. Only when one
  // is not, go microbatch by microbatch (a stride of m bytes) to name the first in that order.
  bool all_complete = true;
  const uint8_t* const table = idx.flags.data();
  if (s.microbatch_chain.empty()) {
    for (size_t i = 0, end = idx.slot(L, 0); i < end; ++i) all_complete &= complete(table[i]);
  } else {
    for (int stage = 0; stage < s.num_stages; ++stage) {
      const uint8_t* const row = table + idx.slot(stage, 0);
      const int32_t chain = stage / L;
      for (int mb = 0; mb < s.num_microbatches; ++mb)
        all_complete &= s.microbatch_chain[static_cast<size_t>(mb)] != chain || complete(row[mb]);
    }
  }
  if (all_complete) return idx;
  for (int mb = 0; mb < s.num_microbatches; ++mb) {
    const int first = s.chain_of(mb) * L;
    for (int stage = first; stage < first + L; ++stage) {
      const uint8_t flags = idx.flags[idx.slot(stage, mb)];
      if (complete(flags)) continue;
      const std::string pair = "microbatch " + std::to_string(mb) + " at stage " + std::to_string(stage);
      if (!(flags & kHasF)) return Error{"the schedule never runs the forward of " + pair};
      if (!(flags & kHasB)) return Error{"the schedule never runs the backward of " + pair};
      if (flags & kFull) return Error{"the schedule runs both a full backward and a W for " + pair};
      return Error{"the schedule runs B but never W for " + pair};
    }
  }
  return Error{"internal: an incomplete pair was found and then lost"};
}

// A schedule's communication actions, flattened device after device, each with its partner.
struct CommTables {
  std::vector<uint32_t> offset;  // device d's actions are [offset[d], offset[d+1])
  std::vector<uint8_t> kind;
  std::vector<uint32_t> before;  // local index of the compute op each comes before
  std::vector<uint32_t> peer;    // the matching RECV of a SEND, the SEND of a RECV
  std::vector<int32_t> peer_dev;
};

std::string comm_label(CommKind kind, int stage, int mb) { return std::to_string(stage) + comm_name(kind) + std::to_string(mb); }

std::string comm_where(const Schedule& s, const OpLocator& locate_comm, int d, size_t k) {
  const CommAction& a = s.device_comms[static_cast<size_t>(d)][k];
  const std::string label = comm_label(a.kind, a.stage, a.microbatch);
  if (locate_comm) return locate_comm(d, k) + " (" + label + ")";
  return "device " + std::to_string(d) + ", communication #" + std::to_string(k) + " (" + label + ")";
}

bool is_send(CommKind k) { return k == CommKind::SendF || k == CommKind::SendB; }

// Checks each action against the compute ops (a SEND after the op whose output it sends, a RECV
// before the op that needs it, on the device of its stage) and pairs every SEND with its RECV.
Result<CommTables> build_comms(const Schedule& s, const OpIndex& idx, const OpLocator& locate_comm) {
  if (s.device_comms.size() != static_cast<size_t>(s.num_devices)) return Error{"internal: device_comms does not match num_devices"};
  CommTables t;
  const auto m = static_cast<size_t>(s.num_microbatches);
  const size_t slots = static_cast<size_t>(s.num_stages) * m;
  std::vector<uint32_t> recv_f(slots, kNone), recv_b(slots, kNone);
  std::vector<uint32_t> sends;
  std::vector<int32_t> dev_of;
  t.offset.push_back(0);
  for (int d = 0; d < s.num_devices; ++d) {
    const auto& list = s.device_comms[static_cast<size_t>(d)];
    const uint32_t lo = idx.offset[static_cast<size_t>(d)];
    const uint32_t count = idx.offset[static_cast<size_t>(d) + 1] - lo;
    uint32_t last_before = 0;
    for (size_t k = 0; k < list.size(); ++k) {
      const CommAction& a = list[k];
      const std::string where = comm_where(s, locate_comm, d, k);
      if (a.before > count || a.before < last_before) return Error{"internal: communication actions out of order"};
      last_before = a.before;
      if (a.stage < 0 || a.stage >= s.num_stages) return Error{where + ": stage " + std::to_string(a.stage) + " is outside 0.." + std::to_string(s.num_stages - 1)};
      if (a.microbatch < 0 || a.microbatch >= s.num_microbatches)
        return Error{where + ": microbatch " + std::to_string(a.microbatch) + " is outside 0.." + std::to_string(s.num_microbatches - 1)};
      const int owner = s.stage_device[static_cast<size_t>(a.stage)];
      if (owner != d) return Error{where + ": stage " + std::to_string(a.stage) + " lives on device " + std::to_string(owner) + ", not device " + std::to_string(d)};
      if (a.stage / s.chain_length() != s.chain_of(a.microbatch))
        return Error{where + ": microbatch " + std::to_string(a.microbatch) + " does not pass through stage " + std::to_string(a.stage)};
      const size_t slot = static_cast<size_t>(a.stage) * m + static_cast<size_t>(a.microbatch);
      const bool forward = a.kind == CommKind::SendF || a.kind == CommKind::RecvF;
      const int neighbour = (a.kind == CommKind::SendF || a.kind == CommKind::RecvB) ? s.next_stage(a.stage) : s.prev_stage(a.stage);
      if (neighbour < 0)
        return Error{where + ": stage " + std::to_string(a.stage) + (is_send(a.kind) ? " has no stage to send to" : " has no stage to receive from") +
                     " in this direction"};
      const uint32_t op = (forward ? idx.f[slot] : idx.b[slot]) - lo;  // the compute op of this stage it serves
      const char* what = forward ? "forward" : "backward";
      if (is_send(a.kind) && a.before <= op)
        return Error{where + " comes before the " + what + " of microbatch " + std::to_string(a.microbatch) + " at stage " + std::to_string(a.stage) +
                     ", whose output it sends"};
      if (!is_send(a.kind) && a.before > op)
        return Error{where + " comes after the " + what + " of microbatch " + std::to_string(a.microbatch) + " at stage " + std::to_string(a.stage) +
                     ", which needs its data"};
      const auto g = static_cast<uint32_t>(t.kind.size());
      t.kind.push_back(static_cast<uint8_t>(a.kind));
      t.before.push_back(a.before);
      dev_of.push_back(d);
      if (is_send(a.kind)) {
        sends.push_back(g);
      } else {
        uint32_t& seen = (forward ? recv_f : recv_b)[slot];
        if (seen != kNone) return Error{where + " receives microbatch " + std::to_string(a.microbatch) + " at stage " + std::to_string(a.stage) + " twice"};
        seen = g;
      }
    }
    t.offset.push_back(static_cast<uint32_t>(t.kind.size()));
  }
  t.peer.assign(t.kind.size(), kNone);
  t.peer_dev.assign(t.kind.size(), -1);
  // Names comm g by its device and index there.
  auto where_of = [&](uint32_t g) {
    const int d = dev_of[g];
    return comm_where(s, locate_comm, d, g - t.offset[static_cast<size_t>(d)]);
  };
  auto action_of = [&](uint32_t g) -> const CommAction& {
    const int d = dev_of[g];
    return s.device_comms[static_cast<size_t>(d)][g - t.offset[static_cast<size_t>(d)]];
  };
  for (uint32_t g : sends) {
    const CommAction& a = action_of(g);
    const bool forward = a.kind == CommKind::SendF;
    const int to = forward ? s.next_stage(a.stage) : s.prev_stage(a.stage);
    const uint32_t r = (forward ? recv_f : recv_b)[static_cast<size_t>(to) * m + static_cast<size_t>(a.microbatch)];
    if (r == kNone)
      return Error{where_of(g) + " has no matching " + comm_label(forward ? CommKind::RecvF : CommKind::RecvB, to, a.microbatch) + " on device " +
                   std::to_string(s.stage_device[static_cast<size_t>(to)])};
    if (t.peer[r] != kNone) return Error{where_of(g) + " sends what " + where_of(t.peer[r]) + " already sends"};
    t.peer[g] = r;
    t.peer[r] = g;
    t.peer_dev[g] = dev_of[r];
    t.peer_dev[r] = dev_of[g];
  }
  for (uint32_t g = 0; g < t.kind.size(); ++g)
    if (t.peer[g] == kNone) {
      const CommAction& a = action_of(g);
      const bool forward = a.kind == CommKind::RecvF;
      const int from = forward ? s.prev_stage(a.stage) : s.next_stage(a.stage);
      return Error{where_of(g) + " has no matching " + comm_label(forward ? CommKind::SendF : CommKind::SendB, from, a.microbatch) + " on device " +
                   std::to_string(s.stage_device[static_cast<size_t>(from)])};
    }
  return t;
}

}  // namespace

CostModel cost_model(const Config& config, const Schedule& schedule) {
  CostModel c;
  const auto n = static_cast<size_t>(schedule.num_stages);
  const int L = schedule.chain_length();
  c.forward.resize(n);
  c.backward.resize(n);
  c.backward_D.resize(n);
  c.backward_W.resize(n);
  const auto& t = config.op_times;
  for (size_t s = 0; s < n; ++s) {
    const int model_stage = static_cast<int>(s) % L;
    c.forward[s] = t.forward.at(model_stage);
    c.backward[s] = t.backward.at(model_stage);
    c.backward_D[s] = t.backward_D.at(model_stage);
    c.backward_W[s] = t.backward_W.at(model_stage);
  }
  if (t.overlapped_forward_backward) {
    c.overlapped.resize(n);
    for (size_t s = 0; s < n; ++s) c.overlapped[s] = t.overlapped_forward_backward->at(static_cast<int>(s) % L);
  }
  c.p2p_latency = config.p2p_latency;
  c.p2p_mode = config.p2p_mode;
  return c;
}

Status validate_schedule(const Schedule& schedule, const OpLocator& locate) {
  return build_index(schedule, locate, nullptr).status();
}

Result<Timeline> emulate(const Schedule& s, const CostModel& costs, const OpLocator& locate, const OpLocator& locate_comm) {
  Timeline tl;
  Result<OpIndex> built = build_index(s, locate, &tl);
  if (!built.ok()) return Error{built.error()};
  const OpIndex& idx = built.value();
  const bool has_comms = s.has_comms();
  CommTables comms;
  if (has_comms) {
    Result<CommTables> c = build_comms(s, idx, locate_comm);
    if (!c.ok()) return Error{c.error()};
    comms = std::move(c).value();
    tl.comm_offset = comms.offset;
    tl.comm_start.assign(comms.kind.size(), 0);
    tl.comm_end.assign(comms.kind.size(), 0);
  }
  // Per device, the next communication action; per action, whether its device has reached it
  // (a posted RECV) and when a SEND's data arrives.
  std::vector<uint32_t> comm_next(comms.offset.begin(), comms.offset.empty() ? comms.offset.begin() : comms.offset.end() - 1);
  std::vector<uint8_t> posted(comms.kind.size(), 0);
  std::vector<double> arrival(comms.kind.size(), 0);
  const bool sync_sends = costs.p2p_mode == P2pMode::Sync;
  const size_t n = idx.offset.back();
  const auto P = static_cast<size_t>(s.num_devices);
  const auto stride = static_cast<size_t>(s.num_microbatches);
  tl.device_offset = idx.offset;
  detail::resize_fresh(tl.start, n);
  detail::resize_fresh(tl.end, n);
  double* const start_col = tl.start.data();
  double* const end_col = tl.end.data();
  const uint32_t* const f_col = idx.f.get();
  const uint32_t* const b_col = idx.b.get();
  // The loop reads each op from the timeline's own columns, which build_index has just filled:
  // 9 bytes per op (17 for OV) instead of a 20-byte Action, fewer cache lines per op.
  const uint8_t* const kind_col = tl.kind.data();
  const int32_t* const stage_col = tl.stage.data();
  const int32_t* const mb_col = tl.microbatch.data();
  const int32_t* const stage2_col = tl.stage2.data();
  const int32_t* const mb2_col = tl.microbatch2.data();

  // Device of each stage's chain neighbours, -1 at a chain's end: the inner loop then needs no
  // division to find them, and their slots are the own slot -/+ m.
  const int L = s.chain_length();
  std::vector<int32_t> prev_dev(static_cast<size_t>(s.num_stages)), next_dev(static_cast<size_t>(s.num_stages));
  for (int st = 0; st < s.num_stages; ++st) {
    prev_dev[static_cast<size_t>(st)] = st % L == 0 ? -1 : s.stage_device[static_cast<size_t>(st) - 1];
    next_dev[static_cast<size_t>(st)] = (st + 1) % L == 0 ? -1 : s.stage_device[static_cast<size_t>(st) + 1];
  }

  // An op on device `dev` has run exactly when its id is below next_op[dev] (a device runs its
  // list in order), so no per-op "done" marker has to be initialised or tested.
  std::vector<uint32_t> next_op(idx.offset.begin(), idx.offset.end() - 1);
  std::vector<double> free_at(P, 0.0);
  // A device that cannot go on waits for one op on one device; it sits in that device's list of
  // waiters and is woken only once that device has run past the op, never per op.
  std::vector<uint32_t> wait_id(P, kNone);
  std::vector<int32_t> waiter_head(P, -1), waiter_next(P, -1);
  std::vector<int32_t> work;
  work.reserve(P);
  for (size_t d = P; d-- > 0;) work.push_back(static_cast<int32_t>(d));

  const double latency = costs.p2p_latency;
  // One loop, instantiated twice: the async one is the model every strategy has always had, and
  // the sync one adds the sender's wait (CostModel::p2p_mode) without a test per op in the other.
  auto run_all = [&](auto sync_tag, auto comms_tag) {
  constexpr bool kSync = decltype(sync_tag)::value;
  constexpr bool kComms = decltype(comms_tag)::value;
  // The loop's constants as locals of this function, not references into the enclosing one: a
  // store to end[] could alias a captured double, and the compiler would reload it every op.
  double* const start = start_col;
  double* const end = end_col;
  const uint32_t* const f_id = f_col;
  const uint32_t* const b_id = b_col;
  const uint8_t* const op_kind = kind_col;
  const int32_t* const op_stage = stage_col;
  const int32_t* const op_mb = mb_col;
  const int32_t* const op_stage2 = stage2_col;
  const int32_t* const op_mb2 = mb2_col;
  const int32_t* const prev_of = prev_dev.data();
  const int32_t* const next_of = next_dev.data();
  const size_t m = stride;
  const double lat = latency;
  const uint32_t* const offset = idx.offset.data();
  uint32_t* const next_of_dev = next_op.data();
  double* const free_of_dev = free_at.data();
  uint32_t* const wait_of = wait_id.data();
  int32_t* const head_of = waiter_head.data();
  int32_t* const next_waiter = waiter_next.data();
  while (!work.empty()) {
    const int d = work.back();
    work.pop_back();
    const auto du = static_cast<size_t>(d);
    const uint32_t lo = offset[du], hi = offset[du + 1];
    uint32_t id = next_of_dev[du];
    double t = free_of_dev[du];
    int block_dev = -1;
    uint32_t block_id = kNone;
    // Folds one input into `ready`; false (and the op to wait for) if it has not run yet. Inputs
    // from this device are compared with `id`, since next_of_dev[d] is only stored when the run ends.
    double ready = 0;
    auto input = [&](uint32_t dep, int dev) PPEMU_ALWAYS_INLINE {
      if (dep >= (dev == d ? id : next_of_dev[static_cast<size_t>(dev)])) {
        block_dev = dev;
        block_id = dep;
        return false;
      }
      ready = std::max(ready, dev == d ? end[dep] : end[dep] + lat);
      return true;
    };
    auto forward_in = [&](size_t stage, size_t slot) PPEMU_ALWAYS_INLINE {
      return prev_of[stage] < 0 || input(f_id[slot - m], prev_of[stage]);
    };
    auto backward_in = [&](size_t stage, size_t slot) PPEMU_ALWAYS_INLINE {
      return input(f_id[slot], d) && (next_of[stage] < 0 || input(b_id[slot + m], next_of[stage]));
    };
    // Communication actions (kComms only): run those placed before compute op `local`; false
    // when one must wait (block_dev says for whom). They cost no time of their own.
    uint32_t c = 0, c_hi = 0;
    bool progressed = false;
    if constexpr (kComms) {
      c = comm_next[du];
      c_hi = comms.offset[du + 1];
    }
    auto run_comms = [&](uint32_t local) {
      for (; c < c_hi && comms.before[c] == local; ++c) {
        const auto k = static_cast<CommKind>(comms.kind[c]);
        const uint32_t peer = comms.peer[c];
        const int pd = comms.peer_dev[c];
        const double x = pd == d ? 0 : lat;
        if (is_send(k)) {
          if (sync_sends) {
            if (!posted[peer]) {  // a blocking send waits for its receiver to post the RECV
              block_dev = pd;
              return false;
            }
            tl.comm_start[c] = t;
            t = std::max(t, tl.comm_start[peer]) + x;
          } else {
            tl.comm_start[c] = t;
          }
          tl.comm_end[c] = t;
          arrival[c] = sync_sends ? t : t + x;
        } else {
          if (!posted[c]) {
            posted[c] = 1;
            tl.comm_start[c] = t;
            progressed = true;
          }
          if (peer >= (pd == d ? c : comm_next[static_cast<size_t>(pd)])) {  // its SEND has not run yet
            block_dev = pd;
            return false;
          }
          t = std::max(t, arrival[peer]);
          tl.comm_end[c] = t;
        }
        progressed = true;
      }
      return true;
    };
    const uint32_t first_id = id;
    for (; id < hi; ++id) {
      if constexpr (kComms) {
        if (!run_comms(id - lo)) break;
      }
      // Each device streams through its own op and time columns; with dozens of devices taking
      // turns every op or two, that is more streams than the hardware prefetcher follows, so
      // fetch a few ops ahead by hand (a no-op under WASM, where the columns' few bytes per op
      // are what keeps the misses down).
      if (id + kAhead < hi) {
        __builtin_prefetch(&op_stage[id + kAhead]);
        __builtin_prefetch(&op_mb[id + kAhead]);
        __builtin_prefetch(&end[id + kAhead], 1);
        __builtin_prefetch(&start[id + kAhead], 1);
      }
      const auto stage = static_cast<size_t>(op_stage[id]);
      const size_t slot = stage * m + static_cast<size_t>(op_mb[id]);
      ready = 0;
      const auto kind = static_cast<OpKind>(op_kind[id]);
      size_t stage2 = 0;
      bool ok;
      switch (kind) {
        case OpKind::F: ok = forward_in(stage, slot); break;
        case OpKind::B:
        case OpKind::BW: ok = backward_in(stage, slot); break;
        case OpKind::W: ok = input(b_id[slot], d); break;
        default:  // OV
          stage2 = static_cast<size_t>(op_stage2[id]);
          ok = forward_in(stage, slot) && backward_in(stage2, stage2 * m + static_cast<size_t>(op_mb2[id]));
          break;
      }
      if (!ok) break;
      double free = t;
      if constexpr (kSync) {
        // t is the end of this device's previous op; a blocking send from it delays this one.
        if (id > lo && kind != OpKind::OV) {
          const uint32_t p = id - 1;
          const auto prev_kind = static_cast<OpKind>(op_kind[p]);
          const auto prev_stage = static_cast<size_t>(op_stage[p]);
          if (prev_stage == stage && prev_kind != OpKind::OV && prev_kind != OpKind::W &&
              (prev_kind == OpKind::F) == (kind == OpKind::F)) {
            const size_t prev_slot = prev_stage * m + static_cast<size_t>(op_mb[p]);
            bool sends;
            if (prev_kind == OpKind::F) {
              const int to = next_of[prev_stage];
              sends = to >= 0 && to != d && static_cast<OpKind>(op_kind[f_id[prev_slot + m]]) != OpKind::OV;
            } else {
              const int to = prev_of[prev_stage];
              sends = to >= 0 && to != d && static_cast<OpKind>(op_kind[b_id[prev_slot - m]]) != OpKind::OV;
            }
            if (sends) free += lat;
          }
        }
      }
      const double op_start = std::max(free, ready);
      t = op_start + costs.duration(kind, stage, stage2);
      start[id] = op_start;
      end[id] = t;
    }
    if constexpr (kComms) {
      if (id == hi && block_dev < 0) run_comms(hi - lo);  // actions after the last compute op
      comm_next[du] = c;
      progressed = progressed || id != first_id;
    }
    next_of_dev[du] = id;
    free_of_dev[du] = t;
    if (block_dev >= 0) {
      wait_of[du] = block_id;
      next_waiter[du] = head_of[static_cast<size_t>(block_dev)];
      head_of[static_cast<size_t>(block_dev)] = d;
    }
    if constexpr (kComms) {
      // A wait on a communication action has no op id to compare: every waiter of a device that
      // moved looks again. Each wake follows progress, so this ends, stuck or done.
      if (progressed) {
        int32_t* link = &head_of[du];
        while (*link >= 0) {
          const int w = *link;
          *link = next_waiter[static_cast<size_t>(w)];
          if (w != d) work.push_back(w);
          else link = &next_waiter[static_cast<size_t>(w)];
        }
      }
    } else {
      // Wake the waiters this run has served; the rest keep waiting on this device.
      int32_t* link = &head_of[du];
      while (*link >= 0) {
        const int w = *link;
        if (wait_of[static_cast<size_t>(w)] < id) {
          *link = next_waiter[static_cast<size_t>(w)];
          work.push_back(w);
        } else {
          link = &next_waiter[static_cast<size_t>(w)];
        }
      }
    }
  }
  };
  if (has_comms) {
    run_all(std::false_type{}, std::true_type{});  // the actions say where sends wait: no implicit pairs
  } else if (costs.p2p_mode == P2pMode::Sync && latency > 0) {
    run_all(std::true_type{}, std::false_type{});
  } else {
    run_all(std::false_type{}, std::false_type{});
  }

  std::string stuck;
  int stuck_devices = 0;
  for (size_t d = 0; d < P; ++d) {
    const uint32_t id = next_op[d];
    const bool comms_left = has_comms && comm_next[d] < comms.offset[d + 1];
    if (id == idx.offset[d + 1] && !comms_left) continue;
    if (++stuck_devices > 4) continue;
    if (comms_left && comms.before[comm_next[d]] == id - idx.offset[d]) {
      // Stuck at a communication action: a RECV whose SEND never runs, or a sync SEND whose RECV is never posted.
      const uint32_t g = comm_next[d];
      const uint32_t peer = comms.peer[g];
      const auto pd = static_cast<size_t>(comms.peer_dev[g]);
      const CommAction& other = s.device_comms[pd][peer - comms.offset[pd]];
      const std::string other_label = comm_label(other.kind, other.stage, other.microbatch) + " on device " + std::to_string(pd);
      stuck += (stuck.empty() ? "" : "; ") + comm_where(s, locate_comm, static_cast<int>(d), g - comms.offset[d]) +
               (is_send(static_cast<CommKind>(comms.kind[g])) ? " waits for " + other_label + " to be posted" : " waits for " + other_label);
      continue;
    }
    const Action& a = s.device_actions[d][id - idx.offset[d]];
    // Name the first input that never arrives.
    std::string waits;
    auto missing = [&](uint32_t dep, OpKind k, int stage, int mb) {
      const auto dev = static_cast<size_t>(s.stage_device[static_cast<size_t>(stage)]);
      if (waits.empty() && dep >= next_op[dev]) waits = half_label(k, stage, mb) + " on device " + std::to_string(dev);
    };
    auto check_forward = [&](int stage, int mb) {
      const int prev = s.prev_stage(stage);
      if (prev >= 0) missing(idx.f[idx.slot(prev, mb)], OpKind::F, prev, mb);
    };
    auto check_backward = [&](int stage, int mb) {
      missing(idx.f[idx.slot(stage, mb)], OpKind::F, stage, mb);
      const int next = s.next_stage(stage);
      if (next >= 0) {
        const size_t slot = idx.slot(next, mb);
        missing(idx.b[slot], idx.flags[slot] & kFull ? OpKind::BW : OpKind::B, next, mb);
      }
    };
    switch (a.kind) {
      case OpKind::F: check_forward(a.stage, a.microbatch); break;
      case OpKind::B:
      case OpKind::BW: check_backward(a.stage, a.microbatch); break;
      case OpKind::W: missing(idx.b[idx.slot(a.stage, a.microbatch)], OpKind::B, a.stage, a.microbatch); break;
      case OpKind::OV:
        check_forward(a.stage, a.microbatch);
        check_backward(a.stage2, a.microbatch2);
        break;
    }
    stuck += (stuck.empty() ? "" : "; ") + where(s, locate, static_cast<int>(d), id - idx.offset[d]) + " waits for " + waits;
  }
  if (stuck_devices > 0) {
    if (stuck_devices > 4) stuck += "; and " + std::to_string(stuck_devices - 4) + " more devices";
    return Error{"the schedule can never finish: " + stuck};
  }
  return tl;
}

}  // namespace ppemu
