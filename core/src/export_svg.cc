// A self-contained SVG timeline for blog posts and papers: one row per device, bars coloured by
// op kind (Okabe-Ito, safe for the common colour-vision deficiencies) and shaded by chunk, a time
// axis, a legend and a title line with the run's figures. Bars are grouped by colour under one
// <g fill>, so the file stays small and renders the same without CSS; ops narrower than a few
// pixels are merged per row into grey busy spans (level of detail), which bounds the size by the
// drawing's width rather than the number of ops.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "ppemu/export.h"

namespace ppemu {
namespace {

// Layout, in SVG user units (px at 100%).
constexpr double kWidth = 960;
constexpr double kLeft = 72;        // device labels
constexpr double kRight = 20;
constexpr double kTop = 44;         // title line
constexpr double kPlotHeight = 480; // rows share this, within [kMinRow, kMaxRow] each
constexpr double kMinRow = 6, kMaxRow = 28;
constexpr double kMinBarPx = 3;     // narrower ops merge into a busy span
constexpr double kMergeGapPx = 1;   // idle gaps narrower than this vanish inside a span
constexpr double kFontSize = 11;
constexpr double kCharWidth = 0.6;  // average glyph width / font size, for fitting labels

struct Rgb {
  int r, g, b;
};

// Okabe & Ito (2008). Vermilion for the full backward, orange for its input half, so the two
// backward kinds read as related; the W is the green.
constexpr Rgb kKindColour[kNumOpKinds] = {
    {0x00, 0x72, 0xB2},  // F: blue
    {0xE6, 0x9F, 0x00},  // B: orange
    {0x00, 0x9E, 0x73},  // W: bluish green
    {0xD5, 0x5E, 0x00},  // BW: vermilion
    {0x00, 0x00, 0x00},  // OV: unused, drawn as an F half over a BW half
};
constexpr const char* kKindName[kNumOpKinds] = {"F forward", "B input backward", "W weight backward", "BW full backward",
                                                "F&BW overlapped (top F, bottom BW)"};
constexpr const char* kBusyColour = "#8c8c8c";
constexpr const char* kIdleColour = "#f0f0f0";
constexpr const char* kInk = "#222222";
// A hairline of background between neighbouring bars, so runs of one kind read as separate ops.
constexpr const char* kBarEdge = " stroke=\"#ffffff\" stroke-width=\"0.75\"";
constexpr const char* kCentred = " text-anchor=\"middle\"";

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

// Coordinates with at most two decimals and no trailing zeros: "12", "12.5", "12.25".
std::string num(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", std::abs(x) < 0.005 ? 0.0 : x);
  std::string s = buf;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

// Figures for people: six significant digits at most, as the summary prints them.
std::string figure(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", x);
  return buf;
}

std::string hex(Rgb c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", c.r, c.g, c.b);
  return buf;
}

// Chunk c of v is the kind's colour mixed toward white: chunk 0 full, the last chunk 55% white.
Rgb shade(Rgb c, int chunk, int chunks) {
  const double t = chunks > 1 ? 0.55 * chunk / (chunks - 1) : 0;
  auto mix = [t](int x) { return static_cast<int>(std::lround(x + (255 - x) * t)); };
  return {mix(c.r), mix(c.g), mix(c.b)};
}

// Dark text on light fills, white on dark ones (WCAG relative luminance).
bool light(Rgb c) {
  auto lin = [](int x) {
    const double v = x / 255.0;
    return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b) > 0.3;
}

// d3-array's tick rule: a step of 1, 2 or 5 times a power of ten giving about `count` ticks.
std::vector<double> nice_ticks(double hi, int count) {
  std::vector<double> ticks;
  if (!(hi > 0)) return {0};
  const double raw = hi / count;
  const double power = std::pow(10, std::floor(std::log10(raw)));
  const double error = raw / power;
  const double step = power * (error >= std::sqrt(50.0) ? 10 : error >= std::sqrt(10.0) ? 5 : error >= std::sqrt(2.0) ? 2 : 1);
  if (!(step > 0 && std::isfinite(step))) return {0};  // a denormal span: pow(10, -324) is 0, the loop below endless
  for (long i = 0;; ++i) {
    const double t = static_cast<double>(i) * step;
    if (t > hi * (1 + 1e-9)) break;
    ticks.push_back(t);
  }
  return ticks;
}

// Elements collected per fill colour, written as one <g fill> each (with the layer's other
// attributes), so a colour is named once rather than once per bar.
struct Layer {
  std::string fill;
  std::string attrs;
  std::string body;
};

class Canvas {
 public:
  std::string& layer(const std::string& fill, const char* attrs = "") {
    for (Layer& l : layers_)
      if (l.fill == fill) return l.body;
    layers_.push_back({fill, attrs, {}});
    return layers_.back().body;
  }
  std::string str() const {
    std::string out;
    for (const Layer& l : layers_)
      if (!l.body.empty()) out += "<g fill=\"" + l.fill + "\"" + l.attrs + ">\n" + l.body + "</g>\n";
    return out;
  }

 private:
  std::vector<Layer> layers_;
};

std::string rect(double x, double y, double w, double h, const std::string& tooltip = "") {
  std::string s = "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(w) + "\" height=\"" + num(h) + "\"";
  if (tooltip.empty()) return s + "/>\n";
  return s + "><title>" + escape(tooltip) + "</title></rect>\n";
}

std::string text(double x, double y, std::string_view content, const char* attrs = "") {
  return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\"" + attrs + ">" + escape(content) + "</text>\n";
}

double text_width(size_t chars, double font) { return static_cast<double>(chars) * kCharWidth * font; }

}  // namespace

std::string to_svg(const Run& run) {
  const Config& c = run.config;
  const Schedule& s = run.schedule;
  const Timeline& tl = run.timeline;
  const Metrics& mx = run.metrics;
  const int P = std::max(tl.num_devices(), 1);
  const std::vector<int32_t> chunk_of = s.stage_chunks();
  int chunks = 1;
  for (int32_t ch : chunk_of) chunks = std::max(chunks, ch + 1);

  const double row = std::clamp(std::floor(kPlotHeight / P), kMinRow, kMaxRow);
  const double gap = row >= 12 ? 3 : 1;
  const double bar = row - gap;
  const double plot_w = kWidth - kLeft - kRight;
  const double plot_h = row * P;
  const double makespan = mx.makespan > 0 ? mx.makespan : 1;
  const double scale = plot_w / makespan;  // px per time unit
  auto x_of = [&](double t) { return kLeft + t * scale; };
  auto y_of = [&](int d) { return kTop + d * row + gap / 2; };

  Canvas bars, labels;
  bool used[kNumOpKinds] = {};
  bool merged_any = false;

  // Label a bar with its microbatch when the number fits inside it.
  auto label = [&](double x, double w, double y, double h, int mb, Rgb fill) {
    const double font = std::min(kFontSize, h - 2);
    const std::string digits = std::to_string(mb);
    if (font < 7 || text_width(digits.size(), font) + 3 > w) return;
    std::string& out = labels.layer(light(fill) ? kInk : "#ffffff", kCentred);
    const std::string size = font == kFontSize ? "" : " font-size=\"" + num(font) + "\"";
    out += "<text x=\"" + num(x + w / 2) + "\" y=\"" + num(y + h / 2 + font * 0.35) + "\"" + size + ">" + digits + "</text>\n";
  };

  for (int d = 0; d < tl.num_devices(); ++d) {
    const uint32_t lo = tl.device_offset[static_cast<size_t>(d)], hi = tl.device_offset[static_cast<size_t>(d) + 1];
    const double y = y_of(d);
    // A run of narrow ops, drawn as one span once an op breaks it.
    double span_lo = 0, span_hi = 0;
    size_t span_ops = 0;
    auto flush = [&] {
      if (span_ops == 0) return;
      const double x0 = x_of(span_lo), w = std::max(x_of(span_hi) - x0, 0.5);
      bars.layer(kBusyColour) += rect(x0, y, w, bar,
                                      "d" + std::to_string(d) + ": " + std::to_string(span_ops) + " ops, " + figure(span_lo) +
                                          "\u2013" + figure(span_hi));
      merged_any = true;
      span_ops = 0;
    };
    for (uint32_t i = lo; i < hi; ++i) {
      const double x0 = x_of(tl.start[i]), w = (tl.end[i] - tl.start[i]) * scale;
      if (w < kMinBarPx) {
        if (span_ops > 0 && (tl.start[i] - span_hi) * scale >= kMergeGapPx) flush();
        if (span_ops == 0) span_lo = tl.start[i];
        span_hi = tl.end[i];
        ++span_ops;
        continue;
      }
      flush();
      const auto kind = static_cast<OpKind>(tl.kind[i]);
      const Action a{kind, tl.stage[i], tl.microbatch[i], tl.stage2[i], tl.microbatch2[i]};
      const std::string tip = "d" + std::to_string(d) + " " + action_label(a, true) + ": " + figure(tl.start[i]) + "\u2013" +
                              figure(tl.end[i]);
      const int ch = chunk_of[static_cast<size_t>(a.stage)];
      if (kind == OpKind::OV) {
        // Forward half on top, full-backward half below, each in its own kind's colour.
        const Rgb top = shade(kKindColour[0], ch, chunks);
        const Rgb low = shade(kKindColour[3], chunk_of[static_cast<size_t>(a.stage2)], chunks);
        const double half = bar / 2;
        bars.layer(hex(top), kBarEdge) += rect(x0, y, w, half, tip);
        bars.layer(hex(low), kBarEdge) += rect(x0, y + half, w, half, tip);
        label(x0, w, y, half, a.microbatch, top);
        label(x0, w, y + half, half, a.microbatch2, low);
        used[static_cast<int>(OpKind::OV)] = true;
      } else {
        const Rgb fill = shade(kKindColour[static_cast<int>(kind)], ch, chunks);
        bars.layer(hex(fill), kBarEdge) += rect(x0, y, w, bar, tip);
        label(x0, w, y, bar, a.microbatch, fill);
        used[static_cast<int>(kind)] = true;
      }
    }
    flush();
  }

  // Title line, rows' backgrounds and labels, axis, legend.
  const std::string title = c.strategy + " \u2014 " + std::to_string(s.num_devices) + " devices, " + std::to_string(s.num_stages) +
                            " stages, " + std::to_string(s.num_microbatches) + " microbatches \u2014 makespan " +
                            figure(mx.makespan) + (run.projection ? " ms" : "") + ", bubble ratio " + figure(mx.bubble_ratio);
  std::string rows, devices;
  const double label_font = std::min(kFontSize, row + 1);
  const int label_every = static_cast<int>(std::ceil((kFontSize + 1) / row));
  for (int d = 0; d < tl.num_devices(); ++d) {
    rows += rect(kLeft, y_of(d), plot_w, bar);
    if (d % label_every == 0)
      devices += text(kLeft - 8, y_of(d) + bar / 2 + label_font * 0.35,
                                 (P <= 16 ? "device " : "d") + std::to_string(d));
  }

  const double axis_y = kTop + plot_h;
  std::string axis = "<path d=\"M" + num(kLeft) + " " + num(axis_y) + "H" + num(kLeft + plot_w) + "\" stroke=\"" + kInk + "\"/>\n";
  const std::vector<double> ticks = nice_ticks(mx.makespan, 10);
  for (double t : ticks) {
    axis += "<path d=\"M" + num(x_of(t)) + " " + num(axis_y) + "v5\" stroke=\"" + kInk + "\"/>\n";
    axis += text(x_of(t), axis_y + 17, figure(t));
  }
  axis += text(kLeft + plot_w / 2, axis_y + 34, run.projection ? "time (ms)" : "time (op_times units)");

  // Legend entries for what the drawing shows, wrapped to the width.
  std::vector<std::pair<std::string, std::string>> entries;  // swatch fill (empty: none), text
  for (int k = 0; k < kNumOpKinds; ++k)
    if (used[k] && k != static_cast<int>(OpKind::OV)) entries.emplace_back(hex(kKindColour[k]), kKindName[k]);
  if (used[static_cast<int>(OpKind::OV)]) entries.emplace_back("ov", kKindName[static_cast<int>(OpKind::OV)]);
  if (merged_any) entries.emplace_back(kBusyColour, "busy (ops under " + figure(kMinBarPx) + " px merged)");
  entries.emplace_back(kIdleColour, "idle");
  if (chunks > 1) entries.emplace_back("", "lighter shade = later chunk (" + std::to_string(chunks) + " per device)");
  std::string legend;
  double lx = kLeft, ly = axis_y + 52;
  for (const auto& [fill, name] : entries) {
    const double w = (fill.empty() ? 0 : 18) + text_width(name.size(), kFontSize) + 20;
    if (lx + w > kWidth - kRight && lx > kLeft) {
      lx = kLeft;
      ly += 20;
    }
    double tx = lx;
    if (fill == "ov") {
      legend += "<rect x=\"" + num(lx) + "\" y=\"" + num(ly - 10) + "\" width=\"12\" height=\"6\" fill=\"" + hex(kKindColour[0]) + "\"/>\n";
      legend += "<rect x=\"" + num(lx) + "\" y=\"" + num(ly - 4) + "\" width=\"12\" height=\"6\" fill=\"" + hex(kKindColour[3]) + "\"/>\n";
      tx += 18;
    } else if (!fill.empty()) {
      legend += "<rect x=\"" + num(lx) + "\" y=\"" + num(ly - 10) + "\" width=\"12\" height=\"12\" fill=\"" + fill + "\"/>\n";
      tx += 18;
    }
    legend += text(tx, ly, name);
    lx += w;
  }
  const double height = ly + 14;

  const std::string bar_layers = bars.str();
  std::string out;
  out.reserve(8192 + bar_layers.size());
  out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(kWidth) + "\" height=\"" + num(height) + "\" viewBox=\"0 0 " +
         num(kWidth) + " " + num(height) + "\" font-family=\"system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif\" font-size=\"" +
         num(kFontSize) + "\" role=\"img\">\n";
  out += "<title>" + escape(title) + "</title>\n";
  out += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
  out += text(kLeft, 22, title, " font-size=\"13\" font-weight=\"600\" fill=\"#222222\"");
  out += "<g fill=\"" + std::string(kIdleColour) + "\">\n" + rows + "</g>\n";
  out += bar_layers;
  out += labels.str();
  out += "<g fill=\"" + std::string(kInk) + "\" text-anchor=\"end\">\n" + devices + "</g>\n";
  out += "<g fill=\"" + std::string(kInk) + "\" text-anchor=\"middle\">\n" + axis + "</g>\n";
  out += "<g fill=\"" + std::string(kInk) + "\">\n" + legend + "</g>\n";
  out += "</svg>\n";
  return out;
}

}  // namespace ppemu
