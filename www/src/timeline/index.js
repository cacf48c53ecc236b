// The timeline renderer (API in wasm/API.md): bars on a devicePixelRatio-scaled canvas, axis,
// legend, labels and hover marks in an SVG overlay, one redraw per animation frame at most.
// This file wires state, DOM and events together; each decision lives in its own module.
import d3 from '../d3.js';
import { createPalette } from './palette.js';
import { prepareRun, chunkCount, rowsOfMicrobatch, deviceOfRow } from './run-data.js';
import {
  computeLayout, firstRowBelow, plotRange, HEADER_HEIGHT_PX, GUTTER_WIDTH_PX,
} from './layout.js';
import { fullView, clampView, zoomView, panView, sameView } from './scales.js';
import { walkFrame } from './frame.js';
import { CanvasSink } from './draw-bars.js';
import { timeTicks, renderAxis } from './axis.js';
import { attachInteraction } from './interaction.js';
import { pickOp } from './hit-test.js';
import { dependencies } from './deps.js';
import { describeOp, hoverInfo } from './describe.js';
import { createTooltip, showTooltip, hideTooltip, renderHoverMarks } from './hover.js';
import { legendModel, gutterTexts, FONT_FAMILY, LEGEND_FONT_PX, AXIS_FONT_PX } from './chrome.js';
import { exportSVG } from './export-svg.js';
import { svgToPNG } from './export-png.js';

/** Below this measured height the container is taken to have no height of its own (auto). */
const AUTO_HEIGHT_BELOW_PX = 60;
const SVG_NS = 'http://www.w3.org/2000/svg';
let instances = 0;

export function createTimeline(container, options = {}) {
  const uid = `ppemu-tl-${++instances}`;
  const doc = container.ownerDocument;
  const win = doc.defaultView;
  const showActivations = options.showActivations !== false;
  let theme = options.theme === 'dark' ? 'dark' : 'light';

  // --- DOM: container > root (scrolls rows) > [stage (sticky: canvas, svg, tooltip), spacer]
  container.setAttribute('data-testid', 'timeline');
  if (!container.hasAttribute('tabindex')) container.tabIndex = 0;
  if (!container.hasAttribute('aria-label')) {
    container.setAttribute('aria-label', 'Pipeline schedule timeline. W and S zoom, A and D pan, double-click resets.');
  }
  const root = doc.createElement('div');
  Object.assign(root.style, {
    position: 'relative', width: '100%', height: '100%', overflowX: 'hidden', overflowY: 'auto',
    userSelect: 'none', touchAction: 'none', outline: 'none',
  });
  const stage = doc.createElement('div');
  Object.assign(stage.style, { position: 'sticky', top: '0', left: '0', width: '100%', overflow: 'hidden' });
  const canvas = doc.createElement('canvas');
  canvas.setAttribute('data-testid', 'timeline-canvas');
  Object.assign(canvas.style, { position: 'absolute', left: '0', top: `${HEADER_HEIGHT_PX}px`, display: 'block' });
  const svgEl = doc.createElementNS(SVG_NS, 'svg');
  Object.assign(svgEl.style, { position: 'absolute', left: '0', top: '0', pointerEvents: 'none', overflow: 'hidden' });
  const tooltip = createTooltip(doc);
  const spacer = doc.createElement('div');
  stage.append(canvas, svgEl, tooltip);
  root.append(stage, spacer);
  container.append(root);

  const svg = d3.select(svgEl).attr('font-family', FONT_FAMILY);
  const defs = svg.append('defs');
  const clipRect = defs.append('clipPath').attr('id', `${uid}-rows`).append('rect');
  const clipPlot = defs.append('clipPath').attr('id', `${uid}-plot`).append('rect');
  const marker = defs.append('marker').attr('id', `${uid}-arrow`).attr('viewBox', '0 0 10 10')
    .attr('refX', 9).attr('refY', 5).attr('markerWidth', 7).attr('markerHeight', 7).attr('orient', 'auto-start-reverse');
  const markerPath = marker.append('path').attr('d', 'M0,0L10,5L0,10z');
  const legendG = svg.append('g').attr('class', 'legend').attr('font-size', LEGEND_FONT_PX);
  const axisG = svg.append('g').attr('class', 'axis');
  // Names the axis's unit: the numbers are op_times units, whatever the user made them mean.
  // At the gutter's left edge: a tick label at the plot's first pixel spreads into the gutter.
  const axisName = svg.append('text').attr('x', 8).attr('y', HEADER_HEIGHT_PX - 9)
    .attr('text-anchor', 'start').attr('font-size', AXIS_FONT_PX).text('time');
  const rowsG = svg.append('g').attr('class', 'rows').attr('clip-path', `url(#${uid}-rows)`);
  const groupLinesG = rowsG.append('g');
  const gutterG = rowsG.append('g');
  const hoverG = svg.append('g').attr('class', 'hover').attr('clip-path', `url(#${uid}-plot)`);

  const ctx = canvas.getContext('2d');
  const sink = new CanvasSink();
  ctx.font = `100px ${FONT_FAMILY}`;
  const digitWidthEm = ctx.measureText('0').width / 100 || 0.6;

  // --- state
  let runs = [];
  let rowStart = [];       // layout row index of each run's device 0
  let kindsPresent = [false, false, false, false, false];
  let palette = createPalette(theme, 1);
  let layout = computeLayout([], {});
  let extent = 0;
  let view = fullView(0);
  let viewPinned = false;  // true once the user or setView chose a window; new runs then keep it
  let widthPx = 0;
  let heightPx = 0;        // visible height of the stage (header + rows area)
  let dpr = 1;
  let scrollTopPx = 0;
  let hover = null;        // {run, row}
  let tooltipDesc = null;  // describeOp() of the hovered op
  let highlight = null;    // {run, microbatches, rows}
  let dragging = false;
  let rafId = 0;
  let generation = 0;
  let lastStats = null;
  let legendKey = '';
  let gutterKey = '';

  const plotX0 = () => plotRange(widthPx).x0Px;
  const plotX1 = () => plotRange(widthPx).x1Px;
  const rowsHeightPx = () => Math.max(0, heightPx - HEADER_HEIGHT_PX);
  const pxPerTime = () => (plotX1() - plotX0()) / (view.t1 - view.t0);

  function measure() {
    stage.style.height = '0px';
    spacer.style.height = '0px';
    const probe = root.clientHeight;
    const autoHeight = probe < AUTO_HEIGHT_BELOW_PX;
    layout = computeLayout(runs.map((r) => ({ label: r.label, numDevices: r.numDevices })),
      { viewportHeightPx: autoHeight ? 0 : probe, showActivations });
    rowStart = [];
    layout.rows.forEach((r, i) => { if (r.device === 0) rowStart[r.run] = i; });
    const total = Math.ceil(HEADER_HEIGHT_PX + layout.contentHeightPx);
    const viewH = autoHeight ? total : probe;
    stage.style.height = `${viewH}px`;
    spacer.style.height = `${Math.max(0, total - viewH)}px`;
    const w = root.clientWidth;
    const newDpr = win.devicePixelRatio || 1;
    const changed = w !== widthPx || viewH !== heightPx || newDpr !== dpr;
    widthPx = w;
    heightPx = viewH;
    dpr = newDpr;
    scrollTopPx = Math.min(root.scrollTop, Math.max(0, total - viewH));
    const cw = Math.max(1, Math.round(widthPx * dpr));
    const ch = Math.max(1, Math.round(rowsHeightPx() * dpr));
    if (canvas.width !== cw || canvas.height !== ch) {
      canvas.width = cw;
      canvas.height = ch;
    }
    canvas.style.width = `${widthPx}px`;
    canvas.style.height = `${rowsHeightPx()}px`;
    svg.attr('width', widthPx).attr('height', heightPx);
    clipRect.attr('x', 0).attr('y', HEADER_HEIGHT_PX).attr('width', widthPx).attr('height', rowsHeightPx());
    clipPlot.attr('x', plotX0()).attr('y', HEADER_HEIGHT_PX).attr('width', plotX1() - plotX0()).attr('height', rowsHeightPx());
    gutterKey = '';
    return changed;
  }

  function scheduleRender() {
    if (!rafId) rafId = win.requestAnimationFrame(render);
  }

  function render() {
    if (rafId) win.cancelAnimationFrame(rafId);
    rafId = 0;
    const started = performance.now();
    const x0 = plotX0();
    const x1 = plotX1();
    const axis = timeTicks(view, x0, x1);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    lastStats = null;
    if (runs.length) {
      sink.reset(palette);
      lastStats = walkFrame({
        runs, layout, view, xStartPx: x0, xEndPx: x1, scrollTopPx, viewHeightPx: rowsHeightPx(), yOffsetPx: 0,
        palette, highlight, digitWidthEm, ticksPx: axis.ticks.map((t) => t.xPx),
      }, sink);
      sink.flush(ctx, dpr, palette, { x: x0, y: 0, w: x1 - x0, h: rowsHeightPx() }, FONT_FAMILY);
    }
    axisG.style('display', runs.length ? null : 'none');
    axisName.style('display', runs.length ? null : 'none').attr('fill', palette.muted);
    if (runs.length) renderAxis(axisG, axis, HEADER_HEIGHT_PX, palette);
    renderLegend();
    renderGutter();
    renderMarks();
    try {
      performance.measure('ppemu:timeline-draw', {
        start: started, end: performance.now(),
        detail: { generation, ops: runs.reduce((n, r) => n + r.start.length, 0) },
      });
    } catch { /* User Timing Level 3 missing: the chart does not need it */ }
  }

  function renderLegend() {
    const model = runs.length
      ? legendModel(palette, kindsPresent, { widthPx: widthPx - 8, showActivations, mixedShown: (lastStats?.mixed ?? 0) > 0 })
      : [];
    const key = `${theme}|${JSON.stringify(model)}`;
    if (key === legendKey) return;
    legendKey = key;
    legendG.selectAll('*').remove();
    for (const e of model) {
      const g = legendG.append('g');
      for (const s of e.swatches) {
        g.append('rect').attr('x', s.x).attr('y', s.y).attr('width', s.w).attr('height', s.h).attr('fill', s.fill);
        if (s.text) {
          g.append('text').attr('x', s.x + s.w / 2).attr('y', s.y + s.h / 2 + 0.5).attr('font-size', 9)
            .attr('text-anchor', 'middle').attr('dominant-baseline', 'central').attr('fill', s.textFill).text(s.text);
        }
      }
      g.append('text').attr('x', e.textX).attr('y', e.textY + 0.5).attr('dominant-baseline', 'central')
        .attr('fill', palette.text).text(e.text);
    }
  }

  function visibleRowRange() {
    const rows = layout.rows;
    const first = firstRowBelow(rows, scrollTopPx);
    let last = first;
    const bottom = scrollTopPx + rowsHeightPx();
    while (last < rows.length && rows[last].topPx < bottom) last++;
    return [first, last];
  }

  function renderGutter() {
    const [first, last] = visibleRowRange();
    const key = `${theme}|${generation}|${scrollTopPx}|${first}|${last}|${heightPx}`;
    if (key === gutterKey) return;
    gutterKey = key;
    const yShift = HEADER_HEIGHT_PX - scrollTopPx;
    const texts = gutterTexts(layout, runs, first, last, yShift, GUTTER_WIDTH_PX);
    gutterG.selectAll('text').data(texts).join('text')
      .attr('x', (d) => d.x).attr('y', (d) => d.y)
      .attr('font-size', (d) => d.fontPx)
      .attr('font-weight', (d) => (d.role === 'group' ? 600 : null))
      .attr('text-anchor', (d) => d.anchor)
      .attr('dominant-baseline', 'central')
      .attr('fill', (d) => (d.role === 'act' ? palette.muted : palette.text))
      .text((d) => d.text);
    const lines = layout.groups.filter((g) => g.run > 0).map((g) => Math.round(g.topPx + yShift) + 0.5);
    groupLinesG.selectAll('path').data(lines).join('path')
      .attr('d', (y) => `M0,${y}H${widthPx}`).attr('stroke', palette.axis);
  }

  // y (stage px) of an op's bar or of one of its halves.
  function barGeometry(runIndex, row) {
    const run = runs[runIndex];
    const lr = layout.rows[rowStart[runIndex] + deviceOfRow(run, row)];
    const y = HEADER_HEIGHT_PX + lr.barTopPx - scrollTopPx;
    const topH = Math.floor(lr.barHeightPx / 2);
    return {
      y, h: lr.barHeightPx,
      midY: (half) => (half === 'F' ? y + topH / 2 : half === 'B' ? y + topH + (lr.barHeightPx - topH) / 2 : y + lr.barHeightPx / 2),
    };
  }

  function renderMarks() {
    markerPath.attr('fill', palette.arrow);
    let marks = { outline: null, arrows: [] };
    if (hover && runs[hover.run]) {
      const run = runs[hover.run];
      const k = pxPerTime();
      const x = (t) => plotX0() + (t - view.t0) * k;
      const g = barGeometry(hover.run, hover.row);
      const xs = x(run.start[hover.row]);
      marks = {
        outline: { x: xs, y: g.y, w: Math.max(1, x(run.end[hover.row]) - xs), h: g.h },
        arrows: dependencies(run, hover.row).map((d) => {
          const from = barGeometry(hover.run, d.from);
          // On the same device the arrow arcs over the bars between, from top edge to top edge.
          const sameRow = from.y === g.y;
          return {
            x1: x(run.end[d.from]), y1: sameRow ? g.y : from.midY(d.fromHalf),
            x2: x(run.start[d.to]), y2: sameRow ? g.y : g.midY(d.toHalf),
          };
        }),
      };
    }
    renderHoverMarks(hoverG, marks, palette, `${uid}-arrow`);
  }

  function setHover(next, pointer) {
    const same = (next === null && hover === null) || (next && hover && next.run === hover.run && next.row === hover.row);
    if (next && pointer) {
      if (!same) tooltipDesc = describeOp(runs[next.run], next.run, next.row, { runLabel: runs.length > 1 ? runs[next.run].label : '' });
      showTooltip(tooltip, tooltipDesc, pointer.x, pointer.y, widthPx, heightPx, palette);
    } else if (!next) {
      hideTooltip(tooltip);
    }
    if (same) return;
    hover = next;
    if (next) {
      const run = runs[next.run];
      const mbs = [run.microbatch[next.row]];
      if (run.microbatch2[next.row] >= 0 && run.microbatch2[next.row] !== mbs[0]) mbs.push(run.microbatch2[next.row]);
      const parts = mbs.map((m) => rowsOfMicrobatch(run, m));
      const rows = new Uint32Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) { rows.set(p, at); at += p.length; }
      highlight = { run: next.run, microbatches: mbs, rows };
    } else {
      highlight = null;
    }
    scheduleRender();
    options.onHover?.(next ? hoverInfo(runs[next.run], next.run, next.row) : null);
  }

  function exportView() {
    const { x0Px, x1Px } = plotRange(widthPx);
    return exportSVG({
      runs, layout, view, widthPx, palette, ticks: timeTicks(view, x0Px, x1Px).ticks, showActivations, digitWidthEm,
    });
  }

  function userView(next) {
    if (sameView(next, view)) return;
    view = next;
    viewPinned = true;
    if (hover) setHover(null);
    scheduleRender();
    options.onViewChange?.({ t0: view.t0, t1: view.t1 });
  }

  const detach = attachInteraction(stage, container, {
    local(e) {
      const r = stage.getBoundingClientRect();
      return { x: e.clientX - r.left, y: e.clientY - r.top };
    },
    plotWidthPx: () => plotX1() - plotX0(),
    zoomAt(xPx, factor) {
      if (!runs.length) return;
      const x = xPx === null || xPx === undefined ? (plotX0() + plotX1()) / 2 : Math.min(plotX1(), Math.max(plotX0(), xPx));
      const anchor = view.t0 + (x - plotX0()) / pxPerTime();
      userView(zoomView(view, anchor, factor, extent));
    },
    panPx(dxPx) {
      if (!runs.length) return;
      userView(panView(view, dxPx / pxPerTime(), extent));
    },
    reset() {
      if (!runs.length) return;
      userView(fullView(extent));
      viewPinned = false;
    },
    scrollBy(dyPx) {
      root.scrollTop += dyPx;
    },
    hover(x, y) {
      if (dragging || !runs.length || y < HEADER_HEIGHT_PX) {
        setHover(null);
        return;
      }
      const hit = pickOp(runs, layout, view, plotX0(), plotX1(), x, y - HEADER_HEIGHT_PX + scrollTopPx);
      setHover(hit, { x, y });
    },
    leave() {
      setHover(null);
    },
    setDragging(on) {
      dragging = on;
      stage.style.cursor = on ? 'grabbing' : '';
      if (on) setHover(null);
    },
  });

  const onScroll = () => {
    scrollTopPx = root.scrollTop;
    if (hover) setHover(null);
    scheduleRender();
  };
  root.addEventListener('scroll', onScroll);

  const resizeObserver = new win.ResizeObserver(() => {
    if (measure()) render(); // draw now: resizing the canvas has just cleared it
  });
  resizeObserver.observe(container);

  measure();

  const api = {
    setRuns(list) {
      const valid = (list ?? []).filter((r) => r && r.result && r.result.ok !== false && r.result.ops);
      const numChunks = Math.max(1, ...valid.map((r) => chunkCount(r.result)));
      palette = createPalette(theme, numChunks);
      runs = valid.map((r) => prepareRun(r.result, r.label, numChunks));
      kindsPresent = [0, 1, 2, 3, 4].map((k) => runs.some((r) => r.kindsPresent[k]));
      extent = runs.reduce((m, r) => Math.max(m, r.extent), 0);
      view = viewPinned ? clampView(view, extent) : fullView(extent);
      const wasHovering = hover !== null;
      hover = null;
      highlight = null;
      hideTooltip(tooltip);
      if (wasHovering) options.onHover?.(null); // the hovered op belonged to the old runs
      generation++;
      legendKey = '';
      measure();
      scheduleRender();
    },
    setView(v) {
      if (!v || !Number.isFinite(v.t0) || !Number.isFinite(v.t1) || !(v.t1 > v.t0)) return;
      view = runs.length ? clampView(v, extent) : { t0: v.t0, t1: v.t1 };
      viewPinned = true;
      scheduleRender();
    },
    getView() {
      return { t0: view.t0, t1: view.t1 };
    },
    resetView() {
      view = fullView(extent);
      viewPinned = false;
      scheduleRender();
    },
    setTheme(t) {
      theme = t === 'dark' ? 'dark' : 'light';
      palette = createPalette(theme, palette.numChunks);
      legendKey = '';
      gutterKey = '';
      hideTooltip(tooltip);
      scheduleRender();
    },
    resize() {
      measure();
      render();
    },
    toSVG() {
      return exportView().svg;
    },
    toPNG(scale = win.devicePixelRatio || 1) {
      const { svg: text, widthPx: w, heightPx: h } = exportView();
      return svgToPNG(text, w, h, scale);
    },
    rectOf(runIndex, opRow) {
      const run = runs[runIndex];
      if (!run || !(opRow >= 0 && opRow < run.start.length)) return null;
      if (run.end[opRow] < view.t0 || run.start[opRow] > view.t1) return null;
      const k = pxPerTime();
      const xa = Math.max(plotX0(), plotX0() + (run.start[opRow] - view.t0) * k);
      const xb = Math.min(plotX1(), plotX0() + (run.end[opRow] - view.t0) * k);
      const g = barGeometry(runIndex, opRow);
      if (g.y + g.h <= HEADER_HEIGHT_PX || g.y >= heightPx) return null;
      const s = stage.getBoundingClientRect();
      const c = container.getBoundingClientRect();
      return { x: s.left - c.left + xa, y: s.top - c.top + g.y, width: Math.max(1, xb - xa), height: g.h };
    },
    destroy() {
      if (rafId) win.cancelAnimationFrame(rafId);
      rafId = 0;
      resizeObserver.disconnect();
      detach();
      root.removeEventListener('scroll', onScroll);
      root.remove();
    },
  };
  return api;
}
