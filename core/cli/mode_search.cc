// --search: every strategy (or strategies=...) times the varied keys' values, emulated, ranked by
// time with peak memory beside it (ppemu/search.h holds the rules; this file only prints).
#include <algorithm>
#include <cstdio>
#include <map>

#include "config_sources.h"
#include "io.h"
#include "modes.h"
#include "ppemu/search.h"

namespace ppemu::cli {
namespace {

const std::vector<Format>& search_formats() {
  static const std::vector<Format> formats = {
      {"summary", "the ranking as a table: rank, strategy, varied keys, time, peak memory, Pareto front, over the cap", nullptr},
      {"json", "one JSON object: settings, counts, best, rows in rank order, skipped rows with their reasons", nullptr},
  };
  return formats;
}

bool selected(const Options& options) { return options.has("--search"); }

std::string num(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", x);
  return buf;
}

std::string pad(std::string s, size_t width, bool left = false) {
  if (s.size() >= width) return s + " ";
  return left ? s + std::string(width - s.size(), ' ') : std::string(width - s.size(), ' ') + s;
}

std::string describe(const SearchSpec& spec, const SearchRow& r) {
  std::string out = r.strategy;
  for (size_t d = 0; d < spec.vary.size(); ++d) out += " " + spec.vary[d].key + "=" + r.values[d];
  return out;
}

bool varies(const SearchSpec& spec, const std::string& key) {
  for (const SearchDimension& d : spec.vary)
    if (d.key == key && d.values.size() > 1) return true;
  return false;
}

// What makes rows do different work, said before the table so nobody reads less work as a
// faster schedule.
std::string work_notes(const SearchSpec& spec) {
  std::string out;
  if (const int stages = same_model_stages(spec); stages > 0) {
    out += "same model: op times and op memory x " + std::to_string(stages) +
           " / num_stages (model_stages=" + std::to_string(stages) +
           "), so every split computes the same model; same_model=0 keeps them per stage\n";
  } else if (!spec.same_model && varies(spec, "num_stages")) {
    out += "same_model=0: op times are per stage, so a configuration with more stages computes more of the model\n";
  }
  if (varies(spec, "num_batches"))
    out += "num_batches varies: fewer microbatches is less work per iteration, so a faster row may simply do less;\n"
           "  compare rows at one num_batches, or their time per microbatch\n";
  return out;
}

std::string table(const SearchSpec& spec, const SearchResult& result) {
  std::string out = "search: " + std::to_string(spec.strategies.size()) + " strategies";
  for (const SearchDimension& d : spec.vary)
    out += " x " + d.key + " (" + std::to_string(d.values.size()) + (d.values.size() == 1 ? " value)" : " values)");
  out += " = " + std::to_string(result.rows.size()) + " configurations; " + std::to_string(result.ran) + " ran, " +
         std::to_string(result.skipped) + " skipped (their constraints do not hold)" +
         (result.duplicates ? ", " + std::to_string(result.duplicates) + " repeats of another (a key the strategy does not read)" : "") +
         "\n";
  if (spec.memory_cap) out += "memory_cap " + num(*spec.memory_cap) + "\n";
  out += work_notes(spec);
  if (result.best >= 0) {
    const SearchRow& b = result.rows[static_cast<size_t>(result.best)];
    out += std::string(spec.memory_cap ? "fastest within the cap: " : "fastest: ") + describe(spec, b) + "  (time " + num(b.time) +
           ", peak memory " + num(b.peak_memory) + ")\n";
  } else if (result.ran > 0) {
    out += "no configuration fits within the cap\n";
  }
  out += "\n";
  std::vector<size_t> widths;
  std::string head = pad("rank", 5) + "  " + pad("strategy", 26, true);
  for (const SearchDimension& d : spec.vary) {
    widths.push_back(std::max<size_t>(d.key.size() + 1, 8));
    head += pad(d.key, widths.back());
  }
  head += pad("time", 12) + pad("peak_memory", 13) + pad("bubble", 10) + "  pareto  cap\n";
  out += head;
  for (size_t i : result.ranking) {
    const SearchRow& r = result.rows[i];
    std::string line = pad(std::to_string(r.rank), 5) + "  " + pad(r.strategy, 26, true);
    for (size_t d = 0; d < spec.vary.size(); ++d) line += pad(r.values[d], widths[d]);
    line += pad(num(r.time), 12) + pad(num(r.peak_memory), 13) + pad(num(r.bubble_ratio), 10);
    line += r.pareto ? "  *     " : "        ";
    line += r.over_cap ? "  over" : "";
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  if (result.skipped > 0) {
    out += "\nskipped, by strategy (the first reason each):\n";
    for (const std::string& s : spec.strategies) {
      size_t n = 0;
      const SearchRow* first = nullptr;
      for (const SearchRow& r : result.rows)
        if (!r.ran && r.duplicate_of < 0 && r.strategy == s && n++ == 0) first = &r;
      if (n > 0) out += "  " + pad(s, 26, true) + pad(std::to_string(n), 6) + "  " + first->skipped + "\n";
    }
  }
  const SearchUnits units = search_units(spec);
  out += "\n'pareto': no other configuration is both at least as fast and at least as light, and better in one;\n"
         "time is " + std::string(units.time == "ms" ? "the projected iteration time in ms" : "the makespan in op_times units") +
         "; peak_memory the max over devices in " + (units.memory == "bytes" ? "bytes" : "op_memory units") + ".\n";
  return out;
}

int run(const Options& options) {
  const std::string& format = options.format;
  if (format != "summary" && format != "json") return bad_input("--search --format must be summary or json (got '" + format + "')");
  for (const char* other : {"--schedule", "--csv-dialect"})
    if (options.has(other)) return bad_input(std::string(other) + " cannot be combined with --search");
  Options config_options = options;
  config_options.assignments.clear();
  std::vector<std::string> search_assignments;
  for (const std::string& a : options.assignments) {
    std::string key = a.substr(0, a.find('='));
    key.erase(0, key.find_first_not_of('+'));
    (is_search_key(key) ? search_assignments : config_options.assignments).push_back(a);
  }
  Result<BuiltConfig> built = build_config(config_options);
  if (!built.ok()) return bad_input(built.error());
  Result<SearchSpec> spec = make_search(built.value().config, search_assignments);
  if (!spec.ok()) return bad_input(built.value().origins.locate(spec.error()));
  const SearchResult result = run_search(spec.value());
  note_ignored_keys(built.value().config);
  return write_output(options, format == "json" ? search_to_json(spec.value(), result, 2) + "\n" : table(spec.value(), result));
}

}  // namespace

extern const Mode kSearchMode;
const Mode kSearchMode = {"search", "--search [strategies=all] [memory_cap=X] [vary=KEY,...] [vary.KEY=VALUES ...] [key=value ...]",
                          selected, run, &search_formats()};

}  // namespace ppemu::cli
