// DualPipeV: a hand-worked small case, PyTorch's own schedule file op for op, the closed forms of
// the DualPipe README and Victarry's formula.py where their assumptions hold, and constraint errors.
#include <fstream>
#include <sstream>

#include "helpers.h"

using namespace ppemu;

namespace {

// PyTorch's "simple schedule format": `0F3` (stage 0, forward, microbatch 3), `7I0` input backward,
// `7W0`, `7B6` full backward, `(0F7;7B3)OVERLAP_F_B` forward overlapped with a full backward.
std::string pytorch_action(const Action& a) {
  auto one = [](int stage, const char* kind, int mb) { return std::to_string(stage) + kind + std::to_string(mb); };
  switch (a.kind) {
    case OpKind::F: return one(a.stage, "F", a.microbatch);
    case OpKind::B: return one(a.stage, "I", a.microbatch);
    case OpKind::W: return one(a.stage, "W", a.microbatch);
    case OpKind::BW: return one(a.stage, "B", a.microbatch);
    case OpKind::OV: return "(" + one(a.stage, "F", a.microbatch) + ";" + one(a.stage2, "B", a.microbatch2) + ")OVERLAP_F_B";
  }
  return "?";
}

// One row per rank, cells split at commas (this file has no quoting and no empty cells).
std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::vector<std::string> cells;
    std::istringstream cols(line);
    std::string cell;
    while (std::getline(cols, cell, ',')) cells.push_back(cell);
    rows.push_back(cells);
  }
  return rows;
}

// PyTorch test data dualpipev_4rank_10mb.csv (ScheduleDualPipeV, 4 ranks, 10 microbatches), verbatim.
const char* kPyTorchDualPipeV =
    "0F0,0F1,0F2,0F3,0F4,0F5,0F6,7F0,7I0,7W0,7F1,7I1,7W1,7F2,7I2,7W2,7F3,(0F7;7B3)OVERLAP_F_B,(7F4;0B0)OVERLAP_F_B,"
    "(0F8;7B4)OVERLAP_F_B,(7F5;0B1)OVERLAP_F_B,(0F9;7B5)OVERLAP_F_B,(7F6;0B2)OVERLAP_F_B,7B6,(7F7;0B3)OVERLAP_F_B,7B7,"
    "(7F8;0B4)OVERLAP_F_B,7B8,(7F9;0B5)OVERLAP_F_B,7B9,0I6,0W6,0I7,0W7,0I8,0W8,0I9,0W9\n"
    "1F0,1F1,1F2,1F3,1F4,6F0,1F5,6F1,6I0,6W0,6F2,6I1,6W1,6F3,(1F6;6B2)OVERLAP_F_B,(6F4;1B0)OVERLAP_F_B,"
    "(1F7;6B3)OVERLAP_F_B,(6F5;1B1)OVERLAP_F_B,(1F8;6B4)OVERLAP_F_B,(6F6;1B2)OVERLAP_F_B,(1F9;6B5)OVERLAP_F_B,"
    "(6F7;1B3)OVERLAP_F_B,6B6,(6F8;1B4)OVERLAP_F_B,6B7,(6F9;1B5)OVERLAP_F_B,6B8,1B6,6I9,1I7,6W9,1I8,1W7,1I9,1W8,1W9\n"
    "2F0,2F1,2F2,5F0,2F3,5F1,2F4,5F2,5I0,5W0,5F3,(2F5;5B1)OVERLAP_F_B,(5F4;2B0)OVERLAP_F_B,(2F6;5B2)OVERLAP_F_B,"
    "(5F5;2B1)OVERLAP_F_B,(2F7;5B3)OVERLAP_F_B,(5F6;2B2)OVERLAP_F_B,(2F8;5B4)OVERLAP_F_B,(5F7;2B3)OVERLAP_F_B,"
    "(2F9;5B5)OVERLAP_F_B,(5F8;2B4)OVERLAP_F_B,5B6,(5F9;2B5)OVERLAP_F_B,5B7,2B6,5B8,2I7,5I9,2I8,2W7,2I9,5W9,2W8,2W9\n"
    "3F0,4F0,3F1,4F1,3F2,4F2,3F3,4F3,3F4,4B0,(4F4;3B0)OVERLAP_F_B,(3F5;4B1)OVERLAP_F_B,(4F5;3B1)OVERLAP_F_B,"
    "(3F6;4B2)OVERLAP_F_B,(4F6;3B2)OVERLAP_F_B,(3F7;4B3)OVERLAP_F_B,(4F7;3B3)OVERLAP_F_B,(3F8;4B4)OVERLAP_F_B,"
    "(4F8;3B4)OVERLAP_F_B,(3F9;4B5)OVERLAP_F_B,(4F9;3B5)OVERLAP_F_B,4B6,3B6,4B7,3B7,4I8,3I8,4I9,3I9,4W8,3W8,4W9,3W9\n";

Run dualpipe_v(int p, int m, std::initializer_list<std::string> extra = {}) {
  return test::sized_run("dualpipe_v", p, 2 * p, m, extra);
}


}  // namespace

TEST_CASE("dualpipe_v p=2 m=4: the eight phases and the timeline worked out by hand") {
  Run r = dualpipe_v(2, 4);
  // Device d holds stages d (upper case) and 3-d (lower case). Rank 0 (k=0, n=1): F0 x2 | F0 F1 |
  // B1 W F1 | OV(F0,BW1) OV(F1,BW0) | BW1 OV(F1,BW0) | BW1, then B0 split | W B0 | W.
  // Rank 1 (the last): F0 F1 x2 | F0, BW1 apart, OV(F1,BW0) | 2 overlapped pairs | BW1 BW0, then
  // split B1 B0 (odd k switches before B1) | W W.
  CHECK(ascii_order(r.schedule) ==
        "d0: F0 F1 F2 f0 b0 w0 f1 F3&bw1 f2&BW0 bw2 f3&BW1 bw3 B2 W2 B3 W3\n"
        "d1: F0 f0 F1 f1 F2 bw0 f2&BW0 F3&bw1 f3&BW1 bw2 BW2 b3 B3 w3 W3\n");
  // F = B = W = 1, full backward 2, overlapped unit 3 (unset: F + Bf), two columns per unit.
  CHECK(ascii_timeline(r.schedule, r.timeline, 2).value() ==
        "d0 |F0F1F2f0b0w0f1F3&bw1..f2&BW0bw2 ..f3&BW1bw3 B2W2B3W3|\n"
        "d1 |..F0f0F1f1F2bw0 f2&BW0F3&bw1f3&BW1bw2 BW2 ..b3B3w3W3|\n");
  CHECK(r.metrics.makespan == 26);
  CHECK(test::max_idle(r) == 2);                   // (p-1)(F&B + Bf - 3W) = 1 * (3 + 2 - 3)
  CHECK(r.metrics.peak_activations == 5);    // 2p + 1: F0 F1 F2 f0 held, then one more inside F3&bw1
}

TEST_CASE("dualpipe_v p=4 m=10 equals PyTorch's ScheduleDualPipeV schedule file op for op") {
  Run r = dualpipe_v(4, 10);
  const auto expected = csv_rows(kPyTorchDualPipeV);
  REQUIRE(expected.size() == 4);
  for (int d = 0; d < 4; ++d) {
    std::vector<std::string> ours;
    for (const Action& a : r.schedule.device_actions[static_cast<size_t>(d)]) ours.push_back(pytorch_action(a));
    INFO("rank " << d);
    CHECK(ours == expected[static_cast<size_t>(d)]);
  }
  // The copy above is the file PyTorch's tests ship; when the repository holds it too, they agree.
  std::ifstream file(std::string(PPEMU_TEST_DATA_DIR) + "/dualpipev_4rank_10mb.csv");
  if (file) {
    std::stringstream text;
    text << file.rdbuf();
    CHECK(csv_rows(text.str()) == expected);
  }
}

TEST_CASE("dualpipe_v p=4 m=10 F=1 B=2 W=1: makespan 91; the README's bubble 12 is not the idle time 11") {
  // schedules.md §5.4: with B (input) != F the README form overstates the idle time; Victarry's
  // independent emulator also gives 91 for this run.
  Run r = dualpipe_v(4, 10, {"op_times.backward_D=2", "op_times.backward=3"});
  CHECK(r.metrics.makespan == 91);
  CHECK(test::max_idle(r) == 11);
  const Formula& bubble = r.formulas[1];
  CHECK(bubble.quantity == "bubble (max device idle)");
  CHECK(bubble.value == 12);  // (p-1)(F&B + Bf - 3W) = 3 * (4 + 3 - 3)
  CHECK_FALSE(bubble.holds);
}

TEST_CASE("dualpipe_v makespan and bubble equal Victarry's and the README's forms when F = B, W <= F, Bf = B + W") {
  // (F, W, F&B); B = F and Bf = B + W; F&B between perfect overlap max(F, Bf) and none F + Bf.
  auto [F, W, T] = GENERATE(table<double, double, double>(
      {{1, 1, 3}, {1, 1, 2}, {1, 1, 2.5}, {2, 1, 5}, {2, 0.5, 3}, {1, 0.5, 2}, {2, 2, 6}}));
  const int p = GENERATE(1, 2, 3, 4, 6, 8);
  const int m = GENERATE_COPY(values({2 * p, 2 * p + 1, 3 * p, 4 * p + 3}));
  const double B = F, Bf = B + W;
  Run r = dualpipe_v(p, m,
                     {"op_times.forward=" + std::to_string(F), "op_times.backward_D=" + std::to_string(B),
                      "op_times.backward_W=" + std::to_string(W), "op_times.backward=" + std::to_string(Bf),
                      "op_times.overlapped_forward_backward=" + std::to_string(T)});
  INFO("p=" << p << " m=" << m << " F=B=" << F << " W=" << W << " T=" << T);
  // Victarry formula.py, per-chunk times: (p-1)F + 2pF + (2(m-p)-1)T + (p-1)T + (2p-1)B + W + 2Bf + F.
  const double makespan = (p - 1) * F + 2 * p * F + (2 * (m - p) - 1) * T + (p - 1) * T + (2 * p - 1) * B + W + 2 * Bf + F;
  CHECK(r.metrics.makespan == Approx(makespan));
  // README: (PP/2-1)(F&B + B - 3W) with PP = 2p stages and B the full backward.
  CHECK(test::max_idle(r) == Approx((p - 1) * (T + Bf - 3 * W)).margin(1e-9));
  for (const Formula& f : r.formulas) CHECK(f.holds);
}

TEST_CASE("dualpipe_v holds PP+1 = 2p+1 chunk activations on every device (DualPipe README)") {
  const int p = GENERATE(1, 2, 3, 4, 5, 8);
  const int m = GENERATE_COPY(values({2 * p, 2 * p + 3, 4 * p}));
  // Uneven per-stage forwards: the count depends on the op order only.
  std::string forwards = "[";
  for (int s = 0; s < 2 * p; ++s) forwards += (s ? "," : "") + std::to_string(1 + (s % 3) * 0.5);
  Run r = dualpipe_v(p, m, {"op_times.forward=" + forwards + "]"});
  INFO("p=" << p << " m=" << m);
  for (const auto& d : r.metrics.devices) CHECK(d.peak_activations == 2 * p + 1);
}

TEST_CASE("dualpipe_v refuses what DeepSeek and PyTorch refuse and names what works") {
  CHECK(test::error_of({"strategy=dualpipe_v", "num_devices=4", "num_stages=4", "num_batches=8"}) ==
        "dualpipe_v needs num_stages = 2 x num_devices = 8 (got 4): each device holds two stages of a V; "
        "try num_stages=8");
  CHECK(test::error_of({"strategy=dualpipe_v", "num_devices=4", "num_stages=8", "num_batches=7"}) ==
        "dualpipe_v needs num_batches of at least num_stages = 2 x num_devices = 8 (got 7); try num_batches=8");
  // An odd microbatch count is fine (unlike DualPipe, nothing is split between two directions).
  CHECK(dualpipe_v(4, 9).metrics.makespan > 0);
}
