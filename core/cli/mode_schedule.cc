// --schedule FILE.csv: a PyTorch pipelining schedule decides the order; the config its times.
#include "config_sources.h"
#include "io.h"
#include "modes.h"
#include "ppemu/pytorch_csv.h"

namespace ppemu::cli {
namespace {

bool selected(const Options& options) { return options.has("--schedule"); }

int run(const Options& options) {
  const Format* format = find_format(run_formats(), options.format);
  if (!format) return bad_input("--format must be one of: " + format_names() + " (got '" + options.format + "')");
  CsvDialect dialect = CsvDialect::Auto;
  if (!options.csv_dialect.empty()) {
    Result<CsvDialect> d = parse_csv_dialect(options.csv_dialect);
    if (!d.ok()) return bad_input("--csv-dialect: " + d.error());
    dialect = d.value();
  }
  // Counts typed next to the file would silently lose to it; say so instead.
  for (const std::string& a : options.assignments) {
    const std::string key = a.substr(0, a.find('='));
    for (const char* from_file : {"strategy", "num_devices", "num_stages", "num_batches", "microbatch_group_size_per_vp_stage"})
      if (key == from_file)
        return bad_input(key + " cannot be given with --schedule: the file decides the order and the counts (rows are ranks, "
                               "stage and microbatch numbers give the rest)");
  }
  Result<BuiltConfig> built = build_config(options);
  if (!built.ok()) return bad_input(built.error());
  std::string csv;
  if (!read_file(options.schedule_file, csv)) return bad_input("cannot read schedule file " + options.schedule_file);
  Result<Run> result = simulate_pytorch_csv(built.value().config, csv, dialect);
  if (!result.ok()) return bad_input(options.schedule_file + ": " + result.error());
  note_ignored_keys(built.value().config);
  return write_run(options, *format, result.value());
}

}  // namespace

extern const Mode kScheduleMode;
const Mode kScheduleMode = {"emulate a schedule file",
                            "--schedule FILE.csv [--csv-dialect auto|current|legacy] [op_times.*=... p2p_latency=...] [...]",
                            selected, run, nullptr};

}  // namespace ppemu::cli
