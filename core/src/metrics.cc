#include "ppemu/metrics.h"

#include <algorithm>
#include <limits>

namespace ppemu {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

bool allocates(uint8_t kind) { return kind == static_cast<uint8_t>(OpKind::F) || kind == static_cast<uint8_t>(OpKind::OV); }

bool frees_until_last_backward(uint8_t kind) {
  return kind == static_cast<uint8_t>(OpKind::W) || kind == static_cast<uint8_t>(OpKind::BW) ||
         kind == static_cast<uint8_t>(OpKind::OV);
}

bool frees_until_input_backward(uint8_t kind) {
  return kind == static_cast<uint8_t>(OpKind::B) || kind == static_cast<uint8_t>(OpKind::BW) ||
         kind == static_cast<uint8_t>(OpKind::OV);
}

// Walks one device's ops: allocations at F starts, frees at the ends of the ops `frees` picks.
// Both sequences are already in time order (a device runs one op at a time), so a merge suffices;
// at equal times frees go first. Calls emit(time, count) once per distinct event time.
template <class Frees, class Emit>
int32_t walk_device(const Timeline& tl, uint32_t lo, uint32_t hi, Frees frees, Emit emit) {
  uint32_t a = lo, r = lo;
  int32_t count = 0, peak = 0;
  auto next_alloc = [&] {
    while (a < hi && !allocates(tl.kind[a])) ++a;
  };
  auto next_free = [&] {
    while (r < hi && !frees(tl.kind[r])) ++r;
  };
  next_alloc();
  next_free();
  while (a < hi || r < hi) {
    const double t = std::min(r < hi ? tl.end[r] : kInf, a < hi ? tl.start[a] : kInf);
    for (; r < hi && tl.end[r] == t; ++r, next_free()) --count;
    for (; a < hi && tl.start[a] == t; ++a, next_alloc()) ++count;
    peak = std::max(peak, count);
    emit(t, count);
  }
  return peak;
}

}  // namespace

Metrics compute_metrics(const Schedule& schedule, const Timeline& tl) {
  Metrics m;
  const int P = schedule.num_devices;
  m.devices.resize(static_cast<size_t>(P));
  for (size_t i = 0; i < tl.size(); ++i) m.makespan = std::max(m.makespan, tl.end[i]);

  auto& series = m.activations;
  series.offset.reserve(static_cast<size_t>(P) + 1);
  series.time.reserve(tl.size() + static_cast<size_t>(P));
  series.count.reserve(tl.size() + static_cast<size_t>(P));
  double max_busy = 0;
  for (int d = 0; d < P; ++d) {
    DeviceMetrics& dm = m.devices[static_cast<size_t>(d)];
    const uint32_t lo = tl.device_offset[static_cast<size_t>(d)], hi = tl.device_offset[static_cast<size_t>(d) + 1];
    for (uint32_t i = lo; i < hi; ++i) dm.busy += tl.end[i] - tl.start[i];
    dm.idle = m.makespan - dm.busy;
    dm.bubble_ratio = m.makespan > 0 ? dm.idle / m.makespan : 0;
    if (hi > lo) {
      dm.span_start = tl.start[lo];
      dm.span_end = tl.end[hi - 1];
      const double span = dm.span_end - dm.span_start;
      dm.span_bubble_ratio = span > 0 ? (span - dm.busy) / span : 0;
    }
    series.offset.push_back(static_cast<uint32_t>(series.time.size()));
    series.time.push_back(0);
    series.count.push_back(0);
    dm.peak_activations = walk_device(tl, lo, hi, frees_until_last_backward, [&](double t, int32_t c) {
      if (series.time.back() == t) {
        series.count.back() = c;  // events at time 0 replace the device's initial (0, 0) point
      } else {
        series.time.push_back(t);
        series.count.push_back(c);
      }
    });
    dm.peak_activations_until_B = walk_device(tl, lo, hi, frees_until_input_backward, [](double, int32_t) {});
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
