#pragma once
// What the trace targets share: the input holds one or more files, each read as the CLI's
// --trace reads it (inflated first when it is gzip), then imported in one format and taken
// through everything the trace mode does with a measured run: fit, replay, a what-if, the
// report in both forms and every export of the measured run.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "checks.h"
#include "gunzip.h"
#include "ppemu/trace_fit.h"
#include "ppemu/trace_import.h"

namespace ppemu::fuzz {

/// Between two files of a fuzz input: text, since a gzip file's bytes hold NULs and newlines.
constexpr std::string_view kFileSeparator = "\n--ppemu-file--\n";

/// A fuzz input as trace files: files are separated by kFileSeparator; the first line of each is its
/// name (the PyTorch rank and the Megatron sizes come from it), the rest its text. Names are
/// made printable and short, as a file system hands them over; a name ending .gz loses it as the
/// CLI strips it. A text starting with gzip's magic bytes is inflated (at most 1 MB) as the CLI does.
struct TraceInput {
  std::vector<std::string> names, texts;
  std::string error;  ///< gunzip refused a file (checked as a user's error)
};

inline TraceInput trace_input(std::string_view data) {
  TraceInput in;
  while (!data.empty() && in.names.size() < 16) {  // a set of ranks; more only slows the fuzzer down
    const size_t cut = data.find(kFileSeparator);
    const std::string_view piece = data.substr(0, cut);
    data = cut == std::string_view::npos ? std::string_view{} : data.substr(cut + kFileSeparator.size());
    const size_t eol = piece.find('\n');
    std::string name(piece.substr(0, std::min<size_t>(eol, 120)));
    for (char& ch : name)
      if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) ch = '_';
    std::string text(eol == std::string_view::npos ? std::string_view{} : piece.substr(eol + 1));
    if (is_gzip(text)) {
      Result<std::string> inflated = gunzip(text, size_t{1} << 20);
      if (!inflated.ok()) {
        in.error = name + ": " + inflated.error();
        return in;
      }
      text = std::move(inflated).value();
    }
    if (name.size() > 3 && name.compare(name.size() - 3, 3, ".gz") == 0) name.resize(name.size() - 3);
    in.names.push_back(std::move(name));
    in.texts.push_back(std::move(text));
  }
  return in;
}

/// Imports the input's files as `format`, then checks the measured run, its fit and replay, a
/// what-if on the fitted times and the trace mode's report.
inline void check_trace_input(std::string_view data, TraceFormat format) {
  const TraceInput in = trace_input(data);
  if (!in.error.empty()) {
    check_error(in.error);
    return;
  }
  std::vector<TraceFile> files;
  for (size_t i = 0; i < in.names.size(); ++i) files.push_back({in.names[i], in.texts[i]});
  TraceOptions options;
  options.format = format;
  options.limits = small_limits();
  options.max_file_bytes = size_t{1} << 20;
  Result<MeasuredRun> imported = import_trace(files, options);
  if (!imported.ok()) {
    check_error(imported.error());
    return;
  }
  MeasuredRun& measured = imported.value();
  PPEMU_FUZZ_REQUIRE(measured.format == format, "import_trace read another format than it was told");
  PPEMU_FUZZ_REQUIRE(measured.device_files.size() == static_cast<size_t>(measured.run.schedule.num_devices),
                     "a device without its file");
  PPEMU_FUZZ_REQUIRE(measured.run.timeline.size() == 0 || measured.run.timeline.start.size() == measured.run.timeline.size(),
                     "the timeline's columns differ in length");
  double earliest = measured.run.timeline.size() ? measured.run.timeline.start[0] : 0;
  for (size_t i = 0; i < measured.run.timeline.size(); ++i) earliest = std::min(earliest, measured.run.timeline.start[i]);
  PPEMU_FUZZ_REQUIRE(earliest == 0, "the earliest op starts at " + std::to_string(earliest) + ", not 0");
  for (const std::string& note : measured.notes) check_error(note);  // notes read like errors: one line each
  check_run(measured.run);

  const TraceFit fit = fit_trace(measured);
  for (const std::string& note : fit.notes) check_error(note);
  Result<Replay> replay = replay_trace(measured, fit, small_limits());
  if (!replay.ok()) {
    check_error(replay.error());
    return;
  }
  check_figures(replay->run);
  PPEMU_FUZZ_REQUIRE(replay->run.timeline.size() == measured.run.timeline.size(), "the replay has another number of ops");
  adopt_fit(measured, fit, replay->mode);

  // A what-if as `--trace ... strategy=1f1b` runs it: the fitted times on another strategy.
  std::string note;
  Result<Config> what_if = what_if_config(fit, [](Config& c) { return apply_assignment(c, "strategy=1f1b"); }, &note);
  std::optional<Run> what_if_run;
  if (what_if.ok()) {
    Result<Run> r = simulate(what_if.value(), small_limits());
    if (r.ok()) {
      check_figures(r.value());
      what_if_run = std::move(r).value();
    } else {
      check_error(r.error());
    }
  } else {
    check_error(what_if.error());
  }
  const Run* w = what_if_run ? &*what_if_run : nullptr;
  PPEMU_FUZZ_REQUIRE(nlohmann::json::accept(trace_json(measured, fit, replay.value(), w, note)), "trace_json wrote invalid JSON");
  PPEMU_FUZZ_REQUIRE(!trace_summary(measured, fit, replay.value(), w, note).empty(), "trace_summary wrote nothing");
  Config fitted;
  const Status read_back = apply_json(fitted, fitted_config_json(fit, replay->mode));
  PPEMU_FUZZ_REQUIRE(read_back.ok(), "the fitted config does not read back: " + read_back.error());
}

}  // namespace ppemu::fuzz
