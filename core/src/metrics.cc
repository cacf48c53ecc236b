#include "ppemu/metrics.h"

#include <algorithm>

#include "always_inline.h"

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

}  // namespace

Metrics compute_metrics(const Schedule& schedule, const Timeline& tl) {
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
      dm.span_bubble_ratio = span > 0 ? (span - dm.busy) / span : 0;
    }
  }

  auto& series = m.activations;
  series.offset.reserve(static_cast<size_t>(P) + 1);
  series.time.reserve(tl.size() + static_cast<size_t>(P));
  series.count.reserve(tl.size() + static_cast<size_t>(P));
  double max_busy = 0;
  for (int d = 0; d < P; ++d) {
    DeviceMetrics& dm = m.devices[static_cast<size_t>(d)];
    const uint32_t lo = tl.device_offset[static_cast<size_t>(d)], hi = tl.device_offset[static_cast<size_t>(d) + 1];
    dm.idle = m.makespan - dm.busy;
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
    m.total_busy += dm.busy;
    max_busy = std::max(max_busy, dm.busy);
    m.span_bubble_ratio = std::max(m.span_bubble_ratio, dm.span_bubble_ratio);
    m.peak_activations = std::max(m.peak_activations, dm.peak_activations);
  }
  series.offset.push_back(static_cast<uint32_t>(series.time.size()));
  m.bubble_ratio = m.makespan > 0 && P > 0 ? 1.0 - m.total_busy / (P * m.makespan) : 0;
  m.bubble_over_ideal = max_busy > 0 ? (m.makespan - max_busy) / max_busy : 0;
  return m;
}

}  // namespace ppemu
