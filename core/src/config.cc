#include "ppemu/config.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>

#include "ppemu/strategy.h"

namespace ppemu {
namespace {

using nlohmann::json;

const double kUnset = std::numeric_limits<double>::quiet_NaN();

const char* const kOpTimeKeys[] = {"forward", "backward", "backward_D", "backward_W", "overlapped_forward_backward"};

// The user's text as an error quotes it: one line of printable ASCII, at most 40 characters.
// Other bytes become '?': a newline would break the one-line message, and a cut UTF-8 sequence
// would be invalid text in the browser.
std::string printable(std::string_view s) {
  constexpr size_t kMax = 40;
  const bool cut = s.size() > kMax;
  std::string out;
  for (char ch : s.substr(0, cut ? kMax - 3 : kMax))
    out += static_cast<unsigned char>(ch) < 0x20 || static_cast<unsigned char>(ch) >= 0x7f ? '?' : ch;
  return cut ? out + "..." : out;
}

std::string quote(std::string_view s) { return "'" + printable(s) + "'"; }

// Shortest text that reads back as the same double ("0", "2.5", "1e+30").
std::string show_number(double x) {
  char buf[32];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, x);
    if (std::strtod(buf, nullptr) == x) break;
  }
  return buf;
}

// The start of `v` as JSON text, stopping once `out` holds more than `limit` characters. Unlike
// json::dump, whose recursion a value nested a million deep (valid JSON: the parser is iterative)
// drives off the end of the stack, every level adds a character first, so the depth is bounded.
void preview(const json& v, std::string& out, size_t limit) {
  if (!v.is_array() && !v.is_object()) {
    out += v.dump(-1, ' ', false, json::error_handler_t::replace);
    return;
  }
  out += v.is_array() ? '[' : '{';
  for (auto it = v.begin(); it != v.end() && out.size() <= limit; ++it) {
    if (it != v.begin()) out += ',';
    if (v.is_object()) out += json(it.key()).dump(-1, ' ', false, json::error_handler_t::replace) + ':';
    preview(*it, out, limit);
  }
  out += v.is_array() ? ']' : '}';
}

std::string show(const json& v) {
  if (v.is_string()) return printable(v.get<std::string>());
  if (v.is_number()) return printable(show_number(v.get<double>()));
  std::string text;
  preview(v, text, 40);
  return printable(text);
}

// A number from JSON, or from text the JSON parser refused (".5", "1.") as the CLI may give it.
bool as_number(const json& v, double& out) {
  if (v.is_number()) {
    out = v.get<double>();
    return std::isfinite(out);
  }
  if (!v.is_string()) return false;
  const std::string text = v.get<std::string>();
  if (text.empty()) return false;
  char* end = nullptr;
  errno = 0;
  out = std::strtod(text.c_str(), &end);
  return errno == 0 && end == text.c_str() + text.size() && std::isfinite(out);
}

Status set_count(int& field, std::string_view key, const json& v) {
  double x = 0;
  if (!as_number(v, x) || x != std::floor(x) || std::fabs(x) > std::numeric_limits<int>::max())
    return Error{std::string(key) + " must be a whole number (got " + show(v) + ")"};
  field = static_cast<int>(x);
  return {};
}

Status set_time_value(double& field, std::string_view key, const json& v) {
  double x = 0;
  if (!as_number(v, x)) return Error{std::string(key) + " must be a number (got " + show(v) + ")"};
  field = x;
  return {};
}

// Every stage up to a per-stage key's number is stored, so the number stops where a run's stages
// do: op_times.forward.9999999=1 once allocated 80 MB per key, 785 MB from one command line.
Status check_stage_number(std::string_view key, std::string_view number, double stage) {
  const int most = Limits{}.max_stages;
  if (stage < most) return {};
  return Error{std::string(key) + "." + printable(number) + " names stage " + show_number(stage) + ", but a run has at most " +
               std::to_string(most) + " stages (0.." + std::to_string(most - 1) + ")"};
}

// A whole-value op time: a number, a list (index = stage) or a map {"stage": time}.
// Lists and maps must give every stage; `resolve` checks that once num_stages is known.
Status set_stage_times(StageTimes& field, std::string_view key, const json& v) {
  StageTimes t;
  if (v.is_array()) {
    t.scalar = kUnset;
    for (size_t i = 0; i < v.size(); ++i) {
      double x = 0;
      if (!as_number(v[i], x))
        return Error{std::string(key) + "[" + std::to_string(i) + "] must be a number (got " + show(v[i]) + ")"};
      t.per_stage.push_back(x);
    }
    if (t.per_stage.empty()) return Error{std::string(key) + " is an empty list; give one time per stage or a single number"};
  } else if (v.is_object()) {
    t.scalar = kUnset;
    for (const auto& [k, item] : v.items()) {
      double idx = 0, x = 0;
      if (!as_number(json(k), idx) || idx < 0 || idx != std::floor(idx))
        return Error{std::string(key) + " has key " + quote(k) + "; per-stage keys are stage numbers 0, 1, 2, ..."};
      if (Status st = check_stage_number(key, k, idx); !st.ok()) return st;
      if (!as_number(item, x)) return Error{std::string(key) + "." + printable(k) + " must be a number (got " + show(item) + ")"};
      const auto i = static_cast<size_t>(idx);
      if (t.per_stage.size() <= i) t.per_stage.resize(i + 1, kUnset);
      t.per_stage[i] = x;
    }
    if (t.per_stage.empty()) return Error{std::string(key) + " is an empty map; give one time per stage or a single number"};
  } else {
    double x = 0;
    if (!as_number(v, x))
      return Error{std::string(key) + " must be a number, a per-stage list or a per-stage map (got " + show(v) + ")"};
    t.scalar = x;
  }
  field = std::move(t);
  return {};
}

// `op_times.forward.3=2`: one stage on top of what is there; other stages keep the current value.
Status set_one_stage(StageTimes& field, std::string_view key, std::string_view index_text, const json& v) {
  double idx = 0, x = 0;
  if (!as_number(json(std::string(index_text)), idx) || idx < 0 || idx != std::floor(idx))
    return Error{"in " + std::string(key) + ", " + quote(index_text) + " is not a stage number (0, 1, 2, ...)"};
  if (Status st = check_stage_number(key, index_text, idx); !st.ok()) return st;
  if (!as_number(v, x)) return Error{std::string(key) + " must be a number (got " + show(v) + ")"};
  const auto i = static_cast<size_t>(idx);
  if (field.per_stage.size() <= i) field.per_stage.resize(i + 1, kUnset);
  field.per_stage[i] = x;
  return {};
}

StageTimes* op_time_field(OpTimes& t, std::string_view name) {
  if (name == "forward") return &t.forward;
  if (name == "backward") return &t.backward;
  if (name == "backward_D") return &t.backward_D;
  if (name == "backward_W") return &t.backward_W;
  if (name == "overlapped_forward_backward") {
    if (!t.overlapped_forward_backward) t.overlapped_forward_backward = StageTimes{kUnset, {}};
    return &*t.overlapped_forward_backward;
  }
  return nullptr;
}

Status unknown_key(std::string_view key) {
  std::string hint = closest_match(key, config_keys());
  std::string msg = "unknown config key " + quote(key);
  if (!hint.empty()) return Error{msg + "; did you mean " + quote(hint) + "?"};
  std::string all;
  for (const auto& k : config_keys()) all += (all.empty() ? "" : ", ") + k;
  return Error{msg + "; known keys: " + all};
}

Status apply_value(Config& c, std::string_view key, const json& v) {
  if (key == "strategy") {
    if (!v.is_string() || v.get<std::string>().empty()) return Error{"strategy must be a strategy name (got " + show(v) + ")"};
    c.strategy = v.get<std::string>();
    return {};
  }
  if (key == "num_devices") return set_count(c.num_devices, key, v);
  if (key == "num_stages") return set_count(c.num_stages, key, v);
  if (key == "num_batches") return set_count(c.num_batches, key, v);
  if (key == "microbatch_group_size_per_vp_stage") {
    if (v.is_null()) {
      c.microbatch_group_size_per_vp_stage = 0;
      return {};
    }
    Status st = set_count(c.microbatch_group_size_per_vp_stage, key, v);
    if (st.ok() && c.microbatch_group_size_per_vp_stage < 1)
      return Error{std::string(key) + " must be at least 1 (got " + show(v) + ")"};
    return st;
  }
  if (key == "p2p_latency") return set_time_value(c.p2p_latency, key, v);

  constexpr std::string_view prefix = "op_times.";
  if (key.substr(0, prefix.size()) == prefix) {
    std::string_view rest = key.substr(prefix.size());
    const size_t dot = rest.find('.');
    const std::string_view name = rest.substr(0, dot);
    if (name == "overlapped_forward_backward" && dot == std::string_view::npos && v.is_null()) {
      c.op_times.overlapped_forward_backward.reset();
      return {};
    }
    StageTimes* field = op_time_field(c.op_times, name);
    if (!field) return unknown_key(key);
    if (dot == std::string_view::npos) return set_stage_times(*field, key, v);
    return set_one_stage(*field, key.substr(0, prefix.size() + name.size()), rest.substr(dot + 1), v);
  }
  return unknown_key(key);
}

bool is_key_prefix(std::string_view path) { return path == "op_times"; }

Status apply_tree(Config& c, const std::string& path, const json& v) {
  if (!path.empty() && !is_key_prefix(path)) {
    // A per-stage map under a dotted key (`"op_times.forward": {"0": 1}`) is a value, not a subtree.
    return apply_value(c, path, v);
  }
  if (!v.is_object()) {
    if (path.empty()) return Error{"the config must be a JSON object of keys and values"};
    return Error{path + " must be an object of keys (got " + show(v) + ")"};
  }
  for (const auto& [k, item] : v.items()) {
    Status st = apply_tree(c, path.empty() ? k : path + "." + k, item);
    if (!st.ok()) return st;
  }
  return {};
}

Status check_count(std::string_view key, int value, int lo, int hi) {
  if (value < lo || value > hi)
    return Error{std::string(key) + " must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi) +
                 " (got " + std::to_string(value) + ")"};
  return {};
}

bool out_of_range(double x) { return x != 0 && (x < kMinTime || x > kMaxTime); }

Error range_error(const std::string& key, double x, bool allow_zero) {
  return Error{key + " must be " + (allow_zero ? "0 or " : "") + "from " + show_number(kMinTime) + " to " +
               show_number(kMaxTime) + " (got " + show_number(x) + ") so that sums over a run and its drawings stay finite"};
}

Status resolve_times(StageTimes& t, const std::string& key, int num_stages, bool allow_zero) {
  const char* range = allow_zero ? " must be a number >= 0" : " must be a number > 0";
  auto bad = [&](double x) { return !std::isfinite(x) || x < 0 || (!allow_zero && x == 0); };
  if (!t.per_stage.empty()) {
    if (static_cast<int>(t.per_stage.size()) > num_stages)
      return Error{key + " gives " + std::to_string(t.per_stage.size()) + " stage times but num_stages is " +
                   std::to_string(num_stages) + " (stages 0.." + std::to_string(num_stages - 1) + ")"};
    for (int s = 0; s < num_stages; ++s) {
      double& x = s < static_cast<int>(t.per_stage.size()) ? t.per_stage[static_cast<size_t>(s)] : t.scalar;
      if (std::isnan(x) && std::isnan(t.scalar))
        return Error{key + " gives no time for stage " + std::to_string(s) + "; a per-stage list or map must give all " +
                     std::to_string(num_stages) + " stages"};
    }
    t.per_stage.resize(static_cast<size_t>(num_stages), t.scalar);
    for (int s = 0; s < num_stages; ++s) {
      double& x = t.per_stage[static_cast<size_t>(s)];
      if (std::isnan(x)) x = t.scalar;
      if (bad(x)) return Error{key + "." + std::to_string(s) + range + " (got " + show_number(x) + ")"};
      if (out_of_range(x)) return range_error(key + "." + std::to_string(s), x, allow_zero);
    }
    // Keep a scalar beside the list only when it is real; a list that is all one value collapses.
    if (std::all_of(t.per_stage.begin(), t.per_stage.end(), [&](double x) { return x == t.per_stage[0]; })) {
      t.scalar = t.per_stage[0];
      t.per_stage.clear();
    } else if (std::isnan(t.scalar)) {
      t.scalar = 0;
    }
    return {};
  }
  if (bad(t.scalar)) return Error{key + range + " (got " + show_number(t.scalar) + ")"};
  if (out_of_range(t.scalar)) return range_error(key, t.scalar, allow_zero);
  return {};
}

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) == std::tolower(static_cast<unsigned char>(b[j - 1]));
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (same ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

json stage_times_json(const StageTimes& t) {
  if (t.per_stage.empty()) return t.scalar;
  return t.per_stage;
}

}  // namespace

const std::vector<std::string>& config_keys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> k = {"strategy", "num_devices", "num_stages", "num_batches", "p2p_latency",
                                  "microbatch_group_size_per_vp_stage"};
    for (const char* name : kOpTimeKeys) k.push_back(std::string("op_times.") + name);
    return k;
  }();
  return keys;
}

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  const size_t allowed = std::max<size_t>(2, word.size() / 3);
  std::string best;
  size_t best_d = std::numeric_limits<size_t>::max();
  for (const auto& c : candidates) {
    // The distance is at least the difference in length; skipping those keeps a megabyte-long
    // strategy name from costing a second per candidate.
    if ((word.size() > c.size() ? word.size() - c.size() : c.size() - word.size()) > allowed) continue;
    const size_t d = edit_distance(word, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best_d <= allowed ? best : std::string();
}

Status apply_override(Config& config, std::string_view key, std::string_view value) {
  // Hydra values are YAML-ish; JSON covers numbers and lists, anything else is a bare word.
  json v = json::parse(value.begin(), value.end(), nullptr, false);
  if (v.is_discarded()) v = std::string(value);
  return apply_value(config, key, v);
}

Status apply_assignment(Config& config, std::string_view assignment) {
  const size_t eq = assignment.find('=');
  if (eq == std::string_view::npos || eq == 0)
    return Error{"expected key=value, got " + quote(assignment) + " (e.g. num_devices=4)"};
  std::string_view key = assignment.substr(0, eq);
  if (!key.empty() && key[0] == '+') key.remove_prefix(key.size() > 1 && key[1] == '+' ? 2 : 1);  // Hydra's +key / ++key
  return apply_override(config, key, assignment.substr(eq + 1));
}

Status apply_json(Config& config, std::string_view json_text) {
  json v = json::parse(json_text.begin(), json_text.end(), nullptr, false);
  if (v.is_discarded()) return Error{"the config is not valid JSON"};
  return apply_tree(config, "", v);
}

Status resolve(Config& c, const Limits& limits) {
  if (Status st = check_count("num_devices", c.num_devices, 1, limits.max_devices); !st.ok()) return st;
  if (Status st = check_count("num_stages", c.num_stages, 1, limits.max_stages); !st.ok()) return st;
  if (Status st = check_count("num_batches", c.num_batches, 1, limits.max_batches); !st.ok()) return st;
  if (c.microbatch_group_size_per_vp_stage < 0)
    return Error{"microbatch_group_size_per_vp_stage must be at least 1 (got " + std::to_string(c.microbatch_group_size_per_vp_stage) + ")"};
  if (!std::isfinite(c.p2p_latency) || c.p2p_latency < 0)
    return Error{"p2p_latency must be a number >= 0 (got " + show_number(c.p2p_latency) + ")"};
  if (out_of_range(c.p2p_latency)) return range_error("p2p_latency", c.p2p_latency, true);
  const Strategy* strategy = find_strategy(c.strategy);
  if (!strategy) {
    std::string hint = closest_match(c.strategy, strategy_names());
    return Error{"unknown strategy " + quote(c.strategy) + (hint.empty() ? "" : "; did you mean " + quote(hint) + "?") +
                 " (--list-strategies lists them)"};
  }
  c.strategy = strategy->name;
  // Each (stage, microbatch) pair has at most three ops (F, B, W).
  const int64_t ops = int64_t{3} * c.num_stages * c.num_batches;
  if (ops > limits.max_ops)
    return Error{"num_stages x num_batches = " + std::to_string(int64_t{c.num_stages} * c.num_batches) + " would make up to " +
                 std::to_string(ops) + " ops, more than the limit of " + std::to_string(limits.max_ops) +
                 "; use fewer stages or microbatches"};
  auto& t = c.op_times;
  for (const char* name : kOpTimeKeys) {
    const std::string key = std::string("op_times.") + name;
    if (std::string_view(name) == "overlapped_forward_backward" && !t.overlapped_forward_backward) continue;
    StageTimes* field = op_time_field(t, name);
    if (Status st = resolve_times(*field, key, c.num_stages, std::string_view(name) == "backward_W"); !st.ok()) return st;
  }
  return {};
}

std::string config_to_json(const Config& c, int indent) {
  json j;
  j["strategy"] = c.strategy;
  j["num_devices"] = c.num_devices;
  j["num_stages"] = c.num_stages;
  j["num_batches"] = c.num_batches;
  j["p2p_latency"] = c.p2p_latency;
  j["microbatch_group_size_per_vp_stage"] = c.group_size();
  json t;
  t["forward"] = stage_times_json(c.op_times.forward);
  t["backward"] = stage_times_json(c.op_times.backward);
  t["backward_D"] = stage_times_json(c.op_times.backward_D);
  t["backward_W"] = stage_times_json(c.op_times.backward_W);
  t["overlapped_forward_backward"] =
      c.op_times.overlapped_forward_backward ? stage_times_json(*c.op_times.overlapped_forward_backward) : json(nullptr);
  j["op_times"] = t;
  return j.dump(indent);
}

}  // namespace ppemu
