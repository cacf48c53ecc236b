// The chart's furniture as data: legend entries with positions, device and group labels, number
// formatting. Both the live SVG overlay and the standalone SVG export draw from these models, so
// they place things identically. Pure: text widths are estimated, not measured.
import { legendItems, chunkLegend } from './palette.js';
import { LEGEND_HEIGHT_PX } from './layout.js';

export const FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
export const LEGEND_FONT_PX = 11;
export const AXIS_FONT_PX = 10;
export const ROW_FONT_PX = 11;
const CHAR_EM = 0.6; // average advance of UI-font text, generous so estimates do not overlap
const SWATCH_PX = 12;

export function textWidthPx(text, fontPx) {
  return text.length * fontPx * CHAR_EM;
}

/**
 * Legend entries laid out left to right in a strip `widthPx` wide: kinds present (long titles,
 * or just the kind letters when the long ones do not fit), chunk shades when there are several
 * chunks, the activation strip. Each entry: {x, y, swatches: [{x, y, w, h, fill, text?}], text, textX}.
 */
export function legendModel(palette, kindsPresent, { widthPx, showActivations = true, mixedShown = false } = {}) {
  const kinds = legendItems(palette, kindsPresent, { mixedShown });
  const chunks = chunkLegend(palette, kindsPresent);
  const y = Math.round((LEGEND_HEIGHT_PX - SWATCH_PX) / 2);
  const build = (long) => {
    const entries = [];
    let x = 8;
    const push = (swatches, text) => {
      const sw = swatches.map((s) => ({ ...s, x: x + s.dx, y: y + s.dy }));
      const span = Math.max(...swatches.map((s) => s.dx + s.w));
      entries.push({ swatches: sw, text, textX: x + span + 4, textY: y + SWATCH_PX / 2 });
      x += span + 4 + textWidthPx(text, LEGEND_FONT_PX) + 12;
    };
    for (const it of kinds) {
      const swatches = it.fills.length === 2
        ? [{ dx: 0, dy: 0, w: SWATCH_PX, h: SWATCH_PX / 2, fill: it.fills[0] }, { dx: 0, dy: SWATCH_PX / 2, w: SWATCH_PX, h: SWATCH_PX / 2, fill: it.fills[1] }]
        : [{ dx: 0, dy: 0, w: SWATCH_PX, h: SWATCH_PX, fill: it.fills[0] }];
      push(swatches, long ? `${it.name} ${it.title}` : it.name);
    }
    if (chunks.length) {
      push(chunks.map((c, i) => ({ dx: i * (SWATCH_PX + 2), dy: 0, w: SWATCH_PX, h: SWATCH_PX, fill: c.fill, text: String(c.chunk), textFill: labelOn(palette, c.fill) })),
        long ? 'chunk (shade)' : 'chunk');
    }
    if (showActivations) push([{ dx: 0, dy: SWATCH_PX / 3, w: SWATCH_PX, h: (2 * SWATCH_PX) / 3, fill: palette.activation }], long ? 'activations held' : 'act');
    return { entries, widthPx: x };
  };
  const long = build(true);
  return long.widthPx <= widthPx ? long.entries : build(false).entries;
}

function labelOn(palette, fill) {
  const i = palette.fill.indexOf(fill);
  return i >= 0 ? palette.label[i] : palette.text;
}

/** Gutter text of a device row, and of its activation strip (the run's scale, on its first row). */
export function rowLabels(run, device) {
  return {
    device: `dev ${device}`,
    act: device === 0 && run.actMax > 0 ? `act ≤${run.actMax}` : '',
  };
}

/**
 * The unit of the time axis: 'ms' when every run is a projection (wasm/API.md: its times are ms),
 * '' for op_times units, which mean whatever the user made them mean.
 */
export function timeUnitOfRuns(runs) {
  return runs.length && runs.every((r) => r.result?.projection?.time_unit === 'ms') ? 'ms' : '';
}

/** The axis's name: "time (ms)" for projected runs, "time" otherwise. */
export function axisTitle(runs) {
  const unit = timeUnitOfRuns(runs);
  return unit ? `time (${unit})` : 'time';
}

/** A time for people: integers as is, otherwise up to 4 significant decimals without trailing zeros. */
export function formatTime(t) {
  if (!Number.isFinite(t)) return String(t);
  if (Number.isInteger(t)) return String(t);
  const abs = Math.abs(t);
  const digits = abs >= 1000 ? 1 : abs >= 1 ? 3 : 4;
  return String(Number(t.toFixed(digits)));
}

/**
 * Texts of the gutter and group headers for rows [firstRow, lastRow) of the layout, in overlay px
 * (content y + yShift): [{text, x, y, fontPx, role: 'group'|'device'|'act', anchor}].
 */
export function gutterTexts(layout, runs, firstRow, lastRow, yShift, gutterPx) {
  const out = [];
  const rows = layout.rows;
  const shownRuns = new Set();
  for (let r = firstRow; r < lastRow; r++) shownRuns.add(rows[r].run);
  for (const g of layout.groups) {
    if (!shownRuns.has(g.run)) continue;
    out.push({ text: g.label, x: 8, y: g.topPx + g.heightPx / 2 + 1 + yShift, fontPx: 12, role: 'group', anchor: 'start' });
  }
  for (let r = firstRow; r < lastRow; r++) {
    const row = rows[r];
    const labels = rowLabels(runs[row.run], row.device);
    const fontPx = Math.max(8, Math.min(ROW_FONT_PX, row.barHeightPx));
    out.push({ text: labels.device, x: gutterPx - 8, y: row.barTopPx + row.barHeightPx / 2 + yShift, fontPx, role: 'device', anchor: 'end' });
    if (labels.act && row.actHeightPx >= 7) {
      out.push({ text: labels.act, x: gutterPx - 8, y: row.actTopPx + row.actHeightPx / 2 + yShift, fontPx: 9, role: 'act', anchor: 'end' });
    }
  }
  return out;
}
