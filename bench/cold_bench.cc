// Cold against warm (issue 13): a one-shot CLI run gets every page it writes fresh from the
// kernel and pays a fault per page; a long-lived process (and the WASM heap after its first run)
// reuses what it freed. Per case, each repetition is a fresh process (fork + exec of this
// binary) that times simulate() on its first call with glibc's default allocator settings (cold,
// as the CLI runs), then keeps freed memory in the allocator (mallopt, as scripts/bench-native's
// warm heap does through GLIBC_TUNABLES) and times later calls (warm: the same pages again). It
// counts the page faults of each call too, per 1000 ops: a figure that does not depend on the
// machine's speed (4 KiB pages, and 2 MiB ones where the kernel grants core/src/huge_pages.h's
// advice). Target: cold within 1.5x of warm at ~1M ops.
// Run: cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DPPEMU_BUILD_BENCH=ON -DPPEMU_BUILD_TESTS=OFF
//      cmake --build build-bench --target ppemu_cold_bench && build-bench/ppemu_cold_bench [REPS]
#include <malloc.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "cases.h"
#include "ppemu/config.h"
#include "ppemu/simulate.h"

namespace {

using namespace ppemu;

using bench::Case;
using bench::kCases;

constexpr int kWarmCalls = 5;

long minor_faults() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_minflt;
}

struct Call {
  double ns_per_op = 0, faults_per_op = 0;
};

struct Figures {
  double ops = 0;
  Call cold, warm;  // warm: the median call after the first
  bool ok = false;
};

Call timed_call(const Config& config, double& ops) {
  const long f0 = minor_faults();
  const auto t0 = std::chrono::steady_clock::now();
  Result<Run> run = simulate(config);
  const double ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count();
  const long f1 = minor_faults();
  ops = run.ok() ? static_cast<double>(run->timeline.size()) : 0;
  if (ops == 0) return {};
  return {ns / ops, static_cast<double>(f1 - f0) / ops};
}

// The child: one case, the first call as a fresh CLI process makes it, then the warm ones. For
// those, freed memory stays in the process so they find their pages already mapped (32 MiB is
// glibc's largest mmap threshold); one call after the switch fills the allocator's free lists.
Figures measure(const Case& c) {
  const Config config = bench::config_of(c);
  Figures f;
  f.cold = timed_call(config, f.ops);
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  timed_call(config, f.ops);
  std::vector<Call> warm;
  for (int i = 0; i < kWarmCalls; ++i) warm.push_back(timed_call(config, f.ops));
  std::sort(warm.begin(), warm.end(), [](const Call& a, const Call& b) { return a.ns_per_op < b.ns_per_op; });
  f.warm = warm[kWarmCalls / 2];
  f.ok = f.ops > 0;
  return f;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

// Runs `self --case I` and reads its figures from a pipe; exec, not only fork, so the child's
// heap starts as a new process's does.
bool run_child(const char* self, size_t index, Figures& f) {
  int fd[2];
  if (pipe(fd) != 0) return false;
  const pid_t child = fork();
  if (child == 0) {
    close(fd[0]);
    dup2(fd[1], STDOUT_FILENO);
    const std::string arg = std::to_string(index);
    execl(self, self, "--case", arg.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fd[1]);
  const bool got = read(fd[0], &f, sizeof f) == static_cast<ssize_t>(sizeof f);
  close(fd[0]);
  int status = 0;
  waitpid(child, &status, 0);
  return got && f.ok && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  constexpr size_t kNumCases = sizeof kCases / sizeof kCases[0];
  if (argc == 3 && std::string(argv[1]) == "--case") {
    const auto index = static_cast<size_t>(std::atoi(argv[2]));
    if (index >= kNumCases) return 2;
    const Figures f = measure(kCases[index]);
    return write(STDOUT_FILENO, &f, sizeof f) == static_cast<ssize_t>(sizeof f) ? 0 : 1;
  }
  const int reps = argc > 1 ? std::atoi(argv[1]) : 5;
  if (argc > 2 || reps < 1) {
    std::fprintf(stderr, "usage: ppemu_cold_bench [REPS]   (REPS fresh processes per case, default 5)\n");
    return 2;
  }
  std::printf("simulate(), medians of %d fresh processes; faults = page faults per 1000 ops\n", reps);
  std::printf("%-30s %9s %12s %12s %11s %13s %13s\n", "case", "ops", "cold ns/op", "warm ns/op", "cold/warm", "cold faults", "warm faults");
  for (size_t i = 0; i < kNumCases; ++i) {
    const Case& c = kCases[i];
    std::vector<double> cold, warm, cold_b, warm_b;
    double ops = 0;
    for (int r = 0; r < reps; ++r) {
      Figures f;
      if (!run_child(argv[0], i, f)) {
        std::printf("%s %dx%d: the child process failed\n", c.strategy, c.devices, c.batches);
        return 1;
      }
      ops = f.ops;
      cold.push_back(f.cold.ns_per_op);
      warm.push_back(f.warm.ns_per_op);
      cold_b.push_back(f.cold.faults_per_op * 1000);
      warm_b.push_back(f.warm.faults_per_op * 1000);
    }
    const std::string name = std::string(c.strategy) + " " + std::to_string(c.devices) + "x" + std::to_string(c.batches) + " s" +
                             std::to_string(c.stages);
    std::printf("%-30s %9.0f %12.1f %12.1f %11.2f %13.1f %13.1f\n", name.c_str(), ops, median(cold), median(warm),
                median(cold) / median(warm), median(cold_b), median(warm_b));
  }
  return 0;
}
