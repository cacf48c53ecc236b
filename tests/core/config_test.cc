// Config parsing: Hydra-style key=value, JSON files (nested or dotted), per-stage times, and the
// error text a user sees for each kind of mistake.
#include "helpers.h"

using namespace ppemu;

namespace {

std::string assign_error(std::initializer_list<std::string> assignments) {
  Config c;
  for (const auto& a : assignments) {
    Status st = apply_assignment(c, a);
    if (!st.ok()) return st.error();
  }
  Status st = resolve(c);
  return st.ok() ? "" : st.error();
}

Config resolved_json(const std::string& text) {
  Config c;
  Status st = apply_json(c, text);
  INFO(st.error());
  REQUIRE(st.ok());
  st = resolve(c);
  INFO(st.error());
  REQUIRE(st.ok());
  return c;
}

}  // namespace

TEST_CASE("defaults are the original project's") {
  Config c;
  REQUIRE(resolve(c).ok());
  CHECK(c.strategy == "1f1b");
  CHECK(c.num_devices == 4);
  CHECK(c.num_stages == 4);
  CHECK(c.num_batches == 8);
  CHECK(c.p2p_latency == 0);
  CHECK(c.group_size() == 4);
  CHECK(c.op_times.forward.at(0) == 1);
  CHECK(c.op_times.backward.at(0) == 2);
  CHECK(c.op_times.backward_D.at(0) == 1);
  CHECK(c.op_times.backward_W.at(0) == 1);
  CHECK_FALSE(c.op_times.overlapped_forward_backward.has_value());
}

TEST_CASE("key=value overrides: numbers, lists, single stages, aliases") {
  Config c = test::config_of({"strategy=1f1b_interleave", "num_stages=8", "op_times.forward=.5", "op_times.backward=[1,2,1,2,1,2,1,2]",
                              "op_times.backward_D.3=4", "++p2p_latency=0.25"});
  REQUIRE(resolve(c).ok());
  CHECK(c.strategy == "interleave");  // the alias resolves to the registered name
  CHECK(c.op_times.forward.at(7) == 0.5);
  CHECK(c.op_times.backward.at(1) == 2);
  CHECK(c.op_times.backward_D.at(3) == 4);  // one stage set, the others keep the single value
  CHECK(c.op_times.backward_D.at(2) == 1);
  CHECK(c.p2p_latency == 0.25);
}

TEST_CASE("a per-stage list of one value collapses to that value") {
  Config c = test::config_of({"op_times.forward=[2,2,2,2]"});
  REQUIRE(resolve(c).ok());
  CHECK(c.op_times.forward.per_stage.empty());
  CHECK(c.op_times.forward.scalar == 2);
}

TEST_CASE("JSON configs take nested or dotted keys and per-stage maps") {
  Config nested = resolved_json(R"({"strategy": "zb1p", "num_batches": 6, "op_times": {"forward": {"0": 1, "1": 2, "2": 1, "3": 2}}})");
  CHECK(nested.strategy == "zb1p");
  CHECK(nested.num_batches == 6);
  CHECK(nested.op_times.forward.at(3) == 2);
  Config dotted = resolved_json(R"({"op_times.forward": 0.5, "op_times.backward.2": 3})");
  CHECK(dotted.op_times.forward.at(0) == 0.5);
  CHECK(dotted.op_times.backward.at(2) == 3);
  CHECK(dotted.op_times.backward.at(0) == 2);
}

TEST_CASE("config_to_json reads back as the same config") {
  Config c = test::config_of({"strategy=interleave", "num_stages=8", "op_times.forward=[1,2,1,2,1,2,1,2]",
                              "op_times.overlapped_forward_backward=2.5", "p2p_latency=0.1"});
  REQUIRE(resolve(c).ok());
  Config back;
  REQUIRE(apply_json(back, config_to_json(c)).ok());
  REQUIRE(resolve(back).ok());
  CHECK(back.strategy == c.strategy);
  CHECK(back.num_stages == 8);
  CHECK(back.op_times.forward == c.op_times.forward);
  CHECK(*back.op_times.overlapped_forward_backward == *c.op_times.overlapped_forward_backward);
  CHECK(back.p2p_latency == c.p2p_latency);
}

TEST_CASE("every bad input names the key and what is allowed") {
  auto [input, message] = GENERATE(table<std::string, std::string>({
      {"num_device=4", "unknown config key 'num_device'; did you mean 'num_devices'?"},
      {"op_times.forwrd=1", "unknown config key 'op_times.forwrd'; did you mean 'op_times.forward'?"},
      {"zzz=1",
       "unknown config key 'zzz'; known keys: model.*, gpu.*, parallel.*, train.*, strategy, num_devices, num_stages, num_batches, p2p_latency, "
       "microbatch_group_size_per_vp_stage, op_times.*, op_memory.*, zb_memory_limit, p2p_mode, model_stages (--help lists every key)"},
      {"num_devices=-3", "num_devices must be a whole number from 1 to 4096 (got -3)"},
      {"num_batches=0", "num_batches must be a whole number from 1 to 4194304 (got 0)"},
      {"num_stages=2.5", "num_stages must be a whole number (got 2.5)"},
      {"num_stages=1e12", "num_stages must be a whole number (got 1e+12)"},
      {"num_batches=eight", "num_batches must be a whole number (got eight)"},
      {"p2p_latency=-0.5", "p2p_latency must be a number >= 0 (got -0.5)"},
      {"p2p_latency=nan", "p2p_latency must be a number (got nan)"},
      {"op_times.forward=-1", "op_times.forward must be a number > 0 (got -1)"},
      {"op_times.backward_W=-1", "op_times.backward_W must be a number >= 0 (got -1)"},
      {"op_times.forward=[1,2]", "op_times.forward gives no time for stage 2; a per-stage list or map must give all 4 stages"},
      {"op_times.forward=[1,2,3,4,5]", "op_times.forward gives 5 stage times but num_stages is 4 (stages 0..3)"},
      {"op_times.forward=[1,\"x\",3,4]", "op_times.forward[1] must be a number (got x)"},
      {"op_times.forward=[]", "op_times.forward is an empty list; give one time per stage or a single number"},
      {"op_times.forward.x=1", "in op_times.forward, 'x' is not a stage number (0, 1, 2, ...)"},
      {"op_times.forward.9=1", "op_times.forward gives 10 stage times but num_stages is 4 (stages 0..3)"},
      {"microbatch_group_size_per_vp_stage=0", "microbatch_group_size_per_vp_stage must be at least 1 (got 0)"},
      {"strategy=1f1c", "unknown strategy '1f1c'; did you mean '1f1b'? (--list-strategies lists them)"},
      {"strategy=[1]", "strategy must be a strategy name (got [1])"},
      {"num_devices", "expected key=value, got 'num_devices' (e.g. num_devices=4)"},
      {"=4", "expected key=value, got '=4' (e.g. num_devices=4)"},
  }));
  INFO(input);
  CHECK(assign_error({input}) == message);
}

TEST_CASE("a run too large for memory is refused with the limit stated") {
  Config c = test::config_of({"num_stages=4096", "num_devices=4096", "num_batches=4194304"});
  Status st = resolve(c);
  CHECK(st.error() ==
        "num_stages x num_batches = 17179869184 would make up to 51539607552 ops, more than the limit of 33554432; use "
        "fewer stages or microbatches");
}

TEST_CASE("apply_json refuses what is not a config object") {
  Config c;
  CHECK(apply_json(c, "{not json").error() == "the config is not valid JSON");
  CHECK(apply_json(c, "[1, 2]").error() == "the config must be a JSON object of keys and values");
  CHECK(apply_json(c, R"({"op_times": 3})").error() == "op_times must be an object of keys (got 3)");
  CHECK(apply_json(c, R"({"op_times": {"forward": {"a": 1}}})").error() ==
        "op_times.forward has key 'a'; per-stage keys are stage numbers 0, 1, 2, ...");
  CHECK(apply_json(c, R"({"num_batches": true})").error() == "num_batches must be a whole number (got true)");
}

TEST_CASE("closest_match suggests only near misses") {
  const std::vector<std::string> names = {"gpipe", "1f1b", "interleave", "zb1p"};
  CHECK(closest_match("interleaved", names) == "interleave");
  CHECK(closest_match("ZB1P", names) == "zb1p");
  CHECK(closest_match("dualpipe_vvvvvv", names).empty());
}
