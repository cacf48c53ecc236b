// A search as JSON: the CLI's --search --format json, and each row as the WASM module returns it.
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>
#include <map>

#include "ppemu/search.h"

namespace ppemu {
namespace {

using nlohmann::ordered_json;

// "16" -> 16, "0.5" -> 0.5, a word stays a string: what the key took.
ordered_json value_json(const std::string& text) {
  char* end = nullptr;
  const double x = std::strtod(text.c_str(), &end);
  if (!text.empty() && end == text.c_str() + text.size() && std::isfinite(x)) {
    if (x == std::floor(x) && std::fabs(x) < 9e15) return static_cast<int64_t>(x);
    return x;
  }
  return text;
}

ordered_json row_json(const SearchSpec& spec, const SearchRow& r) {
  ordered_json o;
  o["index"] = r.index;
  o["strategy"] = r.strategy;
  ordered_json values = ordered_json::object();
  for (size_t d = 0; d < spec.vary.size() && d < r.values.size(); ++d) values[spec.vary[d].key] = value_json(r.values[d]);
  o["values"] = values;
  o["ran"] = r.ran;
  if (!r.ran) {
    o["skipped"] = r.skipped;
    if (r.duplicate_of >= 0) o["duplicate_of"] = r.duplicate_of;
    return o;
  }
  o["rank"] = r.rank;
  o["time"] = r.time;
  o["makespan"] = r.makespan;
  o["peak_memory"] = r.peak_memory;
  o["peak_activations"] = r.peak_activations;
  o["bubble_ratio"] = r.bubble_ratio;
  o["span_bubble_ratio"] = r.span_bubble_ratio;
  o["num_ops"] = r.num_ops;
  o["scale"] = r.scale;
  o["pareto"] = r.pareto;
  o["over_cap"] = r.over_cap;
  return o;
}

}  // namespace

Result<std::vector<SearchRow>> search_rows_from_json(std::string_view rows_json) {
  const nlohmann::json rows = nlohmann::json::parse(rows_json.begin(), rows_json.end(), nullptr, false);
  if (rows.is_discarded() || !rows.is_array()) return Error{"the rows must be a JSON array of search rows"};
  std::vector<SearchRow> out;
  out.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const nlohmann::json& r = rows[i];
    const std::string where = "row " + std::to_string(i) + ": ";
    if (!r.is_object() || !r.contains("index") || !r["index"].is_number_unsigned())
      return Error{where + "needs index, a whole number >= 0"};
    SearchRow row;
    row.index = r["index"].get<size_t>();
    row.ran = r.contains("ran") && r["ran"].is_boolean() && r["ran"].get<bool>();
    if (row.ran) {
      if (!r.contains("time") || !r["time"].is_number() || !r.contains("peak_memory") || !r["peak_memory"].is_number())
        return Error{where + "a row that ran needs the numbers time and peak_memory"};
      row.time = r["time"].get<double>();
      row.peak_memory = r["peak_memory"].get<double>();
    }
    out.push_back(std::move(row));
  }
  return out;
}

std::string search_row_json(const SearchSpec& spec, const SearchRow& row) { return row_json(spec, row).dump(); }

std::string search_to_json(const SearchSpec& spec, const SearchResult& result, int indent) {
  ordered_json j;
  j["version"] = 1;
  ordered_json keys = ordered_json::object();
  for (const auto& [k, v] : search_keys(spec)) keys[k] = v;
  j["search"] = keys;
  ordered_json base = ordered_json::parse(config_to_json(spec.base));
  // Left to its default, the group size follows each configuration's num_devices.
  if (spec.base.microbatch_group_size_per_vp_stage == 0) base.erase("microbatch_group_size_per_vp_stage");
  j["config"] = std::move(base);
  const SearchUnits units = search_units(spec);
  j["units"] = {{"time", units.time}, {"memory", units.memory}};
  const int stages = same_model_stages(spec);
  j["model_stages"] = stages > 0 ? ordered_json(stages) : ordered_json(nullptr);
  j["count"] = result.rows.size();
  j["ran"] = result.ran;
  j["skipped"] = result.skipped;
  j["duplicates"] = result.duplicates;
  std::map<std::string, size_t> by_strategy;
  ordered_json skipped_by = ordered_json::object();
  for (const std::string& s : spec.strategies) skipped_by[s] = 0;
  for (const SearchRow& r : result.rows)
    if (!r.ran && r.duplicate_of < 0 && skipped_by.contains(r.strategy))
      skipped_by[r.strategy] = skipped_by[r.strategy].get<size_t>() + 1;
  j["skipped_by_strategy"] = skipped_by;
  j["best"] = result.best >= 0 ? ordered_json(result.best) : ordered_json(nullptr);
  ordered_json rows = ordered_json::array();
  for (size_t i : result.ranking) rows.push_back(row_json(spec, result.rows[i]));
  j["rows"] = std::move(rows);
  ordered_json skipped = ordered_json::array();
  for (const SearchRow& r : result.rows)
    if (!r.ran) skipped.push_back(row_json(spec, r));
  j["skipped_rows"] = std::move(skipped);
  return j.dump(indent);
}

}  // namespace ppemu
