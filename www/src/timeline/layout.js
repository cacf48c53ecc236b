// Vertical layout: where each run's group header and each device row (bar lane + activation strip)
// sits, in CSS px from the top of the scrolling content. Rows shrink to fit the height the chart is
// given, down to a readable minimum; below that the content scrolls. Pure, so tests can pin it.

export const LEGEND_HEIGHT_PX = 26;
export const AXIS_HEIGHT_PX = 22;
export const HEADER_HEIGHT_PX = LEGEND_HEIGHT_PX + AXIS_HEIGHT_PX;
export const GUTTER_WIDTH_PX = 76;
export const RIGHT_PAD_PX = 12;
export const GROUP_HEIGHT_PX = 20;
export const BOTTOM_PAD_PX = 6;

/** Horizontal extent of the bars in a chart `widthPx` wide: right of the gutter, short of the edge. */
export function plotRange(widthPx) {
  return { x0Px: GUTTER_WIDTH_PX, x1Px: Math.max(GUTTER_WIDTH_PX + 10, widthPx - RIGHT_PAD_PX) };
}

const PREF = { bar: 24, act: 12, gap: 8 };
const MIN = { bar: 4, act: 2, gap: 1 };

function rowHeights(scale, showActivations) {
  const bar = Math.max(MIN.bar, Math.floor(PREF.bar * scale));
  const act = showActivations ? Math.max(MIN.act, Math.floor(PREF.act * scale)) : 0;
  const gap = Math.max(MIN.gap, Math.floor(PREF.gap * scale));
  return { bar, act, gap, pitch: bar + (act ? act + 1 : 0) + gap };
}

/**
 * runs: [{label, numDevices}]. viewportHeightPx: the chart's height to fit into, or 0 to take the
 * preferred row size (a container without a definite height).
 * Returns {rows, groups, contentHeightPx, barHeightPx, actHeightPx, showGroups}; each row is
 * {run, device, topPx, barTopPx, barHeightPx, actTopPx, actHeightPx, bottomPx}.
 */
export function computeLayout(runs, { viewportHeightPx = 0, showActivations = true } = {}) {
  const showGroups = runs.length > 1;
  const numRows = runs.reduce((n, r) => n + r.numDevices, 0);
  const groupsPx = showGroups ? runs.length * GROUP_HEIGHT_PX : 0;
  let scale = 1;
  if (viewportHeightPx > 0 && numRows > 0) {
    const pref = rowHeights(1, showActivations).pitch;
    const avail = viewportHeightPx - HEADER_HEIGHT_PX - groupsPx - BOTTOM_PAD_PX;
    scale = Math.min(1, Math.max(0, avail / (numRows * pref)));
  }
  const h = rowHeights(scale, showActivations);
  const rows = [];
  const groups = [];
  let y = 0;
  runs.forEach((run, runIndex) => {
    if (showGroups) {
      groups.push({ run: runIndex, label: run.label, topPx: y, heightPx: GROUP_HEIGHT_PX });
      y += GROUP_HEIGHT_PX;
    }
    for (let d = 0; d < run.numDevices; d++) {
      const barTopPx = y + Math.floor(h.gap / 2);
      rows.push({
        run: runIndex, device: d, topPx: y,
        barTopPx, barHeightPx: h.bar,
        actTopPx: barTopPx + h.bar + 1, actHeightPx: h.act,
        bottomPx: y + h.pitch,
      });
      y += h.pitch;
    }
  });
  return { rows, groups, contentHeightPx: y + BOTTOM_PAD_PX, barHeightPx: h.bar, actHeightPx: h.act, showGroups };
}

/** Index of the first row whose bottom is below contentY (rows are sorted by top), or rows.length. */
export function firstRowBelow(rows, contentY) {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rows[mid].bottomPx <= contentY) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The row and part ('bar' | 'act') at contentY, or null in a gap or header. */
export function rowAt(rows, contentY) {
  const i = firstRowBelow(rows, contentY);
  const r = rows[i];
  if (!r || contentY < r.topPx) return null;
  if (contentY >= r.barTopPx && contentY < r.barTopPx + r.barHeightPx) return { index: i, row: r, part: 'bar' };
  if (r.actHeightPx && contentY >= r.actTopPx && contentY < r.actTopPx + r.actHeightPx) return { index: i, row: r, part: 'act' };
  return null;
}
