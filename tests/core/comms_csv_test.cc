// PyTorch's schedule CSV dialect with communication actions (SEND_F, RECV_F, SEND_B, RECV_B): a
// RECV holds its rank until its data has arrived, a sync SEND until its RECV is posted.
// Timelines worked out by hand, the compute-only equivalence, and the head-of-line bubble.
#include "helpers.h"
#include "ppemu/pytorch_csv.h"
#include "ppemu/strategy.h"

namespace {

using namespace ppemu;
using Catch::Matchers::Contains;

Run csv_run(const std::string& csv, std::initializer_list<std::string> keys = {}) {
  Result<Run> r = simulate_pytorch_csv(test::config_of(keys), csv);
  INFO(r.error());
  REQUIRE(r.ok());
  return std::move(r).value();
}

std::string csv_error(const std::string& csv, std::initializer_list<std::string> keys = {}) {
  Result<Run> r = simulate_pytorch_csv(test::config_of(keys), csv);
  REQUIRE_FALSE(r.ok());
  return r.error();
}

// A compute-only schedule with each SEND right after the op whose output it sends and each RECV
// right before the op that needs it: the comms dialect of the same order.
std::string with_comms(const Schedule& s) {
  auto name = [](int stage, const char* kind, int mb) { return std::to_string(stage) + kind + std::to_string(mb); };
  std::string out;
  for (int d = 0; d < s.num_devices; ++d) {
    std::string row;
    auto cell = [&](const std::string& c) { row += (row.empty() ? "" : ",") + c; };
    auto remote = [&](int stage) { return stage >= 0 && s.stage_device[static_cast<size_t>(stage)] != d; };
    for (const Action& a : s.device_actions[static_cast<size_t>(d)]) {
      const bool ov = a.kind == OpKind::OV;
      const int f_stage = a.kind == OpKind::F || ov ? a.stage : -1, f_mb = a.microbatch;
      const int b_stage = a.kind == OpKind::B || a.kind == OpKind::BW ? a.stage : ov ? a.stage2 : -1;
      const int b_mb = ov ? a.microbatch2 : a.microbatch;
      if (f_stage >= 0 && remote(s.prev_stage(f_stage))) cell(name(f_stage, "RECV_F", f_mb));
      if (b_stage >= 0 && remote(s.next_stage(b_stage))) cell(name(b_stage, "RECV_B", b_mb));
      switch (a.kind) {
        case OpKind::F: cell(name(a.stage, "F", a.microbatch)); break;
        case OpKind::B: cell(name(a.stage, "I", a.microbatch)); break;
        case OpKind::W: cell(name(a.stage, "W", a.microbatch)); break;
        case OpKind::BW: cell(name(a.stage, "B", a.microbatch)); break;
        case OpKind::OV: cell("(" + name(a.stage, "F", a.microbatch) + ";" + name(a.stage2, "B", a.microbatch2) + ")OVERLAP_F_B"); break;
      }
      if (f_stage >= 0 && remote(s.next_stage(f_stage))) cell(name(f_stage, "SEND_F", f_mb));
      if (b_stage >= 0 && remote(s.prev_stage(b_stage))) cell(name(b_stage, "SEND_B", b_mb));
    }
    out += row + "\n";
  }
  return out;
}

// Two ranks, one stage each, both forwards then both full backwards (F 1, BW 2, latency 1).
const std::string kGpipe =
    "0F0,0SEND_F0,0F1,0SEND_F1,0RECV_B0,0B0,0RECV_B1,0B1\n"
    "1RECV_F0,1F0,1RECV_F1,1F1,1B0,1SEND_B0,1B1,1SEND_B1\n";

}  // namespace

TEST_CASE("comms CSV, async: a RECV waits for its SEND plus p2p_latency, as the compute-only model charges it") {
  Run r = csv_run(kGpipe, {"p2p_latency=1"});
  // d0: F0 0..1 (sent at 1, arrives 2), F1 1..2; d1: RECV_F0 until 2, F0 2..3, RECV_F1 (arrived 3), F1 3..4,
  // BW0 4..6 (sent at 6, arrives 7), BW1 6..8 (arrives 9); d0: RECV_B0 until 7, BW0 7..9, RECV_B1 until 9, BW1 9..11.
  CHECK(r.timeline.start == std::vector<double>{0, 1, 7, 9, 2, 3, 4, 6});
  CHECK(r.timeline.comm_offset == std::vector<uint32_t>{0, 4, 8});
  CHECK(r.timeline.comm_start == std::vector<double>{1, 2, 2, 9, 0, 3, 6, 8});
  CHECK(r.timeline.comm_end == std::vector<double>{1, 2, 7, 9, 2, 3, 6, 8});
  // The same order without its comms: the same times.
  CHECK(csv_run("0F0,0F1,0B0,0B1\n1F0,1F1,1B0,1B1\n", {"p2p_latency=1"}).timeline.start == r.timeline.start);
}

TEST_CASE("comms CSV, sync: a SEND holds its rank until the RECV is posted and the transfer is over") {
  Run r = csv_run(kGpipe, {"p2p_latency=1", "p2p_mode=sync"});
  // d0: F0 0..1; SEND_F0 (RECV_F0 posted at 0) holds d0 until 1+1 = 2; F1 2..3; SEND_F1 waits for
  // d1 to post RECV_F1 at 3, holds until 4. d1: RECV_F0 until 2, F0 2..3, RECV_F1 until 4, F1 4..5,
  // BW0 5..7, SEND_B0 (posted at 4) until 8, BW1 8..10, SEND_B1 waits for d0 to post RECV_B1 at 10,
  // until 11. d0: RECV_B0 until 8, BW0 8..10, RECV_B1 until 11, BW1 11..13. Makespan 13, the same
  // as p2p_mode=sync on the compute-only order (p2p_mode_test.cc works that one out).
  CHECK(r.timeline.start == std::vector<double>{0, 2, 8, 11, 2, 4, 5, 8});
  CHECK(r.metrics.makespan == 13);
  CHECK(csv_run("0F0,0F1,0B0,0B1\n1F0,1F1,1B0,1B1\n", {"p2p_latency=1", "p2p_mode=sync"}).timeline.start == r.timeline.start);
}

TEST_CASE("comms CSV with each RECV right before its consumer times every strategy as its compute-only order") {
  int checked = 0;
  for (const Strategy* strategy : strategies())
    for (int stages : {4, 8}) {
      Config c = test::config_of({"strategy=" + std::string(strategy->name), "num_devices=4", "num_stages=" + std::to_string(stages),
                                  "num_batches=8", "p2p_latency=0.25", "op_times.forward=1.25", "op_times.backward_W=0.5"});
      Result<Run> plain = simulate(c);
      if (!plain.ok() || plain->schedule.num_chains != 1) continue;
      INFO(strategy->name << " on " << stages << " stages");
      Result<Run> comms = simulate_pytorch_csv(c, with_comms(plain->schedule));
      INFO(comms.error());
      REQUIRE(comms.ok());
      CHECK(comms->timeline.start == plain->timeline.start);
      CHECK(comms->timeline.end == plain->timeline.end);
      ++checked;
    }
  CHECK(checked >= 12);
}

TEST_CASE("comms CSV: RECVs posted early in an interleaved warm-up make a head-of-line bubble") {
  // Two ranks, four stages interleaved (rank 0: 0 and 2, rank 1: 1 and 3), F 1, BW 2, no latency;
  // forwards communicate, backwards are timed from their compute dependencies.
  const std::string rank0 = "0F0,0SEND_F0,0F1,0SEND_F1,2RECV_F0,2F0,2SEND_F0,2RECV_F1,2F1,2SEND_F1,2B0,2B1,0B0,0B1\n";
  const std::string late = "1RECV_F0,1F0,1SEND_F0,1RECV_F1,1F1,1SEND_F1,3RECV_F0,3F0,3B0,3RECV_F1,3F1,3B1,1B0,1B1\n";
  const std::string early = "1RECV_F0,1F0,1SEND_F0,3RECV_F0,1RECV_F1,1F1,1SEND_F1,3F0,3B0,3RECV_F1,3F1,3B1,1B0,1B1\n";
  Run a = csv_run(rank0 + late);
  // Rank 1, late RECVs: F0 1..2, F1 2..3 (its input arrived at 2), F0 s3 3..4, ..., makespan 15.
  CHECK(a.timeline.start[a.timeline.device_offset[1] + 1] == 2);
  CHECK(a.metrics.makespan == 15);
  Run b = csv_run(rank0 + early);
  // Rank 1 posts 3RECV_F0 at 2 and waits there until rank 0 sends 2F0's output at 3; 1F1, whose
  // input has been there since 2, waits behind it: rank 1 idles 2..3 and everything after moves.
  CHECK(b.timeline.start[b.timeline.device_offset[1] + 1] == 3);
  CHECK(b.timeline.comm_start[b.timeline.comm_offset[1] + 2] == 2);
  CHECK(b.timeline.comm_end[b.timeline.comm_offset[1] + 2] == 3);
  CHECK(b.metrics.makespan == 16);
  // The compute-only reading of the same order has no such wait.
  CHECK(csv_run("0F0,0F1,2F0,2F1,2B0,2B1,0B0,0B1\n1F0,1F1,3F0,3B0,3F1,3B1,1B0,1B1\n").metrics.makespan == 15);
  // The CSV writer puts the actions back where they were.
  CHECK(to_pytorch_csv(b.schedule).value() == rank0 + early);
}

TEST_CASE("comms CSV errors name the cell") {
  CHECK(csv_error("0F0,0SEND_F0,0B0\n1F0,1B0\n") == "row 1, column 2 (0SEND_F0) has no matching 1RECV_F0 on device 1 (in ppemu's names device d is row d+1)");
  CHECK(csv_error("0F0,0B0\n1RECV_F0,1F0,1B0\n") == "row 2, column 1 (1RECV_F0) has no matching 0SEND_F0 on device 0 (in ppemu's names device d is row d+1)");
  CHECK(csv_error("0SEND_F0,0F0,0B0\n1RECV_F0,1F0,1B0\n") ==
        "row 1, column 1 (0SEND_F0) comes before the forward of microbatch 0 at stage 0, whose output it sends");
  CHECK(csv_error("0F0,0SEND_F0,0B0\n1F0,1RECV_F0,1B0\n") ==
        "row 2, column 2 (1RECV_F0) comes after the forward of microbatch 0 at stage 1, which needs its data");
  CHECK(csv_error("0F0,0B0,0SEND_B0\n1F0,1B0\n") == "row 1, column 3 (0SEND_B0): stage 0 has no stage to send to in this direction");
  // Rendezvous sends deadlock an order that async sends run: rank 0's second SEND waits for rank 1
  // to post its RECV, which comes after rank 1's own SEND, which waits for rank 0's RECV.
  const std::string crossed = "0F0,0SEND_F0,0F1,0SEND_F1,2RECV_F0,2F0,2F1,2B0,2B1,0B0,0B1\n1RECV_F0,1F0,1SEND_F0,1RECV_F1,1F1,3F0,3B0,3F1,3B1,1B0,1B1\n";
  CHECK(csv_run(crossed, {"p2p_latency=0.5"}).metrics.makespan > 0);
  CHECK_THAT(csv_error(crossed, {"p2p_latency=0.5", "p2p_mode=sync"}),
             Contains("the schedule can never finish: row 1, column 4 (0SEND_F1) waits for 1RECV_F1 on device 1 to be posted; row 2, column 3 "
                      "(1SEND_F0) waits for 2RECV_F0 on device 0 to be posted"));
  CHECK_THAT(csv_error("0RECV_B0,0F0,0SEND_F0,0B0\n1RECV_F0,1F0,1B0,1SEND_B0\n"),
             Contains("the schedule can never finish: row 1, column 1 (0RECV_B0) waits for 1SEND_B0 on device 1; row 2, column 1 (1RECV_F0) "
                      "waits for 0SEND_F0 on device 0"));
}
