#pragma once
// What the command line does: run a strategy (the default), emulate a schedule file, and the
// modes other options select. One file per mode, listed once in modes.inc; the first mode whose
// `selected` is true runs.
#include <vector>

#include "formats.h"
#include "options.h"

namespace ppemu::cli {

struct Mode {
  const char* name;                    ///< for --help ("run", "schedule file")
  const char* usage;                   ///< its usage line after "ppemu "
  bool (*selected)(const Options& options);
  /// Exit status: 0 done, 2 bad input (one line on stderr), 1 could not write.
  int (*run)(const Options& options);
  const std::vector<Format>* formats;  ///< what --format takes in this mode (for --help); may be null
};

/// In modes.inc order; the last one is selected when no other is.
const std::vector<const Mode*>& modes();

}  // namespace ppemu::cli
