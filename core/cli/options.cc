#include "options.h"

#include <algorithm>
#include <sstream>
#include <string_view>

#include "formats.h"
#include "modes.h"
#include "ppemu/config.h"
#include "ppemu/export.h"
#include "ppemu/presets.h"
#include "ppemu/search.h"

namespace ppemu::cli {
namespace {

Status set_once(std::string& field, const std::string& value) {
  field = value;
  return {};
}

const std::vector<OptionSpec> kOptions = {
    {"--config", nullptr, "FILE", "read keys from a JSON or YAML (.yaml, .yml) file, after the --config-name\nconfig; key=value wins",
     [](Options& o, const std::string& v) { return set_once(o.config_file, v); }},
    {"--format", nullptr, "FORMAT", "output format (default summary; --help lists each mode's formats)",
     [](Options& o, const std::string& v) { return set_once(o.format, v); }},
    {"--output", "-o", "FILE", "write to FILE instead of standard output",
     [](Options& o, const std::string& v) { return set_once(o.output, v); }},
    {"--schedule", nullptr, "FILE.csv",
     "emulate a torch.distributed.pipelining compute-only schedule CSV instead of a\n"
     "strategy: one row per rank, one action per cell (2F0, 2I0, 2W0, 2B0,\n"
     "(0F7;7B3)OVERLAP_F_B), empty cells idle. The file decides the order and the\n"
     "counts, so strategy, num_devices, num_stages, num_batches and\n"
     "microbatch_group_size_per_vp_stage given as key=value are an error (from\n"
     "--config they are ignored); op_times and p2p_latency apply as usual",
     [](Options& o, const std::string& v) { return set_once(o.schedule_file, v); }},
    {"--csv-dialect", nullptr, "D",
     "how --schedule reads B: current (B full backward, I input backward), legacy\n"
     "(B input backward, BW full backward), or auto [auto]: legacy if the file\n"
     "uses BW, or B and W for the same stage and microbatch without any I",
     [](Options& o, const std::string& v) { return set_once(o.csv_dialect, v); }},
    {"--trace", nullptr, "FILE_OR_DIR...",
     "import measured traces (files, or folders of *.json / *.json.gz): PyTorch\n"
     "profiler traces with PP:<action> ranges (one per rank), Megatron-LM timer\n"
     "dumps (event_times_PP*_rank_*.json) or ppemu's own trace. Prints the measured\n"
     "metrics, the fitted op times as key=value, the replay error table; with\n"
     "strategy=... a what-if on the fitted times. trace.offset_ms.<rank>=MS shifts\n"
     "a rank's clock. Up to 256 MB of text per file",
     [](Options& o, const std::string& v) { return o.trace_inputs.push_back(v), Status{}; }, true},
    {"--trace-format", nullptr, "F", "how --trace reads its files: auto, pytorch, megatron or ppemu [auto]",
     [](Options& o, const std::string& v) { return set_once(o.trace_format, v); }},
    {"--config-name", "-cn", "NAME",
     "the primary config DIR/NAME.yaml, as Hydra's [config: conf/config.yaml,\n"
     "read when it exists]; its defaults list selects config groups",
     [](Options& o, const std::string& v) {
       if (v.empty()) return Status(Error{"--config-name needs a name (--config-name model_A reads conf/model_A.yaml)"});
       o.config_name = v.size() > 5 && v.compare(v.size() - 5, 5, ".yaml") == 0 ? v.substr(0, v.size() - 5) : v;
       return Status{};
     }},
    {"--config-path", "-cp", "DIR", "where --config-name and group files (DIR/model/NAME.yaml) are\nlooked up [conf, relative to the working directory]",
     [](Options& o, const std::string& v) {
       if (v.empty()) return Status(Error{"--config-path needs a folder (--config-path conf)"});
       return set_once(o.config_path, v);
     }},
    {"--cfg", "-c", "job", "print the resolved config as YAML instead of running (Hydra's\n--cfg job); it reads back with --config FILE.yaml or --config-name",
     [](Options& o, const std::string& v) {
       if (v != "job")
         return Status(Error{"--cfg takes job (got '" + v + "'): Hydra's hydra and all show its own runtime config, which ppemu does not have"});
       return set_once(o.cfg, v);
     }},
    {"--search", nullptr, nullptr,
     "run every strategy over the varied keys (search keys above) and rank them by time,\n"
     "peak memory beside it, the Pareto front marked, rows above memory_cap marked over;\n"
     "configurations a strategy cannot run are skipped and counted. Other key=value set\n"
     "the base config. Ranges: 8,16,32 or LO..HI[:STEP|:*FACTOR]; 4p = 4 x num_devices;\n"
     "defaults num_stages 1p..8p, num_batches 1p..16p, num_devices 2..32:*2,\n"
     "zb_memory_limit 1..2:0.25",
     [](Options&, const std::string&) { return Status{}; }},
    {"--list-strategies", nullptr, nullptr, "names, descriptions and constraints of every strategy",
     [](Options& o, const std::string&) { return o.list_strategies = true, Status{}; }},
    {"--help", "-h", nullptr, "this text", [](Options& o, const std::string&) { return o.help = true, Status{}; }},
};

// What a value-taking option says when its value is missing.
std::string needs_value(const OptionSpec& spec) {
  const std::string name = spec.name;
  if (name == "--format") return "--format needs one of: " + format_names();
  if (name == "--csv-dialect") return "--csv-dialect needs one of: auto, current, legacy";
  if (name == "--trace-format") return "--trace-format needs one of: auto, pytorch, megatron, ppemu";
  if (name == "--trace") return "--trace needs trace files or a folder of them";
  if (name == "--output") return "-o needs a file name";
  return name + " needs " + (std::string(spec.value_name).find("FILE") != std::string::npos ? "a file name" : "a value") +
         " (" + name + " " + spec.value_name + ")";
}

bool is_free_argument(std::string_view arg) { return !arg.empty() && arg[0] != '-' && arg.find('=') == std::string_view::npos; }

// One key per line, its help aligned at column 39, its default in brackets.
std::string key_table(const std::vector<KeyDoc>& docs) {
  std::string out;
  for (const KeyDoc& k : docs) {
    std::string key = k.key;
    key.resize(std::max<size_t>(key.size() + 1, 37), ' ');
    out += "  " + key + k.help + " [" + k.default_text + "]\n";
  }
  return out;
}

}  // namespace

bool Options::has(const char* name) const { return std::find(given.begin(), given.end(), name) != given.end(); }

const std::vector<OptionSpec>& option_specs() { return kOptions; }

Status parse_args(int argc, char** argv, Options& options) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const OptionSpec* spec = nullptr;
    std::string value;
    bool inline_value = false;
    for (const OptionSpec& s : kOptions) {
      for (const char* spelling : {s.name, s.alias}) {
        if (!spelling) continue;
        const std::string_view sp = spelling;
        if (arg == sp) {
          spec = &s;
        } else if (s.value_name && arg.size() > sp.size() && arg.substr(0, sp.size()) == sp && arg[sp.size()] == '=') {
          spec = &s;
          value = std::string(arg.substr(sp.size() + 1));
          inline_value = true;
        }
      }
      if (spec) break;
    }
    if (!spec) {
      if (!arg.empty() && arg[0] == '-') return Error{"unknown option " + std::string(arg.substr(0, arg.find('='))) + " (see --help)"};
      options.assignments.emplace_back(arg);
      continue;
    }
    if (spec->value_name && !inline_value) {
      if (i + 1 >= argc) return Error{needs_value(*spec)};
      value = argv[++i];
    }
    if (Status st = spec->set(options, value); !st.ok()) return st;
    while (spec->many && i + 1 < argc && is_free_argument(argv[i + 1]))
      if (Status st = spec->set(options, argv[++i]); !st.ok()) return st;
    if (!options.has(spec->name)) options.given.emplace_back(spec->name);
  }
  return {};
}

std::string usage() {
  // The default mode (the last) first: it is what most people run.
  std::string out = "usage: ppemu " + std::string(modes().back()->usage) + "\n";
  for (size_t i = 0; i + 1 < modes().size(); ++i) out += "       ppemu " + std::string(modes()[i]->usage) + "\n";
  out +=
      "       ppemu --list-strategies | --help\n"
      "\n"
      "Emulates a pipeline-parallel training schedule and reports its timeline, makespan, bubble and\n"
      "activation memory. Keys follow PP-Emulation's Hydra config, e.g.\n"
      "  ppemu strategy=interleave num_devices=4 num_stages=8 num_batches=8\n"
      "  ppemu op_times.forward=0.5 op_times.backward=1.0 num_batches=6\n"
      "  ppemu --config-name=model_A                         (conf/model_A.yaml, Hydra's way)\n"
      "  ppemu strategy=zb1p --format csv -o zb1p.csv        (a schedule file PyTorch can load)\n"
      "  ppemu --schedule zb1p.csv op_times.backward_W=0.5   (emulate a PyTorch schedule file)\n"
      "  ppemu model=llama3_70b gpu=h100_sxm strategy=zbv num_devices=8 num_stages=16 parallel.tensor_model_parallel_size=8\n"
      "        train.global_batch_size=64                   (projected: ms, GiB, MFU)\n"
      "\n"
      "config keys [defaults]:\n";
  out += key_table(config_key_docs());
  out +=
      "Per-stage keys (op_times.*, op_memory.*) take a number, a per-stage list ([1,2,1,2]) or one\n"
      "stage (op_times.forward.3=2). visualization_port (PP-Emulation's Dash server port) is\n"
      "accepted and ignored.\n";
  for (const std::string& group : config_groups()) {
    std::string names;
    for (const std::string& n : preset_names(group)) names += (names.empty() ? "" : ", ") + n;
    out += group + "=NAME applies a preset of " + group + ".* keys (explicit " + group + ".* keys win): " + names + "\n";
  }
  if (!config_groups().empty())
    out += "With a model (model=NAME or model.* keys) the run is projected: op times in ms, memory in bytes,\n"
           "iteration time, tokens/s, MFU and memory per device (README, \"Projection\").\n";
  out +=
      "\n"
      "search keys (with --search) [defaults]:\n";
  out += key_table(search_key_docs());
  out +=
      "\n"
      "options:\n";
  for (const OptionSpec& s : kOptions) {
    std::string head = std::string(s.alias ? std::string(s.alias) + ", " : "") + s.name + (s.value_name ? std::string(" ") + s.value_name : "");
    head.resize(std::max<size_t>(head.size() + 1, 21), ' ');
    std::istringstream lines(s.help);
    bool first = true;
    for (std::string line; std::getline(lines, line); first = false) out += "  " + (first ? head : std::string(head.size(), ' ')) + line + "\n";
  }
  out += "\nformats (--format):\n";
  for (const Mode* m : modes()) {
    if (!m->formats) continue;
    out += "  " + std::string(m->name) + ":\n";
    for (const Format& f : *m->formats) {
      std::string name = f.name;
      name.resize(12, ' ');
      out += "    " + name + f.what + "\n";
    }
  }
  out += "\nmetrics:\n";
  std::istringstream defs(metric_definitions());
  for (std::string line; std::getline(defs, line);) out += "  " + line + "\n";
  return out;
}

}  // namespace ppemu::cli
