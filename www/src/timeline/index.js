// The timeline renderer (API in wasm/API.md): bars on a devicePixelRatio-scaled canvas, axis,
// legend, labels and hover marks in an SVG overlay, one redraw per animation frame at most.
// This file only composes the parts: view-state.js (what is shown), surface.js (the DOM),
// draw.js (painting), input.js (pointer, wheel, keys), export-svg.js / export-png.js.
import { createViewState } from './view-state.js';
import { createSurface, measure } from './surface.js';
import { createPainter } from './draw.js';
import { attachInput } from './input.js';
import { hideTooltip } from './hover.js';
import { fullView } from './scales.js';
import { timeTicks } from './axis.js';
import { plotRange, HEADER_HEIGHT_PX } from './layout.js';
import { exportSVG } from './export-svg.js';
import { svgToPNG } from './export-png.js';

export function createTimeline(container, options = {}) {
  const s = createViewState({ theme: options.theme, showActivations: options.showActivations !== false });
  const surface = createSurface(container);
  const painter = createPainter(surface, s);
  const input = attachInput(surface, s, painter, options);
  const { win, stage } = surface;

  const resizeObserver = new win.ResizeObserver(() => {
    if (measure(surface, s)) painter.render(); // draw now: resizing the canvas has just cleared it
  });
  resizeObserver.observe(container);
  measure(surface, s);

  function exportView(extra = {}) {
    const { x0Px, x1Px } = plotRange(s.widthPx);
    return exportSVG({
      runs: s.runs, layout: s.layout, view: s.view, widthPx: s.widthPx, palette: s.palette,
      ticks: timeTicks(s.view, x0Px, x1Px).ticks, showActivations: s.showActivations, digitWidthEm: surface.digitWidthEm, ...extra,
    });
  }

  return {
    setRuns(list) {
      const wasHovering = s.hover !== null;
      s.setRuns(list);
      hideTooltip(surface.tooltip);
      if (wasHovering) options.onHover?.(null); // the hovered op belonged to the old runs
      measure(surface, s);
      painter.schedule();
    },
    setView(v) {
      if (!v || !Number.isFinite(v.t0) || !Number.isFinite(v.t1) || !(v.t1 > v.t0)) return;
      s.view = s.runs.length ? s.clamp(v) : { t0: v.t0, t1: v.t1 };
      s.viewPinned = true;
      painter.schedule();
    },
    getView() {
      return { t0: s.view.t0, t1: s.view.t1 };
    },
    resetView() {
      s.view = fullView(s.extent);
      s.viewPinned = false;
      painter.schedule();
    },
    setTheme(t) {
      s.setTheme(t);
      hideTooltip(surface.tooltip);
      painter.schedule();
    },
    resize() {
      measure(surface, s);
      painter.render();
    },
    toSVG() {
      return exportView().svg;
    },
    toPNG(scale = win.devicePixelRatio || 1) {
      const { svg: text, widthPx: w, heightPx: h } = exportView();
      return svgToPNG(text, w, h, scale);
    },
    rectOf(runIndex, opRow) {
      const run = s.runs[runIndex];
      if (!run || !(opRow >= 0 && opRow < run.start.length)) return null;
      if (run.end[opRow] < s.view.t0 || run.start[opRow] > s.view.t1) return null;
      const k = s.pxPerTime();
      const xa = Math.max(s.plotX0(), s.plotX0() + (run.start[opRow] - s.view.t0) * k);
      const xb = Math.min(s.plotX1(), s.plotX0() + (run.end[opRow] - s.view.t0) * k);
      const g = s.barGeometry(runIndex, opRow);
      if (g.y + g.h <= HEADER_HEIGHT_PX || g.y >= s.heightPx) return null;
      const sr = stage.getBoundingClientRect();
      const c = container.getBoundingClientRect();
      return { x: sr.left - c.left + xa, y: sr.top - c.top + g.y, width: Math.max(1, xb - xa), height: g.h };
    },
    destroy() {
      painter.cancel();
      resizeObserver.disconnect();
      input.detach();
      surface.remove();
    },
  };
}
