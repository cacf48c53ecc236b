// Measured traces in: files written from known runs in each format read back to the same schedule
// and times; broken files are refused with the file and the event or key at fault.
#include <chrono>

#include "helpers.h"
#include "ppemu/export.h"
#include "ppemu/trace_fit.h"
#include "trace_fixtures.h"

namespace {

using namespace ppemu;
using Catch::Matchers::Contains;

// The imported order and times equal the run's. Profilers write wall-clock µs near 1.7e12, where
// a double resolves 0.25 ns: times agree to within a nanosecond.
void same_run(const MeasuredRun& m, const Run& run, double tolerance_ms = 1e-6) {
  CHECK(m.run.schedule.num_devices == run.schedule.num_devices);
  CHECK(m.run.schedule.num_stages == run.schedule.num_stages);
  CHECK(m.run.schedule.num_microbatches == run.schedule.num_microbatches);
  CHECK(m.run.schedule.num_chains == run.schedule.num_chains);
  CHECK(m.run.schedule.stage_device == run.schedule.stage_device);
  CHECK(m.run.schedule.device_actions == run.schedule.device_actions);
  REQUIRE(m.run.timeline.size() == run.timeline.size());
  CHECK(m.run.timeline.device_offset == run.timeline.device_offset);
  double worst = 0;
  for (size_t i = 0; i < run.timeline.size(); ++i) {
    worst = std::max(worst, std::fabs(m.run.timeline.start[i] - run.timeline.start[i]));
    worst = std::max(worst, std::fabs(m.run.timeline.end[i] - run.timeline.end[i]));
  }
  CHECK(worst <= tolerance_ms);
  CHECK_THAT(m.run.metrics.makespan, Catch::Matchers::WithinAbs(run.metrics.makespan, tolerance_ms));
  CHECK(m.run.config.strategy == "measured");
}

std::map<std::string, std::string> profiles(const Run& run, const test::ProfileShape& shape = {}) {
  std::map<std::string, std::string> files;
  for (int d = 0; d < run.schedule.num_devices; ++d) files["trace_rank" + std::to_string(d) + ".json"] = test::pytorch_profile(run, d, shape);
  return files;
}

const std::initializer_list<std::string> kUneven = {"op_times.forward=[1,1.5,1.25,2]", "op_times.backward_D=[1.5,2,1.75,2.5]",
                                                     "op_times.backward_W=0.5", "op_times.backward=[2.5,3,3,4]", "p2p_latency=0.25"};

}  // namespace

TEST_CASE("import_trace reads PyTorch profiler ranges back to the schedule and times that made them") {
  const char* strategy = GENERATE("zb1p", "1f1b", "1f1b_overlap");
  Run run = test::sized_run(strategy, 4, 4, 8, kUneven);
  INFO(strategy);
  MeasuredRun m = test::imported(profiles(run));
  same_run(m, run);
  CHECK(m.format == TraceFormat::PyTorch);
  CHECK_THAT(m.origin_ms, Catch::Matchers::WithinAbs(1.7e9, 1e-6));
  CHECK(m.device_files[2] == "trace_rank2.json");
}

TEST_CASE("import_trace takes a profiler rank from the file name and the GPU-side ranges where they exist") {
  Run run = test::sized_run("interleave", 4, 8, 8, {"p2p_latency=0.5"});
  test::ProfileShape shape;
  shape.with_rank = false;
  shape.gpu_ranges = true;
  shape.comm_ranges = true;
  MeasuredRun m = test::imported(profiles(run, shape));
  same_run(m, run);
  std::string notes;
  for (const std::string& n : m.notes) notes += n + "\n";
  CHECK_THAT(notes, Contains("4 of 4 files have GPU-side PP: ranges"));
  CHECK_THAT(notes, Contains("communication ranges"));
}

TEST_CASE("import_trace reads Megatron timer dumps with and without virtual pipeline chunks, data-parallel rank 0 only") {
  // 1F1B (VPP1) and interleaved 1F1B with 2 chunks (VPP2): forward and full backward, as Megatron times them.
  auto [strategy, stages] = GENERATE(table<const char*, int>({{"1f1b", 4}, {"interleave", 8}}));
  Run run = test::sized_run(strategy, 4, stages, 8, {"op_times.forward=1.25", "op_times.backward=2.5", "p2p_latency=0.125"});
  INFO(strategy);
  MeasuredRun m = test::imported(test::megatron_dumps(run, 2));
  same_run(m, run, 0);
  CHECK(m.format == TraceFormat::Megatron);
  CHECK(m.origin_ms == 5000);
  CHECK_THAT(m.notes.front(), Contains("4 files of data-parallel ranks other than 0 ignored"));
}

TEST_CASE("import_trace reads ppemu's own trace back exactly, DualPipe's two chains included") {
  auto [strategy, stages] = GENERATE(table<const char*, int>({{"zb1p", 4}, {"dualpipe", 4}, {"zbv", 8}, {"1f1b_overlap", 4}}));
  Run run = test::sized_run(strategy, 4, stages, 8, {"op_times.forward=1.5", "op_times.backward_W=0.75", "p2p_latency=0.3"});
  INFO(strategy);
  const std::string trace = to_trace(run);
  MeasuredRun m = test::imported({{"run.trace.json", trace}});
  same_run(m, run, 0);
  CHECK(m.format == TraceFormat::Ppemu);
}

TEST_CASE("import_trace applies a rank's offset before aligning the clocks") {
  Run run = test::sized_run("1f1b", 4, 4, 8);
  auto files = test::megatron_dumps(run);
  TraceOptions options;
  options.offset_ms[0] = 2;  // rank 0's clock read 2 ms early: its ops move 2 ms later
  MeasuredRun m = test::imported(files, options);
  // Rank 1's F0 (at 1 in the run) is now the earliest op: everything shifts by -1, rank 0 by +1.
  CHECK(m.origin_ms == 5001);
  CHECK(m.run.timeline.start[0] == 1);
  CHECK(m.run.timeline.start[m.run.timeline.device_offset[1]] == 0);
  options.offset_ms = {{7, 1.0}};
  CHECK(test::import_error(files, options) == "trace.offset_ms names rank 7, but the trace has ranks 0..3");
}

TEST_CASE("import_trace refuses broken files with the file and the event or key at fault") {
  Run run = test::sized_run("1f1b", 2, 2, 2);
  const std::string rank0 = test::pytorch_profile(run, 0), rank1 = test::pytorch_profile(run, 1);
  auto dumps = test::megatron_dumps(run);
  const std::string d0 = "event_times_PP2_VPP1_TPxCPxDP_rank_0_pp_rank_0_rank_0.json";
  const std::string d1 = "event_times_PP2_VPP1_TPxCPxDP_rank_0_pp_rank_1_rank_1.json";

  SECTION("truncated JSON") {
    CHECK_THAT(test::import_error({{"r0.json", rank0.substr(0, rank0.size() / 2)}, {"r1.json", rank1}}),
               Contains("r0.json: not valid JSON: ") && Contains("(the file is cut short)"));
  }
  SECTION("a gzip that is not one, and a gzip the core is handed") {
    CHECK(test::import_error({{"r0.json.gz", "\x1f\x8b\x08garbage"}}) ==
          "r0.json.gz is gzip-compressed; decompress it first (the CLI does it itself; in the browser use DecompressionStream('gzip'))");
  }
  SECTION("missing ranks and a rank twice") {
    Run four = test::sized_run("1f1b", 4, 4, 4);
    CHECK(test::import_error({{"a.json", test::pytorch_profile(four, 0)}, {"b.json", test::pytorch_profile(four, 2)}}) ==
          "ranks 0..2 must each have a file, but rank 1 is missing (the files give ranks 0, 2)");
    CHECK(test::import_error({{"a.json", rank0}, {"b.json", rank0}, {"c.json", rank1}}) ==
          "rank 0 appears twice: in a.json and in b.json; give one file per rank");
    dumps.erase(d1);
    CHECK(test::import_error(dumps) ==
          "the file names say PP2, so pipeline ranks 0..1 must each have a file (data-parallel rank 0), but pipeline rank 1 is missing "
          "(given: pipeline rank 0 in " + d0 + ")");
  }
  SECTION("many missing ranks are listed in part (found by fuzz_trace_megatron)") {
    const std::string pp40 = "event_times_PP40_VPP1_TPxCPxDP_rank_0_pp_rank_0_rank_0.json";
    CHECK(test::import_error({{pp40, dumps[d0]}}) ==
          "the file names say PP40, so pipeline ranks 0..39 must each have a file (data-parallel rank 0), but pipeline ranks "
          "1, 2, 3, 4, 5, 6, 7, 8, 9, 10, ... (39 in all) are missing (given: pipeline rank 0 in " + pp40 + ")");
  }
  SECTION("a file name with more pipeline ranks than the limit (found by fuzz_trace_megatron: it took seconds)") {
    const std::string huge = "event_times_PP11111112_VPP1_TPxCPxDP_rank_0_pp_rank_0_rank_0.json";
    CHECK(test::import_error({{huge, dumps[d0]}}) ==
          huge + ": the file name says PP11111112, more pipeline ranks than the limit of 4096");
  }
  SECTION("an action that does not parse") {
    std::string bad = rank0;
    bad.replace(bad.find("PP:0F1"), 6, "PP:0X1");
    CHECK_THAT(test::import_error({{"r0.json", bad}, {"r1.json", rank1}}),
               Contains("r0.json: event #") && Contains("unknown action kind 'X' in '0X1'"));
  }
  SECTION("a stage beyond what a schedule can hold is named, not stored as another stage") {
    std::string bad = rank0;
    bad.replace(bad.find("PP:0F1"), 6, "PP:40000F1");
    CHECK_THAT(test::import_error({{"r0.json", bad}, {"r1.json", rank1}}),
               Contains("r0.json: event #") && Contains("stage 40000 in 'PP:40000F1' is beyond the limit of 32768 stages"));
  }
  SECTION("overlapping events of one rank are reported, not reordered") {
    nlohmann::json doc = nlohmann::json::parse(rank1);
    for (auto& e : doc["traceEvents"])
      if (e.value("name", "") == "PP:1F1") e["ts"] = e["ts"].get<double>() - 500;  // 0.5 ms into 1B0 (2..4)
    CHECK_THAT(test::import_error({{"r0.json", rank0}, {"r1.json", doc.dump()}}),
               Contains("r1.json: event #") && Contains("'PP:1F1' starts at 3.5 ms, before event #") &&
                   Contains("'PP:1B0' ends at 4 ms (rank 1's ops overlap by 0.5 ms; a rank runs one pipeline op at a time)"));
  }
  SECTION("a missing end and an end before its start") {
    nlohmann::json dump = nlohmann::json::parse(dumps[d0]);
    dump.erase("backward-1-end");
    dumps[d0] = dump.dump();
    CHECK(test::import_error(dumps) == d0 + ": key backward-1-end is missing (backward-1-start is there)");
    dump["backward-1-end"] = dump["backward-1-start"].get<double>() - 1;
    dumps[d0] = dump.dump();
    CHECK(test::import_error(dumps) == d0 + ": backward-1-end (5006 ms) is before backward-1-start (5007 ms)");
  }
  SECTION("Megatron keys that are not timers, or name no chunk under VPP") {
    nlohmann::json dump = nlohmann::json::parse(dumps[d0]);
    dump["forward-x-start"] = 1;
    dumps[d0] = dump.dump();
    CHECK(test::import_error(dumps) == d0 + ": key 'forward-x-start' is not a pipeline timer; expected forward-<mb>-start or -end");
    dumps[d0] = "{\"forward-0-start\": 1}";
    const std::string vpp2 = "event_times_PP1_VPP2_TPxCPxDP_rank_0_pp_rank_0_rank_0.json";
    CHECK(test::import_error({{vpp2, "{\"forward-0-start\": 1}"}}) ==
          vpp2 + ": key 'forward-0-start' names no chunk, but the file name says VPP2; expected forward-<chunk>-<mb>-start or -end (VPP2)");
  }
  SECTION("no PP ranges, and no rank") {
    CHECK_THAT(test::import_error({{"r0.json", "{\"traceEvents\": [{\"ph\": \"X\", \"name\": \"aten::mm\", \"ts\": 1, \"dur\": 2}]}"}}),
               Contains("r0.json: no PP:<action> ranges"));
    test::ProfileShape no_rank;
    no_rank.with_rank = false;
    CHECK_THAT(test::import_error({{"trace.json", test::pytorch_profile(run, 0, no_rank)}}),
               Contains("trace.json: no rank: the trace has no distributedInfo.rank and the file name no rank<N>"));
  }
  SECTION("a file over the size limit") {
    TraceOptions small;
    small.max_file_bytes = 1 << 20;
    CHECK(test::import_error({{"big.json", std::string(3 << 20, ' ')}}, small) == "big.json is 3 MB, more than the limit of 1 MB per trace file");
  }
  SECTION("a backward before its forward on one rank (found by fuzz_trace_pytorch)") {
    // 1F1B on 2 x 2: rank 0 runs 0F0 0..1, 0F1 1..2, 0B0 4..6, 0B1 8..10. 0F1 moved after 0B1.
    nlohmann::json doc = nlohmann::json::parse(rank0);
    for (auto& e : doc["traceEvents"])
      if (e.value("name", "") == "PP:0F1" && e.value("cat", "") == "user_annotation") e["ts"] = e["ts"].get<double>() + 20000;
    CHECK_THAT(test::import_error({{"r0.json", doc.dump()}, {"r1.json", rank1}}),
               Contains("r0.json: event #") &&
                   Contains("'PP:0B1' runs the backward of stage 0, microbatch 1 before its forward on rank 0 (ops in order of start time)"));
  }
  SECTION("invalid UTF-8 in a file is not echoed into the message (found by fuzz_trace_megatron, fuzz_trace_ppemu)") {
    const std::string message = test::import_error({{"r0.json", "{\"traceEvents\": [{\"name\": \"PP:\xff\x7f\x01"}});
    CHECK_THAT(message, Contains("r0.json: not valid JSON: "));
    for (char ch : message) CHECK((static_cast<unsigned char>(ch) >= 0x20 && static_cast<unsigned char>(ch) < 0x7f));
  }
  SECTION("files of two formats") {
    CHECK(test::import_error({{"r0.json", rank0}, {"run.json", to_trace(run)}}) ==
          "r0.json is a PyTorch profiler trace but run.json is a ppemu trace; give the files of one format");
  }
}

TEST_CASE("import_trace reads a 50 MB profiler trace, holding only its PP: ranges") {
  // One rank of a 1F1B run among 50 MB of kernel events, as a long profile of one step looks.
  Run run = test::sized_run("1f1b", 1, 1, 64);
  nlohmann::json doc = nlohmann::json::parse(test::pytorch_profile(run, 0));
  std::string text = doc.dump();
  const std::string kernel =
      R"({"ph":"X","cat":"kernel","name":"void at::native::vectorized_elementwise_kernel<4, at::native::FillFunctor<float>>","pid":0,"tid":7,"ts":1700000000000.5,"dur":1.25,"args":{"stream":7,"correlation":12345,"registers per thread":16}},)";
  std::string filler;
  while (filler.size() < (size_t{50} << 20)) filler += kernel;
  text.insert(text.find("\"traceEvents\":[") + 15, filler);
  REQUIRE(text.size() > (size_t{50} << 20));
  MeasuredRun m = test::imported({{"rank0.json", text}});
  CHECK(m.run.timeline.size() == 128);
  CHECK(m.run.metrics.makespan == run.metrics.makespan);
}

TEST_CASE("the trace report of files whose names are not UTF-8 is valid JSON (found by fuzz_trace_pytorch)") {
  // A Linux file name is any bytes; the report used to throw nlohmann's invalid-UTF-8 error.
  const Run run = test::sized_run("1f1b", 1, 1, 2);
  const MeasuredRun measured = test::imported({{"r\xd1" "0.json", test::pytorch_profile(run, 0)}});
  const TraceFit fit = fit_trace(measured);
  Result<Replay> replay = replay_trace(measured, fit);
  REQUIRE(replay.ok());
  const std::string report = trace_json(measured, fit, replay.value(), nullptr, "");
  CHECK(nlohmann::json::accept(report));
  CHECK_THAT(report, Contains("\"r\xef\xbf\xbd" "0.json\""));  // the byte as U+FFFD
}
