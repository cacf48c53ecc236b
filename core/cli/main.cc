// ppemu command line: Hydra-style key=value overrides in, a summary / JSON / trace out.
// Exit status: 0 done, 2 bad input (one line on stderr naming the problem), 1 could not write.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "ppemu/ascii.h"
#include "ppemu/export.h"
#include "ppemu/pytorch_csv.h"
#include "ppemu/simulate.h"
#include "ppemu/strategy.h"

namespace {

using ppemu::Run;

struct Format {
  const char* name;
  const char* what;
  std::string (*render)(const Run&);
  /// For formats that cannot express every run (instead of render): the text or why not.
  ppemu::Result<std::string> (*try_render)(const Run&) = nullptr;
};

const Format kFormats[] = {
    {"summary", "metrics, per-device table, closed forms and (small runs) an ASCII timeline", ppemu::to_summary},
    {"json", "one JSON object: config, metrics, devices, stages, ops, formulas, activations",
     [](const Run& r) { return ppemu::to_json(r, 2) + "\n"; }},
    {"trace", "Chrome trace-event JSON for Perfetto UI / chrome://tracing (1 time unit = 1 ms)", ppemu::to_trace},
    {"svg", "SVG timeline for a blog post: a row per device, bars by kind and chunk, axis, legend", ppemu::to_svg},
    {"ascii", "time-scaled text timeline (2 columns per time unit)", nullptr,
     [](const Run& r) { return ppemu::ascii_timeline(r.schedule, r.timeline, 2); }},
    {"csv", "the schedule as a PyTorch compute-only CSV (current dialect; one chain only)", nullptr,
     [](const Run& r) { return ppemu::to_pytorch_csv(r.schedule); }},
};

const char* kUsage =
    "usage: ppemu [key=value ...] [--config FILE.json] [--format FORMAT] [-o FILE]\n"
    "       ppemu --schedule FILE.csv [--csv-dialect auto|current|legacy] [op_times.*=... p2p_latency=...] [...]\n"
    "       ppemu --list-strategies | --help\n"
    "\n"
    "Emulates a pipeline-parallel training schedule and reports its timeline, makespan, bubble and\n"
    "activation memory. Keys follow PP-Emulation's Hydra config, e.g.\n"
    "  ppemu strategy=interleave num_devices=4 num_stages=8 num_batches=8\n"
    "  ppemu op_times.forward=0.5 op_times.backward=1.0 num_batches=6\n"
    "  ppemu strategy=zb1p --format csv -o zb1p.csv        (a schedule file PyTorch can load)\n"
    "  ppemu --schedule zb1p.csv op_times.backward_W=0.5   (emulate a PyTorch schedule file)\n"
    "\n"
    "config keys (defaults in brackets):\n"
    "  strategy                             registered strategy name [1f1b]; see --list-strategies\n"
    "  num_devices                          pipeline ranks [4]\n"
    "  num_stages                           model stages (chunks) [4]\n"
    "  num_batches                          microbatches per iteration [8]\n"
    "  p2p_latency                          time for a tensor to reach another device; 0 on the same device [0]\n"
    "  microbatch_group_size_per_vp_stage   Megatron's interleaving group size [num_devices]\n"
    "  op_times.forward                     F time [1]\n"
    "  op_times.backward                    full backward (input + weight) [2]\n"
    "  op_times.backward_D                  input backward B, where backward is split [1]\n"
    "  op_times.backward_W                  weight backward W, where backward is split [1]\n"
    "  op_times.overlapped_forward_backward one F and one full backward run as one unit [F + backward]\n"
    "Each op_times key takes a number, a per-stage list ([1,2,1,2]) or one stage (op_times.forward.3=2).\n"
    "\n"
    "options:\n"
    "  --config FILE.json   read keys from a JSON file first (nested or dotted keys); key=value wins\n"
    "  --format FORMAT      output format (default summary):\n"
    "%FORMATS%"
    "  -o, --output FILE    write to FILE instead of standard output\n"
    "  --schedule FILE.csv  emulate a torch.distributed.pipelining compute-only schedule CSV instead of a\n"
    "                       strategy: one row per rank, one action per cell (2F0, 2I0, 2W0, 2B0,\n"
    "                       (0F7;7B3)OVERLAP_F_B), empty cells idle. The file decides the order and the\n"
    "                       counts, so strategy, num_devices, num_stages, num_batches and\n"
    "                       microbatch_group_size_per_vp_stage given as key=value are an error (from\n"
    "                       --config they are ignored); op_times and p2p_latency apply as usual\n"
    "  --csv-dialect D      how --schedule reads B: current (B full backward, I input backward), legacy\n"
    "                       (B input backward, BW full backward), or auto [auto]: legacy if the file\n"
    "                       uses BW, or B and W for the same stage and microbatch without any I\n"
    "  --list-strategies    names, descriptions and constraints of every strategy\n"
    "\n"
    "metrics:\n"
    "%METRICS%";

std::string format_names() {
  std::string names;
  for (const Format& f : kFormats) names += names.empty() ? f.name : std::string(", ") + f.name;
  return names;
}

std::string usage() {
  std::string text = kUsage, formats, metrics;
  for (const Format& f : kFormats) {
    std::string name = f.name;
    name.resize(12, ' ');
    formats += "                         " + name + f.what + "\n";
  }
  std::istringstream defs(ppemu::metric_definitions());
  for (std::string line; std::getline(defs, line);) metrics += "  " + line + "\n";
  text.replace(text.find("%FORMATS%"), 9, formats);
  text.replace(text.find("%METRICS%"), 9, metrics);
  return text;
}

std::string list_strategies() {
  std::string out;
  for (const ppemu::Strategy* s : ppemu::strategies()) {
    out += s->name;
    for (const char* alias : s->aliases) out += std::string(" (alias ") + alias + ")";
    out += "\n  " + std::string(s->description) + "\n  constraints: " + s->constraints + "\n";
  }
  return out;
}

int bad_input(const std::string& message) {
  std::cerr << "ppemu: " << message << "\n";
  return 2;
}

bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

// Accepts both `--opt value` and `--opt=value`.
bool take_option(std::string_view arg, std::string_view name, int& i, int argc, char** argv, std::string& value, bool& missing) {
  if (arg == name) {
    if (i + 1 >= argc) {
      missing = true;
      return true;
    }
    value = argv[++i];
    return true;
  }
  if (arg.size() > name.size() && arg.substr(0, name.size()) == name && arg[name.size()] == '=') {
    value = std::string(arg.substr(name.size() + 1));
    return true;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> assignments;
  std::string config_path, format = "summary", output, schedule_path, dialect_word;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    std::string value;
    bool missing = false;
    if (arg == "-h" || arg == "--help") {
      std::cout << usage();
      return 0;
    }
    if (arg == "--list-strategies") {
      std::cout << list_strategies();
      return 0;
    }
    if (take_option(arg, "--config", i, argc, argv, value, missing)) {
      if (missing) return bad_input("--config needs a file name");
      config_path = value;
    } else if (take_option(arg, "--format", i, argc, argv, value, missing)) {
      if (missing) return bad_input("--format needs one of: " + format_names());
      format = value;
    } else if (take_option(arg, "--schedule", i, argc, argv, value, missing)) {
      if (missing) return bad_input("--schedule needs a CSV file name");
      schedule_path = value;
    } else if (take_option(arg, "--csv-dialect", i, argc, argv, value, missing)) {
      if (missing) return bad_input("--csv-dialect needs one of: auto, current, legacy");
      dialect_word = value;
    } else if (take_option(arg, "--output", i, argc, argv, value, missing) || take_option(arg, "-o", i, argc, argv, value, missing)) {
      if (missing) return bad_input("-o needs a file name");
      output = value;
    } else if (arg.rfind("--config-name", 0) == 0 || arg.rfind("--config-path", 0) == 0) {
      return bad_input(std::string(arg) + " is Hydra's YAML lookup; ppemu reads JSON: use --config FILE.json");
    } else if (!arg.empty() && arg[0] == '-' && arg.find('=') == std::string_view::npos) {
      return bad_input("unknown option " + std::string(arg) + " (see --help)");
    } else {
      assignments.emplace_back(arg);
    }
  }

  const Format* chosen = nullptr;
  for (const Format& f : kFormats)
    if (format == f.name) chosen = &f;
  if (!chosen) return bad_input("--format must be one of: " + format_names() + " (got '" + format + "')");

  ppemu::CsvDialect dialect = ppemu::CsvDialect::Auto;
  if (!dialect_word.empty()) {
    if (schedule_path.empty()) return bad_input("--csv-dialect applies only with --schedule FILE.csv");
    ppemu::Result<ppemu::CsvDialect> d = ppemu::parse_csv_dialect(dialect_word);
    if (!d.ok()) return bad_input("--csv-dialect: " + d.error());
    dialect = d.value();
  }
  if (!schedule_path.empty()) {
    // Counts typed next to the file would silently lose to it; say so instead.
    for (const std::string& a : assignments) {
      const std::string key = a.substr(0, a.find('='));
      for (const char* from_file : {"strategy", "num_devices", "num_stages", "num_batches", "microbatch_group_size_per_vp_stage"})
        if (key == from_file)
          return bad_input(key + " cannot be given with --schedule: the file decides the order and the counts (rows are ranks, "
                                 "stage and microbatch numbers give the rest)");
    }
  }

  ppemu::Config config;
  if (!config_path.empty()) {
    std::string text;
    if (!read_file(config_path, text)) return bad_input("cannot read config file " + config_path);
    if (ppemu::Status st = ppemu::apply_json(config, text); !st.ok()) return bad_input(config_path + ": " + st.error());
  }
  for (const std::string& a : assignments)
    if (ppemu::Status st = ppemu::apply_assignment(config, a); !st.ok()) return bad_input(st.error());

  std::string csv;
  if (!schedule_path.empty() && !read_file(schedule_path, csv)) return bad_input("cannot read schedule file " + schedule_path);
  ppemu::Result<Run> run =
      schedule_path.empty() ? ppemu::simulate(config) : ppemu::simulate_pytorch_csv(config, csv, dialect);
  if (!run.ok()) return bad_input((schedule_path.empty() ? "" : schedule_path + ": ") + run.error());

  std::string text;
  if (chosen->try_render) {
    ppemu::Result<std::string> rendered = chosen->try_render(run.value());
    if (!rendered.ok()) return bad_input(rendered.error());  // the same words as the page's exportRun
    text = std::move(rendered).value();
  } else {
    text = chosen->render(run.value());
  }
  if (output.empty()) {
    std::cout << text;
    return std::cout.good() ? 0 : 1;
  }
  std::ofstream out(output, std::ios::binary);
  out << text;
  if (!out.good()) {
    std::cerr << "ppemu: cannot write " << output << "\n";
    return 1;
  }
  return 0;
}
