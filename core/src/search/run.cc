// Running a search: each configuration emulated on its own (so a worker can run any slice), the
// figures a ranking needs kept, the rest dropped.
#include "ppemu/search.h"
#include "ppemu/simulate.h"

namespace ppemu {

Limits search_limits() {
  Limits limits;
  limits.max_ops = int64_t{1} << 21;
  return limits;
}

SearchRow run_search_configuration(const SearchSpec& spec, size_t index, const Limits& limits) {
  SearchRow row;
  row.index = index;
  Result<SearchConfiguration> c = search_configuration(spec, index);
  if (!c.ok()) {
    row.skipped = c.error();
    return row;
  }
  row.strategy = c->strategy;
  row.values = c->values;
  if (std::optional<size_t> same = search_duplicate_of(spec, index)) {
    row.duplicate_of = static_cast<long>(*same);
    row.skipped = row.strategy + " does not read " + [&] {
      std::string keys;
      for (size_t d = 0; d < spec.vary.size(); ++d) {
        if (c->values[d] == search_configuration(spec, *same)->values[d]) continue;
        keys += (keys.empty() ? "" : ", ") + spec.vary[d].key;
      }
      return keys;
    }() + ": the same run as configuration " + std::to_string(*same);
    return row;
  }
  if (c->config.model_stages > 0) row.scale = static_cast<double>(c->config.model_stages) / c->config.num_stages;
  Result<Run> run = simulate(c->config, limits);
  if (!run.ok()) {
    row.skipped = run.error();
    return row;
  }
  const Metrics& m = run->metrics;
  row.ran = true;
  row.time = run->iteration_time;
  row.makespan = m.makespan;
  row.peak_memory = m.peak_memory;
  row.peak_activations = m.peak_activations;
  row.bubble_ratio = m.bubble_ratio;
  row.span_bubble_ratio = m.span_bubble_ratio;
  row.num_ops = run->timeline.size();
  return row;
}

SearchResult run_search(const SearchSpec& spec, const Limits& limits) {
  SearchResult result;
  const size_t n = spec.count();
  result.rows.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    result.rows.push_back(run_search_configuration(spec, i, limits));
    const SearchRow& r = result.rows.back();
    ++(r.ran ? result.ran : r.duplicate_of >= 0 ? result.duplicates : result.skipped);
  }
  result.ranking = rank_search(result.rows, spec.memory_cap);
  for (size_t i : result.ranking) {
    if (!result.rows[i].over_cap) {
      result.best = static_cast<long>(result.rows[i].index);
      break;
    }
  }
  return result;
}

}  // namespace ppemu
