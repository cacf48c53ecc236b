// The default mode: a registered strategy with the config's settings.
#include "config_sources.h"
#include "io.h"
#include "modes.h"
#include "ppemu/simulate.h"

namespace ppemu::cli {
namespace {

bool selected(const Options&) { return true; }

int run(const Options& options) {
  const Format* format = find_format(run_formats(), options.format);
  if (!format) return bad_input("--format must be one of: " + format_names() + " (got '" + options.format + "')");
  if (options.has("--csv-dialect")) return bad_input("--csv-dialect applies only with --schedule FILE.csv");
  Result<BuiltConfig> built = build_config(options);
  if (!built.ok()) return bad_input(built.error());
  Result<Run> result = simulate(built.value().config);
  if (!result.ok()) return bad_input(built.value().origins.locate(result.error()));
  note_ignored_keys(built.value().config);
  return write_run(options, *format, result.value());
}

}  // namespace

extern const Mode kRunMode;
const Mode kRunMode = {"run a strategy", "[key=value ...] [--config-path DIR] [--config-name NAME] [--config FILE] [--format FORMAT] [-o FILE]", selected, run,
                       &run_formats()};

}  // namespace ppemu::cli
