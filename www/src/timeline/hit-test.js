// Which op of a device row sits under a time. Pure, so the edge rules are unit-tested.
import { upperBound } from './search.js';
import { rowAt } from './layout.js';

/**
 * The row in [lo, hi) whose [start, end) holds `timeUs`; in a gap (or on a bar too thin to aim
 * at) the nearest op whose edge is within `toleranceTime`; otherwise -1. Bars are half-open, so
 * at a shared edge the later op wins, as it does on screen where the later bar is drawn on top.
 */
export function hitTestRow(start, end, lo, hi, time, toleranceTime = 0) {
  if (lo >= hi) return -1;
  const i = upperBound(start, lo, hi, time) - 1; // last op starting at or before `time`
  if (i >= lo && time < end[i]) return i;
  let best = -1;
  let bestDist = Infinity;
  if (i >= lo) {
    best = i;
    bestDist = time - end[i];
  }
  if (i + 1 < hi && start[i + 1] - time < bestDist) {
    best = i + 1;
    bestDist = start[i + 1] - time;
  }
  return bestDist <= toleranceTime ? best : -1;
}

/**
 * The op under a point of the plot: layout row by binary search on y, then hitTestRow on x.
 * contentY is y in layout content px; xPx in the same px as xStartPx/xEndPx. A pointer within
 * `tolerancePx` of a bar still hits it, so thin bars can be aimed at. Returns {run, row} or null.
 */
export function pickOp(runs, layout, view, xStartPx, xEndPx, xPx, contentY, tolerancePx = 3) {
  if (xPx < xStartPx - tolerancePx || xPx > xEndPx + tolerancePx) return null;
  const hit = rowAt(layout.rows, contentY);
  if (!hit || hit.part !== 'bar') return null;
  const run = runs[hit.row.run];
  const pxPerTime = (xEndPx - xStartPx) / (view.t1 - view.t0);
  const time = view.t0 + (xPx - xStartPx) / pxPerTime;
  const lo = run.offsets[hit.row.device];
  const hi = run.offsets[hit.row.device + 1];
  const row = hitTestRow(run.start, run.end, lo, hi, time, tolerancePx / pxPerTime);
  return row < 0 ? null : { run: hit.row.run, row };
}
