#pragma once
// Trace files written from a known run, in each format ppemu imports, so that a test can compare
// what the importer reads back with the schedule and times that made the file.
#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

#include "ppemu/pytorch_csv.h"
#include "ppemu/simulate.h"
#include "ppemu/trace_import.h"

namespace ppemu::test {

/// The action of timeline row i in PyTorch's notation (current dialect).
inline std::string pytorch_action(const Timeline& tl, size_t i) {
  const auto k = static_cast<OpKind>(tl.kind[i]);
  const std::string s = std::to_string(tl.stage[i]), mb = std::to_string(tl.microbatch[i]);
  switch (k) {
    case OpKind::F: return s + "F" + mb;
    case OpKind::B: return s + "I" + mb;
    case OpKind::W: return s + "W" + mb;
    case OpKind::BW: return s + "B" + mb;
    case OpKind::OV: return "(" + s + "F" + mb + ";" + std::to_string(tl.stage2[i]) + "B" + std::to_string(tl.microbatch2[i]) + ")OVERLAP_F_B";
  }
  return "";
}

struct ProfileShape {
  double origin_us = 1.7e12;  ///< profilers write wall-clock µs: the importer must align them away
  bool with_rank = true;      ///< distributedInfo.rank (else the rank must come from the file name)
  bool gpu_ranges = false;    ///< also write gpu_user_annotation ranges, shifted by gpu_lag_us
  double gpu_lag_us = 7;
  bool comm_ranges = false;   ///< PP:<s>SEND_F<mb> after each forward (they are not ops)
};

/// device d's ops as a torch.profiler Chrome trace: PP: ranges (CPU side, and GPU side if asked)
/// among unrelated kernel, memcpy and Python events, written in a shuffled order.
inline std::string pytorch_profile(const Run& run, int d, const ProfileShape& shape = {}) {
  using nlohmann::json;
  const Timeline& tl = run.timeline;
  json events = json::array();
  events.push_back({{"ph", "M"}, {"name", "process_name"}, {"pid", 0}, {"args", {{"name", "python"}}}});
  const double cpu_shift = shape.gpu_ranges ? -50 : 0;  // CPU launches run ahead of the GPU
  for (uint32_t i = tl.device_offset[static_cast<size_t>(d)]; i < tl.device_offset[static_cast<size_t>(d) + 1]; ++i) {
    const double ts = shape.origin_us + tl.start[i] * 1000, dur = (tl.end[i] - tl.start[i]) * 1000;
    const std::string name = "PP:" + pytorch_action(tl, i);
    events.push_back({{"ph", "X"}, {"cat", "user_annotation"}, {"name", name}, {"pid", 1}, {"tid", 1}, {"ts", ts + cpu_shift},
                      {"dur", shape.gpu_ranges ? 3.0 : dur}, {"args", {{"External id", i}}}});
    if (shape.gpu_ranges)
      events.push_back({{"ph", "X"}, {"cat", "gpu_user_annotation"}, {"name", name}, {"pid", 0}, {"tid", 7}, {"ts", ts}, {"dur", dur}});
    // Kernels inside the range and a Python frame around it: other events are ignored.
    events.push_back({{"ph", "X"}, {"cat", "kernel"}, {"name", "ampere_sgemm_128x64_nn"}, {"pid", 0}, {"tid", 7}, {"ts", ts + 1},
                      {"dur", dur / 2}, {"args", {{"stream", 7}, {"grid", json::array({1, 2, 3})}}}});
    events.push_back({{"ph", "X"}, {"cat", "python_function"}, {"name", "torch/nn/modules/module.py(1736): _call_impl"}, {"pid", 1},
                      {"tid", 1}, {"ts", ts - 0.5}, {"dur", dur + 1}});
    if (shape.comm_ranges && tl.kind[i] == 0)
      events.push_back({{"ph", "X"}, {"cat", "user_annotation"}, {"name", "PP:" + std::to_string(tl.stage[i]) + "SEND_F" + std::to_string(tl.microbatch[i])},
                        {"pid", 1}, {"tid", 1}, {"ts", ts + dur}, {"dur", 0.0}});
  }
  events.push_back({{"ph", "i"}, {"name", "Iteration Start: PyTorch Profiler"}, {"ts", shape.origin_us}, {"pid", 1}, {"tid", 1}, {"s", "g"}});
  // Chrome traces need not be sorted: reverse the second half.
  std::reverse(events.begin() + static_cast<long>(events.size() / 2), events.end());
  json doc = {{"schemaVersion", 1}, {"traceEvents", events}, {"deviceProperties", json::array({{{"id", 0}, {"name", "NVIDIA H100"}}})}};
  if (shape.with_rank) doc["distributedInfo"] = {{"backend", "nccl"}, {"rank", d}, {"world_size", run.schedule.num_devices}};
  return doc.dump();
}

/// Megatron-LM timer dumps of a run with p devices and v chunks each (interleaved placement:
/// stage c*p + r), one per pipeline rank and data-parallel rank, named as Megatron writes them.
/// Only BW backwards can be written (Megatron times forward and full backward).
inline std::map<std::string, std::string> megatron_dumps(const Run& run, int dp_ranks = 1, double origin_ms = 5000) {
  using nlohmann::json;
  const int p = run.schedule.num_devices, v = run.schedule.num_stages / p;
  std::map<std::string, std::string> files;
  for (int dp = 0; dp < dp_ranks; ++dp)
    for (int r = 0; r < p; ++r) {
      json dump = json::object();
      dump["iteration"] = 10;  // not a timer key: ignored
      const Timeline& tl = run.timeline;
      for (uint32_t i = tl.device_offset[static_cast<size_t>(r)]; i < tl.device_offset[static_cast<size_t>(r) + 1]; ++i) {
        const int chunk = tl.stage[i] / p;
        const std::string stem = std::string(tl.kind[i] == 0 ? "forward-" : "backward-") + (v > 1 ? std::to_string(chunk) + "-" : "") +
                                 std::to_string(tl.microbatch[i]);
        dump[stem + "-start"] = origin_ms + tl.start[i] + dp * 0.25;
        dump[stem + "-end"] = origin_ms + tl.end[i] + dp * 0.25;
      }
      const int global = dp * p + r;
      files["event_times_PP" + std::to_string(p) + "_VPP" + std::to_string(v) + "_TPxCPxDP_rank_" + std::to_string(dp) + "_pp_rank_" +
            std::to_string(r) + "_rank_" + std::to_string(global) + ".json"] = dump.dump();
    }
  return files;
}

/// The files as import_trace takes them (views into `texts`, which must outlive them).
inline std::vector<TraceFile> trace_files(const std::map<std::string, std::string>& texts) {
  std::vector<TraceFile> files;
  for (const auto& [name, text] : texts) files.push_back({name, text});
  return files;
}

inline MeasuredRun imported(const std::map<std::string, std::string>& texts, const TraceOptions& options = {}) {
  Result<MeasuredRun> r = import_trace(trace_files(texts), options);
  INFO(r.error());
  REQUIRE(r.ok());
  return std::move(r).value();
}

inline std::string import_error(const std::map<std::string, std::string>& texts, const TraceOptions& options = {}) {
  Result<MeasuredRun> r = import_trace(trace_files(texts), options);
  REQUIRE_FALSE(r.ok());
  return r.error();
}

}  // namespace ppemu::test
