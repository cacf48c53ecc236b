// The public config API: each call asks the key groups (config/groups.inc) in turn.
#include "ppemu/config.h"

#include <algorithm>
#include <cctype>
#include <limits>

#include "config/key_group.h"
#include "config/values.h"

namespace ppemu {
namespace detail {

#define PPEMU_KEY_GROUP(id) extern const KeyGroup id;
#include "config/groups.inc"
#undef PPEMU_KEY_GROUP

const std::vector<const KeyGroup*>& key_groups() {
  static const std::vector<const KeyGroup*> all = {
#define PPEMU_KEY_GROUP(id) &id,
#include "config/groups.inc"
#undef PPEMU_KEY_GROUP
  };
  return all;
}

Status unknown_key(std::string_view key) {
  std::string hint = closest_match(key, config_keys());
  std::string msg = "unknown config key " + quote(key);
  if (!hint.empty()) return Error{msg + "; did you mean " + quote(hint) + "?"};
  // With no near miss, name the top-level keys and the prefixes of the rest: the whole list grows
  // with every key group and --help prints it.
  std::string all;
  std::vector<std::string> prefixes;
  for (const std::string& k : config_keys()) {
    const size_t dot = k.find('.');
    std::string shown = dot == std::string::npos ? k : k.substr(0, dot) + ".*";
    if (std::find(prefixes.begin(), prefixes.end(), shown) != prefixes.end()) continue;
    prefixes.push_back(shown);
    all += (all.empty() ? "" : ", ") + shown;
  }
  return Error{msg + "; known keys: " + all + " (--help lists every key)"};
}

}  // namespace detail

namespace {

using detail::json;

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

Status apply_value(Config& c, std::string_view key, const json& v) {
  for (const detail::KeyGroup* g : detail::key_groups())
    if (g->owns(key)) return g->apply(c, key, v);
  return detail::unknown_key(key);
}

bool is_key_prefix(std::string_view path) {
  for (const detail::KeyGroup* g : detail::key_groups())
    if (g->is_prefix(path)) return true;
  return false;
}

Status apply_tree(Config& c, const std::string& path, const json& v) {
  if (!path.empty() && !(v.is_object() && is_key_prefix(path))) {
    // A per-stage map under a dotted key (`"op_times.forward": {"0": 1}`) is a value, not a
    // subtree; so is a group selection at a prefix (`"model": "gpt3_175b"`).
    bool owned = false;
    for (const detail::KeyGroup* g : detail::key_groups()) owned = owned || g->owns(path);
    if (!owned && is_key_prefix(path)) return Error{path + " must be an object of keys (got " + detail::show(v) + ")"};
    return apply_value(c, path, v);
  }
  if (!v.is_object()) return Error{"the config must be a JSON object of keys and values"};
  for (const auto& [k, item] : v.items()) {
    Status st = apply_tree(c, path.empty() ? k : path + "." + k, item);
    if (!st.ok()) return st;
  }
  return {};
}

}  // namespace

const std::vector<KeyDoc>& config_key_docs() {
  static const std::vector<KeyDoc> docs = [] {
    std::vector<KeyDoc> all;
    for (const detail::KeyGroup* g : detail::key_groups()) all.insert(all.end(), g->keys.begin(), g->keys.end());
    return all;
  }();
  return docs;
}

const std::vector<std::string>& config_keys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> k;
    for (const KeyDoc& d : config_key_docs()) k.push_back(d.key);
    return k;
  }();
  return keys;
}

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_d = std::numeric_limits<size_t>::max();
  for (const auto& c : candidates) {
    const size_t d = edit_distance(word, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  const size_t allowed = std::max<size_t>(2, word.size() / 3);
  return best_d <= allowed ? best : std::string();
}

Status apply_override(Config& config, std::string_view key, std::string_view value) {
  // Hydra values are YAML-ish; JSON covers numbers, lists and null, anything else is a bare word.
  json v = json::parse(value.begin(), value.end(), nullptr, false);
  if (v.is_discarded()) v = std::string(value);
  return apply_value(config, key, v);
}

Status apply_assignment(Config& config, std::string_view assignment) {
  const size_t eq = assignment.find('=');
  if (eq == std::string_view::npos || eq == 0)
    return Error{"expected key=value, got " + detail::quote(assignment) + " (e.g. num_devices=4)"};
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
  for (const detail::KeyGroup* g : detail::key_groups())
    if (g->resolve)
      if (Status st = g->resolve(c, limits); !st.ok()) return st;
  return {};
}

std::string config_to_json(const Config& c, int indent) {
  json j = json::object();
  for (const detail::KeyGroup* g : detail::key_groups()) g->write(c, j);
  return j.dump(indent);
}

}  // namespace ppemu
