// What the chart shows, as data: the prepared runs, their vertical layout, the time window, the
// chart's size, and what is hovered. No DOM: surface.js measures into it, draw.js paints from it,
// input.js changes it. Node tests can drive it directly.
import { createPalette } from './palette.js';
import { prepareRun, chunkCount, rowsOfMicrobatch, deviceOfRow } from './run-data.js';
import { computeLayout, firstRowBelow, plotRange, HEADER_HEIGHT_PX } from './layout.js';
import { fullView, clampView, minSpanOf } from './scales.js';

export function createViewState({ theme = 'light', showActivations = true } = {}) {
  const s = {
    showActivations,
    theme: theme === 'dark' ? 'dark' : 'light',
    runs: [],
    rowStart: [],        // layout row index of each run's device 0
    kindsPresent: [false, false, false, false, false],
    palette: createPalette(theme === 'dark' ? 'dark' : 'light', 1),
    layout: computeLayout([], {}),
    extent: 0,
    minSpan: 0,          // the deepest zoom: see scales.minSpanOf
    view: fullView(0),
    viewPinned: false,   // true once the user or setView chose a window; new runs then keep it
    widthPx: 0,
    heightPx: 0,         // visible height of the stage (header + rows area)
    dpr: 1,
    scrollTopPx: 0,
    hover: null,         // {run, row}
    tooltipDesc: null,   // describeOp() of the hovered op
    highlight: null,     // {run, microbatches, rows}
    dragging: false,
    generation: 0,
    lastStats: null,
    legendKey: '',
    gutterKey: '',

    plotX0: () => plotRange(s.widthPx).x0Px,
    plotX1: () => plotRange(s.widthPx).x1Px,
    rowsHeightPx: () => Math.max(0, s.heightPx - HEADER_HEIGHT_PX),
    pxPerTime: () => (s.plotX1() - s.plotX0()) / (s.view.t1 - s.view.t0),
    /** The time under plot x (clamped to the plot); the plot's middle when x is null. */
    timeAtPx(xPx) {
      const x = xPx === null || xPx === undefined ? (s.plotX0() + s.plotX1()) / 2 : Math.min(s.plotX1(), Math.max(s.plotX0(), xPx));
      return s.view.t0 + (x - s.plotX0()) / s.pxPerTime();
    },
    clamp: (v) => clampView(v, s.extent, s.minSpan),
    isFull: (v = s.view) => {
      const full = fullView(s.extent);
      return v.t0 <= full.t0 && v.t1 >= full.t1;
    },

    /** Replaces the runs (ops already in Result shape); keeps a pinned window, clamped to them. */
    setRuns(list) {
      const valid = (list ?? []).filter((r) => r && r.result && r.result.ok !== false && r.result.ops);
      const numChunks = Math.max(1, ...valid.map((r) => chunkCount(r.result)));
      s.palette = createPalette(s.theme, numChunks);
      s.runs = valid.map((r) => prepareRun(r.result, r.label, numChunks));
      s.kindsPresent = [0, 1, 2, 3, 4].map((k) => s.runs.some((r) => r.kindsPresent[k]));
      s.extent = s.runs.reduce((m, r) => Math.max(m, r.extent), 0);
      s.minSpan = minSpanOf(s.runs, s.extent);
      s.view = s.viewPinned ? s.clamp(s.view) : fullView(s.extent);
      s.hover = null;
      s.highlight = null;
      s.generation++;
      s.legendKey = '';
    },

    setTheme(t) {
      s.theme = t === 'dark' ? 'dark' : 'light';
      s.palette = createPalette(s.theme, s.palette.numChunks);
      s.legendKey = '';
      s.gutterKey = '';
    },

    /** Lays the rows out for a stage of probeHeightPx (0 = as tall as the rows want). */
    layOut(probeHeightPx) {
      s.layout = computeLayout(s.runs.map((r) => ({ label: r.label, numDevices: r.numDevices })),
        { viewportHeightPx: probeHeightPx, showActivations: s.showActivations });
      s.rowStart = [];
      s.layout.rows.forEach((r, i) => { if (r.device === 0) s.rowStart[r.run] = i; });
      s.gutterKey = '';
      return Math.ceil(HEADER_HEIGHT_PX + s.layout.contentHeightPx);
    },

    /** Height the chart needs to show every row at the preferred row size, without scrolling. */
    naturalHeightPx() {
      const layout = computeLayout(s.runs.map((r) => ({ label: r.label, numDevices: r.numDevices })),
        { viewportHeightPx: 0, showActivations: s.showActivations });
      return Math.ceil(HEADER_HEIGHT_PX + layout.contentHeightPx);
    },

    visibleRowRange() {
      const rows = s.layout.rows;
      const first = firstRowBelow(rows, s.scrollTopPx);
      let last = first;
      const bottom = s.scrollTopPx + s.rowsHeightPx();
      while (last < rows.length && rows[last].topPx < bottom) last++;
      return [first, last];
    },

    /** y (stage px) of an op's bar, and the middle of one of its halves. */
    barGeometry(runIndex, row) {
      const run = s.runs[runIndex];
      const lr = s.layout.rows[s.rowStart[runIndex] + deviceOfRow(run, row)];
      const y = HEADER_HEIGHT_PX + lr.barTopPx - s.scrollTopPx;
      const topH = Math.floor(lr.barHeightPx / 2);
      return {
        y, h: lr.barHeightPx,
        midY: (half) => (half === 'F' ? y + topH / 2 : half === 'B' ? y + topH + (lr.barHeightPx - topH) / 2 : y + lr.barHeightPx / 2),
      };
    },

    /** The ops of the hovered op's microbatch(es), lit while the rest dims. */
    highlightOf(hover) {
      if (!hover) return null;
      const run = s.runs[hover.run];
      const mbs = [run.microbatch[hover.row]];
      if (run.microbatch2[hover.row] >= 0 && run.microbatch2[hover.row] !== mbs[0]) mbs.push(run.microbatch2[hover.row]);
      const parts = mbs.map((m) => rowsOfMicrobatch(run, m));
      const rows = new Uint32Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) { rows.set(p, at); at += p.length; }
      return { run: hover.run, microbatches: mbs, rows };
    },
  };
  return s;
}
