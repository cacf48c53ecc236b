// yaml-cpp's tree to nlohmann's, resolving plain scalars by YAML 1.2's core schema so that this
// reader and the page's (npm yaml, core schema by default) give the same JSON.
#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <regex>
#include <set>

#include "ppemu/yaml.h"

namespace ppemu {
namespace {

using nlohmann::json;

struct Failure {
  YAML::Mark mark;
  std::string message;
};

// The file's own text in a message (a key, the character yaml-cpp stopped at): printable ASCII
// ('?' for other bytes, so a NUL or newline cannot break the one-line error), at most 40 characters.
std::string printable(std::string_view s) {
  constexpr size_t kMax = 40;
  const bool cut = s.size() > kMax;
  std::string out;
  for (char ch : s.substr(0, cut ? kMax - 3 : kMax))
    out += static_cast<unsigned char>(ch) < 0x20 || static_cast<unsigned char>(ch) >= 0x7f ? '?' : ch;
  return cut ? out + "..." : out;
}

std::string at(const YAML::Mark& mark, const std::string& message) {
  // yaml-cpp's messages end with the offending character ("unknown escape character: \0").
  std::string line;
  for (char ch : message) line += static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f ? '?' : ch;
  if (mark.line < 0) return line;
  return "line " + std::to_string(mark.line + 1) + ", column " + std::to_string(mark.column + 1) + ": " + line;
}

// YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution).
json plain_scalar(const std::string& s) {
  static const std::regex null_re("~|null|Null|NULL|");
  static const std::regex true_re("true|True|TRUE"), false_re("false|False|FALSE");
  static const std::regex int_re("[-+]?[0-9]+"), oct_re("0o[0-7]+"), hex_re("0x[0-9a-fA-F]+");
  static const std::regex float_re("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
  static const std::regex inf_re("[-+]?\\.(inf|Inf|INF)"), nan_re("\\.(nan|NaN|NAN)");
  if (std::regex_match(s, null_re)) return nullptr;
  if (std::regex_match(s, true_re)) return true;
  if (std::regex_match(s, false_re)) return false;
  if (std::regex_match(s, int_re)) {
    // Integers beyond 64 bits stay exact as text would not; read them as a double like JSON does.
    try {
      return std::stoll(s);
    } catch (...) {
      return std::stod(s);
    }
  }
  if (std::regex_match(s, oct_re)) return static_cast<int64_t>(std::stoll(s.substr(2), nullptr, 8));
  if (std::regex_match(s, hex_re)) return static_cast<int64_t>(std::stoll(s.substr(2), nullptr, 16));
  if (std::regex_match(s, float_re)) return std::stod(s);
  // JSON has no infinity or NaN; they reach the config as words, which number keys refuse.
  if (std::regex_match(s, inf_re) || std::regex_match(s, nan_re)) return s;
  return s;
}

json convert(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null: return nullptr;
    case YAML::NodeType::Scalar: {
      const std::string& tag = node.Tag();
      if (tag == "!" || tag == "tag:yaml.org,2002:str") return node.Scalar();  // quoted or !!str: a string
      return plain_scalar(node.Scalar());
    }
    case YAML::NodeType::Sequence: {
      json out = json::array();
      for (const YAML::Node& item : node) out.push_back(convert(item));
      return out;
    }
    case YAML::NodeType::Map: {
      json out = json::object();
      std::set<std::string> seen;
      for (const auto& kv : node) {
        if (!kv.first.IsScalar()) throw Failure{kv.first.Mark(), "a mapping key must be a plain value, not a list or mapping"};
        const std::string key = kv.first.Scalar();
        if (!seen.insert(key).second) throw Failure{kv.first.Mark(), "duplicate key '" + printable(key) + "'"};
        out[key] = convert(kv.second);
      }
      return out;
    }
  }
  return nullptr;
}

}  // namespace

Result<std::string> yaml_to_json(std::string_view text) {
  try {
    const std::vector<YAML::Node> docs = YAML::LoadAll(std::string(text));
    if (docs.size() > 1) return Error{"the file holds " + std::to_string(docs.size()) + " YAML documents; a config is one"};
    if (docs.empty()) return std::string("null");
    return convert(docs[0]).dump();
  } catch (const Failure& f) {
    return Error{at(f.mark, f.message)};
  } catch (const YAML::Exception& e) {
    return Error{at(e.mark, e.msg)};
  } catch (const std::exception& e) {
    return Error{std::string("cannot read the YAML: ") + e.what()};
  }
}

}  // namespace ppemu
