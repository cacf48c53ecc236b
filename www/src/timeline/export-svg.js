// Standalone SVG of the chart: what is on screen for the current time window, with every row
// (not only those scrolled into view). Bars go through the same frame walk and level of detail as
// the canvas, written as <rect>s grouped by colour, so a million-op run stays a reasonable file.
// Pure string building: no DOM, no d3 (ticks come in already computed).
import { walkFrame } from './frame.js';
import { HEADER_HEIGHT_PX, GUTTER_WIDTH_PX, plotRange } from './layout.js';
import { legendModel, gutterTexts, axisTitle, FONT_FAMILY, LEGEND_FONT_PX, AXIS_FONT_PX } from './chrome.js';

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const n = (v) => String(Math.round(v * 100) / 100);
/** Height of the optional title line above the legend (a figure for slides names its run). */
export const TITLE_HEIGHT_PX = 26;
const TITLE_FONT_PX = 13;

class SvgSink {
  constructor(palette) {
    this.palette = palette;
    this.bars = new Map(); // fill -> [rect strings]
    this.labels = new Map(); // "font|fill" -> [text strings]
    this.bands = [];
    this.grids = [];
    this.acts = [];
  }
  band(x, y, w, h) { this.bands.push(`<rect x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}"/>`); }
  grid(x, y0, y1) { this.grids.push(`M${n(Math.round(x) + 0.5)} ${n(y0)}V${n(y1)}`); }
  bar(key, x, y, w, h, dim) {
    const fill = dim ? this.palette.dimFill[key] : this.palette.fill[key];
    // Dimmed bars go first so the highlighted chain is drawn over them, as on the canvas.
    const id = `${dim ? 0 : 1}|${fill}`;
    if (!this.bars.has(id)) this.bars.set(id, []);
    this.bars.get(id).push(`<rect x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}"/>`);
  }
  label(text, cx, cy, fontPx, key, dim) {
    const fill = dim ? this.palette.dimLabel[key] : this.palette.label[key];
    const id = `${fontPx}|${fill}`;
    if (!this.labels.has(id)) this.labels.set(id, []);
    this.labels.get(id).push(`<text x="${n(cx)}" y="${n(cy)}">${esc(text)}</text>`);
  }
  // Activation steps are many and small: path segments cost half the bytes of <rect>s.
  act(x, y, w, h) { this.acts.push(`M${n(x)} ${n(y)}h${n(w)}v${n(h)}h${n(-w)}z`); }
}

/**
 * doc: {widthPx, heightPx, palette, fontFamily, frame (walkFrame input), legend (legendModel entries, or a function of the walk's stats returning them),
 *       ticks: [{xPx, text}], axisYPx, xStartPx, xEndPx, texts (gutterTexts), groupLinesY: [y], fontSizes, title?}
 * A title adds a line of TITLE_HEIGHT_PX above everything else (heightPx excludes it).
 */
export function buildSVG(doc) {
  const p = doc.palette;
  const sink = new SvgSink(p);
  const stats = walkFrame(doc.frame, sink);
  // The legend may depend on what was drawn (a 'merged' entry only when merged spans appear).
  const legend = typeof doc.legend === 'function' ? doc.legend(stats) : doc.legend;
  const out = [];
  const titlePx = doc.title ? TITLE_HEIGHT_PX : 0;
  const h = doc.heightPx + titlePx;
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${n(doc.widthPx)}" height="${n(h)}" viewBox="0 0 ${n(doc.widthPx)} ${n(h)}" font-family="${esc(doc.fontFamily)}">`);
  out.push(`<rect width="100%" height="100%" fill="${p.bg}"/>`);
  if (doc.title) {
    out.push(`<text class="title" x="8" y="${n(titlePx / 2 + 1)}" font-size="${TITLE_FONT_PX}" font-weight="600" fill="${p.text}" dominant-baseline="central">${esc(doc.title)}</text>`);
    out.push(`<g transform="translate(0,${titlePx})">`);
  }

  out.push(`<g class="legend" font-size="${doc.fontSizes.legend}" fill="${p.text}" dominant-baseline="central">`);
  for (const e of legend) {
    for (const s of e.swatches) {
      out.push(`<rect x="${n(s.x)}" y="${n(s.y)}" width="${n(s.w)}" height="${n(s.h)}" fill="${s.fill}"/>`);
      if (s.text) out.push(`<text x="${n(s.x + s.w / 2)}" y="${n(s.y + s.h / 2 + 0.5)}" font-size="9" text-anchor="middle" fill="${s.textFill}">${esc(s.text)}</text>`);
    }
    out.push(`<text x="${n(e.textX)}" y="${n(e.textY + 0.5)}">${esc(e.text)}</text>`);
  }
  out.push('</g>');

  // Axis drawn like d3.axisTop: a domain line, 6 px ticks, labels above.
  out.push(`<g class="axis" transform="translate(0,${n(doc.axisYPx)})" font-size="${doc.fontSizes.axis}" fill="${p.muted}" text-anchor="middle">`);
  out.push(`<path d="M${n(doc.xStartPx)} 0.5H${n(doc.xEndPx)}" stroke="${p.axis}" fill="none"/>`);
  if (doc.ticks.length) out.push(`<text x="8" y="-9" text-anchor="start">${esc(doc.axisTitle ?? 'time')}</text>`);
  for (const t of doc.ticks) {
    const x = Math.round(t.xPx) + 0.5;
    out.push(`<path d="M${n(x)} 0V-6" stroke="${p.axis}"/><text x="${n(x)}" y="-9">${esc(t.text)}</text>`);
  }
  out.push('</g>');

  if (sink.bands.length) out.push(`<g fill="${p.rowBand}">${sink.bands.join('')}</g>`);
  if (sink.grids.length) out.push(`<path d="${sink.grids.join('')}" stroke="${p.grid}" stroke-width="1" fill="none"/>`);
  for (const y of doc.groupLinesY ?? []) out.push(`<path d="M0 ${n(Math.round(y) + 0.5)}H${n(doc.widthPx)}" stroke="${p.axis}"/>`);
  const barIds = [...sink.bars.keys()].sort();
  out.push('<g shape-rendering="crispEdges">');
  for (const id of barIds) out.push(`<g fill="${id.slice(2)}">${sink.bars.get(id).join('')}</g>`);
  if (sink.acts.length) out.push(`<path fill="${p.activation}" d="${sink.acts.join('')}"/>`);
  out.push('</g>');
  out.push('<g text-anchor="middle" dominant-baseline="central">');
  for (const [id, texts] of sink.labels) {
    const [font, fill] = id.split('|');
    out.push(`<g font-size="${font}" fill="${fill}">${texts.join('')}</g>`);
  }
  out.push('</g>');

  out.push('<g dominant-baseline="central">');
  for (const t of doc.texts) {
    const fill = t.role === 'act' ? p.muted : p.text;
    const weight = t.role === 'group' ? ' font-weight="600"' : '';
    out.push(`<text x="${n(t.x)}" y="${n(t.y)}" font-size="${t.fontPx}" text-anchor="${t.anchor}" fill="${fill}"${weight}>${esc(t.text)}</text>`);
  }
  out.push('</g>');
  if (doc.title) out.push('</g>');
  out.push('</svg>');
  return out.join('\n');
}

/**
 * The whole export from the renderer's state: every row of `layout`, the time window `view`,
 * `ticks` ([{xPx, text}] from axis.timeTicks), the on-screen width. Returns {svg, widthPx, heightPx}.
 */
export function exportSVG({ runs, layout, view, widthPx, palette, ticks, showActivations = true, digitWidthEm = 0.6, title = '' }) {
  const { x0Px, x1Px } = plotRange(widthPx);
  const heightPx = Math.ceil(HEADER_HEIGHT_PX + layout.contentHeightPx);
  const kindsPresent = [0, 1, 2, 3, 4].map((k) => runs.some((r) => r.kindsPresent[k]));
  const svg = buildSVG({
    widthPx, heightPx, palette, fontFamily: FONT_FAMILY,
    frame: {
      runs, layout, view, xStartPx: x0Px, xEndPx: x1Px, scrollTopPx: 0, viewHeightPx: layout.contentHeightPx,
      yOffsetPx: HEADER_HEIGHT_PX, palette, highlight: null, digitWidthEm, ticksPx: ticks.map((t) => t.xPx),
    },
    legend: (stats) => (runs.length ? legendModel(palette, kindsPresent, { widthPx: widthPx - 8, showActivations, mixedShown: stats.mixed > 0 }) : []),
    ticks: runs.length ? ticks : [],
    axisTitle: axisTitle(runs),
    axisYPx: HEADER_HEIGHT_PX, xStartPx: x0Px, xEndPx: x1Px,
    texts: gutterTexts(layout, runs, 0, layout.rows.length, HEADER_HEIGHT_PX, GUTTER_WIDTH_PX),
    groupLinesY: layout.groups.filter((g) => g.run > 0).map((g) => g.topPx + HEADER_HEIGHT_PX),
    fontSizes: { legend: LEGEND_FONT_PX, axis: AXIS_FONT_PX },
    title,
  });
  return { svg, widthPx, heightPx: heightPx + (title ? TITLE_HEIGHT_PX : 0) };
}
