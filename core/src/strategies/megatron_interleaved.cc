#include "strategies/megatron_interleaved.h"

#include <algorithm>

#include "strategies/common.h"

namespace ppemu {
namespace detail {

// Megatron's get_schedule_table: (microbatch, chunk) for each virtual microbatch k.
std::vector<std::pair<int, int>> megatron_schedule_table(int m, int v, int group) {
  std::vector<std::pair<int, int>> table;
  table.reserve(static_cast<size_t>(m) * static_cast<size_t>(v));
  for (int lo = 0; lo < m; lo += group) {
    const int hi = lo + group >= m ? m : lo + group;  // the last group takes the rest
    for (int chunk = 0; chunk < v; ++chunk)
      for (int mb = lo; mb < hi; ++mb) table.emplace_back(mb, chunk);
    if (hi == m) break;
  }
  return table;
}

Schedule megatron_interleaved(const Config& c, int extra_warmup, bool overlap_steady) {
  const int p = c.num_devices, m = c.num_batches, v = c.num_stages / p, n = c.group_size();
  const auto table = megatron_schedule_table(m, v, n);
  const int total = m * v;
  Schedule s = make_schedule(p, interleaved_placement(p, c.num_stages), m);
  for (int r = 0; r < p; ++r) {
    auto& list = s.device_actions[static_cast<size_t>(r)];
    list.reserve(2 * static_cast<size_t>(total));
    const int warmup = std::min(2 * (p - r - 1) + (v - 1) * n + extra_warmup, total);
    auto fwd_stage = [&](int k) { return table[static_cast<size_t>(k)].second * p + r; };
    auto bwd_stage = [&](int k) { return (v - 1 - table[static_cast<size_t>(k)].second) * p + r; };
    auto mb = [&](int k) { return table[static_cast<size_t>(k)].first; };
    for (int k = 0; k < warmup; ++k) detail::append(list, OpKind::F, fwd_stage(k), mb(k));
    for (int k = 0; k < total - warmup; ++k) {
      const int fk = warmup + k;
      if (overlap_steady) {
        detail::append(list, OpKind::OV, fwd_stage(fk), mb(fk), bwd_stage(k), mb(k));
      } else {
        detail::append(list, OpKind::F, fwd_stage(fk), mb(fk));
        detail::append(list, OpKind::BW, bwd_stage(k), mb(k));
      }
    }
    for (int k = std::max(total - warmup, 0); k < total; ++k) detail::append(list, OpKind::BW, bwd_stage(k), mb(k));
  }
  return s;
}

}  // namespace detail

}  // namespace ppemu
