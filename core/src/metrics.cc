#include "ppemu/metrics.h"

#include <algorithm>

#include "always_inline.h"
#include "huge_pages.h"

namespace ppemu {
namespace {

// What each op kind does to the activation count: allocate at its start, free at its end.
enum : uint8_t { kAllocates = 1, kFreesAtLast = 2, kFreesAtInput = 4 };
constexpr uint8_t kEffect[kNumOpKinds] = {
    kAllocates,                                   // F
    kFreesAtInput,                                // B
    kFreesAtLast,                                 // W
    kFreesAtLast | kFreesAtInput,                 // BW
    kAllocates | kFreesAtLast | kFreesAtInput,    // OV: the forward half allocates, the backward half frees
};

// Walks one device's allocations (starts of allocating ops) and frees (ends of the ops `free_bit`
// picks). A device runs one op at a time, so start[i] <= end[i] <= start[i+1]: taken in that order
// the events are already sorted, and events at one instant are adjacent. The count is observed
// once per distinct event time, after all of that instant's events, which is "frees before
// allocations at the same instant". Calls emit(time, count) once per distinct event time.
template <uint8_t free_bit, class Emit>
int32_t walk_device(const Timeline& tl, uint32_t lo, uint32_t hi, Emit emit) {
  const uint8_t* kind = tl.kind.data();
  const double* start = tl.start.data();
  const double* end = tl.end.data();
  int32_t count = 0, peak = 0;
  bool open = false;
  double at = 0;
  auto event = [&](double t, int32_t delta) PPEMU_ALWAYS_INLINE {
    if (open && t != at) {
      peak = std::max(peak, count);
      emit(at, count);
    }
    open = true;
    at = t;
    count += delta;
  };
  for (uint32_t i = lo; i < hi; ++i) {
    const uint8_t k = kind[i] < kNumOpKinds ? kEffect[kind[i]] : 0;
    if (k & kAllocates) event(start[i], 1);
    if (k & free_bit) event(end[i], -1);
  }
  if (open) {
    peak = std::max(peak, count);
    emit(at, count);
  }
  return peak;
}

// The same walk for memory in op_memory units: F allocates its activation at its start, B frees
// what W does not need, W the rest, a full backward everything; an OV's halves do both. Events
// that change nothing (B when nothing is freed before W) are skipped, so with the default
// op_memory the points are exactly the activation series'.
template <class Emit>
double walk_memory(const Timeline& tl, uint32_t lo, uint32_t hi, const MemoryModel& mm, double base, Emit emit) {
  const uint8_t* kind = tl.kind.data();
  const int32_t* stage = tl.stage.data();
  const int32_t* stage2 = tl.stage2.data();
  const double* start = tl.start.data();
  const double* end = tl.end.data();
  const double* act = mm.activation.data();
  const double* kept = mm.after_B.data();
  double used = base, peak = base;
  bool open = false;
  double at = 0;
  auto event = [&](double t, double delta) PPEMU_ALWAYS_INLINE {
    if (delta == 0) return;
    if (open && t != at) {
      peak = std::max(peak, used);
      emit(at, used);
    }
    open = true;
    at = t;
    used += delta;
  };
  for (uint32_t i = lo; i < hi; ++i) {
    const auto s = static_cast<size_t>(stage[i]);
    switch (static_cast<OpKind>(kind[i])) {
      case OpKind::F: event(start[i], act[s]); break;
      case OpKind::B: event(end[i], kept[s] - act[s]); break;
      case OpKind::W: event(end[i], -kept[s]); break;
      case OpKind::BW: event(end[i], -act[s]); break;
      case OpKind::OV:
        event(start[i], act[s]);
        event(end[i], -act[static_cast<size_t>(stage2[i])]);
        break;
    }
  }
  if (open) {
    peak = std::max(peak, used);
    emit(at, used);
  }
  return peak;
}

}  // namespace

MemoryModel memory_model(const Config& config, const Schedule& schedule) {
  MemoryModel mm;
  const auto n = static_cast<size_t>(schedule.num_stages);
  const int L = schedule.chain_length();
  mm.activation.resize(n);
  mm.after_B.resize(n);
  mm.static_memory.resize(n);
  const OpMemory& om = config.op_memory;
  for (size_t s = 0; s < n; ++s) {
    const int model_stage = static_cast<int>(s) % L;
    mm.activation[s] = om.activation.at(model_stage);
    mm.after_B[s] = om.after_B_at(model_stage);
    mm.static_memory[s] = om.static_memory.at(model_stage);
  }
  return mm;
}

Metrics compute_metrics(const Schedule& schedule, const Timeline& tl, const MemoryModel* memory) {
  MemoryModel defaults;
  if (!memory) {
    const auto n = static_cast<size_t>(schedule.num_stages);
    defaults.activation.assign(n, 1);
    defaults.after_B.assign(n, 1);
    defaults.static_memory.assign(n, 0);
    memory = &defaults;
  }
  Metrics m;
  const int P = schedule.num_devices;
  m.devices.resize(static_cast<size_t>(P));
  const double* start = tl.start.data();
  const double* end = tl.end.data();

  // One pass over the times for busy and the latest end; the ratios need the makespan first.
  for (int d = 0; d < P; ++d) {
    DeviceMetrics& dm = m.devices[static_cast<size_t>(d)];
    const uint32_t lo = tl.device_offset[static_cast<size_t>(d)], hi = tl.device_offset[static_cast<size_t>(d) + 1];
    double busy = 0, last = 0;
    for (uint32_t i = lo; i < hi; ++i) {
      busy += end[i] - start[i];
      last = std::max(last, end[i]);
    }
    dm.busy = busy;
    m.makespan = std::max(m.makespan, last);
    if (hi > lo) {
      dm.span_start = start[lo];
      dm.span_end = end[hi - 1];
      const double span = dm.span_end - dm.span_start;
      // Measured ops may overlap by a rounding (traces/measured.cc, kSameInstantMs), so busy can
      // pass the span by as much: no idle, not a negative one.
      dm.span_bubble_ratio = span > 0 ? std::max(0.0, (span - dm.busy) / span) : 0;
    }
  }

  for (size_t s = 0; s < schedule.stage_device.size(); ++s)
    m.devices[static_cast<size_t>(schedule.stage_device[s])].static_memory += memory->static_memory[s];

  auto& series = m.activations;
  series.offset.reserve(static_cast<size_t>(P) + 1);
  const size_t most_points = tl.size() + static_cast<size_t>(P);
  using detail::reserve_fresh;
  reserve_fresh(series.time, most_points);
  reserve_fresh(series.count, most_points);
  auto& mem = m.memory;
  mem.offset.reserve(static_cast<size_t>(P) + 1);
  reserve_fresh(mem.time, most_points);
  reserve_fresh(mem.used, most_points);
  double max_busy = 0;
  for (int d = 0; d < P; ++d) {
    DeviceMetrics& dm = m.devices[static_cast<size_t>(d)];
    const uint32_t lo = tl.device_offset[static_cast<size_t>(d)], hi = tl.device_offset[static_cast<size_t>(d) + 1];
    dm.idle = std::max(0.0, m.makespan - dm.busy);
    dm.bubble_ratio = m.makespan > 0 ? dm.idle / m.makespan : 0;
    series.offset.push_back(static_cast<uint32_t>(series.time.size()));
    series.time.push_back(0);
    series.count.push_back(0);
    dm.peak_activations = walk_device<kFreesAtLast>(tl, lo, hi, [&](double t, int32_t c) PPEMU_ALWAYS_INLINE {
      if (series.time.back() == t) {
        series.count.back() = c;  // events at time 0 replace the device's initial (0, 0) point
      } else {
        series.time.push_back(t);
        series.count.push_back(c);
      }
    });
    dm.peak_activations_until_B = walk_device<kFreesAtInput>(tl, lo, hi, [](double, int32_t) PPEMU_ALWAYS_INLINE {});
    mem.offset.push_back(static_cast<uint32_t>(mem.time.size()));
    mem.time.push_back(0);
    mem.used.push_back(dm.static_memory);
    dm.peak_memory = walk_memory(tl, lo, hi, *memory, dm.static_memory, [&](double t, double used) PPEMU_ALWAYS_INLINE {
      if (mem.time.back() == t) {
        mem.used.back() = used;
      } else {
        mem.time.push_back(t);
        mem.used.push_back(used);
      }
    });
    m.peak_memory = std::max(m.peak_memory, dm.peak_memory);
    m.total_busy += dm.busy;
    max_busy = std::max(max_busy, dm.busy);
    m.span_bubble_ratio = std::max(m.span_bubble_ratio, dm.span_bubble_ratio);
    m.peak_activations = std::max(m.peak_activations, dm.peak_activations);
  }
  series.offset.push_back(static_cast<uint32_t>(series.time.size()));
  mem.offset.push_back(static_cast<uint32_t>(mem.time.size()));
  m.bubble_ratio = m.makespan > 0 && P > 0 ? std::max(0.0, 1.0 - m.total_busy / (P * m.makespan)) : 0;
  m.bubble_over_ideal = max_busy > 0 ? (m.makespan - max_busy) / max_busy : 0;
  return m;
}

}  // namespace ppemu
