#pragma once
// Where a run's config comes from, in order: the defaults, --config FILE, then key=value.
#include "options.h"
#include "ppemu/config.h"
#include "ppemu/result.h"

namespace ppemu::cli {

/// The config the options describe (not yet resolved: simulate resolves it). Errors name the
/// file or the key.
Result<Config> build_config(const Options& options);

}  // namespace ppemu::cli
