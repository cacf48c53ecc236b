// The run's shape: strategy, counts, latency and Megatron's interleaving group (the original
// PP-Emulation keys besides op_times).
#include <algorithm>
#include <cmath>

#include "config/key_group.h"
#include "config/values.h"
#include "ppemu/schedule.h"
#include "ppemu/strategy.h"

namespace ppemu::detail {

static_assert(Limits{}.max_stages <= Action::kMaxStages && Limits{}.max_batches <= Action::kMaxMicrobatches,
              "the default limits must fit a schedule's Action");

namespace {

bool owns(std::string_view key) {
  for (const char* k : {"strategy", "num_devices", "num_stages", "num_batches", "p2p_latency", "microbatch_group_size_per_vp_stage"})
    if (key == k) return true;
  return false;
}

bool is_prefix(std::string_view) { return false; }

Status apply(Config& c, std::string_view key, const json& v) {
  if (key == "strategy") {
    if (!v.is_string() || v.get<std::string>().empty()) return Error{"strategy must be a strategy name (got " + show(v) + ")"};
    c.strategy = v.get<std::string>();
    return {};
  }
  if (key == "num_devices") return set_count(c.num_devices, key, v);
  if (key == "num_stages") return set_count(c.num_stages, key, v);
  if (key == "num_batches") {
    Status st = set_count(c.num_batches, key, v);
    if (st.ok()) c.num_batches_given = true;
    return st;
  }
  if (key == "microbatch_group_size_per_vp_stage") {
    if (v.is_null()) {  // the original project's conf/config.yaml writes `null` for "the default"
      c.microbatch_group_size_per_vp_stage = 0;
      return {};
    }
    Status st = set_count(c.microbatch_group_size_per_vp_stage, key, v);
    if (st.ok() && c.microbatch_group_size_per_vp_stage < 1)
      return Error{std::string(key) + " must be at least 1 (got " + show(v) + ")"};
    return st;
  }
  if (key == "p2p_latency") {
    Status st = set_number(c.p2p_latency, key, v);
    if (st.ok()) c.p2p_latency_given = true;
    return st;
  }
  return unknown_key(key);
}

Status resolve(Config& c, const Limits& limits) {
  if (Status st = check_count("num_devices", c.num_devices, 1, limits.max_devices); !st.ok()) return st;
  if (Status st = check_count("num_stages", c.num_stages, 1, std::min(limits.max_stages, Action::kMaxStages)); !st.ok()) return st;
  if (Status st = check_count("num_batches", c.num_batches, 1, std::min(limits.max_batches, Action::kMaxMicrobatches)); !st.ok()) return st;
  if (c.microbatch_group_size_per_vp_stage < 0)
    return Error{"microbatch_group_size_per_vp_stage must be at least 1 (got " + std::to_string(c.microbatch_group_size_per_vp_stage) + ")"};
  if (!std::isfinite(c.p2p_latency) || c.p2p_latency < 0)
    return Error{"p2p_latency must be a number >= 0 (got " + show_number(c.p2p_latency) + ")"};
  if (time_out_of_range(c.p2p_latency)) return time_range_error("p2p_latency", c.p2p_latency, true);
  const Strategy* strategy = find_strategy(c.strategy);
  if (!strategy) {
    std::string hint = closest_match(c.strategy, strategy_names());
    return Error{"unknown strategy " + quote(c.strategy) + (hint.empty() ? "" : "; did you mean " + quote(hint) + "?") +
                 " (--list-strategies lists them)"};
  }
  c.strategy = strategy->name;
  // Each (stage, microbatch) pair has at most three ops (F, B, W).
  const int64_t ops = int64_t{3} * c.num_stages * c.num_batches;
  if (ops > limits.max_ops)
    return Error{"num_stages x num_batches = " + std::to_string(int64_t{c.num_stages} * c.num_batches) + " would make up to " +
                 std::to_string(ops) + " ops, more than the limit of " + std::to_string(limits.max_ops) +
                 "; use fewer stages or microbatches"};
  return {};
}

void write(const Config& c, json& j) {
  j["strategy"] = c.strategy;
  j["num_devices"] = c.num_devices;
  j["num_stages"] = c.num_stages;
  j["num_batches"] = c.num_batches;
  if (!c.projected() || c.p2p_latency_given) j["p2p_latency"] = c.p2p_latency;  // else the projection's
  j["microbatch_group_size_per_vp_stage"] = c.group_size();
}

}  // namespace

extern const KeyGroup kRunKeys;
const KeyGroup kRunKeys = {
    {
        {"strategy", "1f1b", "registered strategy name; see --list-strategies"},
        {"num_devices", "4", "pipeline ranks"},
        {"num_stages", "4", "model stages (chunks)"},
        {"num_batches", "8", "microbatches per iteration"},
        {"p2p_latency", "0", "time for a tensor to reach another device; 0 on the same device"},
        {"microbatch_group_size_per_vp_stage", "num_devices", "Megatron's interleaving group size"},
    },
    owns, is_prefix, apply, resolve, write};

}  // namespace ppemu::detail
