// yaml-cpp's tree to nlohmann's, resolving plain scalars by YAML 1.2's core schema so that this
// reader and the page's (npm yaml, core schema by default) give the same JSON.
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>
#include <sstream>
#include <string_view>

#include "config/values.h"
#include "ppemu/yaml.h"

namespace ppemu {
namespace {

using nlohmann::json;

struct Failure {
  YAML::Mark mark;
  std::string message;
};

// The file's own text in a message (a key, the character yaml-cpp stopped at) goes through
// detail::printable, the config errors' rule, so a NUL or newline cannot break the one-line error.
using detail::printable;

std::string at(const YAML::Mark& mark, const std::string& message) {
  // yaml-cpp's messages end with the offending character ("unknown escape character: \0").
  std::string line;
  for (char ch : message) line += static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f ? '?' : ch;
  if (mark.line < 0) return line;
  return "line " + std::to_string(mark.line + 1) + ", column " + std::to_string(mark.column + 1) + ": " + line;
}

// YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution), matched by hand:
// libstdc++'s std::regex recurses once per character, so a 50,000-digit scalar overflowed the
// stack (and under the sanitizers every scalar cost milliseconds).
bool decimal(char c) { return c >= '0' && c <= '9'; }
bool octal(char c) { return c >= '0' && c <= '7'; }
bool hexadecimal(char c) { return decimal(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// Advances `i` over a run of `ok` characters; false if there is none.
bool run_of(std::string_view s, size_t& i, bool (*ok)(char)) {
  const size_t start = i;
  while (i < s.size() && ok(s[i])) ++i;
  return i > start;
}

void sign(std::string_view s, size_t& i) {
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
}

// [-+]?[0-9]+
bool is_int(std::string_view s) {
  size_t i = 0;
  sign(s, i);
  return run_of(s, i, decimal) && i == s.size();
}

// 0o[0-7]+ or 0x[0-9a-fA-F]+
bool is_radix(std::string_view s, char letter, bool (*ok)(char)) {
  size_t i = 2;
  return s.size() > 2 && s[0] == '0' && s[1] == letter && run_of(s, i, ok) && i == s.size();
}

// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
bool is_float(std::string_view s) {
  size_t i = 0;
  sign(s, i);
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!run_of(s, i, decimal)) return false;
  } else {
    if (!run_of(s, i, decimal)) return false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      run_of(s, i, decimal);
    }
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    sign(s, i);
    if (!run_of(s, i, decimal)) return false;
  }
  return i == s.size();
}

// A number beyond a double stays text, which number keys refuse by name ("must be a number").
json finite_or_text(const std::string& s) {
  const double x = std::strtod(s.c_str(), nullptr);
  if (std::isfinite(x)) return x;
  return s;
}

json integer(const std::string& s, int base) {
  const char* digits = s.c_str() + (base == 10 ? 0 : 2);
  errno = 0;
  const long long x = std::strtoll(digits, nullptr, base);
  if (errno != ERANGE) return static_cast<int64_t>(x);
  // Integers beyond 64 bits: a double like JSON reads them (hex and octal stay text).
  return base == 10 ? finite_or_text(s) : json(s);
}

json plain_scalar(const std::string& s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  if (is_int(s)) return integer(s, 10);
  if (is_radix(s, 'o', octal)) return integer(s, 8);
  if (is_radix(s, 'x', hexadecimal)) return integer(s, 16);
  if (is_float(s)) return finite_or_text(s);
  // JSON has no infinity or NaN; .inf and .nan reach the config as words, which number keys refuse.
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
        if (!seen.insert(key).second) throw Failure{kv.first.Mark(), "duplicate key '" + printable(key) + "'"};
        lines.emplace(child(key), kv.first.Mark().line + 1);
        out[key] = convert(kv.second, child(key), lines, depth + 1);
      }
      return out;
    }
  }
  return nullptr;
}

// Notes where each document starts and ignores the rest: enough to count documents.
class DocumentStarts : public YAML::EventHandler {
 public:
  std::vector<YAML::Mark> starts;
  void OnDocumentStart(const YAML::Mark& mark) override { starts.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

// The file's documents, counted without YAML::LoadAll: yaml-cpp 0.7 (Debian 12's) hands back
// the same empty document forever after a stray ',' where a value should start, and LoadAll
// collects them until memory runs out (jbeder/yaml-cpp#1040, fixed upstream by #1319 after 0.8).
// A document that starts where the previous one did is that loop.
Result<size_t> count_documents(const std::string& text) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentStarts docs;
  while (parser.HandleNextDocument(docs)) {
    const size_t n = docs.starts.size();
    const bool stuck = n >= 2 && docs.starts[n - 1].pos == docs.starts[n - 2].pos;
    if (stuck || n > text.size() / 3 + 2) {
      const YAML::Mark& m = docs.starts.back();
      const std::string what = m.pos >= 0 && static_cast<size_t>(m.pos) < text.size()
                                   ? "unexpected '" + printable(text.substr(static_cast<size_t>(m.pos), 1)) + "'"
                                   : "unexpected text";
      return Error{at(m, what + " where a value should start")};
    }
  }
  return docs.starts.size();
}

}  // namespace

Result<YamlConfig> read_yaml(std::string_view text) {
  try {
    const std::string file(text);
    const Result<size_t> docs = count_documents(file);
    if (!docs.ok()) return Error{docs.error()};
    if (docs.value() > 1) return Error{"the file holds " + std::to_string(docs.value()) + " YAML documents; a config is one"};
    YamlConfig out;
    // The first document only: no loop to run away.
    out.json = convert(YAML::Load(file), "", out.lines).dump(-1, ' ', false, json::error_handler_t::replace);
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
