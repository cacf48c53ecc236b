// JSON as block YAML (`--cfg job`, and the page's "Download config" through
// www/src/yaml-config.js, which writes the same bytes by the same rules).
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <regex>

#include "ppemu/yaml.h"

namespace ppemu {
namespace {

using nlohmann::json;

// ECMAScript's Number::toString (https://tc39.es/ecma262/#sec-numeric-types-number-tostring):
// the shortest digits that read back as x, in plain notation from 1e-6 up to 1e21.
std::string js_number(double x) {
  if (x == 0) return "0";
  char buf[40];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*e", precision - 1, x);
    if (std::strtod(buf, nullptr) == x) break;
  }
  std::string text = buf;  // "-1.2345e+02"
  std::string sign;
  if (text[0] == '-') sign = "-", text.erase(0, 1);
  const size_t e = text.find('e');
  const int exponent = std::atoi(text.c_str() + e + 1);
  std::string digits = text.substr(0, 1) + (e > 2 ? text.substr(2, e - 2) : "");
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  const int k = static_cast<int>(digits.size()), n = exponent + 1;
  if (k <= n && n <= 21) return sign + digits + std::string(static_cast<size_t>(n - k), '0');
  if (0 < n && n <= 21) return sign + digits.substr(0, static_cast<size_t>(n)) + "." + digits.substr(static_cast<size_t>(n));
  if (-6 < n && n <= 0) return sign + "0." + std::string(static_cast<size_t>(-n), '0') + digits;
  const std::string exp = (n - 1 < 0 ? "-" : "+") + std::to_string(std::abs(n - 1));
  return sign + digits.substr(0, 1) + (k > 1 ? "." + digits.substr(1) : "") + "e" + exp;
}

std::string scalar(const json& v) {
  if (v.is_number_integer()) return v.dump();
  if (v.is_number()) return js_number(v.get<double>());
  return v.dump(-1, ' ', false, json::error_handler_t::replace);  // null, true/false, "quoted"
}

// Identifiers and stage numbers stay plain; anything a reader could take for null, a boolean
// or a number is quoted.
std::string key_text(const std::string& key) {
  static const std::regex plain("[A-Za-z_][A-Za-z0-9_]*|[0-9]+");
  static const std::regex special("null|Null|NULL|true|True|TRUE|false|False|FALSE");
  if (std::regex_match(key, plain) && !std::regex_match(key, special)) return key;
  return json(key).dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string flow(const json& v) {
  if (v.is_array()) {
    std::string out = "[";
    for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + flow(v[i]);
    return out + "]";
  }
  if (v.is_object()) {
    std::string out = "{";
    bool first = true;
    for (const auto& [k, item] : v.items()) out += (first ? "" : ", ") + key_text(k) + ": " + flow(item), first = false;
    return out + "}";
  }
  return scalar(v);
}

void block(const json& object, const std::string& indent, std::string& out) {
  for (const auto& [k, item] : object.items()) {
    out += indent + key_text(k) + ":";
    if (item.is_object() && !item.empty()) {
      out += "\n";
      block(item, indent + "  ", out);
    } else {
      out += " " + flow(item) + "\n";
    }
  }
}

}  // namespace

Result<std::string> json_to_yaml(std::string_view json_text) {
  const json v = json::parse(json_text.begin(), json_text.end(), nullptr, false);
  if (v.is_discarded()) return Error{"json_to_yaml: the text is not JSON"};
  if (!v.is_object() || v.empty()) return flow(v) + "\n";
  std::string out;
  block(v, "", out);
  return out;
}

}  // namespace ppemu
