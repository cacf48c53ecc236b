#include "ppemu/ascii.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>

namespace ppemu {
namespace {

std::string half(OpKind kind, int mb, int chunk, bool chunks) {
  std::string s = kind_name(kind);
  if (chunks && chunk == 1)
    for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  s += std::to_string(mb);
  if (chunks && chunk >= 2) s += "^" + std::to_string(chunk);
  return s;
}

std::vector<bool> devices_with_chunks(const Schedule& s) {
  std::vector<int> count(static_cast<size_t>(s.num_devices), 0);
  for (int32_t d : s.stage_device) ++count[static_cast<size_t>(d)];
  std::vector<bool> out(count.size());
  for (size_t d = 0; d < count.size(); ++d) out[d] = count[d] > 1;
  return out;
}

}  // namespace

std::string op_label(const Action& a, const std::vector<int32_t>& stage_chunk, bool chunks) {
  const int c = stage_chunk[static_cast<size_t>(a.stage)];
  if (a.kind == OpKind::OV)
    return half(OpKind::F, a.microbatch, c, chunks) + "&" +
           half(OpKind::BW, a.microbatch2, stage_chunk[static_cast<size_t>(a.stage2)], chunks);
  return half(a.kind, a.microbatch, c, chunks);
}

std::string ascii_order(const Schedule& s) {
  const auto chunk = s.stage_chunks();
  const auto chunks = devices_with_chunks(s);
  std::string out;
  for (int d = 0; d < s.num_devices; ++d) {
    out += "d" + std::to_string(d) + ":";
    for (const Action& a : s.device_actions[static_cast<size_t>(d)]) out += " " + op_label(a, chunk, chunks[static_cast<size_t>(d)]);
    out += "\n";
  }
  return out;
}

Result<std::string> ascii_timeline(const Schedule& s, const Timeline& tl, double cols_per_unit) {
  double makespan = 0;
  for (double e : tl.end) makespan = std::max(makespan, e);
  const size_t name_width = std::to_string(std::max(s.num_devices - 1, 0)).size() + 1;
  // Checked in doubles before any size_t: a makespan of 1e22 would wrap, 1e300 not round at all.
  const double columns = std::round(makespan * cols_per_unit);
  const double chars = (columns + static_cast<double>(name_width) + 3) * s.num_devices;
  if (!(columns >= 0 && chars <= kMaxAsciiChars)) {
    char what[160];
    std::snprintf(what, sizeof what, "%.6g columns wide on %d rows (makespan %.6g at %.6g columns per time unit)", columns,
                  s.num_devices, makespan, cols_per_unit);
    return Error{std::string("the ASCII timeline would be ") + what + ", more than " +
                 std::to_string(static_cast<int64_t>(kMaxAsciiChars)) +
                 " characters; use --format svg, or op times in a coarser unit"};
  }
  const auto chunk = s.stage_chunks();
  const auto chunks = devices_with_chunks(s);
  auto col = [&](double t) { return static_cast<size_t>(std::llround(t * cols_per_unit)); };
  const size_t width = col(makespan);
  std::string out;
  for (int d = 0; d < s.num_devices; ++d) {
    std::string row(width, '.');
    const auto& list = s.device_actions[static_cast<size_t>(d)];
    const uint32_t base = tl.device_offset[static_cast<size_t>(d)];
    for (size_t k = 0; k < list.size(); ++k) {
      const size_t lo = col(tl.start[base + k]), hi = std::max(col(tl.end[base + k]), lo + 1);
      const std::string label = op_label(list[k], chunk, chunks[static_cast<size_t>(d)]);
      // Whole runs at once (a copy and a fill, not a test per column): a long op is millions of columns.
      const size_t end = std::min(hi, row.size());
      if (lo >= end) continue;
      const size_t n = std::min(label.size(), end - lo);
      std::copy_n(label.begin(), n, row.begin() + static_cast<std::ptrdiff_t>(lo));
      std::fill(row.begin() + static_cast<std::ptrdiff_t>(lo + n), row.begin() + static_cast<std::ptrdiff_t>(end), ' ');
    }
    std::string name = "d" + std::to_string(d);
    name.resize(name_width, ' ');
    out += name + " |" + row + "|\n";
  }
  return out;
}

}  // namespace ppemu
