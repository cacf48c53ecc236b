// One frame of the bar area, described as primitives handed to a sink: the canvas sink batches them
// by colour and draws them (draw-bars.js), the SVG export writes them as elements (export-svg.js),
// tests record them. Keeping the walk in one place is what makes the export look like the screen.
// Only rows inside the vertical viewport and ops inside the time window are visited.
import { visibleOps } from './search.js';
import { lodRow, lodSteps } from './lod.js';
import { labelFontPx, halfLabelFontPx, labelFits, digitCount } from './labels.js';
import { ovHalves, mixedOpKey, KIND } from './palette.js';
import { firstRowBelow } from './layout.js';
import { deviceOfRow, opBlocks } from './run-data.js';

/** Bars at least this wide get a one-pixel gap on the right so back-to-back ops stay apart. */
export const GAP_MIN_WIDTH_PX = 5;
/** Narrower than this, ops merge (level of detail) and a lone op is still drawn this wide. */
export const MIN_BAR_PX = 1;

/**
 * frame: {
 *   runs            prepared runs (run-data.js)
 *   layout          computeLayout(...)
 *   view            {t0, t1} in op_times units
 *   xStartPx, xEndPx  plot area in CSS px
 *   scrollTopPx     content y shown at yOffsetPx
 *   viewHeightPx    height of the visible row area
 *   yOffsetPx       sink y of the row area's top
 *   palette         createPalette(...)
 *   highlight       null | {run, microbatches: [m, ...], rows: ArrayLike<number>}
 *   digitWidthEm    width of one digit as a fraction of the font size
 *   ticksPx         x of the axis ticks, for grid lines
 * }
 * sink: band(x, y, w, h), grid(x, y0, y1), bar(key, x, y, w, h, dim),
 *       label(text, cx, cy, fontPx, key, dim), act(x, y, w, h)
 * Returns {spans, merged, mixed, labels} counts for tests and the legend (mixed: merged spans of several colours).
 */
export function walkFrame(frame, sink) {
  const { runs, layout, view, xStartPx, xEndPx, palette, highlight } = frame;
  const C = palette.numChunks;
  const mixedOp = mixedOpKey(C);
  const pxPerTime = (xEndPx - xStartPx) / (view.t1 - view.t0);
  const yShift = frame.yOffsetPx - frame.scrollTopPx;
  const yTop = frame.scrollTopPx;
  const yBottom = frame.scrollTopPx + frame.viewHeightPx;
  const digitEm = frame.digitWidthEm ?? 0.6;
  const stats = { spans: 0, merged: 0, mixed: 0, labels: 0 };

  const rows = layout.rows;
  const firstRow = firstRowBelow(rows, yTop);
  let lastRow = firstRow;
  while (lastRow < rows.length && rows[lastRow].topPx < yBottom) lastRow++;

  // Backgrounds first: alternate device bands, then the time grid across the visible rows.
  for (let r = firstRow; r < lastRow; r++) {
    const row = rows[r];
    if (row.device % 2 === 1) sink.band(xStartPx, row.topPx + yShift, xEndPx - xStartPx, row.bottomPx - row.topPx);
  }
  if (frame.ticksPx && lastRow > firstRow) {
    const y0 = Math.max(rows[firstRow].topPx, yTop) + yShift;
    const y1 = Math.min(rows[lastRow - 1].bottomPx, yBottom) + yShift;
    for (const x of frame.ticksPx) if (x >= xStartPx && x <= xEndPx) sink.grid(x, y0, y1);
  }

  for (let r = firstRow; r < lastRow; r++) {
    const row = rows[r];
    const run = runs[row.run];
    const dim = highlight !== null && highlight !== undefined && highlight.run === row.run;
    const lo = run.offsets[row.device];
    const hi = run.offsets[row.device + 1];
    const [a, b] = visibleOps(run.start, run.end, lo, hi, view.t0, view.t1);
    const y = row.barTopPx + yShift;
    const h = row.barHeightPx;
    const emit = makeEmitter(run, sink, stats, {
      y, h, dim, C, mixedOp, mixedKey: palette.mixedKey, digitEm,
      skipLabel: dim ? highlight.microbatches : null,
    });
    lodRow(run.start, run.end, run.keys, a, b, view.t0, pxPerTime, xStartPx, xStartPx, xEndPx, mixedOp, MIN_BAR_PX, emit, opBlocks(run));

    if (run.act && row.actHeightPx > 0 && run.actMax > 0) {
      const act = run.act;
      const ay = row.actTopPx + yShift;
      const ah = row.actHeightPx;
      const scale = ah / run.actMax;
      // Neighbouring steps of the same drawn height become one rect.
      let rx0 = 0;
      let rx1 = -1;
      let rh = 0;
      const flush = () => {
        if (rh > 0 && rx1 > rx0) sink.act(rx0, ay + ah - rh, Math.max(MIN_BAR_PX, rx1 - rx0), rh);
      };
      lodSteps(act.time, act.count, act.offset[row.device], act.offset[row.device + 1], run.extent,
        view.t0, view.t1, pxPerTime, xStartPx, MIN_BAR_PX, (x0, x1, v) => {
          const hv = v <= 0 ? 0 : Math.max(1, Math.round(v * scale));
          if (hv === rh && x0 <= rx1 + 1e-9) {
            if (x1 > rx1) rx1 = x1;
            return;
          }
          flush();
          rx0 = x0;
          rx1 = x1;
          rh = hv;
        });
      flush();
    }
  }

  // The hovered microbatch's chain, drawn over the dimmed run at full colour, each op at least a
  // pixel wide so none of it disappears into a merged span.
  if (highlight && highlight.rows) {
    const run = runs[highlight.run];
    const rowOf = new Map();
    for (let r = firstRow; r < lastRow; r++) if (rows[r].run === highlight.run) rowOf.set(rows[r].device, rows[r]);
    for (let j = 0; j < highlight.rows.length; j++) {
      const i = highlight.rows[j];
      if (run.end[i] <= view.t0 || run.start[i] >= view.t1) continue;
      const row = rowOf.get(deviceOfRow(run, i));
      if (!row) continue;
      const x0 = Math.max(xStartPx, xStartPx + (run.start[i] - view.t0) * pxPerTime);
      const x1 = Math.min(xEndPx, xStartPx + (run.end[i] - view.t0) * pxPerTime);
      const emit = makeEmitter(run, sink, stats, {
        y: row.barTopPx + yShift, h: row.barHeightPx, dim: false, C, mixedOp, mixedKey: palette.mixedKey, digitEm, skipLabel: null,
      });
      emit(x0, x1, run.keys[i], i, 1);
    }
  }
  return stats;
}

// Turns LOD spans into bars (OV as two halves) and labels for one device row.
function makeEmitter(run, sink, stats, o) {
  const { y, h, dim, C, mixedOp, mixedKey, digitEm, skipLabel } = o;
  const fullFont = labelFontPx(h);
  const topH = Math.floor(h / 2);
  const botH = h - topH;
  const halfFont = halfLabelFontPx(topH);
  return (x0, x1, key, first, count) => {
    stats.spans++;
    let w = x1 - x0;
    if (w < MIN_BAR_PX) w = MIN_BAR_PX;
    else if (count === 1 && w >= GAP_MIN_WIDTH_PX) w -= 1;
    const halves = key === mixedOp ? null : ovHalves(key, C);
    if (count > 1) stats.merged++;
    if (key === mixedOp) {
      stats.mixed++;
      sink.bar(mixedKey, x0, y, w, h, dim);
      return;
    }
    if (halves) {
      sink.bar(halves[0], x0, y, w, topH, dim);
      sink.bar(halves[1], x0, y + topH, w, botH, dim);
    } else {
      sink.bar(key, x0, y, w, h, dim);
    }
    if (count !== 1) return;
    const mb = run.microbatch[first];
    if (skipLabel && (skipLabel.includes(mb) || skipLabel.includes(run.microbatch2[first]))) return;
    const cx = x0 + w / 2;
    if (halves) {
      if (!halfFont) return;
      const mb2 = run.microbatch2[first];
      const cw = digitEm * halfFont;
      if (labelFits(digitCount(mb), w, cw)) {
        sink.label(String(mb), cx, y + topH / 2, halfFont, halves[0], dim);
        stats.labels++;
      }
      if (mb2 >= 0 && labelFits(digitCount(mb2), w, cw)) {
        sink.label(String(mb2), cx, y + topH + botH / 2, halfFont, halves[1], dim);
        stats.labels++;
      }
    } else if (fullFont && run.kind[first] !== KIND.OV && labelFits(digitCount(mb), w, digitEm * fullFont)) {
      sink.label(String(mb), cx, y + h / 2, fullFont, key, dim);
      stats.labels++;
    }
  };
}
