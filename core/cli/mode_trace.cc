// --trace FILE_OR_DIR...: measured traces in; the measured metrics, the fitted op times, the
// replay's error table and, with strategy=..., a what-if on the fitted times out.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <optional>

#include "gunzip.h"
#include "io.h"
#include "modes.h"
#include "ppemu/export.h"
#include "ppemu/pytorch_csv.h"
#include "ppemu/trace_fit.h"
#include "ppemu/trace_import.h"

namespace ppemu::cli {
namespace {

// The measured run in the views a single run has; summary and json are the trace report.
const std::vector<Format>& trace_formats() {
  static const std::vector<Format> formats = [] {
    std::vector<Format> f = {
        {"summary", "measured metrics, fitted op times (key=value), replay error table, what-if", nullptr},
        {"json", "one object: measured (a run's fields), fitted (a config object), fit, replay, what_if", nullptr},
    };
    for (const Format& run : run_formats())
      if (std::string(run.name) != "summary" && std::string(run.name) != "json")
        f.push_back({run.name, run.what, run.render, run.try_render});
    return f;
  }();
  return formats;
}

bool selected(const Options& options) { return options.has("--trace"); }

bool ends_with(const std::string& s, const char* tail) {
  const std::string t = tail;
  return s.size() >= t.size() && s.compare(s.size() - t.size(), t.size(), t) == 0;
}

// Files named on the command line, and the *.json / *.json.gz / *.gz in folders named there.
Result<std::vector<std::string>> trace_paths(const std::vector<std::string>& inputs) {
  namespace fs = std::filesystem;
  std::vector<std::string> paths;
  for (const std::string& in : inputs) {
    std::error_code ec;
    if (!fs::is_directory(in, ec)) {
      paths.push_back(in);
      continue;
    }
    std::vector<std::string> found;
    for (const auto& entry : fs::directory_iterator(in, ec)) {
      const std::string name = entry.path().filename().string();
      if (entry.is_regular_file(ec) && (ends_with(name, ".json") || ends_with(name, ".gz"))) found.push_back(entry.path().string());
    }
    if (ec) return Error{"cannot list folder " + in + ": " + ec.message()};
    if (found.empty()) return Error{"folder " + in + " holds no .json or .json.gz files"};
    std::sort(found.begin(), found.end());
    paths.insert(paths.end(), found.begin(), found.end());
  }
  return paths;
}

// trace.offset_ms.<rank>=MS (or trace.offset_ms=[...], one per rank from 0) moves a rank's clock.
bool offset_assignment(const std::string& a) { return a.rfind("trace.offset_ms", 0) == 0; }

Status parse_offset(const std::string& a, std::map<int, double>& offsets) {
  const size_t eq = a.find('=');
  const std::string key = a.substr(0, eq == std::string::npos ? a.size() : eq);
  const std::string value = eq == std::string::npos ? "" : a.substr(eq + 1);
  auto number = [](const std::string& text, double& out) {
    char* rest = nullptr;
    out = std::strtod(text.c_str(), &rest);
    return !text.empty() && *rest == '\0' && std::isfinite(out);
  };
  if (key == "trace.offset_ms") {
    if (value.size() < 2 || value.front() != '[' || value.back() != ']')
      return Error{"trace.offset_ms takes a list of ms, one per rank from 0 ([0,0.5,0,0]), or use trace.offset_ms.<rank>=MS"};
    std::string item;
    int rank = 0;
    for (size_t i = 1; i < value.size(); ++i) {
      if (value[i] != ',' && value[i] != ']') {
        item += value[i];
        continue;
      }
      double ms;
      if (!number(item, ms)) return Error{"trace.offset_ms: '" + item + "' is not a number of ms"};
      offsets[rank++] = ms;
      item.clear();
    }
    return {};
  }
  const std::string rank_text = key.substr(std::string("trace.offset_ms.").size());
  char* rest = nullptr;
  const long rank = key.size() > 16 && key[15] == '.' ? std::strtol(rank_text.c_str(), &rest, 10) : -1;
  if (rank < 0 || !rest || *rest != '\0' || rank_text.empty())
    return Error{"unknown key " + key + "; a rank's clock offset is trace.offset_ms.<rank>=MS (e.g. trace.offset_ms.2=0.35)"};
  double ms;
  if (!number(value, ms)) return Error{key + " must be a number of ms (got '" + value + "')"};
  offsets[static_cast<int>(rank)] = ms;
  return {};
}

int run(const Options& options) {
  const Format* format = find_format(trace_formats(), options.format);
  if (!format) {
    std::string names;
    for (const Format& f : trace_formats()) names += (names.empty() ? "" : ", ") + std::string(f.name);
    return bad_input("--format must be one of: " + names + " with --trace (got '" + options.format + "')");
  }
  if (options.has("--schedule")) return bad_input("--trace and --schedule are two modes; give one");
  if (options.has("--csv-dialect")) return bad_input("--csv-dialect applies only with --schedule FILE.csv");
  TraceOptions trace_options;
  if (!options.trace_format.empty()) {
    Result<TraceFormat> f = parse_trace_format(options.trace_format);
    if (!f.ok()) return bad_input("--trace-format: " + f.error());
    trace_options.format = f.value();
  }
  std::vector<std::string> what_if_keys;
  bool strategy_given = false;
  for (const std::string& a : options.assignments) {
    if (offset_assignment(a)) {
      if (Status st = parse_offset(a, trace_options.offset_ms); !st.ok()) return bad_input(st.error());
      continue;
    }
    std::string key = a.substr(0, a.find('='));
    key.erase(0, key.find_first_not_of('+'));
    strategy_given = strategy_given || key == "strategy";
    what_if_keys.push_back(a);
  }
  if ((!what_if_keys.empty() || !options.config_file.empty()) && !strategy_given)
    return bad_input("a what-if on the fitted times needs strategy=NAME (the measured order has no strategy to re-run with other settings)");

  Result<std::vector<std::string>> paths = trace_paths(options.trace_inputs);
  if (!paths.ok()) return bad_input(paths.error());
  std::vector<std::string> texts;
  texts.reserve(paths->size());
  for (const std::string& path : paths.value()) {
    std::string text;
    if (!read_file(path, text)) return bad_input("cannot read trace file " + path);
    if (is_gzip(text)) {
      Result<std::string> inflated = gunzip(text, trace_options.max_file_bytes);
      if (!inflated.ok()) return bad_input(path + ": " + inflated.error());
      text = std::move(inflated).value();
    } else if (ends_with(path, ".gz")) {
      return bad_input(path + " is named .gz but is not gzip data (gzip files start with the bytes 1f 8b)");
    }
    texts.push_back(std::move(text));
  }
  std::vector<TraceFile> files;
  for (size_t i = 0; i < texts.size(); ++i) {
    std::string name = paths.value()[i];
    if (ends_with(name, ".gz")) name.resize(name.size() - 3);  // the rank and sizes are in the name under the .gz
    files.push_back({name, texts[i]});
  }
  Result<MeasuredRun> measured = import_trace(files, trace_options);
  if (!measured.ok()) return bad_input(measured.error());
  const TraceFit fit = fit_trace(measured.value());
  Result<Replay> replay = replay_trace(measured.value(), fit);
  if (!replay.ok()) return bad_input(replay.error());
  adopt_fit(measured.value(), fit, replay->mode);

  std::string config_text;
  if (!options.config_file.empty() && !read_file(options.config_file, config_text))
    return bad_input("cannot read config file " + options.config_file);
  std::optional<Run> what_if;
  std::string note;
  if (strategy_given) {
    Result<Config> config = what_if_config(
        fit,
        [&](Config& c) -> Status {
          if (!config_text.empty())
            if (Status st = apply_json(c, config_text); !st.ok()) return Error{options.config_file + ": " + st.error()};
          for (const std::string& a : what_if_keys)
            if (Status st = apply_assignment(c, a); !st.ok()) return st;
          return {};
        },
        &note);
    if (!config.ok()) return bad_input(config.error());
    Result<Run> run = simulate(config.value());
    if (!run.ok()) return bad_input("what-if: " + run.error());
    what_if = std::move(run).value();
  }

  const std::string name = format->name;
  if (name == "summary") return write_output(options, trace_summary(measured.value(), fit, replay.value(), what_if ? &*what_if : nullptr, note));
  if (name == "json") return write_output(options, trace_json(measured.value(), fit, replay.value(), what_if ? &*what_if : nullptr, note));
  // The other views show the measured run itself (a trace exports so that --trace reads it back).
  return write_run(options, *format, measured->run);
}

}  // namespace

extern const Mode kTraceMode;
const Mode kTraceMode = {"import measured traces",
                         "--trace FILE_OR_DIR... [--trace-format auto|pytorch|megatron|ppemu] [trace.offset_ms.<rank>=MS] "
                         "[strategy=NAME key=value ...] [--format FORMAT]",
                         selected, run, &trace_formats()};

}  // namespace ppemu::cli
