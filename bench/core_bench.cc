// Speed of the core, one pipeline step at a time, on the sizes the issues name:
//   issue 2: <= 50 ns per op for the whole simulate(), <= 48 timeline bytes per op;
//   issue 5: <= 30 ns per op for generate + emulate + metrics at about a million ops.
// Every benchmark reports `ns_per_op` (wall time / ops) and `bytes_per_op` (Timeline::bytes() / ops),
// so runs of different sizes compare directly. scripts/bench-native turns the output into a table.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cases.h"
#include "ppemu/emulator.h"
#include "ppemu/metrics.h"
#include "ppemu/simulate.h"
#include "ppemu/strategy.h"

namespace {

using namespace ppemu;

using bench::Case;
using bench::config_of;
using bench::kCases;

// A resolved config and its schedule, timeline and metrics, made once per case so each step is timed alone.
struct Prepared {
  Config config;
  const Strategy* strategy = nullptr;
  Schedule schedule;
  CostModel costs;
  Timeline timeline;
  double ops = 0;
  double bytes = 0;
};

bool prepare(const Case& c, Prepared& p, std::string& error) {
  p.config = config_of(c);
  if (Status st = resolve(p.config); !st.ok()) return error = st.error(), false;
  p.strategy = find_strategy(p.config.strategy);
  Result<Schedule> schedule = p.strategy->generate(p.config);
  if (!schedule.ok()) return error = schedule.error(), false;
  p.schedule = std::move(schedule).value();
  p.costs = cost_model(p.config, p.schedule);
  Result<Timeline> timeline = emulate(p.schedule, p.costs);
  if (!timeline.ok()) return error = timeline.error(), false;
  p.timeline = std::move(timeline).value();
  p.ops = static_cast<double>(p.timeline.size());
  p.bytes = static_cast<double>(p.timeline.bytes());
  return true;
}

void report(benchmark::State& state, const Prepared& p) {
  // Invert of an iteration-invariant rate: seconds per (iteration x ops), scaled to ns.
  state.counters["ns_per_op"] =
      benchmark::Counter(p.ops * 1e-9, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  state.counters["bytes_per_op"] = p.bytes / p.ops;
  state.counters["ops"] = p.ops;
}

void bench_generate(benchmark::State& state, const Prepared* p) {
  for (auto _ : state) {
    Result<Schedule> s = p->strategy->generate(p->config);
    benchmark::DoNotOptimize(s);
  }
  report(state, *p);
}

void bench_emulate(benchmark::State& state, const Prepared* p) {
  for (auto _ : state) {
    Result<Timeline> t = emulate(p->schedule, p->costs);
    benchmark::DoNotOptimize(t);
  }
  report(state, *p);
}

void bench_metrics(benchmark::State& state, const Prepared* p) {
  for (auto _ : state) {
    Metrics m = compute_metrics(p->schedule, p->timeline);
    benchmark::DoNotOptimize(m);
  }
  report(state, *p);
}

// The three steps back to back, as issue 5 counts them.
void bench_core(benchmark::State& state, const Prepared* p) {
  for (auto _ : state) {
    Result<Schedule> s = p->strategy->generate(p->config);
    Result<Timeline> t = emulate(s.value(), cost_model(p->config, s.value()));
    Metrics m = compute_metrics(s.value(), t.value());
    benchmark::DoNotOptimize(m);
  }
  report(state, *p);
}

// The public entry point: resolve, generate, emulate, metrics, formulas.
void bench_simulate(benchmark::State& state, const Prepared* p) {
  for (auto _ : state) {
    Result<Run> r = simulate(p->config);
    benchmark::DoNotOptimize(r);
  }
  report(state, *p);
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  // Prepared cases live until the benchmarks have run; owning pointers keep their addresses stable.
  std::vector<std::unique_ptr<Prepared>> prepared;
  for (const Case& c : kCases) {
    if (!find_strategy(c.strategy)) {
      std::fprintf(stderr, "skipping %s: strategy not registered in this build\n", c.strategy);
      continue;
    }
    auto p = std::make_unique<Prepared>();
    std::string error;
    if (!prepare(c, *p, error)) {
      std::fprintf(stderr, "skipping %s %dx%d (%d stages): %s\n", c.strategy, c.devices, c.batches, c.stages, error.c_str());
      continue;
    }
    const std::string name = std::string(c.strategy) + "/p" + std::to_string(c.devices) + "/m" + std::to_string(c.batches) +
                             "/s" + std::to_string(c.stages);
    const Prepared* raw = p.get();
    benchmark::RegisterBenchmark(("generate/" + name).c_str(), bench_generate, raw)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("emulate/" + name).c_str(), bench_emulate, raw)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("metrics/" + name).c_str(), bench_metrics, raw)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("core/" + name).c_str(), bench_core, raw)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("simulate/" + name).c_str(), bench_simulate, raw)->Unit(benchmark::kMillisecond);
    prepared.push_back(std::move(p));
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
