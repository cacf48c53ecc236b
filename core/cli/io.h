#pragma once
// The command line's side effects, in one place: reading files, the one-line error, the output.
#include <string>

#include "options.h"

namespace ppemu::cli {

/// Prints "ppemu: <message>" on stderr and returns the bad-input exit status, 2.
int bad_input(const std::string& message);

/// The whole file, or false if it cannot be read.
bool read_file(const std::string& path, std::string& out);

/// Writes `text` to -o FILE or standard output; 0, or 1 when it cannot be written.
int write_output(const Options& options, const std::string& text);

}  // namespace ppemu::cli
