// Trace import on large files (issue 12: a 50 MB file must be bounded in time and memory).
// Prints, per file size, the import time, MB/s and the peak memory the import adds beyond the
// file's text. Run: cmake --build build-bench --target ppemu_trace_bench && build-bench/ppemu_trace_bench
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "ppemu/trace_fit.h"
#include "ppemu/trace_import.h"

namespace {

double peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // Linux: kilobytes
}

// One rank's profiler trace: `pp_ops` PP:0F<i>/PP:0B<i> ranges (a 1-stage pipeline) and kernel
// events filling the file to `bytes`, as a long profile of one step looks.
std::string profile(size_t bytes, int microbatches) {
  std::string text;
  text.reserve(bytes + 4096);  // no doubling while it grows: the peak before the import is the text itself
  text += R"({"schemaVersion":1,"distributedInfo":{"rank":0,"world_size":1},"traceEvents":[)";
  const std::string kernel =
      R"({"ph":"X","cat":"kernel","name":"void at::native::vectorized_elementwise_kernel<4, at::native::FillFunctor<float>>","pid":0,"tid":7,"ts":1700000000000.5,"dur":1.25,"args":{"stream":7,"correlation":12345}},)";
  char buf[160];
  for (int i = 0; i < microbatches; ++i) {
    std::snprintf(buf, sizeof buf, R"({"ph":"X","cat":"user_annotation","name":"PP:0F%d","pid":1,"tid":1,"ts":%.3f,"dur":1000},)", i,
                  1.7e12 + i * 3000.0);
    text += buf;
    std::snprintf(buf, sizeof buf, R"({"ph":"X","cat":"user_annotation","name":"PP:0B%d","pid":1,"tid":1,"ts":%.3f,"dur":2000},)", i,
                  1.7e12 + i * 3000.0 + 1000);
    text += buf;
  }
  while (text.size() < bytes) text += kernel;
  text += R"({"ph":"i","name":"end","ts":1,"pid":1,"tid":1}]})";
  return text;
}

}  // namespace

int main() {
  std::printf("%-10s %10s %10s %12s %18s %8s\n", "file MB", "PP ops", "import s", "MB/s", "peak +MB (RSS)", "makespan");
  // Largest first: ru_maxrss is a peak, so each smaller run's text fits in memory already counted.
  for (size_t mb : {200, 50, 10}) {
    const int microbatches = 5000;
    const std::string text = profile(mb << 20, microbatches);
    const double before = peak_rss_mb();
    const auto t0 = std::chrono::steady_clock::now();
    ppemu::Result<ppemu::MeasuredRun> m = ppemu::import_trace({{"rank0.json", text}});
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!m.ok()) {
      std::printf("import failed: %s\n", m.error().c_str());
      return 1;
    }
    const double added = peak_rss_mb() - before;
    char peak[32] = "(under the first)";
    if (mb == 200) std::snprintf(peak, sizeof peak, "%.1f", added);
    std::printf("%-10zu %10zu %10.3f %12.1f %18s %8g\n", mb, m->run.timeline.size(), seconds, static_cast<double>(text.size()) / (1 << 20) / seconds,
                peak, m->run.metrics.makespan);
  }
  return 0;
}
