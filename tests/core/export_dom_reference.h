#pragma once
// The JSON and trace exports as they were written before they streamed (through nlohmann's DOM,
// commit a6aa6ff's core/src/export_json.cc): the oracle export_stream_test.cc compares the
// streamed text with, byte for byte.
#include <nlohmann/json.hpp>

#include "export_projection.h"
#include "ppemu/export.h"

namespace ppemu::test {

inline std::string dom_to_json(const Run& run, int indent = -1) {
  using nlohmann::json;
  const Metrics& mx = run.metrics;
  const Timeline& tl = run.timeline;
  const auto chunk = run.schedule.stage_chunks();
  json j;
  j["version"] = kJsonSchemaVersion;
  j["config"] = json::parse(config_to_json(run.config));
  j["makespan"] = mx.makespan;
  j["total_busy"] = mx.total_busy;
  j["bubble_ratio"] = mx.bubble_ratio;
  j["bubble_over_ideal"] = mx.bubble_over_ideal;
  j["span_bubble_ratio"] = mx.span_bubble_ratio;
  j["peak_activations"] = mx.peak_activations;
  j["peak_memory"] = mx.peak_memory;

  json devices = json::array();
  for (size_t d = 0; d < mx.devices.size(); ++d) {
    const DeviceMetrics& dm = mx.devices[d];
    devices.push_back({{"device", d},
                       {"busy", dm.busy},
                       {"idle", dm.idle},
                       {"bubble_ratio", dm.bubble_ratio},
                       {"span_start", dm.span_start},
                       {"span_end", dm.span_end},
                       {"span_bubble_ratio", dm.span_bubble_ratio},
                       {"peak_activations", dm.peak_activations},
                       {"peak_activations_until_B", dm.peak_activations_until_B},
                       {"static_memory", dm.static_memory},
                       {"peak_memory", dm.peak_memory}});
    if (run.projection) devices.back()["memory_gib"] = device_memory_gib(run.projection->devices[d]);
  }
  j["devices"] = std::move(devices);

  json stages = json::array();
  for (int s = 0; s < run.schedule.num_stages; ++s)
    stages.push_back({{"stage", s}, {"device", run.schedule.stage_device[static_cast<size_t>(s)]}, {"chunk", chunk[static_cast<size_t>(s)]}});
  j["stages"] = std::move(stages);
  j["num_chains"] = run.schedule.num_chains;

  json ops = json::array();
  for (size_t i = 0; i < tl.size(); ++i) {
    json op = {{"device", tl.device[i]},
               {"stage", tl.stage[i]},
               {"chunk", chunk[static_cast<size_t>(tl.stage[i])]},
               {"microbatch", tl.microbatch[i]},
               {"kind", kind_name(static_cast<OpKind>(tl.kind[i]))},
               {"start", tl.start[i]},
               {"end", tl.end[i]}};
    if (tl.kind[i] == static_cast<uint8_t>(OpKind::OV)) {
      op["backward_stage"] = tl.stage2[i];
      op["backward_microbatch"] = tl.microbatch2[i];
    }
    ops.push_back(std::move(op));
  }
  j["ops"] = std::move(ops);

  json formulas = json::array();
  for (const Formula& f : run.formulas)
    formulas.push_back({{"quantity", f.quantity},
                        {"expression", f.expression},
                        {"value", f.value},
                        {"emulated", f.emulated},
                        {"source", f.source},
                        {"assumptions", f.assumptions},
                        {"holds", f.holds}});
  j["formulas"] = std::move(formulas);

  json activations = json::array();
  const ActivationSeries& a = mx.activations;
  for (size_t d = 0; d + 1 < a.offset.size(); ++d) {
    json times = json::array(), counts = json::array();
    for (uint32_t i = a.offset[d]; i < a.offset[d + 1]; ++i) {
      times.push_back(a.time[i]);
      counts.push_back(a.count[i]);
    }
    activations.push_back({{"device", d}, {"time", std::move(times)}, {"count", std::move(counts)}});
  }
  j["activations"] = std::move(activations);

  json memory = json::array();
  const MemorySeries& ms = mx.memory;
  for (size_t d = 0; d + 1 < ms.offset.size(); ++d) {
    json times = json::array(), used = json::array();
    for (uint32_t i = ms.offset[d]; i < ms.offset[d + 1]; ++i) {
      times.push_back(ms.time[i]);
      used.push_back(ms.used[i]);
    }
    memory.push_back({{"device", d}, {"time", std::move(times)}, {"used", std::move(used)}});
  }
  j["memory"] = std::move(memory);
  if (run.projection) j["projection"] = projection_json_value(*run.projection);
  // A schedule with communication actions (a comms CSV): when each was reached and passed.
  if (!tl.comm_offset.empty()) {
    json comms = json::array();
    for (size_t d = 0; d + 1 < tl.comm_offset.size(); ++d)
      for (uint32_t i = tl.comm_offset[d]; i < tl.comm_offset[d + 1]; ++i) {
        const CommAction& a = run.schedule.device_comms[d][i - tl.comm_offset[d]];
        comms.push_back({{"device", d}, {"kind", comm_name(a.kind)}, {"stage", a.stage}, {"microbatch", a.microbatch},
                         {"start", tl.comm_start[i]}, {"end", tl.comm_end[i]}});
      }
    j["comms"] = std::move(comms);
  }
  return j.dump(indent);
}

inline std::string dom_to_trace(const Run& run) {
  using nlohmann::json;
  const Timeline& tl = run.timeline;
  constexpr double kMicrosPerUnit = 1000;  // 1 time unit shows as 1 ms
  json events = json::array();
  events.push_back({{"name", "process_name"}, {"ph", "M"}, {"pid", 0}, {"args", {{"name", "ppemu " + run.config.strategy}}}});
  for (int d = 0; d < tl.num_devices(); ++d) {
    events.push_back({{"name", "thread_name"}, {"ph", "M"}, {"pid", 0}, {"tid", d}, {"args", {{"name", "device " + std::to_string(d)}}}});
    events.push_back({{"name", "thread_sort_index"}, {"ph", "M"}, {"pid", 0}, {"tid", d}, {"args", {{"sort_index", d}}}});
  }
  for (size_t i = 0; i < tl.size(); ++i) {
    const auto kind = static_cast<OpKind>(tl.kind[i]);
    Action a{kind, tl.stage[i], tl.microbatch[i], tl.stage2[i], tl.microbatch2[i]};
    json args = {{"stage", tl.stage[i]}, {"microbatch", tl.microbatch[i]}, {"start", tl.start[i]}, {"end", tl.end[i]}};
    if (kind == OpKind::OV) {
      args["backward_stage"] = tl.stage2[i];
      args["backward_microbatch"] = tl.microbatch2[i];
    }
    events.push_back({{"name", action_label(a, true)},
                      {"cat", kind_name(kind)},
                      {"ph", "X"},
                      {"pid", 0},
                      {"tid", tl.device[i]},
                      {"ts", tl.start[i] * kMicrosPerUnit},
                      {"dur", (tl.end[i] - tl.start[i]) * kMicrosPerUnit},
                      {"args", std::move(args)}});
  }
  json doc = {{"traceEvents", std::move(events)}, {"displayTimeUnit", "ms"}};
  return doc.dump();
}

}  // namespace ppemu::test
