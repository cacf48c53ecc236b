#pragma once
// The command line's options: one table (options.cc) that parses them and prints --help, so an
// option is one line there plus the field it fills here.
#include <string>
#include <vector>

#include "ppemu/result.h"

namespace ppemu::cli {

struct Options {
  std::vector<std::string> assignments;  ///< key=value overrides, in order
  std::string config_file;               ///< --config FILE (.json, or .yaml / .yml)
  std::string config_path = "conf";      ///< --config-path DIR, relative to the working directory
  std::string config_name = "config";    ///< --config-name NAME: the primary config is DIR/NAME.yaml
  std::string cfg;                       ///< --cfg job: print the resolved config instead of running
  std::string format = "summary";        ///< --format
  std::string output;                    ///< -o FILE; empty = standard output
  std::string schedule_file;             ///< --schedule FILE.csv
  std::string csv_dialect;               ///< --csv-dialect; empty = auto
  std::vector<std::string> trace_inputs; ///< --trace FILE_OR_DIR...
  std::string trace_format;              ///< --trace-format; empty = auto
  bool help = false;
  bool list_strategies = false;
  std::vector<std::string> given;        ///< option names given (first spelling), for "only with" checks

  bool has(const char* name) const;
};

struct OptionSpec {
  const char* name;        ///< --long
  const char* alias;       ///< another spelling (-o, -cn), or null
  const char* value_name;  ///< shown in --help; null for a flag
  const char* help;        ///< one or more lines for --help ('\n' between lines)
  /// Stores the value; an error is one line naming the option.
  Status (*set)(Options& options, const std::string& value);
  /// The option takes every following argument that is neither an option nor key=value (--trace a b c).
  bool many = false;
};

const std::vector<OptionSpec>& option_specs();

/// Reads argv into options. `--opt value` and `--opt=value` both work.
Status parse_args(int argc, char** argv, Options& options);

/// The text of --help: usage, config keys with defaults, options, formats, metrics.
std::string usage();

}  // namespace ppemu::cli
