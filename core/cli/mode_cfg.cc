// --cfg job: the resolved config as YAML instead of a run (Hydra's way to see what will run).
// The text reads back with --config FILE.yaml, or from the config path with --config-name.
#include "config_sources.h"
#include "io.h"
#include "modes.h"
#include "ppemu/yaml.h"

namespace ppemu::cli {
namespace {

bool selected(const Options& options) { return options.has("--cfg"); }

int run(const Options& options) {
  if (options.has("--schedule")) return bad_input("--cfg job shows a strategy run's config; it does not combine with --schedule");
  if (options.has("--format")) return bad_input("--format does not apply with --cfg job, which always writes YAML");
  if (options.has("--csv-dialect")) return bad_input("--csv-dialect applies only with --schedule FILE.csv");
  Result<BuiltConfig> built = build_config(options);
  if (!built.ok()) return bad_input(built.error());
  Config config = built.value().config;
  if (Status st = resolve(config); !st.ok()) return bad_input(built.value().origins.locate(st.error()));
  Result<std::string> yaml = json_to_yaml(config_to_json(config));
  if (!yaml.ok()) return bad_input(yaml.error());
  note_ignored_keys(config);
  return write_output(options, yaml.value());
}

}  // namespace

extern const Mode kCfgMode;
const Mode kCfgMode = {"print the resolved config", "--cfg job [key=value ...] [--config-name NAME] [--config FILE] [-o FILE]", selected,
                       run, nullptr};

}  // namespace ppemu::cli
