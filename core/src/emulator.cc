#include "ppemu/emulator.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>

namespace ppemu {
namespace {

constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();

// Where each (stage, microbatch) pair's ops sit in the device-major op order.
struct OpIndex {
  int m = 0;
  std::vector<uint32_t> f, b, w;  // b holds the B or the full backward (BW / OV backward half)
  std::vector<uint8_t> full;      // 1 if b is a full backward
  std::vector<uint32_t> offset;   // device d's ops are [offset[d], offset[d+1])
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

Status check_half(const Schedule& s, OpIndex& idx, const OpLocator& locate, int d, size_t k, uint32_t id, OpKind kind,
                  int stage, int mb) {
  if (stage < 0 || stage >= s.num_stages)
    return Error{where(s, locate, d, k) + ": stage " + std::to_string(stage) + " is outside 0.." + std::to_string(s.num_stages - 1)};
  if (mb < 0 || mb >= s.num_microbatches)
    return Error{where(s, locate, d, k) + ": microbatch " + std::to_string(mb) + " is outside 0.." +
                 std::to_string(s.num_microbatches - 1)};
  const int owner = s.stage_device[static_cast<size_t>(stage)];
  if (owner != d)
    return Error{where(s, locate, d, k) + ": stage " + std::to_string(stage) + " lives on device " + std::to_string(owner) +
                 ", not device " + std::to_string(d)};
  const int chain = stage / s.chain_length();
  if (chain != s.chain_of(mb))
    return Error{where(s, locate, d, k) + ": microbatch " + std::to_string(mb) + " does not pass through stage " +
                 std::to_string(stage)};
  const size_t slot = idx.slot(stage, mb);
  auto take = [&](std::vector<uint32_t>& column, const char* what) -> Status {
    if (column[slot] != kNone)
      return Error{where(s, locate, d, k) + ": " + what + " of microbatch " + std::to_string(mb) + " at stage " +
                   std::to_string(stage) + " is scheduled twice"};
    column[slot] = id;
    return {};
  };
  switch (kind) {
    case OpKind::F: return take(idx.f, "the forward");
    case OpKind::W: return take(idx.w, "the weight backward W");
    case OpKind::B:
    case OpKind::BW: {
      Status st = take(idx.b, "the backward");
      if (st.ok()) idx.full[slot] = kind == OpKind::BW;
      return st;
    }
    case OpKind::OV: break;
  }
  return Error{"internal: OV passed as a half"};
}

Result<OpIndex> build_index(const Schedule& s, const OpLocator& locate) {
  if (s.num_devices < 1 || s.num_stages < 1 || s.num_microbatches < 1)
    return Error{"the schedule needs at least one device, stage and microbatch"};
  if (static_cast<int>(s.stage_device.size()) != s.num_stages || static_cast<int>(s.device_actions.size()) != s.num_devices)
    return Error{"internal: schedule tables do not match its counts"};
  if (s.num_chains < 1 || s.num_stages % s.num_chains != 0) return Error{"internal: stages do not split into chains"};
  for (int32_t dev : s.stage_device)
    if (dev < 0 || dev >= s.num_devices) return Error{"internal: a stage is placed on a device that does not exist"};

  OpIndex idx;
  idx.m = s.num_microbatches;
  const size_t slots = static_cast<size_t>(s.num_stages) * static_cast<size_t>(s.num_microbatches);
  idx.f.assign(slots, kNone);
  idx.b.assign(slots, kNone);
  idx.w.assign(slots, kNone);
  idx.full.assign(slots, 0);
  idx.offset.assign(static_cast<size_t>(s.num_devices) + 1, 0);

  uint32_t id = 0;
  for (int d = 0; d < s.num_devices; ++d) {
    const auto& list = s.device_actions[static_cast<size_t>(d)];
    idx.offset[static_cast<size_t>(d)] = id;
    for (size_t k = 0; k < list.size(); ++k, ++id) {
      const Action& a = list[k];
      Status st;
      if (a.kind == OpKind::OV) {
        st = check_half(s, idx, locate, d, k, id, OpKind::F, a.stage, a.microbatch);
        if (st.ok()) st = check_half(s, idx, locate, d, k, id, OpKind::BW, a.stage2, a.microbatch2);
      } else {
        st = check_half(s, idx, locate, d, k, id, a.kind, a.stage, a.microbatch);
      }
      if (!st.ok()) return Error{st.error()};
    }
  }
  idx.offset[static_cast<size_t>(s.num_devices)] = id;

  const int L = s.chain_length();
  for (int mb = 0; mb < s.num_microbatches; ++mb) {
    const int first = s.chain_of(mb) * L;
    for (int stage = first; stage < first + L; ++stage) {
      const size_t slot = idx.slot(stage, mb);
      const std::string pair = "microbatch " + std::to_string(mb) + " at stage " + std::to_string(stage);
      if (idx.f[slot] == kNone) return Error{"the schedule never runs the forward of " + pair};
      if (idx.b[slot] == kNone) return Error{"the schedule never runs the backward of " + pair};
      if (idx.full[slot] && idx.w[slot] != kNone)
        return Error{"the schedule runs both a full backward and a W for " + pair};
      if (!idx.full[slot] && idx.w[slot] == kNone)
        return Error{"the schedule runs B but never W for " + pair};
    }
  }
  return idx;
}

}  // namespace

double CostModel::duration(const Action& a) const {
  const auto s = static_cast<size_t>(a.stage);
  switch (a.kind) {
    case OpKind::F: return forward[s];
    case OpKind::B: return backward_D[s];
    case OpKind::W: return backward_W[s];
    case OpKind::BW: return backward[s];
    case OpKind::OV: return overlapped.empty() ? forward[s] + backward[static_cast<size_t>(a.stage2)] : overlapped[s];
  }
  return 0;
}

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
  return c;
}

Status validate_schedule(const Schedule& schedule, const OpLocator& locate) {
  return build_index(schedule, locate).status();
}

Result<Timeline> emulate(const Schedule& s, const CostModel& costs, const OpLocator& locate) {
  Result<OpIndex> built = build_index(s, locate);
  if (!built.ok()) return Error{built.error()};
  const OpIndex& idx = built.value();
  const size_t n = idx.offset.back();
  const auto P = static_cast<size_t>(s.num_devices);

  Timeline tl;
  tl.device_offset = idx.offset;
  tl.device.resize(n);
  tl.stage.resize(n);
  tl.microbatch.resize(n);
  tl.kind.resize(n);
  tl.stage2.resize(n);
  tl.microbatch2.resize(n);
  tl.start.assign(n, 0.0);
  tl.end.assign(n, -1.0);  // -1 marks "not run yet"; real times are >= 0
  for (size_t d = 0; d < P; ++d) {
    uint32_t id = idx.offset[d];
    for (const Action& a : s.device_actions[d]) {
      tl.device[id] = static_cast<int32_t>(d);
      tl.stage[id] = a.stage;
      tl.microbatch[id] = a.microbatch;
      tl.kind[id] = static_cast<uint8_t>(a.kind);
      tl.stage2[id] = a.stage2;
      tl.microbatch2[id] = a.microbatch2;
      ++id;
    }
  }

  const auto& where_stage = s.stage_device;
  const double lat = costs.p2p_latency;
  // Arrival of the output of `dep` at device d, or -1 while dep has not run.
  auto arrival = [&](uint32_t dep, int d) -> double {
    const double e = tl.end[dep];
    if (e < 0) return -1;
    return tl.device[dep] == d ? e : e + lat;
  };
  // Latest arrival of the inputs of one forward / backward half; -1 if one has not run.
  auto forward_ready = [&](int stage, int mb, int d) -> double {
    const int prev = s.prev_stage(stage);
    return prev < 0 ? 0.0 : arrival(idx.f[idx.slot(prev, mb)], d);
  };
  auto backward_ready = [&](int stage, int mb, int d) -> double {
    const double own = arrival(idx.f[idx.slot(stage, mb)], d);
    if (own < 0) return -1;
    const int next = s.next_stage(stage);
    if (next < 0) return own;
    const double down = arrival(idx.b[idx.slot(next, mb)], d);
    return down < 0 ? -1 : std::max(own, down);
  };
  auto ready_time = [&](const Action& a, int d) -> double {
    switch (a.kind) {
      case OpKind::F: return forward_ready(a.stage, a.microbatch, d);
      case OpKind::B:
      case OpKind::BW: return backward_ready(a.stage, a.microbatch, d);
      case OpKind::W: return arrival(idx.b[idx.slot(a.stage, a.microbatch)], d);
      case OpKind::OV: {
        const double f = forward_ready(a.stage, a.microbatch, d);
        const double b = backward_ready(a.stage2, a.microbatch2, d);
        return f < 0 || b < 0 ? -1 : std::max(f, b);
      }
    }
    return -1;
  };

  std::vector<uint32_t> next_op(idx.offset.begin(), idx.offset.end() - 1);
  std::vector<double> free_at(P, 0.0);
  std::vector<int> work;  // devices that may be able to advance
  std::vector<uint8_t> queued(P, 1);
  work.reserve(P);
  for (size_t d = P; d-- > 0;) work.push_back(static_cast<int>(d));
  auto wake = [&](int stage_of_dependent, int self) {
    if (stage_of_dependent < 0) return;
    const int dev = where_stage[static_cast<size_t>(stage_of_dependent)];
    if (dev != self && !queued[static_cast<size_t>(dev)]) {
      queued[static_cast<size_t>(dev)] = 1;
      work.push_back(dev);
    }
  };

  while (!work.empty()) {
    const int d = work.back();
    work.pop_back();
    queued[static_cast<size_t>(d)] = 0;
    const auto& list = s.device_actions[static_cast<size_t>(d)];
    const uint32_t base = idx.offset[static_cast<size_t>(d)];
    uint32_t id = next_op[static_cast<size_t>(d)];
    double t = free_at[static_cast<size_t>(d)];
    for (; id < idx.offset[static_cast<size_t>(d) + 1]; ++id) {
      const Action& a = list[id - base];
      const double ready = ready_time(a, d);
      if (ready < 0) break;  // woken again when the missing input is produced
      const double start = std::max(t, ready);
      t = start + costs.duration(a);
      tl.start[id] = start;
      tl.end[id] = t;
      // Only cross-device consumers need waking; this device continues anyway.
      if (a.kind == OpKind::F || a.kind == OpKind::OV) wake(s.next_stage(a.stage), d);
      if (a.kind == OpKind::B || a.kind == OpKind::BW) wake(s.prev_stage(a.stage), d);
      if (a.kind == OpKind::OV) wake(s.prev_stage(a.stage2), d);
    }
    next_op[static_cast<size_t>(d)] = id;
    free_at[static_cast<size_t>(d)] = t;
  }

  std::string stuck;
  int stuck_devices = 0;
  for (size_t d = 0; d < P; ++d) {
    const uint32_t id = next_op[d];
    if (id == idx.offset[d + 1]) continue;
    if (++stuck_devices > 4) continue;
    const Action& a = s.device_actions[d][id - idx.offset[d]];
    // Name the first input that never arrives.
    std::string waits;
    auto missing = [&](uint32_t dep, OpKind k, int stage, int mb) {
      if (waits.empty() && tl.end[dep] < 0) waits = half_label(k, stage, mb) + " on device " + std::to_string(tl.device[dep]);
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
        missing(idx.b[slot], idx.full[slot] ? OpKind::BW : OpKind::B, next, mb);
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
