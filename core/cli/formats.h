#pragma once
// How a finished run is written: one table per mode, so --format, --help and the errors agree.
#include <string>
#include <vector>

#include "options.h"

#include "ppemu/export.h"
#include "ppemu/result.h"
#include "ppemu/simulate.h"

namespace ppemu::cli {

struct Format {
  const char* name;
  const char* what;
  std::string (*render)(const Run&);
  /// For formats that cannot express every run (instead of render): the text or why not.
  Result<std::string> (*try_render)(const Run&) = nullptr;
  /// For the large exports (json, trace): the same text in pieces, so the CLI never holds it whole.
  void (*stream)(const Run&, const TextSink&) = nullptr;
};

/// The formats of a single run (a strategy, an imported schedule).
const std::vector<Format>& run_formats();

/// "summary, json, trace, ..." of run_formats().
std::string format_names();

/// The format named `name` in `formats`, or null.
const Format* find_format(const std::vector<Format>& formats, const std::string& name);

/// Renders `run` in `format`; the error is in the same words as the page's exportRun.
Result<std::string> render(const Format& format, const Run& run);

/// Writes `run` in `format` to -o FILE or standard output (streamed where the format can be);
/// an exit status as write_output's, or bad input when the format cannot express the run.
int write_run(const Options& options, const Format& format, const Run& run);

}  // namespace ppemu::cli
