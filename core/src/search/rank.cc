// The ranking rule of search.h, in one place: the CLI ranks a finished search with it and the page
// ranks partial results with it (through the WASM module), so both show the same order and front.
#include <algorithm>
#include <limits>

#include "ppemu/search.h"

namespace ppemu {

std::vector<size_t> rank_search(std::vector<SearchRow>& rows, std::optional<double> memory_cap) {
  std::vector<size_t> order;
  for (size_t i = 0; i < rows.size(); ++i) {
    SearchRow& r = rows[i];
    r.rank = 0;
    r.pareto = false;
    r.over_cap = false;
    if (r.ran) order.push_back(i);
  }
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const SearchRow &x = rows[a], &y = rows[b];
    if (x.time != y.time) return x.time < y.time;
    if (x.peak_memory != y.peak_memory) return x.peak_memory < y.peak_memory;
    return x.index < y.index;
  });
  // In that order, a row is dominated by an earlier-time row with no more memory, or by an
  // equal-time row with less: the front holds each time group's lightest rows when they are
  // lighter than everything faster.
  double lightest_faster = std::numeric_limits<double>::infinity();
  for (size_t k = 0; k < order.size();) {
    size_t end = k;
    const double t = rows[order[k]].time;
    double lightest_here = rows[order[k]].peak_memory;  // the group is sorted by memory
    while (end < order.size() && rows[order[end]].time == t) ++end;
    for (size_t i = k; i < end; ++i) {
      SearchRow& r = rows[order[i]];
      r.rank = static_cast<int>(i) + 1;
      r.pareto = r.peak_memory == lightest_here && lightest_here < lightest_faster;
      r.over_cap = memory_cap && r.peak_memory > *memory_cap;
    }
    lightest_faster = std::min(lightest_faster, lightest_here);
    k = end;
  }
  return order;
}

}  // namespace ppemu
