// op_times.*: the duration of each op kind, a number or one per stage.
#include "config/key_group.h"
#include "config/values.h"

namespace ppemu::detail {
namespace {

constexpr std::string_view kPrefix = "op_times";
const char* const kNames[] = {"forward", "backward", "backward_D", "backward_W", "overlapped_forward_backward"};

StageTimes* field_of(OpTimes& t, std::string_view name) {
  if (name == "forward") return &t.forward;
  if (name == "backward") return &t.backward;
  if (name == "backward_D") return &t.backward_D;
  if (name == "backward_W") return &t.backward_W;
  if (name == "overlapped_forward_backward") {
    if (!t.overlapped_forward_backward) t.overlapped_forward_backward = StageTimes{kUnset, {}};
    return &*t.overlapped_forward_backward;
  }
  return nullptr;
}

bool owns(std::string_view key) { return under(key, kPrefix); }
bool is_prefix(std::string_view path) { return path == kPrefix; }

Status apply(Config& c, std::string_view key, const json& v) {
  const std::string_view rest = key.substr(kPrefix.size() + 1);
  const size_t dot = rest.find('.');
  const std::string_view name = rest.substr(0, dot);
  if (name == "overlapped_forward_backward" && dot == std::string_view::npos && v.is_null()) {
    c.op_times.overlapped_forward_backward.reset();
    return {};
  }
  StageTimes* field = field_of(c.op_times, name);
  if (!field) return unknown_key(key);
  if (dot == std::string_view::npos) return set_stage_values(*field, key, v);
  return set_one_stage(*field, key.substr(0, kPrefix.size() + 1 + name.size()), rest.substr(dot + 1), v);
}

Status resolve(Config& c, const Limits&) {
  for (const char* name : kNames) {
    if (std::string_view(name) == "overlapped_forward_backward" && !c.op_times.overlapped_forward_backward) continue;
    const std::string key = std::string("op_times.") + name;
    const bool allow_zero = std::string_view(name) == "backward_W";
    StageTimes& t = *field_of(c.op_times, name);
    if (Status st = resolve_stage_values(t, key, c.num_stages, allow_zero); !st.ok()) return st;
    if (Status st = check_time_range(t, key, allow_zero); !st.ok()) return st;
  }
  return {};
}

void write(const Config& c, json& j) {
  // A projected run writes only the times a config source gave: read back, the projection
  // recomputes the rest, so editing a model key in the written config still changes the times.
  const OpTimes& o = c.op_times;
  json t = json::object();
  auto put = [&](const char* name, const StageTimes& v) {
    if (!c.projected() || v.given) t[name] = stage_values_json(v);
  };
  put("forward", o.forward);
  put("backward", o.backward);
  put("backward_D", o.backward_D);
  put("backward_W", o.backward_W);
  if (o.overlapped_forward_backward) {
    put("overlapped_forward_backward", *o.overlapped_forward_backward);
  } else if (!c.projected()) {
    t["overlapped_forward_backward"] = nullptr;
  }
  if (!c.projected() || !t.empty()) j["op_times"] = t;
}

}  // namespace

extern const KeyGroup kOpTimesKeys;
const KeyGroup kOpTimesKeys = {
    {
        {"op_times.forward", "1", "F time"},
        {"op_times.backward", "2", "full backward (input + weight)"},
        {"op_times.backward_D", "1", "input backward B, where backward is split"},
        {"op_times.backward_W", "1", "weight backward W, where backward is split"},
        {"op_times.overlapped_forward_backward", "F + backward", "one F and one full backward run as one unit"},
    },
    owns, is_prefix, apply, resolve, write};

}  // namespace ppemu::detail
