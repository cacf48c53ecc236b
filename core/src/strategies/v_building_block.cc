// V-Half / V-Min: the building-block method of arXiv 2405.15362 as sail-sg's zbv_greedy.py runs it:
//  1. Building block: one microbatch's four passes on device i sit at fixed slot offsets (the
//     block's shape decides its lifespan, hence the peak memory); block k is shifted by 6k slots.
//  2. W's go into free slots after their B's (put_w).
//  3. Squeeze with W's: walking passes in slot order, warm-up and cool-down passes move to the
//     earliest free slot after their dependencies that keeps the device's count within the
//     largest peak of any device.
//     The stable middle (from the first chunk-0 backward on device 0 until the last microbatch's
//     first forward) is left alone: that is where the peak is meant to be.
//  4. Unit-time replay to compact, drop the W's, squeeze the cool-down again with W's retired
//     lazily into free slots, replay, then place W's once more (chunk 1's first) and read off
//     each device's order. Times are the emulator's business; only this order is kept.
// Every move keeps each pass after its dependencies, so the final slot order is a topological
// order of the dependency graph: the schedule always finishes. Checked op for op against a run of
// the reference for p = 1..8 with m = 1..4p and p = 9, 12, 16 with m in {1, 5, 2p, 5p}.
// Cost: linear in the ops plus the warm-up/cool-down squeeze, O(p^3) slot probes at worst
// (p=256, m=256 about 0.5 s natively).
#include "strategies/v_building_block.h"

#include "strategies/common.h"

#include <algorithm>
#include <array>
#include <vector>

#include "strategies/common.h"

namespace ppemu::detail {
namespace {

// Pass kinds, numbered as the reference numbers its lists.
// Chunk 0 (stage i) runs forward on devices 0..p-1, chunk 1 (stage 2p-1-i) back on p-1..0.
enum Kind : int {
  kF0 = 0,  // chunk 0 forward, flows to higher devices
  kF1 = 1,  // chunk 1 forward, flows to lower devices
  kB1 = 2,  // chunk 1 input backward, flows to higher devices
  kB0 = 3,  // chunk 0 input backward, flows to lower devices
  kW = 4,   // weight backward: of either chunk (merged list), or of chunk 1 once split
  kW0 = 5,  // weight backward of chunk 0, once split
};

using Lists = std::vector<std::vector<int>>;  // per kind, the slot of each pass in microbatch order
using Plan = std::vector<Lists>;              // per device

struct Pass {
  int slot, device, kind, index;
};

// The building block: slots of F0, F1, B1, B0 of microbatch 0 on each device, as zbv_greedy.py
// sets them. The extra gap keeps blocks 6 slots apart from colliding.
std::vector<std::array<int, 4>> building_block(VBlock block, int p) {
  std::vector<std::array<int, 4>> out(static_cast<size_t>(p));
  for (int i = 0; i < p; ++i) {
    if (block == VBlock::kMin) {
      const int gap = p % 3 == 0 ? 2 : 0;
      out[static_cast<size_t>(i)] = {i, 2 * p - i - 1, 2 * p + gap + i, 4 * p + gap - i - 1};
    } else {
      const int gap = p % 2 == 0 ? 3 : 0;
      out[static_cast<size_t>(i)] = {2 * i, 3 * p - i - 2, 3 * p + gap + 2 * i - 1, 6 * p + gap - i - 2};
    }
  }
  return out;
}

// Every pass ordered by (slot, device): the order the reference walks them in. A device holds
// at most one pass per slot, so a stable counting sort by slot of the device-major list does it
// in linear time (plans hold millions of passes).
std::vector<Pass> passes_in_slot_order(const Plan& plan) {
  std::vector<Pass> by_device;
  int last = 0;
  for (size_t d = 0; d < plan.size(); ++d)
    for (size_t k = 0; k < plan[d].size(); ++k)
      for (size_t i = 0; i < plan[d][k].size(); ++i) {
        by_device.push_back({plan[d][k][i], static_cast<int>(d), static_cast<int>(k), static_cast<int>(i)});
        last = std::max(last, plan[d][k][i]);
      }
  std::vector<size_t> first(static_cast<size_t>(last) + 2, 0);
  for (const Pass& pass : by_device) ++first[static_cast<size_t>(pass.slot) + 1];
  for (size_t t = 1; t < first.size(); ++t) first[t] += first[t - 1];
  std::vector<Pass> out(by_device.size());
  for (const Pass& pass : by_device) out[first[static_cast<size_t>(pass.slot)]++] = pass;
  return out;
}

// Calls visit(device, kind, index) for each pass that `pass` must follow, besides the merged
// W's B (handled by the caller): the previous device on its chunk's path, the previous pass of
// the same microbatch on this device, and the previous microbatch of the same kind.
template <class Visit>
void for_each_dependency(int p, const Pass& pass, Visit visit) {
  const int d = pass.device, k = pass.kind, i = pass.index;
  if ((k == kF0 || k == kB1) && d > 0) visit(d - 1, k, i);
  if ((k == kF1 || k == kB0) && d + 1 < p) visit(d + 1, k, i);
  if (k >= kF1 && k <= kB0) visit(d, k - 1, i);
  if (i > 0) visit(d, k, i - 1);
}

// Fills free slots with W's, each after its B; with `split`, chunk 1's W's (list kW) are
// preferred over chunk 0's (list kW0). W's left at the end follow the last pass.
void put_w(Lists& lists, bool split) {
  int bound = 0;
  for (int k = 0; k < 4; ++k) bound = std::max(bound, lists[static_cast<size_t>(k)].back());
  lists.resize(split ? 6 : 5);
  std::array<size_t, 4> next{};
  std::array<int, 2> pending{};
  for (int t = 0; t <= bound; ++t) {
    int kind = -1;
    for (int k = 0; k < 4; ++k) {
      const auto& l = lists[static_cast<size_t>(k)];
      if (next[static_cast<size_t>(k)] < l.size() && l[next[static_cast<size_t>(k)]] == t) kind = k;
    }
    if (kind >= 0) {
      ++next[static_cast<size_t>(kind)];
      if (kind == kB1 || kind == kB0) ++pending[split ? kind - kB1 : 0];
      continue;
    }
    for (size_t w = 0; w < 2; ++w) {
      if (pending[w] == 0) continue;
      lists[kW + w].push_back(t);
      --pending[w];
      break;
    }
  }
  int t = bound;
  for (size_t w = 0; w < 2; ++w)
    for (; pending[w] > 0; --pending[w]) lists[kW + w].push_back(++t);
}

// One device's activation count over its slots, as the reference's mem_of_stage counts it:
// a forward holds one chunk; with explicit W's a W frees it, otherwise each free slot retires
// one pending W. Kept as the state before every slot, so a trial move only replays the slots
// it changes.
class Profile {
 public:
  Profile(const Lists& lists, bool explicit_w) : explicit_w_(explicit_w) {
    int size = 0;
    for (const auto& l : lists)
      for (int t : l) size = std::max(size, t + 1);
    occupant_.assign(static_cast<size_t>(size), -1);
    for (size_t k = 0; k < lists.size(); ++k)
      for (int t : lists[k]) occupant_[static_cast<size_t>(t)] = static_cast<int>(k);
    before_.assign(static_cast<size_t>(size) + 1, State{});
    for (int t = 0; t < size; ++t) before_[static_cast<size_t>(t) + 1] = step(before_[static_cast<size_t>(t)], occupant_[static_cast<size_t>(t)]);
  }

  int peak() const {
    int peak = 0;
    for (const State& s : before_) peak = std::max(peak, s.held);
    return peak;
  }

  bool free(int slot) const { return occupant_[static_cast<size_t>(slot)] < 0; }

  // Whether moving the pass at `from` to the free slot `to` < from keeps every count <= limit.
  // The count is already <= limit everywhere, so only slots until the two timelines agree again matter.
  bool fits(int from, int to, int limit) const {
    const int kind = occupant_[static_cast<size_t>(from)];
    State s = before_[static_cast<size_t>(to)];
    for (int t = to; t < size(); ++t) {
      s = step(s, t == to ? kind : t == from ? -1 : occupant_[static_cast<size_t>(t)]);
      if (s.held > limit) return false;
      if (t >= from && s == before_[static_cast<size_t>(t) + 1]) return true;
    }
    return true;
  }

  void move(int from, int to) {
    occupant_[static_cast<size_t>(to)] = occupant_[static_cast<size_t>(from)];
    occupant_[static_cast<size_t>(from)] = -1;
    State s = before_[static_cast<size_t>(to)];
    for (int t = to; t < size(); ++t) {
      s = step(s, occupant_[static_cast<size_t>(t)]);
      if (t >= from && s == before_[static_cast<size_t>(t) + 1]) break;
      before_[static_cast<size_t>(t) + 1] = s;
    }
  }

 private:
  struct State {
    int held = 0;     // chunks whose activations are held
    int pending = 0;  // B's whose W has not run (when W's are not explicit)
    bool operator==(const State& o) const { return held == o.held && pending == o.pending; }
  };

  int size() const { return static_cast<int>(occupant_.size()); }

  State step(State s, int kind) const {
    if (kind == kF0 || kind == kF1) ++s.held;
    if (kind == kB1 || kind == kB0) ++s.pending;
    if (kind == kW) --s.held;
    if (kind < 0 && !explicit_w_ && s.pending > 0) --s.held, --s.pending;
    return s;
  }

  bool explicit_w_;
  std::vector<int> occupant_;  // kind of the pass in each slot, -1 when free
  std::vector<State> before_;  // state before each slot; before_[size] is the final one
};

// Replays the plan in slot order with every pass taking one unit and no latency, each as early
// as its dependencies and its device allow; the start times become the new slots.
Plan replay(const Plan& plan) {
  const int p = static_cast<int>(plan.size());
  Plan end = plan;
  std::vector<int> device_free(static_cast<size_t>(p), 0);
  for (const Pass& pass : passes_in_slot_order(plan)) {
    int start = device_free[static_cast<size_t>(pass.device)];
    for_each_dependency(p, pass, [&](int d, int k, int i) {
      start = std::max(start, end[static_cast<size_t>(d)][static_cast<size_t>(k)][static_cast<size_t>(i)]);
    });
    end[static_cast<size_t>(pass.device)][static_cast<size_t>(pass.kind)][static_cast<size_t>(pass.index)] = start + 1;
    device_free[static_cast<size_t>(pass.device)] = start + 1;
  }
  for (auto& lists : end)
    for (auto& l : lists)
      for (int& t : l) --t;
  return end;
}

// The k-th smallest (from 0) of two increasing lists together. Each kind's slots stay increasing
// through squeezing (a pass never moves before its previous microbatch), so a binary search on
// how many come from `a` suffices.
int kth_smallest(const std::vector<int>& a, const std::vector<int>& b, size_t k) {
  size_t lo = k + 1 > b.size() ? k + 1 - b.size() : 0, hi = std::min(k + 1, a.size());
  while (lo < hi) {  // smallest i (taken from a) whose split needs no more from a
    const size_t i = (lo + hi) / 2, j = k + 1 - i;
    if (j > 0 && i < a.size() && b[j - 1] > a[i])
      lo = i + 1;
    else
      hi = i;
  }
  const size_t i = lo, j = k + 1 - lo;
  return std::max(i > 0 ? a[i - 1] : -1, j > 0 ? b[j - 1] : -1);
}

// The latest slot among the passes `pass` must follow, -1 if none.
int latest_dependency(const Plan& plan, const Pass& pass) {
  const int p = static_cast<int>(plan.size());
  int latest = -1;
  for_each_dependency(p, pass, [&](int d, int k, int i) {
    latest = std::max(latest, plan[static_cast<size_t>(d)][static_cast<size_t>(k)][static_cast<size_t>(i)]);
  });
  if (pass.kind == kW) {
    // The merged list's i-th W belongs to the device's i-th B of either chunk.
    const Lists& lists = plan[static_cast<size_t>(pass.device)];
    latest = std::max(latest, kth_smallest(lists[kB1], lists[kB0], static_cast<size_t>(pass.index)));
  }
  return latest;
}

// One squeeze/reorder pass (zbv_greedy.py `reorder`). With `with_w`, W's are placed first and
// the warm-up is squeezed as well as the cool-down; without, only the cool-down is.
Plan squeeze(Plan plan, bool with_w, int m) {
  if (with_w)
    for (auto& lists : plan) put_w(lists, false);
  std::vector<Profile> profiles;
  int limit = 0;
  for (const auto& lists : plan) {
    profiles.emplace_back(lists, with_w);
    limit = std::max(limit, profiles.back().peak());
  }
  enum { kWarmUp, kStable, kCoolDown } phase = kWarmUp;
  for (const Pass& pass : passes_in_slot_order(plan)) {
    if (phase == kWarmUp && pass.kind == kB0 && pass.device == 0) phase = kStable;
    if (phase == kStable) {
      if (pass.kind == kF0 && pass.index == m - 1) phase = kCoolDown;
      continue;
    }
    if (phase == kWarmUp && !with_w) continue;
    Profile& profile = profiles[static_cast<size_t>(pass.device)];
    int& slot = plan[static_cast<size_t>(pass.device)][static_cast<size_t>(pass.kind)][static_cast<size_t>(pass.index)];
    for (int t = latest_dependency(plan, pass) + 1; t < slot; ++t) {
      if (profile.free(t) && profile.fits(slot, t, limit)) {
        profile.move(slot, t);
        slot = t;
        break;
      }
    }
  }
  if (!with_w)
    for (auto& lists : plan) put_w(lists, false);
  return replay(plan);
}

void drop_w(Plan& plan) {
  for (auto& lists : plan) lists.resize(4);
}

}  // namespace

Schedule v_building_block_schedule(VBlock block, int p, int m) {
  Plan plan(static_cast<size_t>(p), Lists(4));
  const auto offsets = building_block(block, p);
  for (int d = 0; d < p; ++d)
    for (int k = 0; k < 4; ++k) {
      auto& l = plan[static_cast<size_t>(d)][static_cast<size_t>(k)];
      for (int i = 0; i < m; ++i) l.push_back(offsets[static_cast<size_t>(d)][static_cast<size_t>(k)] + 6 * i);
    }
  plan = squeeze(std::move(plan), true, m);
  drop_w(plan);
  plan = squeeze(std::move(plan), false, m);
  drop_w(plan);
  for (auto& lists : plan) put_w(lists, true);

  Schedule s = make_schedule(p, v_placement(p), m);
  for (const Pass& pass : passes_in_slot_order(plan)) {
    const int d = pass.device, chunk1 = 2 * p - 1 - d, i = pass.index;
    auto& list = s.device_actions[static_cast<size_t>(d)];
    switch (pass.kind) {
      case kF0: append(list, OpKind::F, d, i); break;
      case kF1: append(list, OpKind::F, chunk1, i); break;
      case kB1: append(list, OpKind::B, chunk1, i); break;
      case kB0: append(list, OpKind::B, d, i); break;
      case kW: append(list, OpKind::W, chunk1, i); break;
      case kW0: append(list, OpKind::W, d, i); break;
    }
  }
  return s;
}

std::vector<Formula> v_building_block_formulas(VBlock block, const Config& c, const Metrics& mx) {
  const int p = c.num_devices, m = c.num_batches;
  const bool half = block == VBlock::kHalf;
  // The papers count microbatches; a device holds two chunks of each, so half the chunk count.
  return {order_formula("peak activations (microbatches)", half ? "(p+2)//2, at most m" : "(p+4)//3, at most m",
                        std::min(m, half ? (p + 2) / 2 : (p + 4) / 3), mx.peak_activations / 2.0,
                        "Qi et al. 2024 (arXiv 2405.15362); sail HF space table")};
}

}  // namespace ppemu::detail
