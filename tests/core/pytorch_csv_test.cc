// PyTorch schedule CSV import/export: the real DualPipeV file from PyTorch's tests, round trips
// of every single-chain strategy, the two dialects, and one-line row/column errors.
#include <fstream>
#include <random>
#include <sstream>

#include "helpers.h"
#include "ppemu/pytorch_csv.h"
#include "ppemu/strategy.h"

namespace {

using namespace ppemu;
using Catch::Matchers::Contains;

std::string data_file(const std::string& name) {
  std::ifstream in(std::string(PPEMU_TEST_DATA_DIR) + "/" + name, std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

ImportedSchedule import_of(const std::string& text, CsvDialect dialect = CsvDialect::Auto) {
  Result<ImportedSchedule> r = read_pytorch_csv(text, dialect);
  INFO(r.error());
  REQUIRE(r.ok());
  return std::move(r).value();
}

Run csv_run_of(const std::string& text, std::initializer_list<std::string> assignments,
               CsvDialect dialect = CsvDialect::Auto) {
  Result<Run> r = simulate_pytorch_csv(test::config_of(assignments), text, dialect);
  INFO(r.error());
  REQUIRE(r.ok());
  return std::move(r).value();
}

std::string csv_error_of(const std::string& text, CsvDialect dialect = CsvDialect::Auto) {
  Result<Run> r = simulate_pytorch_csv(Config{}, text, dialect);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().find('\n') == std::string::npos);
  return r.error();
}


void require_same_timeline(const Timeline& a, const Timeline& b) {
  REQUIRE(a.device_offset == b.device_offset);
  REQUIRE(a.device == b.device);
  REQUIRE(a.stage == b.stage);
  REQUIRE(a.microbatch == b.microbatch);
  REQUIRE(a.kind == b.kind);
  REQUIRE(a.stage2 == b.stage2);
  REQUIRE(a.microbatch2 == b.microbatch2);
  REQUIRE(a.start == b.start);
  REQUIRE(a.end == b.end);
}

const char* kDualPipeV = "dualpipev_4rank_10mb.csv";

}  // namespace

TEST_CASE("read_pytorch_csv reads PyTorch's DualPipeV file as 4 ranks holding a V of 8 stages, 10 microbatches") {
  const ImportedSchedule imp = import_of(data_file(kDualPipeV));
  const Schedule& s = imp.schedule;
  CHECK(imp.dialect == CsvDialect::Current);  // it uses I
  CHECK(s.num_devices == 4);
  CHECK(s.num_stages == 8);
  CHECK(s.num_microbatches == 10);
  CHECK(s.num_chains == 1);
  CHECK(s.stage_device == v_placement(4));  // rank r holds stages r and 7 - r
  // Row lengths: 20 F and 20 backward halves per rank, fewer cells where OVERLAP_F_B pairs them.
  CHECK(s.device_actions[0].size() == 38);  // 9 OVERLAP_F_B + 29 single actions
  CHECK(s.device_actions[3].size() == 33);  // 11 + 22
  // Row 1 opens 0F0 ... 0F6, 7F0, 7I0, 7W0; column 18 is (0F7;7B3)OVERLAP_F_B.
  CHECK(s.device_actions[0][0] == Action::f(0, 0));
  CHECK(s.device_actions[0][7] == Action::f(7, 0));
  CHECK(s.device_actions[0][8] == Action::b(7, 0));
  CHECK(s.device_actions[0][9] == Action::w(7, 0));
  CHECK(s.device_actions[0][17] == Action::ov(0, 7, 7, 3));
  CHECK(s.device_actions[0][23] == Action::bw(7, 6));
  CHECK(imp.locator()(0, 17) == "row 1, column 18");
  CHECK(imp.locator()(3, 0) == "row 4, column 1");
}

TEST_CASE("simulate_pytorch_csv times the DualPipeV file as DualPipeV's closed forms say") {
  const std::string text = data_file(kDualPipeV);
  // F = B = W = 1, full backward 2, F&B unit = F + full backward = 3: every rank works
  // 20 F + 20 full backward = 20 + 40 = 60. README bubble (PP/2-1)(F&B + B - 3W), PP = 8 stages:
  // 3 (3 + 2 - 3) = 6. Victarry's makespan (p-1)F + 2pF + (2(m-p)-1)T + (p-1)T + (2p-1)B + W + 2Bf + F
  // with p = 4, m = 10, T = 3: 3 + 8 + 33 + 9 + 7 + 1 + 4 + 1 = 66 = 60 + 6.
  Run run = csv_run_of(text, {"op_times.forward=1", "op_times.backward_D=1", "op_times.backward_W=1", "op_times.backward=2"});
  CHECK(run.config.strategy == std::string(kImportedStrategyName));
  CHECK(run.config.num_devices == 4);
  CHECK(run.config.num_stages == 8);
  CHECK(run.config.num_batches == 10);
  for (const DeviceMetrics& d : run.metrics.devices) CHECK(d.busy == 60);
  CHECK(test::max_idle(run) == 6);
  CHECK(run.metrics.makespan == 66);
  // README activation per device: PP + 1 = 9 stage activations.
  CHECK(run.metrics.peak_activations == 9);

  // Perfect overlap, F&B = max(F, full backward) = 2: 3 + 8 + 22 + 6 + 7 + 1 + 4 + 1 = 52.
  run = csv_run_of(text, {"op_times.backward=2", "op_times.overlapped_forward_backward=2"});
  CHECK(run.metrics.makespan == 52);

  // F = B = 2, W = 1, full backward 3, T = 5: 6 + 16 + 55 + 15 + 14 + 1 + 6 + 2 = 115; busy 20·2 + 20·3 = 100.
  run = csv_run_of(text, {"op_times.forward=2", "op_times.backward_D=2", "op_times.backward_W=1", "op_times.backward=3"});
  CHECK(run.metrics.makespan == 115);
  for (const DeviceMetrics& d : run.metrics.devices) CHECK(d.busy == 100);
}

TEST_CASE("the DualPipeV file equals ppemu's dualpipe_v p=4 m=10 op for op") {
  const Strategy* dualpipe_v = find_strategy("dualpipe_v");
  if (!dualpipe_v) {
    WARN("dualpipe_v is not registered in this build; skipping the comparison");
    return;
  }
  const Run ours = test::run_of({"strategy=dualpipe_v", "num_devices=4", "num_stages=8", "num_batches=10"});
  const ImportedSchedule imp = import_of(data_file(kDualPipeV));
  REQUIRE(ours.schedule.num_chains == 1);
  CHECK(imp.schedule.stage_device == ours.schedule.stage_device);
  CHECK(ascii_order(imp.schedule) == ascii_order(ours.schedule));  // readable when it fails
  for (int d = 0; d < 4; ++d) {
    INFO("rank " << d);
    CHECK(imp.schedule.device_actions[static_cast<size_t>(d)] == ours.schedule.device_actions[static_cast<size_t>(d)]);
  }
  // So our export writes PyTorch's file back byte for byte.
  Result<std::string> csv = to_pytorch_csv(ours.schedule);
  REQUIRE(csv.ok());
  CHECK(csv.value() == data_file(kDualPipeV));
}

TEST_CASE("to_pytorch_csv writes the current dialect: I input backward, B full backward, OVERLAP_F_B") {
  // 1F1B, 2 ranks, 3 microbatches: rank 0 warms up one forward, rank 1 none.
  Result<std::string> a = to_pytorch_csv(test::run_of({"strategy=1f1b", "num_devices=2", "num_stages=2", "num_batches=3"}).schedule);
  REQUIRE(a.ok());
  CHECK(a.value() == "0F0,0F1,0B0,0F2,0B1,0B2\n1F0,1B0,1F1,1B1,1F2,1B2\n");

  Schedule s = make_schedule(2, linear_placement(2), 2);
  s.device_actions[0] = {Action::f(0, 0), Action::f(0, 1), Action::b(0, 0), Action::w(0, 0), Action::bw(0, 1)};
  s.device_actions[1] = {Action::f(1, 0), Action::ov(1, 1, 1, 0), Action::bw(1, 1)};
  Result<std::string> b = to_pytorch_csv(s);
  REQUIRE(b.ok());
  CHECK(b.value() == "0F0,0F1,0I0,0W0,0B1\n1F0,(1F1;1B0)OVERLAP_F_B,1B1\n");
}

TEST_CASE("to_pytorch_csv refuses what a PyTorch CSV cannot hold") {
  Schedule two = make_schedule(2, {0, 1, 1, 0}, 2);
  two.num_chains = 2;  // DualPipe: a second chain runs the other way
  two.microbatch_chain = {0, 1};
  two.device_actions[0] = {Action::f(0, 0), Action::f(3, 1)};
  two.device_actions[1] = {Action::f(1, 0), Action::f(2, 1)};
  Result<std::string> r = to_pytorch_csv(two);
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error(), Contains("2 chains") && Contains("cannot be written as CSV"));

  Schedule idle = make_schedule(2, {0, 0}, 1);
  idle.device_actions[0] = {Action::f(0, 0), Action::f(1, 0), Action::bw(1, 0), Action::bw(0, 0)};
  r = to_pytorch_csv(idle);
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error(), Contains("device 1 runs no ops"));

  if (const Strategy* dualpipe = find_strategy("dualpipe")) {
    Config c = test::config_of({"strategy=dualpipe", "num_devices=4", "num_stages=4", "num_batches=8"});
    Result<Schedule> s = dualpipe->generate(c);
    REQUIRE(s.ok());
    CHECK_FALSE(to_pytorch_csv(s.value()).ok());
  }
}

TEST_CASE("every single-chain strategy survives strategy -> CSV -> import with the identical timeline") {
  int checked = 0, two_chain = 0;
  for (const Strategy* strategy : strategies()) {
    for (int p : {1, 2, 4}) {
      for (int stages : {p, 2 * p}) {
        for (int m : {1, 3, p, 2 * p, 2 * p + 3}) {
          const std::string name = strategy->name;
          // Uneven per-stage times and a latency, so a wrong placement or order would show in the times.
          std::string times = "[";
          for (int s = 0; s < stages; ++s) times += (s ? "," : "") + std::to_string(1 + (s % 3) * 0.5);
          times += "]";
          Config c = test::config_of({"strategy=" + name, "num_devices=" + std::to_string(p),
                                      "num_stages=" + std::to_string(stages), "num_batches=" + std::to_string(m),
                                      "op_times.forward=" + times, "op_times.backward_D=" + times, "p2p_latency=0.25"});
          Result<Run> original = simulate(c);
          if (!original.ok()) continue;  // the strategy refuses this size
          INFO(name << " p=" << p << " stages=" << stages << " m=" << m);
          const Schedule& s = original->schedule;
          Result<std::string> csv = to_pytorch_csv(s);
          if (s.num_chains != 1) {
            CHECK_FALSE(csv.ok());
            ++two_chain;
            continue;
          }
          INFO(csv.error());
          REQUIRE(csv.ok());
          const ImportedSchedule imp = import_of(csv.value(), CsvDialect::Current);
          REQUIRE(imp.schedule.num_devices == s.num_devices);
          REQUIRE(imp.schedule.num_stages == s.num_stages);
          REQUIRE(imp.schedule.num_microbatches == s.num_microbatches);
          REQUIRE(imp.schedule.stage_device == s.stage_device);
          REQUIRE(imp.schedule.device_actions == s.device_actions);
          // Auto detection reads our own files as the current dialect, whatever the kinds used.
          REQUIRE(import_of(csv.value()).schedule.device_actions == s.device_actions);
          Result<Run> again = simulate_pytorch_csv(c, csv.value());
          INFO(again.error());
          REQUIRE(again.ok());
          require_same_timeline(again->timeline, original->timeline);
          CHECK(again->metrics.makespan == original->metrics.makespan);
          ++checked;
        }
      }
    }
  }
  CHECK(checked > 40);
  if (find_strategy("dualpipe")) CHECK(two_chain > 0);
}

TEST_CASE("read_pytorch_csv accepts a BOM, CRLF, spaces, quotes, idle cells, trailing commas and blank last lines") {
  const std::string clean = "0F0,0F1,0B0,0B1\n1F0,1B0,1F1,1B1\n";
  const std::string messy = "\xEF\xBB\xBF 0F0 ,\"0F1\", ,0B0,0B1,,\r\n1F0,1B0,\t1F1 , \"1B1\" \r\n\r\n  ,\n";
  const ImportedSchedule a = import_of(clean), b = import_of(messy);
  CHECK(b.schedule.num_devices == 2);
  CHECK(b.schedule.device_actions == a.schedule.device_actions);
  CHECK(b.schedule.stage_device == a.schedule.stage_device);
  // Columns count the idle cell: 0B0 is in column 4.
  CHECK(b.locator()(0, 2) == "row 1, column 4");
  CHECK(b.locator()(1, 3) == "row 2, column 4");
  // An old-Mac CR-only file reads the same.
  CHECK(import_of("0F0,0F1,0B0,0B1\r1F0,1B0,1F1,1B1").schedule.device_actions == a.schedule.device_actions);
}

TEST_CASE("read_pytorch_csv tells the legacy dialect (B input backward, BW full backward) from the current one") {
  // Current: B is the full backward.
  ImportedSchedule imp = import_of("0F0,0B0\n");
  CHECK(imp.dialect == CsvDialect::Current);
  CHECK(imp.schedule.device_actions[0] == std::vector<Action>{Action::f(0, 0), Action::bw(0, 0)});
  // BW only exists in the legacy dialect.
  imp = import_of("0F0,0F1,0BW0,0B1,0W1\n");
  CHECK(imp.dialect == CsvDialect::Legacy);
  CHECK(imp.schedule.device_actions[0] ==
        std::vector<Action>{Action::f(0, 0), Action::f(0, 1), Action::bw(0, 0), Action::b(0, 1), Action::w(0, 1)});
  // B and W of the same (stage, microbatch), no I anywhere: the legacy split backward.
  imp = import_of("0F0,0B0,0W0\n");
  CHECK(imp.dialect == CsvDialect::Legacy);
  CHECK(imp.schedule.device_actions[0] == std::vector<Action>{Action::f(0, 0), Action::b(0, 0), Action::w(0, 0)});
  // An I makes it current, even beside a B.
  imp = import_of("0F0,0F1,0I0,0W0,0B1\n");
  CHECK(imp.dialect == CsvDialect::Current);
  CHECK(imp.schedule.device_actions[0].back() == Action::bw(0, 1));
  // The legacy file written back is the current dialect: a converter.
  Result<std::string> csv = to_pytorch_csv(import_of("0F0,0B0,0W0\n1F0,1BW0\n").schedule);
  REQUIRE(csv.ok());
  CHECK(csv.value() == "0F0,0I0,0W0\n1F0,1B0\n");
  // Forcing a dialect overrides the detection.
  imp = import_of("0F0,0B0,0W0\n", CsvDialect::Current);
  CHECK(imp.schedule.device_actions[0][1] == Action::bw(0, 0));
  CHECK_THAT(csv_error_of("0F0,0B0,0W0\n", CsvDialect::Current), Contains("both a full backward and a W"));
  CHECK(csv_error_of("0F0,0B0\n", CsvDialect::Legacy) == "the schedule runs B but never W for microbatch 0 at stage 0");
  // The emulator speaks ppemu's names; for a current-dialect file the message carries the key.
  CHECK(csv_error_of("0F0,0I0\n") ==
        "the schedule runs B but never W for microbatch 0 at stage 0 (in ppemu's names B is the file's I and BW the file's B)");
}

TEST_CASE("parse_csv_dialect takes auto, current and legacy") {
  CHECK(parse_csv_dialect("auto").value() == CsvDialect::Auto);
  CHECK(parse_csv_dialect("current").value() == CsvDialect::Current);
  CHECK(parse_csv_dialect("legacy").value() == CsvDialect::Legacy);
  CHECK(parse_csv_dialect("new").error() == "the CSV dialect must be auto, current or legacy (got 'new')");
}

TEST_CASE("malformed files fail with one line naming the row, the column and the text") {
  struct Case {
    const char* text;
    CsvDialect dialect;
    const char* message;
  };
  const Case cases[] = {
      {"0F0,0X0\n", CsvDialect::Auto,
       "row 1, column 2: unknown action kind 'X' in '0X0'; expected F, I, B, W (or BW in the legacy dialect)"},
      {"0F0,zz\n", CsvDialect::Auto, "row 1, column 2: 'zz' is not an action; expected <stage><kind><microbatch>"},
      {"0F0,0B\n", CsvDialect::Auto, "row 1, column 2: '0B' has no microbatch number"},
      {"0F0,0B0x\n", CsvDialect::Auto, "row 1, column 2: unexpected 'x' after the microbatch in '0B0x'"},
      {"0F0,F0\n", CsvDialect::Auto, "row 1, column 2: 'F0' is not an action"},
      {"0F0,0UNSHARD\n", CsvDialect::Auto, "row 1, column 2: '0UNSHARD' is an FSDP action (UNSHARD, RESHARD, REDUCE_GRAD)"},
      {"0F0\n1F0,(0F1;1B0)OVERLAP\n", CsvDialect::Auto, "row 2, column 2: unknown compound action kind 'OVERLAP'"},
      {"(0F0,0B0)OVERLAP_F_B\n", CsvDialect::Auto, "row 1, column 1: '(0F0' opens a parenthesis but never closes it"},
      {"(0F0;0B1;0B2)OVERLAP_F_B\n", CsvDialect::Auto, "row 1, column 1: OVERLAP_F_B in '(0F0;0B1;0B2)OVERLAP_F_B' must hold exactly two"},
      {"0F0,(0F1;0I0)OVERLAP_F_B\n", CsvDialect::Auto,
       "row 1, column 2: OVERLAP_F_B in '(0F1;0I0)OVERLAP_F_B' must pair one forward F with one full backward (B in the current dialect)"},
      {"0F0,0OVERLAP_F_B0\n", CsvDialect::Auto, "row 1, column 2: '0OVERLAP_F_B0': OVERLAP_F_B takes its two actions in parentheses"},
      {"0F0,\"0B0\n", CsvDialect::Auto, "row 1, column 2: the quote opened here is not closed on this row"},
      {"0F0,\"0B0\"x\n", CsvDialect::Auto, "row 1, column 2: unexpected 'x' after the closing quote"},
      {"0F0,0B0\n1F0,1B0,0F1\n", CsvDialect::Auto,
       "row 2, column 3: stage 0 in '0F1' already runs on row 1, column 1 ('0F0'); a stage belongs to one rank"},
      {"0F0,0B0\n2F0,2B0\n", CsvDialect::Auto, "stage 1 appears in no cell, but stages up to 2 do; stages are numbered 0..2 with none missing"},
      {"", CsvDialect::Auto, "the file has no actions: expected one row per rank"},
      {"\xEF\xBB\xBF\r\n , ,\r\n", CsvDialect::Auto, "the file has no actions"},
      {"0F0,0B0\n\n1F0,1B0\n", CsvDialect::Auto, "row 2, column 1: the row is empty, but every row up to the last is a rank's actions"},
      {"0F0,0I0,0W0\n1F0,1BW0\n", CsvDialect::Auto,
       "row 1, column 2 uses I (current dialect) but row 2, column 2 uses BW (legacy dialect); a file is written in one dialect"},
      {"0F0,0BW0\n", CsvDialect::Current, "row 1, column 2: '0BW0' uses BW, which the current dialect does not have"},
      {"0F0,0I0,0W0\n", CsvDialect::Legacy, "row 1, column 2: '0I0' uses I, which the legacy dialect does not have"},
      {"0F0,99999B0\n", CsvDialect::Auto, "row 1, column 2: stage 99999 in '99999B0' is beyond the limit of 32768 stages"},
      {"0F0,0B1234567890\n", CsvDialect::Auto, "row 1, column 2: the microbatch number in '0B1234567890' is too large"},
      // Found by the emulator, located through the file's columns (the idle cell counts).
      {"0F0,0F0,0B0\n", CsvDialect::Auto, "row 1, column 2 (F0 s0): the forward of microbatch 0 at stage 0 is scheduled twice"},
      {"0F0,,0B0\n1B0,1F0\n", CsvDialect::Auto,
       "the schedule can never finish: row 1, column 3 (BW0 s0) waits for BW0 s1 on device 1; row 2, column 1 (BW0 s1) "
       "waits for F0 s1 on device 1 (in ppemu's names device d is row d+1, B is the file's I and BW the file's B)"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    CHECK_THAT(csv_error_of(c.text, c.dialect), Contains(c.message));
  }
}

TEST_CASE("simulate_pytorch_csv ignores the config's strategy and counts and keeps its times") {
  // 2 ranks, 1 microbatch: F 2, full backward 3, p2p 0.5: 2 + .5 + 2 + 3 + .5 + 3 = 11.
  Run run = csv_run_of("0F0,0B0\n1F0,1B0\n", {"strategy=gpipe", "num_devices=7", "num_stages=3", "num_batches=9",
                                             "op_times.forward=2", "op_times.backward=3", "p2p_latency=0.5"});
  CHECK(run.config.num_devices == 2);
  CHECK(run.config.num_stages == 2);
  CHECK(run.config.num_batches == 1);
  CHECK(run.metrics.makespan == 11);
  // Per-stage lists must cover the file's stages.
  Config c = test::config_of({"op_times.forward=[1,2,3]"});
  Result<Run> bad = simulate_pytorch_csv(c, "0F0,0B0\n1F0,1B0\n");
  REQUIRE_FALSE(bad.ok());
  CHECK_THAT(bad.error(), Contains("op_times.forward gives 3 stage times but num_stages is 2"));
}

TEST_CASE("read_pytorch_csv turns random near-miss text into a schedule or one line of error, never a crash") {
  // Mutations of a valid file: the characters the grammar cares about, dropped, doubled and swapped in.
  const std::string base = "0F0,0F1,0I0,0W0,0F2,0B1,0B2\r\n1F0,(1F1;1B0)OVERLAP_F_B,\"1I1\",1W1,1F2,1B2\n";
  REQUIRE(simulate_pytorch_csv(Config{}, base).ok());
  const std::string alphabet = "0123456789FIBW()_;,\" \r\n\tOVERLAP\xEF";
  std::mt19937 rng(4);
  std::uniform_int_distribution<size_t> pick(0, alphabet.size() - 1);
  int parsed = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    std::string text = base;
    const int edits = 1 + trial % 4;
    for (int e = 0; e < edits; ++e) {
      const size_t at = std::uniform_int_distribution<size_t>(0, text.size() - 1)(rng);
      switch (rng() % 3) {
        case 0: text.erase(at, 1); break;
        case 1: text.insert(at, 1, alphabet[pick(rng)]); break;
        default: text[at] = alphabet[pick(rng)]; break;
      }
    }
    INFO(text);
    Result<Run> r = simulate_pytorch_csv(Config{}, text);
    if (r.ok()) {
      ++parsed;
      continue;
    }
    REQUIRE_FALSE(r.error().empty());
    REQUIRE(r.error().find('\n') == std::string::npos);
    REQUIRE(r.error().find("internal") == std::string::npos);
  }
  CHECK(parsed > 0);
}
