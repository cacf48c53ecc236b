// The trace mode's report, as text for people and as one JSON object for tools and the page.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "ppemu/export.h"
#include "ppemu/trace_fit.h"

namespace ppemu {
namespace {

using nlohmann::json;

std::string num(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", x);
  return buf;
}

std::string signed_num(double x) { return (x > 0 ? "+" : "") + num(x); }

std::string pad(std::string s, size_t width) {
  if (s.size() < width) s.insert(0, width - s.size(), ' ');
  return s;
}

const char* mode_name(P2pMode mode) { return mode == P2pMode::Sync ? "sync" : "async"; }

struct KindColumn {
  const char* key;
  Spread StageFit::*field;
  const StageTimes* (*fitted)(const OpTimes&);
};
const KindColumn kColumns[] = {
    {"forward", &StageFit::forward, [](const OpTimes& t) { return &t.forward; }},
    {"backward", &StageFit::backward, [](const OpTimes& t) { return &t.backward; }},
    {"backward_D", &StageFit::backward_D, [](const OpTimes& t) { return &t.backward_D; }},
    {"backward_W", &StageFit::backward_W, [](const OpTimes& t) { return &t.backward_W; }},
    {"overlapped_forward_backward", &StageFit::overlapped,
     [](const OpTimes& t) { return t.overlapped_forward_backward ? &*t.overlapped_forward_backward : nullptr; }},
};

std::string list_of(const StageTimes& t, int stages) {
  std::string out = "[";
  for (int s = 0; s < stages; ++s) out += (s ? "," : "") + num(t.at(s));
  return out + "]";
}

json spread_json(const Spread& s) { return {{"median", s.median}, {"min", s.min}, {"max", s.max}, {"count", s.count}}; }

std::string op_name(const Timeline& tl, uint32_t i) {
  Action a{static_cast<OpKind>(tl.kind[i]), tl.stage[i], tl.microbatch[i], tl.stage2[i], tl.microbatch2[i]};
  return action_label(a, true);
}

}  // namespace

std::string fitted_config_json(const TraceFit& fit, P2pMode mode) {
  const Config& c = fit.config;
  json op_times = json::object();
  for (const KindColumn& k : kColumns) {
    const StageTimes* t = k.fitted(c.op_times);
    if (!t) {
      op_times[k.key] = nullptr;
      continue;
    }
    json list = json::array();
    for (int s = 0; s < c.num_stages; ++s) list.push_back(t->at(s));
    op_times[k.key] = std::move(list);
  }
  json j = {{"num_devices", c.num_devices}, {"num_stages", c.num_stages},       {"num_batches", c.num_batches},
            {"p2p_latency", c.p2p_latency}, {"p2p_mode", mode_name(mode)}, {"op_times", std::move(op_times)}};
  return j.dump(-1, ' ', false, json::error_handler_t::replace);  // file names need not be UTF-8
}

std::vector<std::string> fitted_assignments(const TraceFit& fit, P2pMode mode) {
  std::vector<std::string> out;
  for (const KindColumn& k : kColumns)
    if (const StageTimes* t = k.fitted(fit.config.op_times)) out.push_back(std::string("op_times.") + k.key + "=" + list_of(*t, fit.config.num_stages));
  out.push_back("p2p_latency=" + num(fit.config.p2p_latency));
  out.push_back(std::string("p2p_mode=") + mode_name(mode));
  return out;
}

std::string fit_json(const TraceFit& fit) {
  json op_times = json::object();
  for (const KindColumn& k : kColumns) {
    json list = json::array();
    for (size_t s = 0; s < fit.stages.size(); ++s) {
      json e = spread_json(fit.stages[s].*k.field);
      e["stage"] = s;
      list.push_back(std::move(e));
    }
    op_times[k.key] = std::move(list);
  }
  json j = {{"op_times", std::move(op_times)}, {"p2p_latency", spread_json(fit.p2p)}, {"skewed", fit.skewed},
            {"worst_skew_ms", fit.worst_skew_ms}, {"notes", fit.notes}};
  return j.dump(-1, ' ', false, json::error_handler_t::replace);  // file names need not be UTF-8
}

std::string replay_json(const MeasuredRun& measured, const Replay& r) {
  json devices = json::array();
  for (size_t d = 0; d < r.devices.size(); ++d) {
    const DeviceError& e = r.devices[d];
    devices.push_back({{"device", d},
                       {"measured_end", e.measured_end},
                       {"replay_end", e.replay_end},
                       {"end_error", e.replay_end - e.measured_end},
                       {"measured_busy", e.measured_busy},
                       {"replay_busy", e.replay_busy},
                       {"busy_error", e.replay_busy - e.measured_busy},
                       {"measured_idle", e.measured_idle},
                       {"replay_idle", e.replay_idle},
                       {"idle_error", e.replay_idle - e.measured_idle}});
  }
  const Timeline& tl = measured.run.timeline;
  json worst = json::array();
  for (const OpDeviation& o : r.worst)
    worst.push_back({{"row", o.row},
                     {"device", tl.device[o.row]},
                     {"op", op_name(tl, o.row)},
                     {"kind", kind_name(static_cast<OpKind>(tl.kind[o.row]))},
                     {"stage", tl.stage[o.row]},
                     {"microbatch", tl.microbatch[o.row]},
                     {"measured_start", o.measured_start},
                     {"replay_start", o.replay_start},
                     {"start_error", o.replay_start - o.measured_start}});
  json j = {{"p2p_mode", mode_name(r.mode)},
            {"choice", r.choice},
            {"async_error_ms", r.async_error_ms},
            {"sync_error_ms", r.sync_error_ms},
            {"makespan", r.run.metrics.makespan},
            {"measured_makespan", r.measured_makespan},
            {"makespan_error", r.run.metrics.makespan - r.measured_makespan},
            {"devices", std::move(devices)},
            {"worst", std::move(worst)},
            {"causes", r.causes}};
  return j.dump(-1, ' ', false, json::error_handler_t::replace);  // file names need not be UTF-8
}

std::string trace_json(const MeasuredRun& measured, const TraceFit& fit, const Replay& replay, const Run* what_if,
                       const std::string& what_if_note, int indent) {
  json j;
  j["version"] = kJsonSchemaVersion;
  j["format"] = trace_format_name(measured.format);
  j["files"] = measured.device_files;
  j["origin_ms"] = measured.origin_ms;
  j["notes"] = measured.notes;
  j["measured"] = json::parse(to_json(measured.run));
  j["fitted"] = json::parse(fitted_config_json(fit, replay.mode));
  j["fit"] = json::parse(fit_json(fit));
  j["replay"] = json::parse(replay_json(measured, replay));
  if (what_if) {
    j["what_if"] = json::parse(to_json(*what_if));
    j["what_if"]["note"] = what_if_note;
  }
  return j.dump(indent, ' ', false, json::error_handler_t::replace) + "\n";  // file names need not be UTF-8
}

std::string trace_summary(const MeasuredRun& measured, const TraceFit& fit, const Replay& replay, const Run* what_if,
                          const std::string& what_if_note) {
  const Schedule& s = measured.run.schedule;
  std::string out = std::string("measured: ") + trace_format_title(measured.format) + ", " + std::to_string(s.num_devices) + " devices, " +
                    std::to_string(s.num_stages) + " stages, " + std::to_string(s.num_microbatches) + " microbatches, " +
                    std::to_string(measured.run.timeline.size()) + " ops; times in ms\n";
  out += "clocks aligned on the earliest op of all: 0 ms here is " + num(measured.origin_ms) +
         " ms on its rank's clock (trace.offset_ms.<rank>=MS corrects a skewed rank)\n";
  const auto& files = measured.device_files;
  if (!files.empty() && std::all_of(files.begin(), files.end(), [&](const std::string& f) { return f == files.front(); }))
    out += "  file: " + files.front() + "\n";
  else
    for (size_t d = 0; d < files.size(); ++d) out += "  device " + std::to_string(d) + ": " + files[d] + "\n";
  for (const std::string& n : measured.notes) out += "note: " + n + "\n";
  // The run's own summary without its first line (the strategy line, which would say "measured").
  const std::string summary = to_summary(measured.run);
  out += summary.substr(summary.find('\n') + 1);

  out += "\nfitted op times per stage (ms): median [min..max] xcount\n";
  out += pad("stage", 6);
  for (const KindColumn& k : kColumns) out += "  " + pad(k.key == std::string("overlapped_forward_backward") ? "overlapped" : k.key, 22);
  out += "\n";
  for (size_t st = 0; st < fit.stages.size(); ++st) {
    out += pad(std::to_string(st), 6);
    for (const KindColumn& k : kColumns) {
      const Spread& sp = fit.stages[st].*k.field;
      out += "  " + pad(sp.count ? num(sp.median) + " [" + num(sp.min) + ".." + num(sp.max) + "] x" + std::to_string(sp.count) : "-", 22);
    }
    out += "\n";
  }
  out += "p2p_latency: " + (fit.p2p.count ? num(fit.p2p.median) + " ms, median of " + std::to_string(fit.p2p.count) +
                                                " waits for another device [" + num(fit.p2p.min) + ".." + num(fit.p2p.max) + "]"
                                          : std::string("0 (no op waited for another device)")) +
         "\n";
  for (const std::string& n : fit.notes) out += "note: " + n + "\n";
  out += "\nfitted config, key=value (paste after build/ppemu strategy=... to run a what-if):\n";
  for (const std::string& a : fitted_assignments(fit, replay.mode)) out += "  " + a + "\n";

  out += "\nreplay (the measured order emulated with the fitted times): " + replay.choice + "\n";
  out += "makespan  measured " + num(replay.measured_makespan) + "  replay " + num(replay.run.metrics.makespan) + "  error " +
         signed_num(replay.run.metrics.makespan - replay.measured_makespan) + "\n";
  out += "device" + pad("end meas", 12) + pad("replay", 10) + pad("error", 10) + pad("busy meas", 12) + pad("replay", 10) + pad("error", 10) +
         pad("idle meas", 12) + pad("replay", 10) + pad("error", 10) + "\n";
  for (size_t d = 0; d < replay.devices.size(); ++d) {
    const DeviceError& e = replay.devices[d];
    out += pad(std::to_string(d), 6) + pad(num(e.measured_end), 12) + pad(num(e.replay_end), 10) + pad(signed_num(e.replay_end - e.measured_end), 10) +
           pad(num(e.measured_busy), 12) + pad(num(e.replay_busy), 10) + pad(signed_num(e.replay_busy - e.measured_busy), 10) +
           pad(num(e.measured_idle), 12) + pad(num(e.replay_idle), 10) + pad(signed_num(e.replay_idle - e.measured_idle), 10) + "\n";
  }
  if (!replay.worst.empty()) {
    out += "ops whose start deviates most (replay - measured):\n";
    const Timeline& tl = measured.run.timeline;
    for (const OpDeviation& o : replay.worst)
      out += "  device " + std::to_string(tl.device[o.row]) + " " + op_name(tl, o.row) + ": measured " + num(o.measured_start) + ", replay " +
             num(o.replay_start) + " (" + signed_num(o.replay_start - o.measured_start) + ")\n";
  }
  out += "likely causes:\n";
  for (const std::string& c : replay.causes) out += "  - " + c + "\n";

  if (what_if) {
    const double mk = what_if->metrics.makespan, base = measured.run.metrics.makespan;
    out += "\nwhat-if: strategy " + what_if->config.strategy + " on the fitted times: makespan " + num(mk) + " ms against " + num(base) +
           " ms measured (" + signed_num(base > 0 ? (mk - base) / base * 100 : 0) + "%)\n";
    if (!what_if_note.empty()) out += "note: " + what_if_note + "\n";
    out += to_summary(*what_if);
  }
  return out;
}

}  // namespace ppemu
