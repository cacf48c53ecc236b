// The public config API: each call asks the key groups (config/groups.inc) in turn.
#include "ppemu/config.h"

#include <algorithm>
#include <cctype>
#include <limits>

#include "config/defaults_list.h"
#include "config/key_group.h"
#include "config/values.h"
#include "ppemu/presets.h"

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

const detail::KeyGroup* backing(std::string_view group) {
  for (const detail::KeyGroup* g : detail::key_groups())
    if (g->config_group && group == g->config_group) return g;
  return nullptr;
}

Status apply_tree(Config& c, const std::string& path, const json& v);

// `model=gpt3_175b`: the preset's keys replace whatever the group held; `model=null` clears it.
// `where` starts the message when no such preset exists ("defaults: " for a defaults-list entry).
Status apply_choice(Config& c, const detail::KeyGroup& g, const json& v, const std::string& where = "") {
  const std::string group = g.config_group;
  if (v.is_null()) {
    g.reset(c);
    c.choices.erase(group);
    return {};
  }
  if (!v.is_string() || v.get<std::string>().empty())
    return Error{group + " must be a preset name or " + group + ".* keys (got " + detail::show(v) + ")"};
  const std::string name = v.get<std::string>();
  const Preset* preset = find_preset(group, name);
  if (!preset) {
    const std::vector<std::string> names = preset_names(group);
    if (names.empty()) return Error{where + "no " + group + " presets are loaded, so " + group + "=" + ppemu::detail::printable(name) + " cannot be applied; give " + group + ".* keys"};
    std::string list;
    for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
    const std::string hint = closest_match(name, names);
    return Error{where + "unknown " + group + " preset " + detail::quote(name) + (hint.empty() ? "" : "; did you mean " + detail::quote(hint) + "?") +
                 " (presets: " + list + ")"};
  }
  const json body = json::parse(preset->json, nullptr, false);
  g.reset(c);
  for (const auto& [k, item] : body.items())
    if (Status st = apply_tree(c, group + "." + k, item); !st.ok()) return Error{preset->source + ": " + st.error()};
  c.choices[group] = name;
  return {};
}

Status apply_value(Config& c, std::string_view key, const json& v) {
  if (const detail::KeyGroup* g = backing(key)) return apply_choice(c, *g, v);
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
  if (!(v.is_object() && is_key_prefix(path))) {
    // A per-stage map under a dotted key (`"op_times.forward": {"0": 1}`) is a value, not a
    // subtree; so is a group selection at a prefix (`"model": "gpt3_175b"`).
    bool owned = backing(path) != nullptr;
    for (const detail::KeyGroup* g : detail::key_groups()) owned = owned || g->owns(path);
    if (!owned && is_key_prefix(path)) return Error{path + " must be an object of keys (got " + detail::show(v) + ")"};
    return apply_value(c, path, v);
  }
  for (const auto& [k, item] : v.items())
    if (Status st = apply_tree(c, path + "." + k, item); !st.ok()) return st;
  return {};
}

// A config object's own keys: everything but its defaults list and its selections, which
// config_parts places as parts of their own.
Status apply_own_keys(Config& c, const json& v) {
  for (const auto& [k, item] : v.items()) {
    if (k == "defaults" || (k == "choices" && item.is_object()) || detail::is_selection(k, item)) continue;
    if (Status st = apply_tree(c, k, item); !st.ok()) return st;
  }
  return {};
}

Status apply_object(Config& c, const json& v, const std::map<std::string, std::string>& choices) {
  if (!v.is_object()) return Error{"the config must be a JSON object of keys and values"};
  Result<std::vector<ConfigPart>> parts = detail::parts_of(v, choices);
  if (!parts.ok()) return Error{parts.error()};
  for (const ConfigPart& part : parts.value()) {
    if (part.group.empty()) {
      if (Status st = apply_own_keys(c, v); !st.ok()) return st;
      continue;
    }
    if (part.optional && !part.name.empty() && !find_preset(part.group, part.name)) continue;
    const json name = part.name.empty() ? json(nullptr) : json(part.name);
    if (Status st = apply_choice(c, *backing(part.group), name, part.listed ? "defaults: " : ""); !st.ok()) return st;
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

std::vector<std::string> config_groups() {
  std::vector<std::string> groups;
  for (const detail::KeyGroup* g : detail::key_groups())
    if (g->config_group) groups.emplace_back(g->config_group);
  return groups;
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

Status apply_json(Config& config, std::string_view json_text, const std::map<std::string, std::string>& choices) {
  json v = json::parse(json_text.begin(), json_text.end(), nullptr, false);
  if (v.is_discarded()) return Error{"the config is not valid JSON"};
  return apply_object(config, v, choices);
}

Result<std::vector<ConfigPart>> config_parts(std::string_view json_text, const std::map<std::string, std::string>& choices) {
  json v = json::parse(json_text.begin(), json_text.end(), nullptr, false);
  if (v.is_discarded()) return Error{"the config is not valid JSON"};
  if (!v.is_object()) return Error{"the config must be a JSON object of keys and values"};
  return detail::parts_of(v, choices);
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
  // Which presets were chosen; the keys above already hold their resolved values.
  if (!c.choices.empty()) j["choices"] = c.choices;
  return j.dump(indent);
}

}  // namespace ppemu
