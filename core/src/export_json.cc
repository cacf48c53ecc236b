// --format json and --format trace, streamed (json_stream.h): the per-op arrays are written value
// by value, so an export costs its text (or, with a sink, 64 KiB of it) and no JSON tree. Keys are
// written in the order nlohmann's std::map-backed objects sort them, which keeps the text the
// DOM's byte for byte (tests/core/export_stream_test.cc compares them).
#include <nlohmann/json.hpp>

#include "export_projection.h"
#include "json_stream.h"
#include "ppemu/export.h"

namespace ppemu {
namespace {

using detail::JsonStream;

void write_device(JsonStream& w, const Run& run, size_t d) {
  const DeviceMetrics& dm = run.metrics.devices[d];
  w.begin_object();
  w.field("bubble_ratio", dm.bubble_ratio);
  w.field("busy", dm.busy);
  w.field("device", d);
  w.field("idle", dm.idle);
  if (run.projection) {
    w.key("memory_gib");
    w.json(device_memory_gib(run.projection->devices[d]));
  }
  w.field("peak_activations", dm.peak_activations);
  w.field("peak_activations_until_B", dm.peak_activations_until_B);
  w.field("peak_memory", dm.peak_memory);
  w.field("span_bubble_ratio", dm.span_bubble_ratio);
  w.field("span_end", dm.span_end);
  w.field("span_start", dm.span_start);
  w.field("static_memory", dm.static_memory);
  w.end_object();
}

void write_ops(JsonStream& w, const Timeline& tl, const std::vector<int32_t>& chunk) {
  w.begin_array();
  for (size_t i = 0; i < tl.size(); ++i) {
    const bool ov = tl.kind[i] == static_cast<uint8_t>(OpKind::OV);
    w.begin_object();
    if (ov) {
      w.field("backward_microbatch", tl.microbatch2[i]);
      w.field("backward_stage", tl.stage2[i]);
    }
    w.field("chunk", chunk[static_cast<size_t>(tl.stage[i])]);
    w.field("device", tl.device[i]);
    w.field("end", tl.end[i]);
    w.string_field("kind", kind_name(static_cast<OpKind>(tl.kind[i])));
    w.field("microbatch", tl.microbatch[i]);
    w.field("stage", tl.stage[i]);
    w.field("start", tl.start[i]);
    w.end_object();
  }
  w.end_array();
}

// activations and memory: per device {"count"/"used": [...], "device": d, "time": [...]}, the two
// columns of [offset[d], offset[d + 1]); "count" sorts before "device", "used" after "time".
template <class Values>
void write_series(JsonStream& w, const std::vector<uint32_t>& offset, const std::vector<double>& time, const Values& values,
                  const char* values_key) {
  const bool values_first = std::string_view(values_key) < "device";
  w.begin_array();
  for (size_t d = 0; d + 1 < offset.size(); ++d) {
    const auto column = [&](const char* k, const auto& v) {
      w.key(k);
      w.begin_array();
      for (uint32_t i = offset[d]; i < offset[d + 1]; ++i) w.value(v[i]);
      w.end_array();
    };
    w.begin_object();
    if (values_first) column(values_key, values);
    w.field("device", d);
    column("time", time);
    if (!values_first) column(values_key, values);
    w.end_object();
  }
  w.end_array();
}

void write_formulas(JsonStream& w, const std::vector<Formula>& formulas) {
  w.begin_array();
  for (const Formula& f : formulas) {
    w.begin_object();
    w.string_field("assumptions", f.assumptions);
    w.field("emulated", f.emulated);
    w.string_field("expression", f.expression);
    w.field("holds", f.holds);
    w.string_field("quantity", f.quantity);
    w.string_field("source", f.source);
    w.field("value", f.value);
    w.end_object();
  }
  w.end_array();
}

void write_comms(JsonStream& w, const Run& run) {
  const Timeline& tl = run.timeline;
  w.begin_array();
  for (size_t d = 0; d + 1 < tl.comm_offset.size(); ++d)
    for (uint32_t i = tl.comm_offset[d]; i < tl.comm_offset[d + 1]; ++i) {
      const CommAction& a = run.schedule.device_comms[d][i - tl.comm_offset[d]];
      w.begin_object();
      w.field("device", d);
      w.field("end", tl.comm_end[i]);
      w.string_field("kind", comm_name(a.kind));
      w.field("microbatch", a.microbatch);
      w.field("stage", a.stage);
      w.field("start", tl.comm_start[i]);
      w.end_object();
    }
  w.end_array();
}

void write_run_json(const Run& run, JsonStream& w) {
  const Metrics& mx = run.metrics;
  const Timeline& tl = run.timeline;
  const auto chunk = run.schedule.stage_chunks();
  w.begin_object();
  w.key("activations");
  write_series(w, mx.activations.offset, mx.activations.time, mx.activations.count, "count");
  w.field("bubble_over_ideal", mx.bubble_over_ideal);
  w.field("bubble_ratio", mx.bubble_ratio);
  // A schedule with communication actions (a comms CSV): when each was reached and passed.
  if (!tl.comm_offset.empty()) {
    w.key("comms");
    write_comms(w, run);
  }
  w.key("config");
  w.json(nlohmann::json::parse(config_to_json(run.config)));
  w.key("devices");
  w.begin_array();
  for (size_t d = 0; d < mx.devices.size(); ++d) write_device(w, run, d);
  w.end_array();
  w.key("formulas");
  write_formulas(w, run.formulas);
  w.field("makespan", mx.makespan);
  w.key("memory");
  write_series(w, mx.memory.offset, mx.memory.time, mx.memory.used, "used");
  w.field("num_chains", run.schedule.num_chains);
  w.key("ops");
  write_ops(w, tl, chunk);
  w.field("peak_activations", mx.peak_activations);
  w.field("peak_memory", mx.peak_memory);
  if (run.projection) {
    w.key("projection");
    w.json(projection_json_value(*run.projection));
  }
  w.field("span_bubble_ratio", mx.span_bubble_ratio);
  w.key("stages");
  w.begin_array();
  for (int s = 0; s < run.schedule.num_stages; ++s) {
    w.begin_object();
    w.field("chunk", chunk[static_cast<size_t>(s)]);
    w.field("device", run.schedule.stage_device[static_cast<size_t>(s)]);
    w.field("stage", s);
    w.end_object();
  }
  w.end_array();
  w.field("total_busy", mx.total_busy);
  w.field("version", kJsonSchemaVersion);
  w.end_object();
  w.flush();
}

void write_run_trace(const Run& run, JsonStream& w) {
  const Timeline& tl = run.timeline;
  constexpr double kMicrosPerUnit = 1000;  // 1 time unit shows as 1 ms
  w.begin_object();
  w.string_field("displayTimeUnit", "ms");
  w.key("traceEvents");
  w.begin_array();
  const auto metadata = [&](const char* name, int tid, const char* arg, const auto& arg_value) {
    w.begin_object();
    w.key("args");
    w.begin_object();
    w.key(arg);
    if constexpr (std::is_arithmetic_v<std::decay_t<decltype(arg_value)>>) w.value(arg_value);
    else w.string(arg_value);
    w.end_object();
    w.string_field("name", name);
    w.string_field("ph", "M");
    w.field("pid", 0);
    if (tid >= 0) w.field("tid", tid);
    w.end_object();
  };
  metadata("process_name", -1, "name", "ppemu " + run.config.strategy);
  for (int d = 0; d < tl.num_devices(); ++d) {
    metadata("thread_name", d, "name", "device " + std::to_string(d));
    metadata("thread_sort_index", d, "sort_index", d);
  }
  for (size_t i = 0; i < tl.size(); ++i) {
    const auto kind = static_cast<OpKind>(tl.kind[i]);
    const bool ov = kind == OpKind::OV;
    w.begin_object();
    w.key("args");
    w.begin_object();
    if (ov) {
      w.field("backward_microbatch", tl.microbatch2[i]);
      w.field("backward_stage", tl.stage2[i]);
    }
    w.field("end", tl.end[i]);
    w.field("microbatch", tl.microbatch[i]);
    w.field("stage", tl.stage[i]);
    w.field("start", tl.start[i]);
    w.end_object();
    w.string_field("cat", kind_name(kind));
    w.field("dur", (tl.end[i] - tl.start[i]) * kMicrosPerUnit);
    w.string_field("name", action_label(Action{kind, tl.stage[i], tl.microbatch[i], tl.stage2[i], tl.microbatch2[i]}, true));
    w.string_field("ph", "X");
    w.field("pid", 0);
    w.field("tid", tl.device[i]);
    w.field("ts", tl.start[i] * kMicrosPerUnit);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  w.flush();
}

}  // namespace

// Bytes of text per op, a little above what 1f1b 64 x 8192 writes (189 indented, 153 for the
// trace): the whole-text exports reserve it, so the text is not copied as it grows.
constexpr size_t kJsonBytesPerOp = 200, kCompactJsonBytesPerOp = 110, kTraceBytesPerOp = 165;

std::string to_json(const Run& run, int indent) {
  std::string out;
  out.reserve(run.timeline.size() * (indent >= 0 ? kJsonBytesPerOp : kCompactJsonBytesPerOp) + 4096);
  JsonStream w(out, indent);
  write_run_json(run, w);
  return out;
}

void write_json(const Run& run, const TextSink& sink, int indent) {
  std::string buffer;
  JsonStream w(buffer, indent, &sink);
  write_run_json(run, w);
}

std::string to_trace(const Run& run) {
  std::string out;
  out.reserve(run.timeline.size() * kTraceBytesPerOp + 4096);
  JsonStream w(out, -1);
  write_run_trace(run, w);
  return out;
}

void write_trace(const Run& run, const TextSink& sink) {
  std::string buffer;
  JsonStream w(buffer, -1, &sink);
  write_run_trace(run, w);
}

}  // namespace ppemu
