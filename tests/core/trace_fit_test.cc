// Fitting, replay and what-if on traces written from known runs: the fit recovers the op times
// and latency that made them, the replay of an emulated trace has no error, and the what-if
// spreads per-stage times over another stage count.
#include "helpers.h"
#include "ppemu/export.h"
#include "ppemu/trace_fit.h"
#include "trace_fixtures.h"

namespace {

using namespace ppemu;
using Catch::Matchers::Contains;

MeasuredRun from_trace(const Run& run) { return test::imported({{"run.json", to_trace(run)}}); }

std::vector<double> medians(const TraceFit& fit, Spread StageFit::*kind) {
  std::vector<double> out;
  for (const StageFit& s : fit.stages) out.push_back((s.*kind).median);
  return out;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

}  // namespace

TEST_CASE("fit_trace recovers the per-stage op times and the latency that made a trace") {
  Run run = test::sized_run("zb1p", 4, 4, 8,
                            {"op_times.forward=[1,1.5,1.25,2]", "op_times.backward_D=[1.5,2,1.75,2.5]", "op_times.backward_W=0.5",
                             "p2p_latency=0.25"});
  const TraceFit fit = fit_trace(from_trace(run));
  CHECK(medians(fit, &StageFit::forward) == std::vector<double>{1, 1.5, 1.25, 2});
  CHECK(medians(fit, &StageFit::backward_D) == std::vector<double>{1.5, 2, 1.75, 2.5});
  CHECK(medians(fit, &StageFit::backward_W) == std::vector<double>{0.5, 0.5, 0.5, 0.5});
  CHECK(fit.stages[2].forward.count == 8);
  CHECK(fit.stages[2].forward.min == 1.25);
  CHECK(fit.stages[2].forward.max == 1.25);
  CHECK(fit.p2p.median == 0.25);
  CHECK(fit.p2p.min == 0.25);
  CHECK(fit.config.p2p_latency == 0.25);
  // Not measured: the full backward is B + W.
  CHECK(fit.config.op_times.backward.per_stage == std::vector<double>{2, 2.5, 2.25, 3});
  CHECK_THAT(joined(fit.notes), Contains("op_times.backward (full) = backward_D + backward_W"));
  CHECK(fitted_assignments(fit) ==
        std::vector<std::string>{"op_times.forward=[1,1.5,1.25,2]", "op_times.backward=[2,2.5,2.25,3]", "op_times.backward_D=[1.5,2,1.75,2.5]",
                                 "op_times.backward_W=[0.5,0.5,0.5,0.5]", "p2p_latency=0.25", "p2p_mode=async"});
}

TEST_CASE("fit_trace on Megatron dumps: forward and full backward measured, the split derived as B = W") {
  Run run = test::sized_run("interleave", 4, 8, 8, {"op_times.forward=[1,2,1,2,1,2,1,2]", "op_times.backward=[2,3,2,4,2,3,2,4]", "p2p_latency=0.5"});
  const TraceFit fit = fit_trace(test::imported(test::megatron_dumps(run)));
  CHECK(fit.config.num_stages == 8);
  CHECK(fit.config.op_times.forward.per_stage == std::vector<double>{1, 2, 1, 2, 1, 2, 1, 2});
  CHECK(fit.config.op_times.backward.per_stage == std::vector<double>{2, 3, 2, 4, 2, 3, 2, 4});
  CHECK(fit.config.op_times.backward_D.per_stage == std::vector<double>{1, 1.5, 1, 2, 1, 1.5, 1, 2});
  CHECK(fit.config.p2p_latency == 0.5);
  CHECK_THAT(joined(fit.notes), Contains("backward_D = backward_W = backward / 2"));
}

TEST_CASE("replay_trace of an emulated trace has no error, in the mode that made it") {
  auto [mode, latency] = GENERATE(table<const char*, double>({{"async", 0.25}, {"sync", 0.5}, {"async", 0}}));
  Run run = test::sized_run("zb1p", 4, 4, 8, {"op_times.forward=[1,1.5,1.25,2]", "p2p_latency=" + std::to_string(latency),
                                              std::string("p2p_mode=") + mode});
  INFO(mode << " " << latency);
  const MeasuredRun m = from_trace(run);
  const TraceFit fit = fit_trace(m);
  Result<Replay> r = replay_trace(m, fit);
  REQUIRE(r.ok());
  CHECK(r->mode == (std::string(mode) == "sync" ? P2pMode::Sync : P2pMode::Async));
  CHECK(r->run.metrics.makespan == run.metrics.makespan);
  CHECK(r->run.timeline.start == run.timeline.start);
  CHECK((r->mode == P2pMode::Sync ? r->sync_error_ms : r->async_error_ms) == 0);
  for (const DeviceError& e : r->devices) {
    CHECK(e.replay_end == e.measured_end);
    CHECK(e.replay_busy == e.measured_busy);
    CHECK(e.replay_idle == e.measured_idle);
  }
  CHECK(r->worst.empty());
  CHECK_THAT(joined(r->causes), Contains("within 1% of the measured one"));
  if (latency > 0) CHECK_THAT(r->choice, Contains(std::string("p2p_mode=") + mode + " fits better: mean |start error| 0 ms"));
  else CHECK_THAT(r->choice, Contains("p2p_latency fits 0"));
}

TEST_CASE("replay_trace names the slow op, the device that idles and the skewed clocks") {
  // 1F1B on 2 ranks, F 1, BW 2: the run's last op, rank 0's backward of microbatch 3, straggles
  // (3 instead of 2), and rank 0's clock reads 0.4 ms early: its backwards seem to start 0.3 ms
  // before the gradient from rank 1 (sent 0.1 ms before they start) has arrived.
  Run run = test::sized_run("1f1b", 2, 2, 4, {"p2p_latency=0.1"});
  auto dumps = test::megatron_dumps(run);
  const std::string d0 = "event_times_PP2_VPP1_TPxCPxDP_rank_0_pp_rank_0_rank_0.json";
  nlohmann::json dump = nlohmann::json::parse(dumps[d0]);
  dump["backward-3-end"] = dump["backward-3-end"].get<double>() + 1;
  dumps[d0] = dump.dump();
  TraceOptions options;
  options.offset_ms[0] = -0.4;
  const MeasuredRun m = test::imported(dumps, options);
  const TraceFit fit = fit_trace(m);
  CHECK(fit.stages[0].backward.max == 3);
  CHECK(fit.stages[0].backward.median == 2);
  CHECK(fit.skewed > 0);
  CHECK_THAT(fit.worst_skew_ms, Catch::Matchers::WithinAbs(0.3, 1e-9));
  Result<Replay> r = replay_trace(m, fit);
  REQUIRE(r.ok());
  const std::string causes = joined(r->causes);
  CHECK_THAT(causes, Contains("stage 0's backward ops range from 2 ms to 3 ms around a median of 2 ms"));
  CHECK_THAT(causes, Contains("start before their input from another rank ends (by up to 0.3 ms)"));
  CHECK_THAT(causes, Contains("trace.offset_ms.<rank>=MS"));
  REQUIRE_FALSE(r->worst.empty());
}

TEST_CASE("what_if_config spreads the measured stages over another stage count, same model") {
  Run run = test::sized_run("1f1b", 4, 4, 8, {"op_times.forward=[1,1.5,1.25,2]", "op_times.backward=[2,3,2.5,4]"});
  const TraceFit fit = fit_trace(from_trace(run));
  std::string note;
  Result<Config> eight = what_if_config(
      fit, [](Config& c) { return apply_assignment(c, "num_stages=8"); }, &note);
  REQUIRE(eight.ok());
  CHECK(eight->op_times.forward.per_stage == std::vector<double>{0.5, 0.5, 0.75, 0.75, 0.625, 0.625, 1, 1});
  CHECK(eight->op_times.backward.per_stage == std::vector<double>{1, 1, 1.5, 1.5, 1.25, 1.25, 2, 2});
  CHECK_THAT(note, Contains("num_stages 8 differs from the trace's 4"));
  Result<Config> two = what_if_config(fit, [](Config& c) { return apply_assignment(c, "num_stages=2"); });
  REQUIRE(two.ok());
  CHECK(two->op_times.forward.per_stage == std::vector<double>{2.5, 3.25});
  // Given op times win over the fitted ones; the same stage count keeps the fit as it is.
  Result<Config> same = what_if_config(fit, [](Config& c) {
    Status st = apply_assignment(c, "strategy=zb1p");
    return st.ok() ? apply_assignment(c, "op_times.forward.0=4") : st;
  });
  REQUIRE(same.ok());
  CHECK(same->op_times.forward.per_stage == std::vector<double>{4, 1.5, 1.25, 2});
  Result<Run> zb = simulate(same.value());
  REQUIRE(zb.ok());
  CHECK(zb->config.strategy == "zb1p");
}
