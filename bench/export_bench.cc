// Export speed and memory at 1M ops (issue 13): per format, MB/s of text written (by CPU time;
// the wall time is printed beside it) and the peak
// RSS of a process that simulates the run and exports it, each format in a fresh child process
// (ru_maxrss is a peak). "json"/"trace" stream to a sink that counts (as the CLI streams to its
// output); "(string)" builds the whole text (as the WASM module returns it); "(DOM)" is the
// nlohmann DOM the exports used before (tests/core/export_dom_reference.h), for comparison.
// Run: cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DPPEMU_BUILD_BENCH=ON -DPPEMU_BUILD_TESTS=OFF
//      cmake --build build-bench --target ppemu_export_bench && build-bench/ppemu_export_bench
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstring>
#include <string>

#include "export_dom_reference.h"
#include "ppemu/config.h"
#include "ppemu/export.h"
#include "ppemu/pytorch_csv.h"

namespace {

using namespace ppemu;

double peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // Linux: kilobytes
}

// CPU time of this process: on a shared machine the steadier figure beside the wall time.
double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

struct Figures {
  double seconds = 0, cpu_seconds = 0, bytes = 0, run_rss_mb = 0, peak_rss_mb = 0;
  bool ok = false;
};

// One format's export of a fresh 1f1b 64 x 8192 run (1,048,576 ops), in this process.
Figures measure(const std::string& format) {
  Config c;
  for (const char* a : {"strategy=1f1b", "num_devices=64", "num_stages=64", "num_batches=8192"})
    if (!apply_assignment(c, a).ok()) return {};
  Result<Run> run = simulate(c);
  if (!run.ok()) return {};
  Figures f;
  f.run_rss_mb = peak_rss_mb();
  size_t bytes = 0;
  const TextSink count = [&](std::string_view piece) { bytes += piece.size(); };
  const double cpu0 = cpu_seconds();
  const auto t0 = std::chrono::steady_clock::now();
  if (format == "json") write_json(run.value(), count, 2);
  else if (format == "json (string)") bytes = to_json(run.value(), 2).size();
  else if (format == "json (DOM)") bytes = test::dom_to_json(run.value(), 2).size();
  else if (format == "trace") write_trace(run.value(), count);
  else if (format == "trace (string)") bytes = to_trace(run.value()).size();
  else if (format == "trace (DOM)") bytes = test::dom_to_trace(run.value()).size();
  else if (format == "svg") bytes = to_svg(run.value()).size();
  else if (format == "csv") bytes = to_pytorch_csv(run->schedule).value().size();
  f.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  f.cpu_seconds = cpu_seconds() - cpu0;
  f.bytes = static_cast<double>(bytes);
  f.peak_rss_mb = peak_rss_mb();
  f.ok = bytes > 0;
  return f;
}

}  // namespace

int main() {
  std::printf("1f1b 64 x 8192 (1,048,576 ops); each format in a fresh process\n");
  std::printf("%-16s %8s %8s %8s %11s %12s %12s\n", "format", "MB", "wall s", "CPU s", "MB/s (CPU)", "RSS run MB", "RSS peak MB");
  for (const char* format : {"json", "json (string)", "json (DOM)", "trace", "trace (string)", "trace (DOM)", "svg", "csv"}) {
    int fd[2];
    if (pipe(fd) != 0) return 1;
    const pid_t child = fork();
    if (child == 0) {
      close(fd[0]);
      const Figures f = measure(format);
      const ssize_t written = write(fd[1], &f, sizeof f);
      _exit(written == static_cast<ssize_t>(sizeof f) ? 0 : 1);
    }
    close(fd[1]);
    Figures f;
    const bool got = read(fd[0], &f, sizeof f) == static_cast<ssize_t>(sizeof f);
    close(fd[0]);
    int status = 0;
    waitpid(child, &status, 0);
    if (!got || !f.ok) {
      std::printf("%-16s failed\n", format);
      return 1;
    }
    const double mb = f.bytes / 1e6;
    std::printf("%-16s %8.1f %8.3f %8.3f %11.0f %12.0f %12.0f\n", format, mb, f.seconds, f.cpu_seconds, mb / f.cpu_seconds, f.run_rss_mb,
                f.peak_rss_mb);
  }
  return 0;
}
