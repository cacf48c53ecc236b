// yaml-cpp's tree to nlohmann's, resolving plain scalars by YAML 1.2's core schema so that this
// reader and the page's (npm yaml, core schema by default) give the same JSON.
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <map>
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

std::string at(const YAML::Mark& mark, const std::string& message) {
  if (mark.line < 0) return message;
  return "line " + std::to_string(mark.line + 1) + ", column " + std::to_string(mark.column + 1) + ": " + message;
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
  // Octal and hex beyond 64 bits stay words.
  for (const auto& [re, base] : {std::pair<const std::regex&, int>{oct_re, 8}, {hex_re, 16}}) {
    if (!std::regex_match(s, re)) continue;
    try {
      return static_cast<int64_t>(std::stoll(s.substr(2), nullptr, base));
    } catch (...) {
      return s;
    }
  }
  if (std::regex_match(s, float_re)) {
    // Beyond a double's range (1e400) it stays a word, as infinity does: number keys refuse it.
    try {
      return std::stod(s);
    } catch (...) {
      return s;
    }
  }
  // JSON has no infinity or NaN; they reach the config as words, which number keys refuse.
  if (std::regex_match(s, inf_re) || std::regex_match(s, nan_re)) return s;
  return s;
}

// A config nests a few levels; far deeper input is refused before either reader (yaml-cpp
// stops at 500, the npm package where the JS stack ends) gives up on its own terms.
constexpr int kMaxDepth = 64;
const char* const kTooDeep = "nested more than 64 levels deep; a config needs a few";

// `lines` gets the 1-based line of every mapping key and list item, by dotted path.
json convert(const YAML::Node& node, const std::string& path, std::map<std::string, int>& lines, int depth = 0) {
  if (depth > kMaxDepth) throw Failure{node.Mark(), kTooDeep};
  const auto child = [&](const std::string& name) { return path.empty() ? name : path + "." + name; };
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
      for (const YAML::Node& item : node) {
        const std::string at_path = child(std::to_string(out.size()));
        lines.emplace(at_path, item.Mark().line + 1);
        out.push_back(convert(item, at_path, lines, depth + 1));
      }
      return out;
    }
    case YAML::NodeType::Map: {
      json out = json::object();
      std::set<std::string> seen;
      for (const auto& kv : node) {
        if (kv.first.IsNull()) throw Failure{kv.first.Mark(), "a mapping key must be a name, not null"};
        if (!kv.first.IsScalar()) throw Failure{kv.first.Mark(), "a mapping key must be a name, not a list or mapping"};
        const std::string key = kv.first.Scalar();
        if (!seen.insert(key).second) throw Failure{kv.first.Mark(), "duplicate key '" + key + "'"};
        lines.emplace(child(key), kv.first.Mark().line + 1);
        out[key] = convert(kv.second, child(key), lines, depth + 1);
      }
      return out;
    }
  }
  return nullptr;
}

}  // namespace

Result<YamlConfig> read_yaml(std::string_view text) {
  try {
    const std::vector<YAML::Node> docs = YAML::LoadAll(std::string(text));
    if (docs.size() > 1) return Error{"the file holds " + std::to_string(docs.size()) + " YAML documents; a config is one"};
    YamlConfig out;
    out.json = docs.empty() ? "null" : convert(docs[0], "", out.lines).dump(-1, ' ', false, json::error_handler_t::replace);
    return out;
  } catch (const Failure& f) {
    return Error{at(f.mark, f.message)};
  } catch (const YAML::DeepRecursion& e) {
    return Error{at(e.mark, kTooDeep)};
  } catch (const YAML::Exception& e) {
    return Error{at(e.mark, e.msg)};
  } catch (const std::exception& e) {
    return Error{std::string("cannot read the YAML: ") + e.what()};
  }
}

Result<std::string> yaml_to_json(std::string_view text) {
  Result<YamlConfig> doc = read_yaml(text);
  if (!doc.ok()) return Error{doc.error()};
  return doc.value().json;
}

}  // namespace ppemu
