#include "formats.h"

#include "io.h"
#include "ppemu/ascii.h"
#include "ppemu/export.h"
#include "ppemu/pytorch_csv.h"

namespace ppemu::cli {

const std::vector<Format>& run_formats() {
  static const std::vector<Format> formats = {
      {"summary", "metrics, per-device table, closed forms and (small runs) an ASCII timeline", to_summary},
      {"json", "one JSON object: config, metrics, devices, stages, ops, formulas, activations",
       [](const Run& r) { return to_json(r, 2) + "\n"; }, nullptr,
       [](const Run& r, const TextSink& sink) {
         write_json(r, sink, 2);
         sink("\n");
       }},
      {"trace", "Chrome trace-event JSON for Perfetto UI / chrome://tracing (1 time unit = 1 ms)", to_trace, nullptr, write_trace},
      {"svg", "SVG timeline for a blog post: a row per device, bars by kind and chunk, axis, legend", to_svg},
      {"ascii", "time-scaled text timeline (2 columns per time unit)", nullptr,
       [](const Run& r) { return ascii_timeline(r.schedule, r.timeline, 2); }},
      {"csv", "the schedule as a PyTorch compute-only CSV (current dialect; one chain only)", nullptr,
       [](const Run& r) { return to_pytorch_csv(r.schedule); }},
  };
  return formats;
}

std::string format_names() {
  std::string names;
  for (const Format& f : run_formats()) names += names.empty() ? f.name : std::string(", ") + f.name;
  return names;
}

const Format* find_format(const std::vector<Format>& formats, const std::string& name) {
  for (const Format& f : formats)
    if (name == f.name) return &f;
  return nullptr;
}

Result<std::string> render(const Format& format, const Run& run) {
  if (format.try_render) return format.try_render(run);
  return format.render(run);
}

int write_run(const Options& options, const Format& format, const Run& run) {
  if (format.stream) return write_streamed(options, [&](const TextSink& sink) { format.stream(run, sink); });
  Result<std::string> text = render(format, run);
  if (!text.ok()) return bad_input(text.error());
  return write_output(options, text.value());
}

}  // namespace ppemu::cli
