// DualPipe: placement of the two directions, hand-worked small cases, the README's closed forms
// where their assumptions hold, the mirror symmetry of the two halves, and constraint errors.
#include "helpers.h"

using namespace ppemu;

namespace {

Run dualpipe(int p, int m, std::initializer_list<std::string> extra = {}) { return test::sized_run("dualpipe", p, p, m, extra); }


}  // namespace

TEST_CASE("dualpipe p=4 m=8 places chain 0 on devices 0..3 and chain 1 on devices 3..0") {
  Run r = dualpipe(4, 8);
  CHECK(r.schedule.num_chains == 2);
  CHECK(r.schedule.num_stages == 8);
  CHECK(r.schedule.stage_device == std::vector<int32_t>{0, 1, 2, 3, 3, 2, 1, 0});
  CHECK(r.schedule.microbatch_chain == std::vector<int32_t>{0, 0, 0, 0, 1, 1, 1, 1});
}

TEST_CASE("dualpipe p=2 m=4: order and timeline worked out by hand") {
  Run r = dualpipe(2, 4);
  // Both ranks are middle ranks (half_rank 0 of 1): F0 F1 | F0, BW1 apart | OV(F1, BW0) | BW1, then
  // B0 split | W. Device 0 holds stage 0 (upper, chain 0: mb 0, 1) and stage 3 (lower, chain 1:
  // mb 2, 3); device 1 holds stage 1 (upper, chain 0) and stage 2 (lower, chain 1), and its phase 0
  // is chain 1, which enters on its side.
  CHECK(ascii_order(r.schedule) ==
        "d0: F0 f2 F1 bw2 f3&BW0 bw3 B1 W1\n"
        "d1: f2 F0 f3 BW0 F1&bw2 BW1 b3 w3\n");
  // F = B = W = 1, full backward 2, overlapped unit 3: no device ever waits.
  CHECK(ascii_timeline(r.schedule, r.timeline, 2).value() ==
        "d0 |F0f2F1bw2 f3&BW0bw3 B1W1|\n"
        "d1 |f2F0f3BW0 F1&bw2BW1 b3w3|\n");
  CHECK(r.metrics.makespan == 12);
  CHECK(r.metrics.peak_activations == 3);  // PP + 1: F0 f2 F1 held, then f3&BW0 adds one while it runs
}

TEST_CASE("dualpipe p=4 m=8: each rank's eight phases worked out by hand") {
  Run r = dualpipe(4, 8);
  // Device d: upper case = the lower-numbered of its two stages. Chain 0 (mb 0-3) runs stages 0..3,
  // chain 1 (mb 4-7) stages 4..7 = devices 3..0. Ranks 0 and 3 (half_rank 0): F0 x2 | F0 F1 |
  // B1 W F1 | OV OV | BW1 OV | BW1, split B0 | W, split B0 | W. Ranks 1 and 2 (middle): F0 F1 x2 |
  // F0, BW1 apart, OV | OV OV | BW1 BW0, split B1 B0 | W W.
  CHECK(ascii_order(r.schedule) ==
        "d0: F0 F1 F2 f4 b4 w4 f5 F3&bw5 f6&BW0 bw6 f7&BW1 bw7 B2 W2 B3 W3\n"
        "d1: F0 f4 F1 f5 F2 bw4 f6&BW0 F3&bw5 f7&BW1 bw6 BW2 b7 B3 w7 W3\n"
        "d2: f4 F0 f5 F1 f6 BW0 F2&bw4 f7&BW1 F3&bw5 BW2 bw6 B3 b7 W3 w7\n"
        "d3: f4 f5 f6 F0 B0 W0 F1 f7&BW1 F2&bw4 BW2 F3&bw5 BW3 b6 w6 b7 w7\n");
}

TEST_CASE("dualpipe's two halves mirror each other: device d and p-1-d start every op at the same time") {
  const int p = GENERATE(2, 4, 6, 8);
  const int m = GENERATE_COPY(values({2 * p, 2 * p + 2, 4 * p}));
  // Uneven stage times: model stage k costs the same in both directions, so the mirror holds.
  std::string forwards = "[";
  for (int s = 0; s < p; ++s) forwards += (s ? "," : "") + std::to_string(1 + 0.25 * s);
  Run r = dualpipe(p, m, {"op_times.forward=" + forwards + "]", "p2p_latency=0.5"});
  INFO("p=" << p << " m=" << m);
  const Timeline& tl = r.timeline;
  for (int d = 0; d < p / 2; ++d) {
    const uint32_t a = tl.device_offset[static_cast<size_t>(d)], b = tl.device_offset[static_cast<size_t>(p - 1 - d)];
    REQUIRE(tl.device_offset[static_cast<size_t>(d) + 1] - a == tl.device_offset[static_cast<size_t>(p - d)] - b);
    for (uint32_t i = 0; a + i < tl.device_offset[static_cast<size_t>(d) + 1]; ++i) {
      CHECK(tl.kind[a + i] == tl.kind[b + i]);
      CHECK(tl.start[a + i] == Approx(tl.start[b + i]));
    }
  }
}

TEST_CASE("dualpipe p=4 m=10 F=1 B=2 W=1 Bf=3: makespan 43, 44.2 with latency 0.1") {
  // schedules.md §5.12: DualPipe loses more than 2(p-1)c to a latency of 0.1.
  CHECK(dualpipe(4, 10, {"op_times.backward_D=2", "op_times.backward=3"}).metrics.makespan == 43);
  CHECK(dualpipe(4, 10, {"op_times.backward_D=2", "op_times.backward=3", "p2p_latency=0.1"}).metrics.makespan ==
        Approx(44.2));
}

TEST_CASE("dualpipe bubble is the README's (PP/2-1)(F&B+B-3W) with PP = p when F = B, W <= F, Bf = B + W") {
  // (F, W, F&B); B = F, Bf = B + W, F&B between perfect overlap max(F, Bf) and none F + Bf.
  auto [F, W, T] = GENERATE(table<double, double, double>({{1, 1, 3}, {1, 1, 2}, {2, 1, 4}, {2, 0.5, 3.5}, {1, 0.5, 1.5}}));
  const int p = GENERATE(2, 4, 6, 8);
  const int m = GENERATE_COPY(values({2 * p, 2 * p + 2, 4 * p + 2}));
  Run r = dualpipe(p, m,
                   {"op_times.forward=" + std::to_string(F), "op_times.backward_D=" + std::to_string(F),
                    "op_times.backward_W=" + std::to_string(W), "op_times.backward=" + std::to_string(F + W),
                    "op_times.overlapped_forward_backward=" + std::to_string(T)});
  INFO("p=" << p << " m=" << m << " F=B=" << F << " W=" << W << " T=" << T);
  CHECK(test::max_idle(r) == Approx((p / 2 - 1) * (T + (F + W) - 3 * W)).margin(1e-9));
  for (const Formula& f : r.formulas) CHECK(f.holds);
}

TEST_CASE("dualpipe's README bubble fails when the overlapped unit costs more than running apart") {
  // p=8 m=16, F = B = W = 1, Bf = 2, F&B = 4 > F + Bf. An end rank runs 2M-3N+1 = 5 overlapped units
  // (M = m/2, N = p/2), a middle rank 2M-2N-1 = 7, each 1 longer than its halves apart: the middle
  // ranks are the busiest and idle the README's 3*(4+2-3) = 9, the end ranks idle 11.
  Run r = dualpipe(8, 16, {"op_times.overlapped_forward_backward=4"});
  CHECK(r.metrics.makespan == 64);
  CHECK(r.metrics.devices[3].idle == 9);
  CHECK(r.metrics.devices[0].idle == 11);
  CHECK(r.formulas[0].value == 9);
  CHECK_FALSE(r.formulas[0].holds);
}

TEST_CASE("dualpipe holds PP+1 = p+1 stage activations on every device (DualPipe README)") {
  const int p = GENERATE(2, 4, 6, 8);
  const int m = GENERATE_COPY(values({2 * p, 2 * p + 4, 4 * p}));
  Run r = dualpipe(p, m, {"op_times.backward_D=2", "op_times.backward=3.5"});
  INFO("p=" << p << " m=" << m);
  for (const auto& d : r.metrics.devices) CHECK(d.peak_activations == p + 1);
}

TEST_CASE("dualpipe refuses what DeepSeek's DualPipe asserts and names what works") {
  CHECK(test::error_of({"strategy=dualpipe", "num_devices=3", "num_stages=3", "num_batches=8"}) ==
        "dualpipe needs an even num_devices (got 3): the two directions meet between the two middle devices; "
        "try num_devices=4 and num_stages=4");
  CHECK(test::error_of({"strategy=dualpipe", "num_devices=4", "num_stages=8", "num_batches=8"}) ==
        "dualpipe needs num_stages equal to num_devices (got 8 stages on 4 devices): both directions run every "
        "model stage; try num_stages=4, or strategy=dualpipe_v for 2 stages per device in a V");
  CHECK(test::error_of({"strategy=dualpipe", "num_devices=4", "num_stages=4", "num_batches=6"}) ==
        "dualpipe needs an even num_batches of at least 2 x num_devices = 8 (got 6); try num_batches=8");
  CHECK(test::error_of({"strategy=dualpipe", "num_devices=4", "num_stages=4", "num_batches=9"}) ==
        "dualpipe needs an even num_batches of at least 2 x num_devices = 8 (got 9); try num_batches=10");
}
