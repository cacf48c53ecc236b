// The streamed JSON and trace exports write exactly the text nlohmann's DOM wrote (the reference
// in export_dom_reference.h), indented or not, whole or through a sink, for runs that reach every
// branch: OV units, W ops, projected numbers (memory_gib, projection), communication actions,
// a measured run, times that are not short decimals and times too large for fixed notation.
#include <cmath>

#include "export_dom_reference.h"
#include "helpers.h"
#include "ppemu/pytorch_csv.h"
#include "ppemu/trace_import.h"

namespace {

using namespace ppemu;

std::string sunk_json(const Run& run, int indent) {
  std::string out;
  size_t pieces = 0;
  write_json(run, [&](std::string_view piece) { out += piece, ++pieces; }, indent);
  CHECK(pieces >= 1);
  return out;
}

std::string sunk_trace(const Run& run) {
  std::string out;
  write_trace(run, [&](std::string_view piece) { out += piece; });
  return out;
}

void same_as_dom(const Run& run) {
  for (int indent : {-1, 0, 2, 4}) {
    INFO("indent " << indent);
    const std::string dom = test::dom_to_json(run, indent);
    CHECK(to_json(run, indent) == dom);
    CHECK(sunk_json(run, indent) == dom);
  }
  const std::string dom_trace = test::dom_to_trace(run);
  CHECK(to_trace(run) == dom_trace);
  CHECK(sunk_trace(run) == dom_trace);
}

Run csv_run(const std::string& csv, std::initializer_list<std::string> keys = {}) {
  Result<Run> r = simulate_pytorch_csv(test::config_of(keys), csv);
  INFO(r.error());
  REQUIRE(r.ok());
  return std::move(r).value();
}

}  // namespace

TEST_CASE("the streamed exports equal the DOM's text for every strategy's kinds of op") {
  for (const char* strategy : {"1f1b", "1f1b_overlap", "zb1p", "interleave", "dualpipe", "dualpipe_v", "zbv", "gpipe"}) {
    INFO(strategy);
    const bool v = std::string(strategy) == "dualpipe_v" || std::string(strategy) == "zbv";
    const bool interleaved = std::string(strategy) == "interleave";
    same_as_dom(test::sized_run(strategy, 4, v || interleaved ? 8 : 4, 8));
  }
}

TEST_CASE("the streamed exports equal the DOM's text for times that are not short decimals") {
  // Thirds, a tiny latency and huge times: Grisu2's shortest digits, exponents both ways.
  same_as_dom(test::run_of({"strategy=1f1b", "num_devices=3", "num_stages=3", "num_batches=5", "op_times.forward=0.3333333333333333",
                            "op_times.backward=[1e-7,2.5,7]", "p2p_latency=1e-9"}));
  same_as_dom(test::run_of({"strategy=zb1p", "num_devices=2", "num_stages=2", "num_batches=3", "op_times.forward=9.5e11",
                            "op_times.backward=3.25e11", "op_times.backward_W=1e-12"}));
  same_as_dom(test::run_of({"strategy=1f1b", "num_devices=1", "num_stages=1", "num_batches=1"}));
}

TEST_CASE("the streamed exports equal the DOM's text for a projected run") {
  same_as_dom(test::run_of({"model=llama3_8b", "gpu=h100_sxm", "strategy=1f1b", "num_devices=4", "num_stages=4", "num_batches=8"}));
  same_as_dom(test::run_of({"model=llama3_8b", "gpu=h100_sxm", "strategy=dualpipe", "num_devices=4", "num_stages=4", "num_batches=8"}));
}

TEST_CASE("the streamed exports equal the DOM's text for a schedule with communication actions") {
  const std::string csv = "0F0,0SEND_F0,0F1,0SEND_F1,0RECV_B0,0B0,0RECV_B1,0B1\n1RECV_F0,1F0,1RECV_F1,1F1,1B0,1SEND_B0,1B1,1SEND_B1\n";
  same_as_dom(csv_run(csv));
  same_as_dom(csv_run(csv, {"p2p_mode=sync", "p2p_latency=0.5"}));
}

TEST_CASE("the streamed exports equal the DOM's text for a measured run") {
  const Run run = test::sized_run("1f1b", 2, 2, 3);
  const std::string trace = to_trace(run);
  Result<MeasuredRun> measured = import_trace({{"run.json", trace}});
  INFO(measured.error());
  REQUIRE(measured.ok());
  same_as_dom(measured->run);
}

TEST_CASE("a streamed export hands its text over in pieces of about 64 KiB") {
  const Run run = test::sized_run("1f1b", 8, 8, 512);
  size_t pieces = 0, largest = 0;
  std::string out;
  write_trace(run, [&](std::string_view piece) {
    ++pieces;
    largest = std::max(largest, piece.size());
    out += piece;
  });
  CHECK(out == test::dom_to_trace(run));
  CHECK(pieces >= out.size() / (70 << 10));
  CHECK(largest < (68 << 10));  // 64 KiB and the rest of one op's event
}
