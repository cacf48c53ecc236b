// Writes the trace targets' seeds (seeds/trace_pytorch, trace_megatron, trace_ppemu) from small
// runs through the test fixtures (tests/core/trace_fixtures.h), in the targets' input layout:
// files separated by a "--ppemu-file--" line, each its name line then its text. Run by hand when the fixtures
// or the layout change:  build/tests/fuzz/fuzz_write_trace_seeds tests/fuzz/seeds
// (gzip seeds are the same files through `gzip -n`; see tests/fuzz/README.md).
#include <cstdio>
#include <fstream>
#include <iostream>

// The fixtures' import helpers use Catch2's assertions; the writer calls only the file writers.
#define INFO(x) (void)0
#define REQUIRE(x) (void)0
#define REQUIRE_FALSE(x) (void)0
#include "../core/trace_fixtures.h"
#include "ppemu/export.h"

namespace {

using namespace ppemu;

Run run_of(const std::vector<std::string>& assignments) {
  Config c;
  for (const std::string& a : assignments)
    if (Status st = apply_assignment(c, a); !st.ok()) {
      std::cerr << a << ": " << st.error() << "\n";
      std::exit(1);
    }
  Result<Run> r = simulate(c);
  if (!r.ok()) {
    std::cerr << r.error() << "\n";
    std::exit(1);
  }
  return std::move(r).value();
}

void write(const std::string& path, const std::map<std::string, std::string>& files) {
  std::ofstream out(path, std::ios::binary);
  bool first = true;
  for (const auto& [name, text] : files) {
    if (!first) out << "\n--ppemu-file--\n";
    first = false;
    out << name << '\n' << text;
  }
  if (!out) {
    std::cerr << "cannot write " << path << "\n";
    std::exit(1);
  }
}

std::map<std::string, std::string> profiles(const Run& run, const test::ProfileShape& shape, const std::string& stem) {
  std::map<std::string, std::string> files;
  for (int d = 0; d < run.schedule.num_devices; ++d) files[stem + std::to_string(d) + ".pt.trace.json"] = test::pytorch_profile(run, d, shape);
  return files;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: fuzz_write_trace_seeds SEEDS_DIR\n";
    return 2;
  }
  const std::string dir = argv[1];
  const Run f1b = run_of({"strategy=1f1b", "num_devices=2", "num_stages=2", "num_batches=3"});
  const Run zb = run_of({"strategy=zb1p", "num_devices=2", "num_stages=2", "num_batches=2"});
  const Run overlap = run_of({"strategy=1f1b_overlap", "num_devices=2", "num_stages=2", "num_batches=3"});
  const Run inter = run_of({"strategy=interleave", "num_devices=2", "num_stages=4", "num_batches=2"});
  const Run dualv = run_of({"strategy=dualpipe_v", "num_devices=2", "num_stages=4", "num_batches=4"});

  test::ProfileShape plain;
  write(dir + "/trace_pytorch/1f1b_p2_m3", profiles(f1b, plain, "rank"));
  test::ProfileShape by_name;
  by_name.with_rank = false;
  write(dir + "/trace_pytorch/zb1p_rank_from_name", profiles(zb, by_name, "host_rank-"));
  test::ProfileShape gpu;
  gpu.gpu_ranges = true;
  gpu.comm_ranges = true;
  write(dir + "/trace_pytorch/overlap_gpu_and_comm_ranges", profiles(overlap, gpu, "rank_"));
  write(dir + "/trace_pytorch/interleave_p2_v2", profiles(inter, plain, "rank"));

  write(dir + "/trace_megatron/1f1b_p2_m3", test::megatron_dumps(f1b));
  write(dir + "/trace_megatron/interleave_p2_v2_dp2", test::megatron_dumps(inter, 2));

  write(dir + "/trace_ppemu/1f1b_p2_m3", {{"1f1b.trace.json", to_trace(f1b)}});
  write(dir + "/trace_ppemu/zb1p_p2_m2", {{"zb1p.trace.json", to_trace(zb)}});
  write(dir + "/trace_ppemu/dualpipe_v_p2_m4", {{"dualpipe_v.trace.json", to_trace(dualv)}});
  write(dir + "/trace_ppemu/overlap_p2_m3", {{"overlap.json", to_trace(overlap)}});
  return 0;
}
