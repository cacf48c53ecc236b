#pragma once
// Inflating a gzip file natively (zlib); the core itself takes text only (ppemu/trace_import.h).
#include <cstddef>
#include <string>
#include <string_view>

#include "ppemu/result.h"

namespace ppemu {

/// The decompressed bytes of a gzip stream (concatenated members too, as gzip -d reads them), or
/// an error: not gzip data, corrupt or cut short, or more than `max_bytes` once inflated.
Result<std::string> gunzip(std::string_view data, size_t max_bytes);

}  // namespace ppemu
