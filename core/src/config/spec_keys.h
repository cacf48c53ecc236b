#pragma once
// Key tables for the projection's groups (model.*, gpu.*, parallel.*, train.*): each key is one
// row naming its field, how it reads and how it writes back, so a group file is its table plus
// the few rules that span keys.
#include <string>
#include <string_view>
#include <vector>

#include "config/key_group.h"
#include "config/values.h"

namespace ppemu::detail {

template <class Spec>
struct SpecKey {
  KeyDoc doc;  ///< doc.key is the full dotted key ("model.num_layers")
  Status (*set)(Spec& spec, std::string_view key, const json& v);
  json (*get)(const Spec& spec);
};

template <class Spec>
std::vector<KeyDoc> docs_of(const std::vector<SpecKey<Spec>>& table) {
  std::vector<KeyDoc> docs;
  for (const SpecKey<Spec>& k : table) docs.push_back(k.doc);
  return docs;
}

template <class Spec>
const SpecKey<Spec>* find_spec_key(const std::vector<SpecKey<Spec>>& table, std::string_view key) {
  for (const SpecKey<Spec>& k : table)
    if (key == k.doc.key) return &k;
  return nullptr;
}

template <class Spec>
json spec_json(const std::vector<SpecKey<Spec>>& table, const Spec& spec, std::string_view prefix) {
  json out = json::object();
  for (const SpecKey<Spec>& k : table) out[std::string(k.doc.key).substr(prefix.size() + 1)] = k.get(spec);
  return out;
}

/// A whole number >= lo. `null` sets `unset` when the key has an "absent" meaning (unset >= 0).
Status set_count_from(int& field, std::string_view key, const json& v, int lo, int unset = -1);
/// A number > 0 (or >= 0 with allow_zero); with `at_most`, also <= it.
Status set_positive(double& field, std::string_view key, const json& v, bool allow_zero = false, double at_most = 0);

}  // namespace ppemu::detail

// One row of a key table: the field, its reader and its writer.
#define PPEMU_COUNT_KEY(Spec, prefix, field, lo, unset, def, help)                                              \
  ::ppemu::detail::SpecKey<Spec> {                                                                              \
    {prefix "." #field, def, help},                                                                             \
        [](Spec& s, std::string_view k, const ::ppemu::detail::json& v) { return ::ppemu::detail::set_count_from(s.field, k, v, lo, unset); }, \
        [](const Spec& s) { /* "not given" writes back as null, which reads back as not given */                \
          return (unset) >= 0 && s.field == (unset) ? ::ppemu::detail::json(nullptr) : ::ppemu::detail::json(s.field); \
        }                                                                                                       \
  }
#define PPEMU_NUMBER_KEY(Spec, prefix, field, allow_zero, at_most, def, help)                                   \
  ::ppemu::detail::SpecKey<Spec> {                                                                              \
    {prefix "." #field, def, help},                                                                             \
        [](Spec& s, std::string_view k, const ::ppemu::detail::json& v) {                                       \
          return ::ppemu::detail::set_positive(s.field, k, v, allow_zero, at_most);                             \
        },                                                                                                      \
        [](const Spec& s) { return ::ppemu::detail::json(s.field); }                                            \
  }
#define PPEMU_BOOL_KEY(Spec, prefix, field, def, help)                                                          \
  ::ppemu::detail::SpecKey<Spec> {                                                                              \
    {prefix "." #field, def, help},                                                                             \
        [](Spec& s, std::string_view k, const ::ppemu::detail::json& v) { return ::ppemu::detail::set_bool(s.field, k, v); }, \
        [](const Spec& s) { return ::ppemu::detail::json(s.field); }                                            \
  }
#define PPEMU_WORD_KEY(Spec, prefix, field, def, help, ...)                                                     \
  ::ppemu::detail::SpecKey<Spec> {                                                                              \
    {prefix "." #field, def, help},                                                                             \
        [](Spec& s, std::string_view k, const ::ppemu::detail::json& v) {                                       \
          return ::ppemu::detail::set_word(s.field, k, v, {__VA_ARGS__});                                       \
        },                                                                                                      \
        [](const Spec& s) { return ::ppemu::detail::json(s.field); }                                            \
  }
