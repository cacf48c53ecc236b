#pragma once
// What the fuzz targets assert beyond "no crash, leak, hang or blow-up": errors are one readable
// line, a resolved config reads back as itself, a run's figures are finite and consistent, and
// every export of a run is well formed. A failed check prints what broke and aborts, which
// libFuzzer reports as a crash (keeping the input) and ctest's replay as a failed test.
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "ppemu/ascii.h"
#include "ppemu/config.h"
#include "ppemu/export.h"
#include "ppemu/pytorch_csv.h"
#include "ppemu/simulate.h"

namespace ppemu::fuzz {

[[noreturn]] inline void fail(const std::string& what) {
  std::fprintf(stderr, "fuzz check failed: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

// A macro so the message is built only when the check fails (the checks run millions of times).
#define PPEMU_FUZZ_REQUIRE(condition, message)     \
  do {                                             \
    if (!(condition)) ::ppemu::fuzz::fail(message); \
  } while (false)

inline std::string_view text_of(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// The pieces of `text` between `separator`s (a trailing separator adds no empty piece).
inline std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    const size_t end = text.find(separator);
    out.push_back(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return out;
}

/// The runs the whole-run and CSV targets emulate stay small, so that a slow or huge input means
/// a bug rather than a big run. The other limits are the native defaults: the op budget alone
/// must keep every step small. At 4096 ops the JSON and trace exports (nlohmann's DOM) took
/// 0.65 s under ASan on a loaded 2-core machine, too near the 1 s timeout.
inline Limits small_limits() {
  Limits limits;
  limits.max_ops = 2048;
  return limits;
}

/// An error as a person reads it: one line, not empty, no control characters, short enough to
/// take in (offending text is quoted in part, not echoed whole).
inline void check_error(const std::string& message) {
  constexpr size_t kMaxChars = 600;
  PPEMU_FUZZ_REQUIRE(!message.empty(), "an error with an empty message");
  for (char ch : message)
    PPEMU_FUZZ_REQUIRE(static_cast<unsigned char>(ch) >= 0x20 && ch != 0x7f,
                       "error message holds a control character (byte " + std::to_string(static_cast<unsigned char>(ch)) +
                           "): " + message);
  PPEMU_FUZZ_REQUIRE(message.size() <= kMaxChars,
                     "error message of " + std::to_string(message.size()) + " characters: " + message.substr(0, 200) + "...");
}

/// A resolved config written out and read back (as --config reads the JSON export's `config`)
/// resolves to the same config.
inline void check_config_round_trip(const Config& resolved) {
  const std::string text = config_to_json(resolved);
  Config again;
  const Status applied = apply_json(again, text);
  PPEMU_FUZZ_REQUIRE(applied.ok(), "config_to_json does not read back: " + applied.error() + "\n" + text);
  const Status st = resolve(again);
  PPEMU_FUZZ_REQUIRE(st.ok(), "config_to_json reads back but does not resolve: " + st.error() + "\n" + text);
  PPEMU_FUZZ_REQUIRE(config_to_json(again) == text, "config changes on a round trip:\n" + text + "\n" + config_to_json(again));
}

/// What every config reader's target checks once its input is applied (`applied`): a refusal,
/// there or in resolve, is one readable line; a config that resolves round-trips.
inline void check_config(Config& config, const Status& applied) {
  const Status st = applied.ok() ? resolve(config) : applied;
  if (!st.ok()) return check_error(st.error());
  check_config_round_trip(config);
}

/// Whether `word` occurs in `text` not as part of a longer word ("nan" but not "nanosecond").
inline bool has_word(std::string_view text, std::string_view word) {
  auto letter = [](char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'); };
  for (size_t at = text.find(word); at != std::string_view::npos; at = text.find(word, at + 1)) {
    const size_t after = at + word.size();
    if ((at == 0 || !letter(text[at - 1])) && (after == text.size() || !letter(text[after]))) return true;
  }
  return false;
}

inline bool near_or_above(double x, double lo) { return x >= lo - 1e-9 * (1 + std::fabs(lo)); }
inline bool near_or_below(double x, double hi) { return x <= hi + 1e-9 * (1 + std::fabs(hi)); }

/// The timeline and metrics agree with the README's definitions where they can be checked
/// cheaply: finite times, ops inside the makespan, ratios in [0, 1].
inline void check_figures(const Run& run) {
  const Timeline& tl = run.timeline;
  const Metrics& mx = run.metrics;
  PPEMU_FUZZ_REQUIRE(tl.num_devices() == run.schedule.num_devices, "timeline and schedule disagree on the device count");
  PPEMU_FUZZ_REQUIRE(mx.devices.size() == static_cast<size_t>(run.schedule.num_devices), "metrics miss a device");
  PPEMU_FUZZ_REQUIRE(std::isfinite(mx.makespan) && mx.makespan >= 0, "makespan is " + std::to_string(mx.makespan));
  for (size_t i = 0; i < tl.size(); ++i) {
    PPEMU_FUZZ_REQUIRE(std::isfinite(tl.start[i]) && std::isfinite(tl.end[i]) && tl.start[i] >= 0 && tl.end[i] >= tl.start[i],
                       "op " + std::to_string(i) + " runs from " + std::to_string(tl.start[i]) + " to " + std::to_string(tl.end[i]));
    PPEMU_FUZZ_REQUIRE(tl.end[i] <= mx.makespan, "op " + std::to_string(i) + " ends after the makespan");
  }
  auto ratio = [](double x) { return std::isfinite(x) && near_or_above(x, 0) && near_or_below(x, 1); };
  PPEMU_FUZZ_REQUIRE(ratio(mx.bubble_ratio), "bubble_ratio is " + std::to_string(mx.bubble_ratio));
  PPEMU_FUZZ_REQUIRE(ratio(mx.span_bubble_ratio), "span_bubble_ratio is " + std::to_string(mx.span_bubble_ratio));
  PPEMU_FUZZ_REQUIRE(std::isfinite(mx.bubble_over_ideal) && near_or_above(mx.bubble_over_ideal, 0),
                     "bubble_over_ideal is " + std::to_string(mx.bubble_over_ideal));
  PPEMU_FUZZ_REQUIRE(std::isfinite(mx.peak_memory) && mx.peak_memory >= 0, "peak_memory is " + std::to_string(mx.peak_memory));
  for (size_t i = 0; i < mx.memory.used.size(); ++i)
    PPEMU_FUZZ_REQUIRE(std::isfinite(mx.memory.used[i]) && near_or_above(mx.memory.used[i], 0) && near_or_below(mx.memory.used[i], mx.peak_memory),
                       "the memory series holds " + std::to_string(mx.memory.used[i]) + " at point " + std::to_string(i));
  for (const DeviceMetrics& d : mx.devices) {
    PPEMU_FUZZ_REQUIRE(std::isfinite(d.peak_memory) && d.static_memory <= d.peak_memory, "a device's memory figures are off");
    PPEMU_FUZZ_REQUIRE(std::isfinite(d.busy) && std::isfinite(d.idle) && near_or_above(d.idle, 0), "a device's busy/idle is off");
    PPEMU_FUZZ_REQUIRE(ratio(d.bubble_ratio) && ratio(d.span_bubble_ratio), "a device's bubble ratio is outside [0, 1]");
    PPEMU_FUZZ_REQUIRE(d.peak_activations_until_B <= d.peak_activations && d.peak_activations >= 0, "a device's peaks are off");
  }
}

/// `--format csv` reads back, in the current dialect, as the same schedule.
inline void check_csv_round_trip(const Run& run) {
  const Result<std::string> csv = to_pytorch_csv(run.schedule);
  if (!csv.ok()) {
    check_error(csv.error());
    return;
  }
  const Result<ImportedSchedule> back = read_pytorch_csv(csv.value(), CsvDialect::Current);
  PPEMU_FUZZ_REQUIRE(back.ok(), "the CSV export does not read back: " + back.error() + "\n" + csv.value());
  const Schedule& s = back->schedule;
  PPEMU_FUZZ_REQUIRE(s.device_actions == run.schedule.device_actions && s.stage_device == run.schedule.stage_device &&
                         s.num_microbatches == run.schedule.num_microbatches,
                     "the CSV export reads back as another schedule:\n" + csv.value());
}

/// Every view the CLI and the page offer: json, trace, svg, summary, ascii, csv.
inline void check_exports(const Run& run) {
  using nlohmann::json;
  // accept() validates without building a DOM, at a third of parse()'s cost under ASan.
  PPEMU_FUZZ_REQUIRE(json::accept(to_json(run)), "to_json wrote invalid JSON");
  PPEMU_FUZZ_REQUIRE(json::accept(to_trace(run)), "to_trace wrote invalid JSON");

  const std::string svg = to_svg(run);
  PPEMU_FUZZ_REQUIRE(svg.find("<svg") != std::string::npos && svg.rfind("</svg>") != std::string::npos,
                     "to_svg wrote no complete <svg> element");
  PPEMU_FUZZ_REQUIRE(!has_word(svg, "nan") && !has_word(svg, "inf"), "to_svg wrote a number that is not finite");

  PPEMU_FUZZ_REQUIRE(!to_summary(run).empty(), "to_summary wrote nothing");
  const Result<std::string> ascii = ascii_timeline(run.schedule, run.timeline, 2);  // the CLI's --format ascii
  if (ascii.ok())
    PPEMU_FUZZ_REQUIRE(!ascii.value().empty(), "ascii_timeline wrote nothing");
  else
    check_error(ascii.error());
  check_csv_round_trip(run);
}

inline void check_run(const Run& run) {
  check_figures(run);
  check_exports(run);
}

}  // namespace ppemu::fuzz
