// The emulator on hand-built schedules: latency rules, overlapped units, and schedules that are
// wrong (incomplete, misplaced, or unable to finish) reported instead of hanging.
#include "helpers.h"
#include "ppemu/emulator.h"

using namespace ppemu;

namespace {

// Two devices, one stage each, split or full backward lists given per device.
Schedule two_stage(std::vector<Action> d0, std::vector<Action> d1, int m = 1) {
  Schedule s = make_schedule(2, linear_placement(2), m);
  s.device_actions[0] = std::move(d0);
  s.device_actions[1] = std::move(d1);
  return s;
}

CostModel unit_costs(int stages, double latency = 0) {
  Config c;
  c.num_stages = stages;
  c.p2p_latency = latency;
  Schedule placeholder = make_schedule(1, std::vector<int32_t>(static_cast<size_t>(stages), 0), 1);
  return cost_model(c, placeholder);  // F 1, B 1, W 1, BW 2
}

}  // namespace

TEST_CASE("emulate charges p2p_latency only between devices") {
  const Schedule s = two_stage({Action::f(0, 0), Action::bw(0, 0)}, {Action::f(1, 0), Action::bw(1, 0)});
  Result<Timeline> t = emulate(s, unit_costs(2, 0.5));
  REQUIRE(t.ok());
  // F0 0..1, arrives 1.5; F1 1.5..2.5; BW1 2.5..4.5 (same device: no latency); BW0 5..7.
  CHECK(t->start == std::vector<double>{0, 5, 1.5, 2.5});
  CHECK(t->end == std::vector<double>{1, 7, 2.5, 4.5});
}

TEST_CASE("emulate pays nothing for a V-shape turn on the same device") {
  // Device 0 holds stages 0 and 3, device 1 stages 1 and 2 (V placement, p = 2).
  Schedule s = make_schedule(2, v_placement(2), 1);
  s.device_actions[0] = {Action::f(0, 0), Action::f(3, 0), Action::bw(3, 0), Action::bw(0, 0)};
  s.device_actions[1] = {Action::f(1, 0), Action::f(2, 0), Action::bw(2, 0), Action::bw(1, 0)};
  Result<Timeline> t = emulate(s, unit_costs(4, 1));
  REQUIRE(t.ok());
  // F0 0..1 | +1 | F1 2..3, F2 3..4 (turn on device 1: free) | +1 | F3 5..6, BW3 6..8 | +1 | BW2 9..11,
  // BW1 11..13 | +1 | BW0 14..16.
  CHECK(t->end.back() == 13);
  CHECK(t->end[3] == 16);
}

TEST_CASE("an overlapped unit waits for the inputs of both halves") {
  // Device 1 runs F0 then OV(F1, BW0); F1's input arrives late because device 0 is slow to send it.
  const Schedule s = two_stage({Action::f(0, 0), Action::f(0, 1), Action::bw(0, 0), Action::bw(0, 1)},
                               {Action::f(1, 0), Action::ov(1, 1, 1, 0), Action::bw(1, 1)}, 2);
  Config c;
  c.num_stages = 2;
  REQUIRE(apply_override(c, "op_times.forward", "[3, 1]").ok());
  REQUIRE(resolve(c).ok());
  Result<Timeline> t = emulate(s, cost_model(c, s));
  REQUIRE(t.ok());
  // F0@s0 0..3, F1@s0 3..6; F0@s1 3..4; OV needs F1@s0 (6) and F0@s1 (4): starts 6, lasts F + BW = 1 + 2.
  CHECK(t->start[5] == 6);
  CHECK(t->end[5] == 9);
}

TEST_CASE("a schedule that can never finish names the stuck ops instead of hanging") {
  // Device 0 wants the backward of stage 1 before it has sent stage 1 its forward.
  const Schedule s = two_stage({Action::bw(0, 0), Action::f(0, 0)}, {Action::f(1, 0), Action::bw(1, 0)});
  Result<Timeline> t = emulate(s, unit_costs(2));
  REQUIRE_FALSE(t.ok());
  CHECK(t.error() ==
        "the schedule can never finish: device 0, op #0 (BW0 s0) waits for F0 s0 on device 0; device 1, op #0 (F0 s1) "
        "waits for F0 s0 on device 0");
}

TEST_CASE("validate_schedule names the first inconsistency") {
  CHECK(validate_schedule(two_stage({Action::f(1, 0), Action::bw(0, 0)}, {Action::f(1, 0), Action::bw(1, 0)})).error() ==
        "device 0, op #0 (F0 s1): stage 1 lives on device 1, not device 0");
  CHECK(validate_schedule(two_stage({Action::f(0, 0), Action::f(0, 0), Action::bw(0, 0)}, {Action::f(1, 0), Action::bw(1, 0)}))
            .error() == "device 0, op #1 (F0 s0): the forward of microbatch 0 at stage 0 is scheduled twice");
  CHECK(validate_schedule(two_stage({Action::f(0, 0), Action::b(0, 0)}, {Action::f(1, 0), Action::bw(1, 0)})).error() ==
        "the schedule runs B but never W for microbatch 0 at stage 0");
  CHECK(validate_schedule(two_stage({Action::f(0, 0), Action::bw(0, 0), Action::w(0, 0)}, {Action::f(1, 0), Action::bw(1, 0)}))
            .error() == "the schedule runs both a full backward and a W for microbatch 0 at stage 0");
  CHECK(validate_schedule(two_stage({Action::f(0, 0), Action::bw(0, 0)}, {Action::f(1, 0)})).error() ==
        "the schedule never runs the backward of microbatch 0 at stage 1");
  CHECK(validate_schedule(two_stage({Action::f(0, 2), Action::bw(0, 0)}, {Action::f(1, 0), Action::bw(1, 0)})).error() ==
        "device 0, op #0 (F2 s0): microbatch 2 is outside 0..0");
}

TEST_CASE("an OpLocator names ops the way the caller's source does") {
  const Schedule s = two_stage({Action::bw(0, 0), Action::f(0, 0)}, {Action::f(1, 0), Action::bw(1, 0)});
  OpLocator cell = [](int device, size_t index) {
    return "row " + std::to_string(device + 1) + ", column " + std::to_string(index + 1);
  };
  Result<Timeline> t = emulate(s, unit_costs(2), cell);
  REQUIRE_FALSE(t.ok());
  CHECK(t.error().find("row 1, column 1 (BW0 s0) waits for F0 s0") != std::string::npos);
}

TEST_CASE("emulate stays linear: 1f1b with 64 devices and 4096 microbatches finishes with the closed form") {
  // Not a timing test: a quadratic emulator would take minutes here, and the figure is checkable.
  Run r = test::run_of({"strategy=1f1b", "num_devices=64", "num_stages=64", "num_batches=4096"});
  CHECK(r.timeline.size() == 64u * 4096u * 2u);
  CHECK(r.metrics.makespan == (4096 + 63) * 3);
}

TEST_CASE("an Action is 12 bytes and holds every stage and microbatch a run may have") {
  static_assert(sizeof(Action) == 12);
  const Limits limits;
  const Action last = Action::ov(limits.max_stages - 1, limits.max_batches - 1, limits.max_stages - 2, limits.max_batches - 2);
  CHECK(last.kind == OpKind::OV);
  CHECK(last.stage == 32767);
  CHECK(last.microbatch == 4194303);
  CHECK(last.stage2 == 32766);
  CHECK(last.microbatch2 == 4194302);
  CHECK(Action::f(3, 7).stage2 == -1);
  CHECK(Action::f(3, 7).microbatch2 == -1);
  // 32768 in 16 bits would be -32768 and 65539 would be 3, a valid stage: anything outside
  // becomes kOutOfRange, which the emulator refuses.
  CHECK(Action::f(65539, 0).stage == Action::kOutOfRange);
  CHECK(Action::f(0, 1 << 23).microbatch == Action::kOutOfRange);
  CHECK(Action::f(-5, 0).stage == Action::kOutOfRange);
  Schedule s = make_schedule(1, linear_placement(1), 1);
  s.device_actions[0] = {Action::f(65536, 0), Action::bw(0, 0)};
  Result<Timeline> t = emulate(s, unit_costs(1));
  REQUIRE_FALSE(t.ok());
  CHECK(t.error() == "device 0, op #0 (F0 s-32768): stage -32768 is outside 0..0");
}
