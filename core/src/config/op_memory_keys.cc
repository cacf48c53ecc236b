// op_memory.*: what each (microbatch, stage) holds and when it lets go, in the user's unit (bytes
// when projected). The defaults (1, the same after B, nothing static) make the memory figures
// equal the activation counts, so runs without these keys report what they always did.
#include <cmath>

#include "config/key_group.h"
#include "config/values.h"

namespace ppemu::detail {
namespace {

constexpr std::string_view kPrefix = "op_memory";

StageTimes* field_of(OpMemory& m, std::string_view name) {
  if (name == "activation") return &m.activation;
  if (name == "after_B") {
    if (!m.after_B) m.after_B = StageTimes{kUnset, {}};
    return &*m.after_B;
  }
  if (name == "static") return &m.static_memory;
  return nullptr;
}

bool owns(std::string_view key) { return under(key, kPrefix); }
bool is_prefix(std::string_view path) { return path == kPrefix; }

Status apply(Config& c, std::string_view key, const json& v) {
  const std::string_view rest = key.substr(kPrefix.size() + 1);
  const size_t dot = rest.find('.');
  const std::string_view name = rest.substr(0, dot);
  if (name == "after_B" && dot == std::string_view::npos && v.is_null()) {
    c.op_memory.after_B.reset();
    return {};
  }
  StageTimes* field = field_of(c.op_memory, name);
  if (!field) return unknown_key(key);
  if (dot == std::string_view::npos) return set_stage_values(*field, key, v, "size");
  return set_one_stage(*field, key.substr(0, kPrefix.size() + 1 + name.size()), rest.substr(dot + 1), v);
}

Status check_size(const StageTimes& t, const std::string& key) {
  auto too_big = [&](const std::string& where, double x) {
    return Error{where + " must be at most " + show_number(kMaxMemory) + " (got " + show_number(x) +
                 ") so that a device's memory stays a finite number"};
  };
  for (size_t s = 0; s < t.per_stage.size(); ++s)
    if (t.per_stage[s] > kMaxMemory) return too_big(key + "." + std::to_string(s), t.per_stage[s]);
  if (t.per_stage.empty() && t.scalar > kMaxMemory) return too_big(key, t.scalar);
  return {};
}

Status resolve(Config& c, const Limits&) {
  OpMemory& m = c.op_memory;
  if (Status st = resolve_stage_values(m.activation, "op_memory.activation", c.num_stages, true, "size"); !st.ok()) return st;
  if (Status st = check_size(m.activation, "op_memory.activation"); !st.ok()) return st;
  if (Status st = resolve_stage_values(m.static_memory, "op_memory.static", c.num_stages, true, "size"); !st.ok()) return st;
  if (Status st = check_size(m.static_memory, "op_memory.static"); !st.ok()) return st;
  if (!m.after_B) return {};
  // `op_memory.after_B.3=0.5` alone: the other stages keep their default, the activation.
  StageTimes& kept = *m.after_B;
  if (std::isnan(kept.scalar) && !kept.per_stage.empty() && static_cast<int>(kept.per_stage.size()) <= c.num_stages) {
    kept.per_stage.resize(static_cast<size_t>(c.num_stages), kUnset);
    for (int s = 0; s < c.num_stages; ++s)
      if (std::isnan(kept.per_stage[static_cast<size_t>(s)])) kept.per_stage[static_cast<size_t>(s)] = m.activation.at(s);
  }
  if (Status st = resolve_stage_values(*m.after_B, "op_memory.after_B", c.num_stages, true, "size"); !st.ok()) return st;
  // What stays after B is part of what F allocated: B frees the difference, W the rest.
  for (int s = 0; s < c.num_stages; ++s) {
    const double kept = m.after_B->at(s), held = m.activation.at(s);
    if (kept > held)
      return Error{"op_memory.after_B" + std::string(m.after_B->per_stage.empty() ? "" : "." + std::to_string(s)) + " (" +
                   show_number(kept) + ") is more than op_memory.activation" +
                   (m.activation.per_stage.empty() ? "" : "." + std::to_string(s)) + " (" + show_number(held) +
                   "): B can only free part of what F allocated; give at most " + show_number(held)};
  }
  return {};
}

void write(const Config& c, json& j) {
  // As op_times: a projected run writes only the sizes a config source gave.
  const OpMemory& m = c.op_memory;
  json o = json::object();
  auto put = [&](const char* name, const StageTimes& v) {
    if (!c.projected() || v.given) o[name] = stage_values_json(v);
  };
  put("activation", m.activation);
  if (m.after_B) {
    put("after_B", *m.after_B);
  } else if (!c.projected()) {
    o["after_B"] = nullptr;
  }
  put("static", m.static_memory);
  if (!c.projected() || !o.empty()) j["op_memory"] = o;
}

}  // namespace

extern const KeyGroup kOpMemoryKeys;
const KeyGroup kOpMemoryKeys = {
    {
        {"op_memory.activation", "1", "held by a (microbatch, stage) from the start of its F"},
        {"op_memory.after_B", "activation", "the part still held after its input backward B; freed when its W ends"},
        {"op_memory.static", "0", "held by the device of the stage for the whole run (weights, gradients, optimizer)"},
    },
    owns, is_prefix, apply, resolve, write};

}  // namespace ppemu::detail
