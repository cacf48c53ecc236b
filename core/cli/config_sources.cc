#include "config_sources.h"

#include "io.h"

namespace ppemu::cli {

Result<Config> build_config(const Options& options) {
  Config config;
  if (!options.config_file.empty()) {
    std::string text;
    if (!read_file(options.config_file, text)) return Error{"cannot read config file " + options.config_file};
    if (Status st = apply_json(config, text); !st.ok()) return Error{options.config_file + ": " + st.error()};
  }
  for (const std::string& a : options.assignments)
    if (Status st = apply_assignment(config, a); !st.ok()) return Error{st.error()};
  return config;
}

}  // namespace ppemu::cli
