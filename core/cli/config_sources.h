#pragma once
// Where a run's config comes from, in order: the built-in defaults, Hydra's primary config
// (--config-path DIR, --config-name NAME: DIR/NAME.yaml with its defaults list), --config FILE
// (JSON or YAML), then key=value. This is the one place that orders them.
#include <string>

#include "config_origins.h"
#include "options.h"
#include "ppemu/config.h"
#include "ppemu/result.h"

namespace ppemu::cli {

struct BuiltConfig {
  Config config;          ///< not yet resolved: simulate resolves it
  ConfigOrigins origins;  ///< for errors found later: origins.locate(error) names the file and line
};

/// The config the options describe. Errors name the file, line and key, or the argument.
Result<BuiltConfig> build_config(const Options& options);

/// After a run that succeeded: one note on stderr per key that was given and is ignored.
void note_ignored_keys(const Config& config);

}  // namespace ppemu::cli
