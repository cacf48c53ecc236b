// The core as seen from JavaScript (the contract is wasm/API.md). Marshalling only: every figure
// comes from the core; this file turns it into plain JS objects and typed-array copies.
// The only file in the project that includes <emscripten/...>.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "ppemu/conf_files.h"
#include "ppemu/config.h"
#include "ppemu/export.h"
#include "ppemu/presets.h"
#include "ppemu/pytorch_csv.h"
#include "ppemu/search.h"
#include "ppemu/simulate.h"
#include "ppemu/strategy.h"
#include "ppemu/trace_fit.h"
#include "ppemu/trace_import.h"

namespace {

using emscripten::val;

// The op budget of the page. The core estimates 3 x num_stages x num_batches ops before running.
// 2^21 = 2,097,152 admits the issue-5 targets (1f1b 64 x 8192 and interleave 64 x 2048 x 4 chunks
// estimate 1,572,864 and run 1,048,576 ops; dualpipe_v 32 x 4096 estimates 786,432). Measured
// under Node: 1f1b 64 x 8192 (1 M ops) grows the heap to 83 MB, zb1p 64 x 10922 (2.1 M ops, the
// whole budget) to 172 MB; the JS copies of the columns add about as much again. A tab can hold
// that, and no run within the budget comes near the 2 GB heap ceiling, where the module would abort.
constexpr int64_t kMaxOps = int64_t{1} << 21;

// Exports stream their text (core/src/json_stream.h) into one string, so an export needs the run
// and its text, no JSON tree: measured (bench/worker_memory.mjs), zb1p 64 x 10922 (this whole
// budget) peaks at 939 MiB of heap for json and 816 MiB for trace, under the 2 GB ceiling, so
// exports share the simulate budget. (Through nlohmann's DOM, 524 k ops took 527-741 MiB and
// exports had 2^19.)
constexpr int64_t kExportMaxOps = kMaxOps;

ppemu::Limits limits_with(int64_t max_ops) {
  ppemu::Limits limits;
  limits.max_ops = max_ops;
  return limits;
}

// A copy owned by JS: a raw memory view would go stale when the heap grows.
template <class T>
val copy_out(const std::vector<T>& column) {
  return val(emscripten::typed_memory_view(column.size(), column.data())).call<val>("slice");
}

val parse_json(const std::string& text) { return val::global("JSON").call<val>("parse", text); }

val failure(const std::string& message) {
  val out = val::object();
  out.set("ok", false);
  out.set("error", message);
  return out;
}

// The same two steps as the CLI's --config: keys over the defaults, then the whole pipeline.
ppemu::Result<ppemu::Run> run_config(const std::string& config_json, int64_t max_ops) {
  ppemu::Config config;
  if (ppemu::Status st = ppemu::apply_json(config, config_json); !st.ok()) return ppemu::Error{st.error()};
  return ppemu::simulate(config, limits_with(max_ops));
}

val device_list(const ppemu::Metrics& m) {
  val list = val::array();
  for (size_t d = 0; d < m.devices.size(); ++d) {
    const ppemu::DeviceMetrics& dm = m.devices[d];
    val o = val::object();
    o.set("device", static_cast<int>(d));
    o.set("busy", dm.busy);
    o.set("idle", dm.idle);
    o.set("bubble_ratio", dm.bubble_ratio);
    o.set("span_start", dm.span_start);
    o.set("span_end", dm.span_end);
    o.set("span_bubble_ratio", dm.span_bubble_ratio);
    o.set("peak_activations", dm.peak_activations);
    o.set("peak_activations_until_B", dm.peak_activations_until_B);
    o.set("static_memory", dm.static_memory);
    o.set("peak_memory", dm.peak_memory);
    list.call<void>("push", o);
  }
  return list;
}

val formula_list(const std::vector<ppemu::Formula>& formulas) {
  val list = val::array();
  for (const ppemu::Formula& f : formulas) {
    val o = val::object();
    o.set("quantity", f.quantity);
    o.set("expression", f.expression);
    o.set("value", f.value);
    o.set("emulated", f.emulated);
    o.set("source", f.source);
    o.set("assumptions", f.assumptions);
    o.set("holds", f.holds);
    list.call<void>("push", o);
  }
  return list;
}

val run_result(const ppemu::Run& run);

// The Result object of wasm/API.md, for a strategy's run or an imported schedule's.
val result_of(const ppemu::Result<ppemu::Run>& result) {
  if (!result.ok()) return failure(result.error());
  return run_result(result.value());
}

val run_result(const ppemu::Run& run) {
  const ppemu::Metrics& m = run.metrics;
  const ppemu::Timeline& tl = run.timeline;

  val out = val::object();
  out.set("ok", true);
  out.set("error", std::string());
  out.set("config", parse_json(ppemu::config_to_json(run.config)));
  out.set("strategy", run.config.strategy);
  out.set("num_devices", run.schedule.num_devices);
  out.set("num_stages", run.schedule.num_stages);
  out.set("num_microbatches", run.schedule.num_microbatches);
  out.set("num_chains", run.schedule.num_chains);
  out.set("num_ops", static_cast<double>(tl.size()));  // a Number, never a BigInt
  out.set("makespan", m.makespan);
  out.set("total_busy", m.total_busy);
  out.set("bubble_ratio", m.bubble_ratio);
  out.set("bubble_over_ideal", m.bubble_over_ideal);
  out.set("span_bubble_ratio", m.span_bubble_ratio);
  out.set("peak_activations", m.peak_activations);
  out.set("peak_memory", m.peak_memory);
  out.set("devices", device_list(m));

  val stages = val::object();
  stages.set("device", copy_out(run.schedule.stage_device));
  stages.set("chunk", copy_out(run.schedule.stage_chunks()));
  out.set("stages", stages);

  val ops = val::object();
  ops.set("device_offset", copy_out(tl.device_offset));
  ops.set("device", copy_out(tl.device));
  ops.set("stage", copy_out(tl.stage));
  ops.set("microbatch", copy_out(tl.microbatch));
  ops.set("kind", copy_out(tl.kind));
  ops.set("stage2", copy_out(tl.stage2));
  ops.set("microbatch2", copy_out(tl.microbatch2));
  ops.set("start", copy_out(tl.start));
  ops.set("end", copy_out(tl.end));
  out.set("ops", ops);

  val activations = val::object();
  activations.set("offset", copy_out(m.activations.offset));
  activations.set("time", copy_out(m.activations.time));
  activations.set("count", copy_out(m.activations.count));
  out.set("activations", activations);

  val memory = val::object();
  memory.set("offset", copy_out(m.memory.offset));
  memory.set("time", copy_out(m.memory.time));
  memory.set("used", copy_out(m.memory.used));
  out.set("memory", memory);

  out.set("formulas", formula_list(run.formulas));

  // A projected run: the CLI JSON's `projection` object, from the same core function, and each
  // device's memory in GiB beside its other figures, as the CLI JSON has it.
  if (run.projection) {
    val projection = parse_json(ppemu::projection_json(*run.projection));
    val devices = out["devices"];
    for (size_t d = 0; d < run.projection->devices.size(); ++d)
      devices[d].set("memory_gib", projection["devices"][d]["memory_gib"]);
    out.set("projection", projection);
  }

  // A schedule with communication actions (a comms CSV): null otherwise.
  if (tl.comm_offset.empty()) {
    out.set("comms", val::null());
  } else {
    std::vector<uint8_t> kind;
    std::vector<int32_t> device, stage, microbatch;
    for (size_t d = 0; d < run.schedule.device_comms.size(); ++d)
      for (const ppemu::CommAction& a : run.schedule.device_comms[d]) {
        device.push_back(static_cast<int32_t>(d));
        kind.push_back(static_cast<uint8_t>(a.kind));
        stage.push_back(a.stage);
        microbatch.push_back(a.microbatch);
      }
    val comms = val::object();
    comms.set("offset", copy_out(tl.comm_offset));
    comms.set("device", copy_out(device));
    comms.set("kind", copy_out(kind));
    comms.set("stage", copy_out(stage));
    comms.set("microbatch", copy_out(microbatch));
    comms.set("start", copy_out(tl.comm_start));
    comms.set("end", copy_out(tl.comm_end));
    out.set("comms", comms);
  }
  return out;
}

val simulate(const std::string& config_json) { return result_of(run_config(config_json, kMaxOps)); }

// The same run as simulate() without building its Result: nothing is copied out of the heap.
// bench/wasm_bench.mjs times both to tell the core's time inside WASM from the marshalling.
val simulate_core(const std::string& config_json) {
  ppemu::Result<ppemu::Run> result = run_config(config_json, kMaxOps);
  if (!result.ok()) return failure(result.error());
  val out = val::object();
  out.set("ok", true);
  out.set("error", std::string());
  out.set("num_ops", static_cast<double>(result.value().timeline.size()));
  out.set("makespan", result.value().metrics.makespan);
  return out;
}

// A torch.distributed.pipelining schedule CSV timed with the config's op times and latency (the
// CLI's --schedule); the file decides counts and order, errors name its row and column.
val simulate_schedule(const std::string& csv_text, const std::string& config_json, const std::string& dialect) {
  ppemu::Result<ppemu::CsvDialect> d = ppemu::parse_csv_dialect(dialect);
  if (!d.ok()) return failure(d.error());
  ppemu::Config config;
  if (ppemu::Status st = ppemu::apply_json(config, config_json); !st.ok()) return failure(st.error());
  return result_of(ppemu::simulate_pytorch_csv(config, csv_text, d.value(), limits_with(kMaxOps)));
}

// A trace file's text in the browser's heap: the page decompresses .gz first. 128 MB per file
// keeps the largest trace, its copy as a JS string and the run far below the 2 GB heap ceiling;
// a 50 MB profiler trace imports in about a second under Node.
constexpr size_t kTraceFileMaxBytes = size_t{128} << 20;

// Measured traces (the CLI's --trace): files [{name, text}], options {format, offset_ms}.
val import_trace(const val& files, const std::string& options_json) {
  ppemu::TraceOptions options;
  options.max_file_bytes = kTraceFileMaxBytes;
  options.limits = limits_with(kMaxOps);
  const val parsed = parse_json(options_json.empty() ? std::string("{}") : options_json);
  if (parsed.typeOf().as<std::string>() != "object" || parsed.isNull()) return failure("the trace options must be a JSON object");
  const val format = parsed["format"];
  if (!format.isUndefined()) {
    if (format.typeOf().as<std::string>() != "string") return failure("options.format must be auto, pytorch, megatron or ppemu");
    ppemu::Result<ppemu::TraceFormat> f = ppemu::parse_trace_format(format.as<std::string>());
    if (!f.ok()) return failure(f.error());
    options.format = f.value();
  }
  const val offsets = parsed["offset_ms"];
  if (!offsets.isUndefined()) {
    // {"rank": ms} or [ms per rank from 0]
    const val keys = val::global("Object").call<val>("keys", offsets);
    const unsigned n = keys["length"].as<unsigned>();
    for (unsigned i = 0; i < n; ++i) {
      const std::string key = keys[i].as<std::string>();
      const val v = offsets[key];
      char* rest = nullptr;
      const long rank = std::strtol(key.c_str(), &rest, 10);
      if (key.empty() || *rest != '\0' || rank < 0 || v.typeOf().as<std::string>() != "number")
        return failure("options.offset_ms maps a rank (0, 1, ...) to a number of ms (got " + key + ")");
      options.offset_ms[static_cast<int>(rank)] = v.as<double>();
    }
  }
  if (!files.isArray()) return failure("importTrace takes an array of {name, text}");
  const unsigned count = files["length"].as<unsigned>();
  std::vector<std::string> names(count), texts(count);
  for (unsigned i = 0; i < count; ++i) {
    const val f = files[i];
    if (f.typeOf().as<std::string>() != "object" || f.isNull() || f["name"].typeOf().as<std::string>() != "string" ||
        f["text"].typeOf().as<std::string>() != "string")
      return failure("file " + std::to_string(i) + " must be {name: string, text: string} (decompress .gz files first)");
    names[i] = f["name"].as<std::string>();
    texts[i] = f["text"].as<std::string>();
  }
  std::vector<ppemu::TraceFile> trace_files;
  for (unsigned i = 0; i < count; ++i) trace_files.push_back({names[i], texts[i]});
  ppemu::Result<ppemu::MeasuredRun> measured = ppemu::import_trace(trace_files, options);
  if (!measured.ok()) return failure(measured.error());
  const ppemu::TraceFit fit = ppemu::fit_trace(measured.value());
  ppemu::Result<ppemu::Replay> replay = ppemu::replay_trace(measured.value(), fit, limits_with(kMaxOps));
  if (!replay.ok()) return failure(replay.error());
  ppemu::adopt_fit(measured.value(), fit, replay->mode);

  val out = val::object();
  out.set("ok", true);
  out.set("error", std::string());
  out.set("format", std::string(ppemu::trace_format_name(measured->format)));
  val device_files = val::array();
  for (const std::string& f : measured->device_files) device_files.call<void>("push", f);
  out.set("files", device_files);
  out.set("origin_ms", measured->origin_ms);
  val notes = val::array();
  for (const std::string& n : measured->notes) notes.call<void>("push", n);
  out.set("notes", notes);
  out.set("measured", run_result(measured->run));
  out.set("fitted", parse_json(ppemu::fitted_config_json(fit, replay->mode)));
  out.set("fit", parse_json(ppemu::fit_json(fit)));
  out.set("replay", parse_json(ppemu::replay_json(measured.value(), replay.value())));
  out.set("replayRun", run_result(replay->run));
  return out;
}

// A what-if on fitted times: the fitted config object importTrace returned, with overrides
// (strategy required) over it; another num_stages spreads the per-stage times (same model).
val what_if(const std::string& fitted_json, const std::string& overrides_json) {
  ppemu::TraceFit fit;
  if (ppemu::Status st = ppemu::apply_json(fit.config, fitted_json); !st.ok()) return failure("fitted: " + st.error());
  const val overrides = parse_json(overrides_json.empty() ? std::string("{}") : overrides_json);
  if (overrides.typeOf().as<std::string>() != "object" || overrides.isNull() || overrides["strategy"].isUndefined())
    return failure("a what-if on the fitted times needs a strategy in its overrides (the measured order has no strategy to re-run with other settings)");
  std::string note;
  ppemu::Result<ppemu::Config> config = ppemu::what_if_config(
      fit, [&](ppemu::Config& c) { return ppemu::apply_json(c, overrides_json); }, &note);
  if (!config.ok()) return failure(config.error());
  val out = result_of(ppemu::simulate(config.value(), limits_with(kMaxOps)));
  if (out["ok"].as<bool>()) out.set("note", note);
  return out;
}

val strategies() {
  val list = val::array();
  for (const ppemu::Strategy* s : ppemu::strategies()) {
    val aliases = val::array();
    for (const char* alias : s->aliases) aliases.call<void>("push", std::string(alias));
    val o = val::object();
    o.set("name", std::string(s->name));
    o.set("aliases", aliases);
    o.set("description", std::string(s->description));
    o.set("constraints", std::string(s->constraints));
    list.call<void>("push", o);
  }
  return list;
}

val config_keys() {
  val list = val::array();
  for (const std::string& key : ppemu::config_keys()) list.call<void>("push", key);
  return list;
}

val default_config() {
  ppemu::Config config;
  ppemu::resolve(config);  // the defaults always resolve; this only normalises them as the CLI's JSON does
  return parse_json(ppemu::config_to_json(config));
}

// conf/**/*.yaml as embedded at build time. The module reads no YAML: the worker parses these
// with www/src/yaml-config.js and registers them with registerPreset.
val conf_files() {
  val list = val::array();
  for (const ppemu::ConfFile& f : ppemu::embedded_conf_files()) {
    val o = val::object();
    o.set("path", std::string(f.path));
    o.set("text", std::string(f.text));
    list.call<void>("push", o);
  }
  return list;
}

val register_preset(const std::string& group, const std::string& name, const std::string& json, const std::string& source,
                    const std::string& description) {
  if (ppemu::Status st = ppemu::register_preset({group, name, json, source, description}); !st.ok()) return failure(st.error());
  val out = val::object();
  out.set("ok", true);
  out.set("error", std::string());
  return out;
}

val preset_list() {
  val list = val::array();
  for (const ppemu::Preset& p : ppemu::presets()) {
    val o = val::object();
    o.set("group", p.group);
    o.set("name", p.name);
    o.set("description", p.description);
    o.set("source", p.source);
    o.set("keys", parse_json(p.json));
    list.call<void>("push", o);
  }
  return list;
}

val config_groups() {
  val list = val::array();
  for (const std::string& group : ppemu::config_groups()) list.call<void>("push", group);
  return list;
}

// The CLI's renderers of the same names, byte for byte.
struct ExportFormat {
  const char* name;
  std::string (*render)(const ppemu::Run&);
  ppemu::Result<std::string> (*try_render)(const ppemu::Run&) = nullptr;  ///< instead of render: formats that can refuse a run
};
const ExportFormat kExportFormats[] = {
    {"json", [](const ppemu::Run& r) { return ppemu::to_json(r, 2) + "\n"; }},
    {"trace", ppemu::to_trace},
    {"svg", ppemu::to_svg},
    {"csv", nullptr, [](const ppemu::Run& r) { return ppemu::to_pytorch_csv(r.schedule); }},
};

// The renderer of `format`, or nullptr with `names` listing them.
const ExportFormat* find_format(const std::string& format, std::string& names) {
  const ExportFormat* chosen = nullptr;
  for (const ExportFormat& f : kExportFormats) {
    if (format == f.name) chosen = &f;
    names += names.empty() ? f.name : std::string(", ") + f.name;
  }
  return chosen;
}

val render(const ExportFormat& chosen, const ppemu::Result<ppemu::Run>& result) {
  if (!result.ok()) return failure(result.error());
  const ppemu::Run& run = result.value();
  ppemu::Result<std::string> text = chosen.try_render ? chosen.try_render(run) : ppemu::Result<std::string>(chosen.render(run));
  if (!text.ok()) return failure(text.error());
  val out = val::object();
  out.set("ok", true);
  out.set("error", std::string());
  out.set("text", text.value());
  return out;
}

val export_run(const std::string& config_json, const std::string& format) {
  std::string names;
  const ExportFormat* chosen = find_format(format, names);
  if (!chosen) return failure("format must be one of: " + names + " (got '" + format + "')");
  return render(*chosen, run_config(config_json, kExportMaxOps));
}

// An imported schedule CSV in the same formats (the CLI's `--schedule FILE --format F`).
val export_schedule(const std::string& csv_text, const std::string& config_json, const std::string& dialect,
                    const std::string& format) {
  std::string names;
  const ExportFormat* chosen = find_format(format, names);
  if (!chosen) return failure("format must be one of: " + names + " (got '" + format + "')");
  ppemu::Result<ppemu::CsvDialect> d = ppemu::parse_csv_dialect(dialect);
  if (!d.ok()) return failure(d.error());
  ppemu::Config config;
  if (ppemu::Status st = ppemu::apply_json(config, config_json); !st.ok()) return failure(st.error());
  return render(*chosen, ppemu::simulate_pytorch_csv(config, csv_text, d.value(), limits_with(kExportMaxOps)));
}

// The budgets above, so the page can explain a limit before asking for a run.
val limits() {
  const ppemu::Limits native;
  val out = val::object();
  out.set("max_ops", static_cast<double>(kMaxOps));
  out.set("export_max_ops", static_cast<double>(kExportMaxOps));
  out.set("max_devices", native.max_devices);
  out.set("max_stages", native.max_stages);
  out.set("max_batches", native.max_batches);
  return out;
}

// The search (ppemu/search.h): the page's worker pool enumerates with searchPlan, runs slices with
// searchRows and ranks whatever has arrived with searchRank; all three read the same settings.
// A worker sends the same settings with every slice; reading them checks every varied value
// against the config (about 100 us per call in WASM for the grid), so the last settings
// read are kept and reused while the text is the same.
const ppemu::Result<ppemu::SearchSpec>& search_spec(const std::string& settings_json) {
  static bool read = false;
  static std::string last_text;
  static ppemu::Result<ppemu::SearchSpec> last = ppemu::Error{""};
  if (!read || settings_json != last_text) {
    last = ppemu::search_from_json(settings_json);
    last_text = settings_json;
    read = true;
  }
  return last;
}
val search_plan(const std::string& settings_json) {
  const ppemu::Result<ppemu::SearchSpec>& spec = search_spec(settings_json);
  if (!spec.ok()) return failure(spec.error());
  val out = val::object();
  out.set("ok", true);
  out.set("error", std::string());
  out.set("count", static_cast<double>(spec->count()));
  val names = val::array();
  for (const std::string& s : spec->strategies) names.call<void>("push", s);
  out.set("strategies", names);
  val vary = val::array();
  for (const ppemu::SearchDimension& d : spec->vary) {
    val values = val::array();
    for (const ppemu::SearchValue& v : d.values)
      values.call<void>("push", v.per_device > 0 ? std::to_string(v.per_device) + "p" : v.text);
    val o = val::object();
    o.set("key", d.key);
    o.set("values", values);
    vary.call<void>("push", o);
  }
  out.set("vary", vary);
  out.set("memory_cap", spec->memory_cap ? val(*spec->memory_cap) : val::null());
  const int model_stages = ppemu::same_model_stages(spec.value());
  out.set("model_stages", model_stages > 0 ? val(model_stages) : val::null());
  const ppemu::SearchUnits units = ppemu::search_units(spec.value());
  val unit_names = val::object();
  unit_names.set("time", units.time);
  unit_names.set("memory", units.memory);
  out.set("units", unit_names);
  val keys = val::object();
  for (const auto& [k, v] : ppemu::search_keys(spec.value())) keys.set(k, v);
  out.set("keys", keys);
  return out;
}

val search_config(const std::string& settings_json, double index) {
  const ppemu::Result<ppemu::SearchSpec>& spec = search_spec(settings_json);
  if (!spec.ok()) return failure(spec.error());
  if (!(index >= 0) || index != static_cast<double>(static_cast<size_t>(index)))
    return failure("the configuration index must be a whole number >= 0");
  ppemu::Result<ppemu::SearchConfiguration> c = ppemu::search_configuration(spec.value(), static_cast<size_t>(index));
  if (!c.ok()) return failure(c.error());
  val overrides = val::object();
  overrides.set("strategy", c->strategy);
  bool varied_model_stages = false;
  for (size_t d = 0; d < spec->vary.size(); ++d) {
    overrides.set(spec->vary[d].key, c->values[d]);
    varied_model_stages = varied_model_stages || spec->vary[d].key == "model_stages";
  }
  // Same model: the main view runs the row's scaled op times through the same core key.
  if (c->config.model_stages > 0 && !varied_model_stages)
    overrides.set("model_stages", std::to_string(c->config.model_stages));
  val out = val::object();
  out.set("ok", true);
  out.set("error", std::string());
  out.set("index", index);
  out.set("overrides", overrides);
  out.set("config", parse_json(ppemu::config_to_json(c->config)));
  return out;
}

val search_rows(const std::string& settings_json, double begin, double end) {
  const ppemu::Result<ppemu::SearchSpec>& spec = search_spec(settings_json);
  if (!spec.ok()) return failure(spec.error());
  const double count = static_cast<double>(spec->count());
  if (!(begin >= 0 && begin <= end && end <= count) || begin != static_cast<double>(static_cast<size_t>(begin)) ||
      end != static_cast<double>(static_cast<size_t>(end)))
    return failure("searchRows needs whole numbers 0 <= begin <= end <= " + std::to_string(spec->count()));
  std::string rows = "[";
  for (size_t i = static_cast<size_t>(begin); i < static_cast<size_t>(end); ++i) {
    if (rows.size() > 1) rows += ",";
    rows += ppemu::search_row_json(spec.value(), ppemu::run_search_configuration(spec.value(), i));
  }
  rows += "]";
  val out = val::object();
  out.set("ok", true);
  out.set("error", std::string());
  out.set("rows", parse_json(rows));
  return out;
}

val search_rank(const std::string& settings_json, const std::string& rows_json) {
  const ppemu::Result<ppemu::SearchSpec>& spec = search_spec(settings_json);
  if (!spec.ok()) return failure(spec.error());
  ppemu::Result<std::vector<ppemu::SearchRow>> rows = ppemu::search_rows_from_json(rows_json);
  if (!rows.ok()) return failure(rows.error());
  const std::vector<size_t> order = ppemu::rank_search(rows.value(), spec->memory_cap);
  val ranked = val::array();
  val best = val::null();
  for (size_t i : order) {
    const ppemu::SearchRow& r = rows.value()[i];
    val o = val::object();
    o.set("index", static_cast<double>(r.index));
    o.set("rank", r.rank);
    o.set("pareto", r.pareto);
    o.set("over_cap", r.over_cap);
    ranked.call<void>("push", o);
    if (best.isNull() && !r.over_cap) best = val(static_cast<double>(r.index));
  }
  val out = val::object();
  out.set("ok", true);
  out.set("error", std::string());
  out.set("ranking", ranked);
  out.set("best", best);
  return out;
}

}  // namespace

EMSCRIPTEN_BINDINGS(ppemu) {
  emscripten::function("searchPlan", &search_plan);
  emscripten::function("searchConfig", &search_config);
  emscripten::function("searchRows", &search_rows);
  emscripten::function("searchRank", &search_rank);
  emscripten::function("simulate", &simulate);
  emscripten::function("simulateCore", &simulate_core);
  emscripten::function("simulateSchedule", &simulate_schedule);
  emscripten::function("strategies", &strategies);
  emscripten::function("configKeys", &config_keys);
  emscripten::function("defaultConfig", &default_config);
  emscripten::function("exportRun", &export_run);
  emscripten::function("confFiles", &conf_files);
  emscripten::function("registerPreset", &register_preset);
  emscripten::function("presets", &preset_list);
  emscripten::function("configGroups", &config_groups);
  emscripten::function("exportSchedule", &export_schedule);
  emscripten::function("limits", &limits);
  emscripten::function("importTrace", &import_trace);
  emscripten::function("whatIf", &what_if);
}
