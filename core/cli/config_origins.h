#pragma once
// Which file and line set each key of a run's config, so that an error about a key says where
// to fix it: "conf/model_A.yaml: line 12: op_times.forward gives no time for stage 3; ...".
#include <map>
#include <string>
#include <vector>

#include "config_files.h"

namespace ppemu::cli {

class ConfigOrigins {
 public:
  /// A source of keys, in the order sources apply; a ConfigFile with an empty path is the
  /// command line (an error about its keys is shown as it is).
  void add(ConfigFile source);

  /// An error raised while applying `file`: its line, or that of the group file the message
  /// starts with ("conf/model/x.yaml: model.num_layers ...").
  std::string in(const ConfigFile& file, const std::string& error) const;

  /// An error found after every source applied (resolving, a strategy's constraints): the
  /// first key it names that a source set, placed in the last source that set it.
  std::string locate(const std::string& error) const;

 private:
  std::vector<ConfigFile> sources_;
};

}  // namespace ppemu::cli
