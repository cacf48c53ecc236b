#pragma once
// The command line's side effects, in one place: reading files, the one-line error, the output.
#include <functional>
#include <string>

#include "options.h"
#include "ppemu/export.h"

namespace ppemu::cli {

/// Prints "ppemu: <message>" on stderr and returns the bad-input exit status, 2.
int bad_input(const std::string& message);

/// The whole file, or false if it cannot be read.
bool read_file(const std::string& path, std::string& out);

/// Writes `text` to -o FILE or standard output; 0, or 1 when it cannot be written.
int write_output(const Options& options, const std::string& text);

/// The same for a text `write` hands to its sink in pieces (a streamed export).
int write_streamed(const Options& options, const std::function<void(const TextSink&)>& write);

}  // namespace ppemu::cli
