// The search's settings: reading its keys (from the command line or one JSON object), the value
// ranges, and configuration number i as a config. One enumeration for the CLI, the WASM module and
// the page's workers, so all three number configurations alike.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "config/values.h"
#include "ppemu/search.h"
#include "ppemu/strategy.h"

namespace ppemu {
namespace {

using nlohmann::json;
using detail::quote;
using detail::show_number;

constexpr size_t kMaxValuesPerKey = 100000;

// Default ranges of the keys people vary most (search.h).
const std::map<std::string, std::string>& default_ranges() {
  static const std::map<std::string, std::string> ranges = {
      {"num_stages", "1p..8p"}, {"num_batches", "1p..16p"}, {"num_devices", "2..32:*2"}, {"zb_memory_limit", "1..2:0.25"}};
  return ranges;
}

std::string trim(std::string_view s) {
  const size_t a = s.find_first_not_of(" \t"), b = s.find_last_not_of(" \t");
  return a == std::string_view::npos ? std::string() : std::string(s.substr(a, b - a + 1));
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t from = 0;
  while (true) {
    const size_t at = s.find(sep, from);
    out.push_back(trim(s.substr(from, at == std::string_view::npos ? std::string_view::npos : at - from)));
    if (at == std::string_view::npos) return out;
    from = at + 1;
  }
}

bool parse_number(const std::string& text, double& out) {
  if (text.empty()) return false;
  char* end = nullptr;
  out = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size() && std::isfinite(out);
}

// 12 significant digits: `0..0.3:0.1` gives 0.3, not 0.30000000000000004.
std::string range_value(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.12g", x);
  return buf;
}

// A number that may end in `p` (a multiple of num_devices).
struct Bound {
  double value = 0;
  bool per_device = false;
};
bool parse_bound(std::string text, Bound& out) {
  out.per_device = !text.empty() && text.back() == 'p';
  if (out.per_device) text.pop_back();
  return parse_number(text, out.value);
}

Status values_error(const std::string& key, const std::string& item, const std::string& why) {
  return Error{"vary." + detail::printable(key) + ": " + quote(item) + " " + why +
               " (values are a list like 8,16,32 or ranges LO..HI, LO..HI:STEP, LO..HI:*FACTOR; 4p = 4 x num_devices)"};
}

Status parse_item(const std::string& key, const std::string& item, std::vector<SearchValue>& out) {
  if (item.empty()) return values_error(key, item, "is empty");
  const size_t dots = item.find("..");
  if (dots == std::string::npos) {
    Bound one;
    if (item.back() == 'p' && parse_bound(item, one)) {
      if (one.value < 1 || one.value != std::floor(one.value)) return values_error(key, item, "must be a whole multiple >= 1p");
      out.push_back({"", static_cast<int>(one.value)});
    } else {
      out.push_back({item, 0});
    }
    return {};
  }
  const std::string lo_text = item.substr(0, dots);
  std::string hi_text = item.substr(dots + 2), step_text;
  if (const size_t colon = hi_text.find(':'); colon != std::string::npos) {
    step_text = hi_text.substr(colon + 1);
    hi_text = hi_text.substr(0, colon);
  }
  Bound lo, hi;
  if (!parse_bound(lo_text, lo) || !parse_bound(hi_text, hi)) return values_error(key, item, "has an end that is not a number");
  if (lo.per_device != hi.per_device) return values_error(key, item, "has `p` on one end only");
  if (lo.value > hi.value) return values_error(key, item, "runs downwards; write LO..HI with LO <= HI");
  const bool geometric = !step_text.empty() && step_text[0] == '*';
  double step = 1;
  if (!step_text.empty()) {
    std::string s = geometric ? step_text.substr(1) : step_text;
    if (!s.empty() && s.back() == 'p' && lo.per_device) s.pop_back();
    if (!parse_number(s, step)) return values_error(key, item, "has a step that is not a number");
  }
  if (geometric ? !(step > 1) : !(step > 0)) return values_error(key, item, geometric ? "needs a factor > 1" : "needs a step > 0");
  if (geometric && !(lo.value > 0)) return values_error(key, item, "needs LO > 0 for a factor");
  if (lo.per_device && (lo.value < 1 || lo.value != std::floor(lo.value) || hi.value != std::floor(hi.value) ||
                        (!geometric && step != std::floor(step))))
    return values_error(key, item, "counts multiples of num_devices, so its ends and step must be whole (1p, 2p, ...)");
  const double slack = 1e-9 * std::max(1.0, std::fabs(hi.value));
  for (size_t k = 0;; ++k) {
    const double x = geometric ? lo.value * std::pow(step, static_cast<double>(k)) : lo.value + static_cast<double>(k) * step;
    if (x > hi.value + slack) break;
    if (out.size() >= kMaxValuesPerKey)
      return values_error(key, item, "gives more than " + std::to_string(kMaxValuesPerKey) + " values");
    if (lo.per_device) {
      out.push_back({"", static_cast<int>(std::lround(x))});
    } else {
      out.push_back({range_value(std::min(x, hi.value)), 0});
    }
  }
  return {};
}

Status parse_values(const Config& base, const std::string& key, const std::string& text, SearchDimension& dim) {
  dim.key = key;
  dim.values_text = text;
  for (const std::string& item : split(text, ','))
    if (Status st = parse_item(key, item, dim.values); !st.ok()) return st;
  // Each value must be one the key takes; a value's range against the rest of the config (a
  // strategy's constraint, the op budget) is the configuration's business: it is skipped.
  for (const SearchValue& v : dim.values) {
    Config probe = base;
    if (Status st = apply_override(probe, key, v.shown(std::max(1, base.num_devices))); !st.ok())
      return Error{"vary." + detail::printable(key) + ": " + st.error()};
  }
  return {};
}

Status parse_strategies(const std::string& text, SearchSpec& spec) {
  spec.strategies_text = text;
  spec.strategies.clear();
  if (text == "all") {
    for (const Strategy* s : strategies()) spec.strategies.emplace_back(s->name);
    return {};
  }
  for (const std::string& name : split(text, ',')) {
    const Strategy* s = find_strategy(name);
    if (!s) {
      const std::string hint = closest_match(name, strategy_names());
      return Error{"strategies: unknown strategy " + quote(name) + (hint.empty() ? "" : "; did you mean " + quote(hint) + "?") +
                   " (all, or names from --list-strategies, comma-separated)"};
    }
    if (std::find(spec.strategies.begin(), spec.strategies.end(), s->name) != spec.strategies.end())
      return Error{"strategies lists " + quote(s->name) + " twice"};
    spec.strategies.emplace_back(s->name);
  }
  return {};
}

Status parse_cap(const std::string& text, SearchSpec& spec) {
  if (text == "none" || text == "null" || text.empty()) {
    spec.memory_cap.reset();
    return {};
  }
  double cap = 0;
  if (!parse_number(text, cap) || !(cap > 0))
    return Error{"memory_cap must be a number > 0 in op_memory units, or none (got " + quote(text) + ")"};
  spec.memory_cap = cap;
  return {};
}

Status parse_same_model(const std::string& text, SearchSpec& spec) {
  for (const char* on : {"1", "true", "yes", "on"})
    if (text == on) return spec.same_model = true, Status{};
  for (const char* off : {"0", "false", "no", "off"})
    if (text == off) return spec.same_model = false, Status{};
  return Error{"same_model must be 1 (every configuration runs the same model: op times and op memory x model_stages / "
               "num_stages) or 0 (per stage as given); got " + quote(text)};
}

// The settings as text, whatever their source; `order` is vary's list.
struct Settings {
  std::optional<std::string> strategies, memory_cap, vary, same_model;
  std::map<std::string, std::string> values;  ///< vary.KEY -> VALUES
};

Result<SearchSpec> build(Config base, const Settings& in) {
  SearchSpec spec;
  spec.base = std::move(base);
  if (Status st = parse_strategies(in.strategies.value_or("all"), spec); !st.ok()) return Error{st.error()};
  if (in.memory_cap)
    if (Status st = parse_cap(*in.memory_cap, spec); !st.ok()) return Error{st.error()};
  if (in.same_model)
    if (Status st = parse_same_model(*in.same_model, spec); !st.ok()) return Error{st.error()};
  // vary's keys in its order, then vary.KEY not listed there, by key (a JSON object has no order).
  std::vector<std::string> keys;
  if (in.vary && !trim(*in.vary).empty()) {
    for (const std::string& key : split(*in.vary, ',')) {
      if (key.empty()) return Error{"vary has an empty key (got " + quote(*in.vary) + "); list keys like vary=num_stages,num_batches"};
      if (std::find(keys.begin(), keys.end(), key) != keys.end()) return Error{"vary lists " + quote(key) + " twice"};
      keys.push_back(key);
    }
  }
  for (const auto& [key, text] : in.values)
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
  size_t count = spec.strategies.size();
  for (const std::string& key : keys) {
    if (key == "strategy") return Error{"vary cannot take strategy: the search runs every strategy in strategies=... (all by default)"};
    if (is_search_key(key)) return Error{"vary cannot take the search's own key " + quote(key)};
    std::string text;
    if (auto given = in.values.find(key); given != in.values.end()) {
      text = given->second;
    } else if (auto range = default_ranges().find(key); range != default_ranges().end()) {
      text = range->second;
    } else {
      return Error{"vary lists " + quote(key) + ", which has no default range; give its values, e.g. vary." + detail::printable(key) + "=0,0.5,1"};
    }
    SearchDimension dim;
    if (Status st = parse_values(spec.base, key, text, dim); !st.ok()) return Error{st.error()};
    count *= dim.values.size();
    if (count > kMaxSearchConfigurations)
      return Error{"the search would run more than " + std::to_string(kMaxSearchConfigurations) +
                   " configurations; vary fewer keys, give fewer values or fewer strategies"};
    spec.vary.push_back(std::move(dim));
  }
  return spec;
}

// `key=value` text -> Settings; false when the key is not the search's.
Status take(Settings& s, const std::string& key, const std::string& value) {
  if (key == "strategies") s.strategies = value;
  else if (key == "memory_cap") s.memory_cap = value;
  else if (key == "vary") s.vary = value;
  else if (key == "same_model") s.same_model = value;
  else s.values[key.substr(5)] = value;  // vary.KEY
  return {};
}

// A JSON value as search text: arrays join with commas, numbers print shortest.
std::string as_text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number()) return show_number(v.get<double>());
  if (v.is_null()) return "none";
  if (v.is_array()) {
    std::string out;
    for (const json& item : v) out += (out.empty() ? "" : ",") + as_text(item);
    return out;
  }
  return v.dump();
}

}  // namespace

size_t SearchSpec::count() const {
  size_t n = strategies.size();
  for (const SearchDimension& d : vary) n *= d.values.size();
  return n;
}

bool is_search_key(std::string_view key) {
  return key == "strategies" || key == "memory_cap" || key == "vary" || key == "same_model" ||
         (key.size() > 5 && key.substr(0, 5) == "vary.");
}

const std::vector<KeyDoc>& search_key_docs() {
  static const std::vector<KeyDoc> docs = {
      {"strategies", "all", "the strategies to search: all, or names comma-separated"},
      {"memory_cap", "none", "peak memory above it is over the cap (op_memory units)"},
      {"vary", "none", "keys to vary, outermost first: num_stages, num_batches, num_devices, zb_memory_limit, ..."},
      {"vary.KEY", "its default range", "values of KEY: 8,16,32 or LO..HI, LO..HI:STEP, LO..HI:*F; 4p = 4 x num_devices"},
      {"same_model", "1", "1: each configuration runs the same model (model_stages = num_devices; op times and memory x "
                          "num_devices / num_stages); 0: per stage as given"},
  };
  return docs;
}

Result<SearchSpec> make_search(Config base, const std::vector<std::string>& search_assignments) {
  Settings s;
  for (const std::string& a : search_assignments) {
    const size_t eq = a.find('=');
    std::string key = a.substr(0, eq);
    key.erase(0, key.find_first_not_of('+'));
    if (eq == std::string::npos || !is_search_key(key)) return Error{"not a search key: " + quote(a)};
    std::string value = a.substr(eq + 1);
    // `vary.num_batches=[8,16,32]` as JSON reads like the list 8,16,32.
    const json parsed = json::parse(value, nullptr, false);
    if (!parsed.is_discarded() && parsed.is_array()) value = as_text(parsed);
    if (Status st = take(s, key, value); !st.ok()) return Error{st.error()};
  }
  return build(std::move(base), s);
}

Result<SearchSpec> search_from_json(std::string_view settings_json) {
  json all = json::parse(settings_json.begin(), settings_json.end(), nullptr, false);
  if (all.is_discarded() || !all.is_object()) return Error{"the search settings must be a JSON object of keys"};
  Settings s;
  json rest = json::object();
  for (const auto& [key, value] : all.items()) {
    if (key == "vary" && value.is_object()) {  // nested: {"vary": {"num_batches": "8..64:8"}}
      for (const auto& [k, v] : value.items()) s.values[k] = as_text(v);
    } else if (is_search_key(key)) {
      if (Status st = take(s, key, as_text(value)); !st.ok()) return Error{st.error()};
    } else {
      rest[key] = value;
    }
  }
  Config base;
  if (Status st = apply_json(base, rest.dump()); !st.ok()) return Error{st.error()};
  return build(std::move(base), s);
}

Result<SearchConfiguration> search_configuration(const SearchSpec& spec, size_t index) {
  if (index >= spec.count())
    return Error{"configuration " + std::to_string(index) + " is out of range: the search has " + std::to_string(spec.count())};
  SearchConfiguration out;
  out.index = index;
  std::vector<size_t> pick(spec.vary.size());
  size_t rest = index;
  for (size_t d = spec.vary.size(); d-- > 0;) {
    pick[d] = rest % spec.vary[d].values.size();
    rest /= spec.vary[d].values.size();
  }
  out.strategy = spec.strategies[rest];
  out.config = spec.base;
  out.config.strategy = out.strategy;
  out.config.model_stages = same_model_stages(spec);  // before the values: vary.model_stages would win
  out.values.resize(spec.vary.size());
  // Absolute values first, then the multiples of num_devices, which read the num_devices they set.
  for (int pass = 0; pass < 2; ++pass) {
    for (size_t d = 0; d < spec.vary.size(); ++d) {
      const SearchValue& v = spec.vary[d].values[pick[d]];
      if ((v.per_device > 0) != (pass == 1)) continue;
      out.values[d] = v.shown(out.config.num_devices);
      if (Status st = apply_override(out.config, spec.vary[d].key, out.values[d]); !st.ok())
        return Error{"vary." + detail::printable(spec.vary[d].key) + ": " + st.error()};
    }
  }
  return out;
}

std::optional<size_t> search_duplicate_of(const SearchSpec& spec, size_t index) {
  if (index >= spec.count()) return std::nullopt;
  size_t rest = index, place = 1, canonical = index;
  std::vector<std::pair<size_t, size_t>> picks(spec.vary.size());  // (value index, place value)
  for (size_t d = spec.vary.size(); d-- > 0;) {
    picks[d] = {rest % spec.vary[d].values.size(), place};
    rest /= spec.vary[d].values.size();
    place *= spec.vary[d].values.size();
  }
  const Strategy* strategy = find_strategy(spec.strategies[rest]);
  auto reads = [](const Strategy* s, const std::string& key) {
    for (const char* k : s->reads)
      if (key == k) return true;
    return false;
  };
  for (size_t d = 0; d < spec.vary.size(); ++d) {
    const std::string& key = spec.vary[d].key;
    bool specific = false;
    for (const Strategy* s : strategies()) specific = specific || reads(s, key);
    if (specific && !reads(strategy, key)) canonical -= picks[d].first * picks[d].second;
  }
  if (canonical == index) return std::nullopt;
  return canonical;
}

std::vector<std::pair<std::string, std::string>> search_keys(const SearchSpec& spec) {
  std::vector<std::pair<std::string, std::string>> keys = {{"strategies", spec.strategies_text}};
  keys.emplace_back("memory_cap", spec.memory_cap ? show_number(*spec.memory_cap) : "none");
  std::string vary;
  for (const SearchDimension& d : spec.vary) vary += (vary.empty() ? "" : ",") + d.key;
  keys.emplace_back("vary", vary);
  for (const SearchDimension& d : spec.vary) keys.emplace_back("vary." + d.key, d.values_text);
  keys.emplace_back("same_model", spec.same_model ? "1" : "0");
  return keys;
}

// A projected base (a model in the config) has times in ms, sizes in bytes, and stages that
// follow their layers, so no scaling applies there.
int same_model_stages(const SearchSpec& spec) {
  if (!spec.same_model || spec.base.projected()) return 0;
  return spec.base.model_stages > 0 ? spec.base.model_stages : spec.base.num_devices;
}

SearchUnits search_units(const SearchSpec& spec) {
  if (spec.base.projected()) return {"ms", "bytes"};
  return {};
}

}  // namespace ppemu
