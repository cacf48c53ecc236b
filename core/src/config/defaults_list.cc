// Hydra 1.1's defaults list, as far as ppemu's config groups go: `_self_`'s place, one entry per
// group, `optional` and `override`, and the caller's choices replacing or appending entries.
// Hydra's package overrides (`group@pkg`), option lists and configs that include other primary
// configs have no counterpart here and are refused by name.
#include "config/defaults_list.h"

#include <algorithm>

#include "config/values.h"

namespace ppemu::detail {
namespace {

bool is_group(const std::string& name) {
  const std::vector<std::string> groups = config_groups();
  return std::find(groups.begin(), groups.end(), name) != groups.end();
}

std::string group_list() {
  std::string list;
  for (const std::string& g : config_groups()) list += (list.empty() ? "" : ", ") + g;
  return list.empty() ? "no config groups are defined" : "groups: " + list;
}

// "defaults: 'optimizer' is not a config group (groups: model, gpu)"; `where` is "defaults: ",
// "choices." (then the name is not quoted: it reads as the key) or "".
Status not_a_group(const std::string& where, const std::string& name) {
  return Error{where + (where == "choices." ? name : quote(name)) + " is not a config group (" + group_list() + ")"};
}

struct Entry {
  ConfigPart part;
  bool self = false;
};

// `model: llama3_70b` -> "llama3_70b"; YAML's `gpu: 3090` arrives as a number; null clears.
Status entry_name(const std::string& group, const json& v, std::string& name) {
  if (v.is_null()) return name.clear(), Status{};
  if (v.is_number_integer()) return name = v.dump(), Status{};
  if (v.is_string() && !v.get<std::string>().empty()) return name = v.get<std::string>(), Status{};
  if (v.is_array()) return Error{"defaults: " + group + " takes one preset name; lists of options are not supported"};
  return Error{"defaults: " + group + " must name a preset or be null (got " + show(v) + ")"};
}

Status read_entry(const json& item, std::vector<Entry>& entries) {
  static const char* const kForm = " (entries are _self_, group: name, optional group: name or override group: name)";
  if (item.is_string()) {
    const std::string text = item.get<std::string>();
    if (text == "_self_") {
      if (std::any_of(entries.begin(), entries.end(), [](const Entry& e) { return e.self; }))
        return Error{"defaults: _self_ is listed twice"};
      entries.push_back({{}, true});
      return {};
    }
    const size_t slash = text.find('/');
    if (slash == std::string::npos)
      return Error{"defaults: " + quote(text) + " would include another primary config, which ppemu does not compose; copy its keys, or make it a config group" + kForm};
    const std::string group = text.substr(0, slash);
    if (!is_group(group)) return not_a_group("defaults: ", group);
    return read_entry(json::object({{group, text.substr(slash + 1)}}), entries);
  }
  if (!item.is_object() || item.size() != 1) return Error{std::string("defaults: an entry must be _self_ or one group: name, got ") + show(item) + kForm};
  const std::string key = item.begin().key();
  // "optional override model" -> flags and the group.
  std::vector<std::string> words;
  for (size_t start = 0; start < key.size();) {
    const size_t end = std::min(key.find(' ', start), key.size());
    if (end > start) words.push_back(key.substr(start, end - start));
    start = end + 1;
  }
  if (words.empty()) return Error{std::string("defaults: an entry has an empty group name") + kForm};
  const std::string group = words.back();
  bool optional = false, override_entry = false;
  for (size_t i = 0; i + 1 < words.size(); ++i) {
    if (words[i] == "optional") optional = true;
    else if (words[i] == "override") override_entry = true;
    else return Error{"defaults: " + quote(key) + ": " + quote(words[i]) + " is neither optional nor override"};
  }
  if (group.find('@') != std::string::npos)
    return Error{"defaults: " + quote(key) + ": package overrides (@) are not supported; a group's keys always go under its name"};
  if (!is_group(group)) return not_a_group("defaults: ", group);
  std::string name;
  if (Status st = entry_name(group, item.begin().value(), name); !st.ok()) return st;
  auto same = std::find_if(entries.begin(), entries.end(), [&](const Entry& e) { return !e.self && e.part.group == group; });
  if (override_entry) {
    if (same == entries.end()) return Error{"defaults: override " + group + ": " + name + " has no " + group + " entry before it to override"};
    same->part.name = name;
    same->part.optional = optional;
    return {};
  }
  if (same != entries.end()) return Error{"defaults: " + group + " is listed twice; write 'override " + group + ": NAME' to replace the first"};
  entries.push_back({{group, name, optional, true}, false});
  return {};
}

}  // namespace

bool is_selection(const std::string& key, const json& value) { return is_group(key) && !value.is_object(); }

Result<std::vector<ConfigPart>> parts_of(const json& object, const std::map<std::string, std::string>& choices) {
  std::vector<Entry> entries;
  const auto defaults = object.find("defaults");
  if (defaults != object.end()) {
    if (!defaults->is_array()) return Error{"defaults must be a list (- _self_, - model: NAME); got " + show(*defaults)};
    for (const json& item : *defaults)
      if (Status st = read_entry(item, entries); !st.ok()) return Error{st.error()};
  }
  if (std::none_of(entries.begin(), entries.end(), [](const Entry& e) { return e.self; })) entries.push_back({{}, true});

  // The object's own selections apply at its own keys' place, just before them.
  std::vector<Entry> own;
  for (const auto& [k, item] : object.items()) {
    if (k == "choices" && item.is_object()) {
      for (const auto& [group, name] : item.items()) {
        if (!is_group(group)) return Error{not_a_group("choices.", group).error()};
        own.push_back({{group, "", false, false}, false});
        if (!name.is_null() && !(name.is_string() && !name.get<std::string>().empty()))
          return Error{group + " must be a preset name or " + group + ".* keys (got " + show(name) + ")"};
        if (name.is_string()) own.back().part.name = name.get<std::string>();
      }
    } else if (is_selection(k, item)) {
      if (!item.is_null() && !(item.is_string() && !item.get<std::string>().empty()))
        return Error{k + " must be a preset name or " + k + ".* keys (got " + show(item) + ")"};
      own.push_back({{k, item.is_string() ? item.get<std::string>() : "", false, false}, false});
    }
  }
  for (const Entry& o : own) {
    auto listed = std::find_if(entries.begin(), entries.end(), [&](const Entry& e) { return !e.self && e.part.group == o.part.group; });
    if (listed != entries.end())
      return Error{o.part.group + " is chosen twice: in defaults and by the key " + quote(o.part.group) + "; keep one"};
    if (std::count_if(own.begin(), own.end(), [&](const Entry& e) { return e.part.group == o.part.group; }) > 1)
      return Error{o.part.group + " is chosen twice: by the key " + quote(o.part.group) + " and in choices; keep one"};
  }
  const auto self = std::find_if(entries.begin(), entries.end(), [](const Entry& e) { return e.self; });
  entries.insert(self, own.begin(), own.end());

  for (const auto& choice : choices) {
    const std::string& group = choice.first;
    const std::string& text = choice.second;
    if (!is_group(group)) return Error{not_a_group("", group).error()};
    const std::string name = text == "null" ? "" : text;
    if (name.empty() && text != "null") return Error{group + " must be a preset name or null (got an empty value)"};
    auto same = std::find_if(entries.begin(), entries.end(), [&](const Entry& e) { return !e.self && e.part.group == group; });
    if (same != entries.end()) {
      same->part = {group, name, false, false};
    } else {
      entries.push_back({{group, name, false, false}, false});
    }
  }

  std::vector<ConfigPart> parts;
  for (const Entry& e : entries) parts.push_back(e.part);
  return parts;
}

}  // namespace ppemu::detail
