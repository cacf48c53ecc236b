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
  Result<Config> config = build_config(options);
  if (!config.ok()) return bad_input(config.error());
  Result<Run> result = simulate(config.value());
  if (!result.ok()) return bad_input(result.error());
  Result<std::string> text = render(*format, result.value());
  if (!text.ok()) return bad_input(text.error());
  return write_output(options, text.value());
}

}  // namespace

extern const Mode kRunMode;
const Mode kRunMode = {"run a strategy", "[key=value ...] [--config FILE.json] [--format FORMAT] [-o FILE]", selected, run,
                       &run_formats()};

}  // namespace ppemu::cli
