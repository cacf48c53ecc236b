#include "config/values.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace ppemu::detail {

const double kUnset = std::numeric_limits<double>::quiet_NaN();

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

std::string show_number(double x) {
  char buf[32];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, x);
    if (std::strtod(buf, nullptr) == x) break;
  }
  return buf;
}

namespace {

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

// Every stage up to a per-stage key's number is stored, so the number stops where a run's stages
// do: op_times.forward.9999999=1 once allocated 80 MB per key, 785 MB from one command line.
Status check_stage_number(std::string_view key, std::string_view number, double stage) {
  const int most = Limits{}.max_stages;
  if (stage < most) return {};
  return Error{std::string(key) + "." + printable(number) + " names stage " + show_number(stage) + ", but a run has at most " +
               std::to_string(most) + " stages (0.." + std::to_string(most - 1) + ")"};
}

}  // namespace

std::string show(const json& v) {
  if (v.is_string()) return printable(v.get<std::string>());
  if (v.is_number()) return printable(show_number(v.get<double>()));
  std::string text;
  preview(v, text, 40);
  return printable(text);
}

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

Status set_number(double& field, std::string_view key, const json& v) {
  double x = 0;
  if (!as_number(v, x)) return Error{std::string(key) + " must be a number (got " + show(v) + ")"};
  field = x;
  return {};
}

Status set_bool(bool& field, std::string_view key, const json& v) {
  if (v.is_boolean()) {
    field = v.get<bool>();
    return {};
  }
  if (v.is_number_integer() && (v.get<int64_t>() == 0 || v.get<int64_t>() == 1)) {
    field = v.get<int64_t>() == 1;
    return {};
  }
  if (v.is_string()) {
    std::string w = v.get<std::string>();
    std::transform(w.begin(), w.end(), w.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    for (const char* yes : {"true", "yes", "on", "1"})
      if (w == yes) return field = true, Status{};
    for (const char* no : {"false", "no", "off", "0"})
      if (w == no) return field = false, Status{};
  }
  return Error{std::string(key) + " must be true or false (got " + show(v) + ")"};
}

Status set_word(std::string& field, std::string_view key, const json& v, std::initializer_list<const char*> words) {
  std::string list;
  for (const char* w : words) {
    if (v.is_string() && v.get<std::string>() == w) {
      field = w;
      return {};
    }
    list += (list.empty() ? "" : ", ") + std::string(w);
  }
  return Error{std::string(key) + " must be one of " + list + " (got " + show(v) + ")"};
}

Status set_stage_values(StageTimes& field, std::string_view key, const json& v, const char* noun) {
  StageTimes t;
  if (v.is_array()) {
    t.scalar = kUnset;
    for (size_t i = 0; i < v.size(); ++i) {
      double x = 0;
      if (!as_number(v[i], x))
        return Error{std::string(key) + "[" + std::to_string(i) + "] must be a number (got " + show(v[i]) + ")"};
      t.per_stage.push_back(x);
    }
    if (t.per_stage.empty()) return Error{std::string(key) + " is an empty list; give one " + std::string(noun) + " per stage or a single number"};
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
    if (t.per_stage.empty()) return Error{std::string(key) + " is an empty map; give one " + std::string(noun) + " per stage or a single number"};
  } else {
    double x = 0;
    if (!as_number(v, x))
      return Error{std::string(key) + " must be a number, a per-stage list or a per-stage map (got " + show(v) + ")"};
    t.scalar = x;
  }
  t.given = true;
  field = std::move(t);
  return {};
}

Status set_one_stage(StageTimes& field, std::string_view key, std::string_view index_text, const json& v) {
  double idx = 0, x = 0;
  if (!as_number(json(std::string(index_text)), idx) || idx < 0 || idx != std::floor(idx))
    return Error{"in " + std::string(key) + ", " + quote(index_text) + " is not a stage number (0, 1, 2, ...)"};
  if (Status st = check_stage_number(key, index_text, idx); !st.ok()) return st;
  if (!as_number(v, x)) return Error{std::string(key) + " must be a number (got " + show(v) + ")"};
  const auto i = static_cast<size_t>(idx);
  if (field.per_stage.size() <= i) field.per_stage.resize(i + 1, kUnset);
  field.per_stage[i] = x;
  field.given = true;
  return {};
}

Status resolve_stage_values(StageTimes& t, const std::string& key, int num_stages, bool allow_zero, const char* noun) {
  const char* range = allow_zero ? " must be a number >= 0" : " must be a number > 0";
  auto bad = [&](double x) { return !std::isfinite(x) || x < 0 || (!allow_zero && x == 0); };
  if (!t.per_stage.empty()) {
    if (static_cast<int>(t.per_stage.size()) > num_stages)
      return Error{key + " gives " + std::to_string(t.per_stage.size()) + " stage " + std::string(noun) + "s but num_stages is " +
                   std::to_string(num_stages) + " (stages 0.." + std::to_string(num_stages - 1) + ")"};
    for (int s = 0; s < num_stages; ++s) {
      double& x = s < static_cast<int>(t.per_stage.size()) ? t.per_stage[static_cast<size_t>(s)] : t.scalar;
      if (std::isnan(x) && std::isnan(t.scalar))
        return Error{key + " gives no " + std::string(noun) + " for stage " + std::to_string(s) + "; a per-stage list or map must give all " +
                     std::to_string(num_stages) + " stages"};
    }
    t.per_stage.resize(static_cast<size_t>(num_stages), t.scalar);
    for (int s = 0; s < num_stages; ++s) {
      double& x = t.per_stage[static_cast<size_t>(s)];
      if (std::isnan(x)) x = t.scalar;
      if (bad(x)) return Error{key + "." + std::to_string(s) + range + " (got " + show_number(x) + ")"};
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
  return {};
}

json stage_values_json(const StageTimes& t) {
  if (t.per_stage.empty()) return t.scalar;
  return t.per_stage;
}

bool time_out_of_range(double x) { return x != 0 && (x < kMinTime || x > kMaxTime); }

Error time_range_error(const std::string& key, double x, bool allow_zero) {
  return Error{key + " must be " + (allow_zero ? "0 or " : "") + "from " + show_number(kMinTime) + " to " +
               show_number(kMaxTime) + " (got " + show_number(x) + ") so that sums over a run and its drawings stay finite"};
}

Status check_time_range(const StageTimes& t, const std::string& key, bool allow_zero) {
  for (size_t s = 0; s < t.per_stage.size(); ++s)
    if (time_out_of_range(t.per_stage[s])) return time_range_error(key + "." + std::to_string(s), t.per_stage[s], allow_zero);
  if (t.per_stage.empty() && time_out_of_range(t.scalar)) return time_range_error(key, t.scalar, allow_zero);
  return {};
}

Status check_count(std::string_view key, int value, int lo, int hi) {
  if (value < lo || value > hi)
    return Error{std::string(key) + " must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi) +
                 " (got " + std::to_string(value) + ")"};
  return {};
}

}  // namespace ppemu::detail
