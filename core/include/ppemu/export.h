#pragma once
// Views of a finished run for people and other tools. All return the whole document as text;
// the JSON and trace exports can also stream it to a sink.
#include <functional>
#include <string>
#include <string_view>

#include "ppemu/simulate.h"

namespace ppemu {

/// Schema version of to_json's output; bump when a field changes meaning.
constexpr int kJsonSchemaVersion = 1;

/// One JSON object: config, metrics, per-device figures, stages, ops, formulas, activations.
/// The README documents every field. indent < 0 writes one line.
std::string to_json(const Run& run, int indent = -1);

/// Where a streamed export goes: called with successive pieces of the text (about 64 KiB each).
using TextSink = std::function<void(std::string_view)>;

/// to_json's text handed to `sink` piece by piece, holding 64 KiB of it at a time: the memory
/// of an export stays O(1) in the op count (the CLI writes the pieces to its output).
void write_json(const Run& run, const TextSink& sink, int indent = -1);

/// Chrome trace-event JSON (opens in Perfetto UI and chrome://tracing): one track per device,
/// one complete event per op named like `F3 s1`; 1 op_times unit is shown as 1 ms.
std::string to_trace(const Run& run);

/// to_trace's text handed to `sink` piece by piece (see write_json).
void write_trace(const Run& run, const TextSink& sink);

/// A self-contained SVG timeline (a blog post's figure): one row per device, bars coloured by
/// kind and shaded by chunk, microbatch numbers where they fit, a time axis, a legend and a title
/// line with strategy, sizes, makespan and bubble ratio. Ops narrower than a few pixels merge
/// into grey busy spans per row, so the size is bounded by the drawing, not the op count.
std::string to_svg(const Run& run);

/// The CLI's human summary: metrics, per-device table, formulas, and for small runs an ASCII timeline.
std::string to_summary(const Run& run);

/// A projected run's `projection` object (the one to_json writes), as JSON text.
std::string projection_json(const Projection& projection, int indent = -1);

/// The summary's projection section: per-stage times, the time breakdown, memory per device.
std::string projection_summary(const Run& run);

/// The metric definitions as printed by --help and the README.
const char* metric_definitions();

}  // namespace ppemu
