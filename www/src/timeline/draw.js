// Paints the view state onto the surface: bars on the canvas (frame.js walks them), axis, legend,
// row labels and hover marks in the SVG overlay. At most one frame per animation frame.
import { walkFrame } from './frame.js';
import { CanvasSink } from './draw-bars.js';
import { timeTicks, renderAxis } from './axis.js';
import { dependencies } from './deps.js';
import { renderHoverMarks } from './hover.js';
import { legendModel, gutterTexts, axisTitle, FONT_FAMILY } from './chrome.js';
import { HEADER_HEIGHT_PX, GUTTER_WIDTH_PX } from './layout.js';

export function createPainter(surface, s) {
  const { win, ctx, canvas } = surface;
  const sink = new CanvasSink();
  let rafId = 0;

  function schedule() {
    if (!rafId) rafId = win.requestAnimationFrame(render);
  }

  function cancel() {
    if (rafId) win.cancelAnimationFrame(rafId);
    rafId = 0;
  }

  function render() {
    cancel();
    const started = performance.now();
    const x0 = s.plotX0();
    const x1 = s.plotX1();
    const axis = timeTicks(s.view, x0, x1);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    s.lastStats = null;
    const { runs, palette } = s;
    if (runs.length) {
      sink.reset(palette);
      s.lastStats = walkFrame({
        runs, layout: s.layout, view: s.view, xStartPx: x0, xEndPx: x1, scrollTopPx: s.scrollTopPx, viewHeightPx: s.rowsHeightPx(),
        yOffsetPx: 0, palette, highlight: s.highlight, digitWidthEm: surface.digitWidthEm, ticksPx: axis.ticks.map((t) => t.xPx),
      }, sink);
      sink.flush(ctx, s.dpr, palette, { x: x0, y: 0, w: x1 - x0, h: s.rowsHeightPx() }, FONT_FAMILY);
    }
    surface.axisG.style('display', runs.length ? null : 'none');
    surface.axisName.style('display', runs.length ? null : 'none').attr('fill', palette.muted).text(axisTitle(runs));
    if (runs.length) renderAxis(surface.axisG, axis, HEADER_HEIGHT_PX, palette);
    renderLegend();
    renderGutter();
    renderMarks();
    try {
      performance.measure('ppemu:timeline-draw', {
        start: started, end: performance.now(),
        detail: { generation: s.generation, ops: runs.reduce((n, r) => n + r.start.length, 0) },
      });
    } catch { /* User Timing Level 3 missing: the chart does not need it */ }
  }

  function renderLegend() {
    const { palette } = s;
    const model = s.runs.length
      ? legendModel(palette, s.kindsPresent, { widthPx: s.widthPx - 8, showActivations: s.showActivations, mixedShown: (s.lastStats?.mixed ?? 0) > 0 })
      : [];
    const key = `${s.theme}|${JSON.stringify(model)}`;
    if (key === s.legendKey) return;
    s.legendKey = key;
    const legendG = surface.legendG;
    legendG.selectAll('*').remove();
    for (const e of model) {
      const g = legendG.append('g');
      for (const sw of e.swatches) {
        g.append('rect').attr('x', sw.x).attr('y', sw.y).attr('width', sw.w).attr('height', sw.h).attr('fill', sw.fill);
        if (sw.text) {
          g.append('text').attr('x', sw.x + sw.w / 2).attr('y', sw.y + sw.h / 2 + 0.5).attr('font-size', 9)
            .attr('text-anchor', 'middle').attr('dominant-baseline', 'central').attr('fill', sw.textFill).text(sw.text);
        }
      }
      g.append('text').attr('x', e.textX).attr('y', e.textY + 0.5).attr('dominant-baseline', 'central')
        .attr('fill', palette.text).text(e.text);
    }
  }

  function renderGutter() {
    const [first, last] = s.visibleRowRange();
    const key = `${s.theme}|${s.generation}|${s.scrollTopPx}|${first}|${last}|${s.heightPx}`;
    if (key === s.gutterKey) return;
    s.gutterKey = key;
    const { palette } = s;
    const yShift = HEADER_HEIGHT_PX - s.scrollTopPx;
    const texts = gutterTexts(s.layout, s.runs, first, last, yShift, GUTTER_WIDTH_PX);
    surface.gutterG.selectAll('text').data(texts).join('text')
      .attr('x', (d) => d.x).attr('y', (d) => d.y)
      .attr('font-size', (d) => d.fontPx)
      .attr('font-weight', (d) => (d.role === 'group' ? 600 : null))
      .attr('text-anchor', (d) => d.anchor)
      .attr('dominant-baseline', 'central')
      .attr('fill', (d) => (d.role === 'act' ? palette.muted : palette.text))
      .text((d) => d.text);
    const lines = s.layout.groups.filter((g) => g.run > 0).map((g) => Math.round(g.topPx + yShift) + 0.5);
    surface.groupLinesG.selectAll('path').data(lines).join('path')
      .attr('d', (y) => `M0,${y}H${s.widthPx}`).attr('stroke', palette.axis);
  }

  function renderMarks() {
    const { palette, hover } = s;
    surface.markerPath.attr('fill', palette.arrow);
    let marks = { outline: null, arrows: [] };
    if (hover && s.runs[hover.run]) {
      const run = s.runs[hover.run];
      const k = s.pxPerTime();
      const x = (t) => s.plotX0() + (t - s.view.t0) * k;
      const g = s.barGeometry(hover.run, hover.row);
      const xs = x(run.start[hover.row]);
      marks = {
        outline: { x: xs, y: g.y, w: Math.max(1, x(run.end[hover.row]) - xs), h: g.h },
        arrows: dependencies(run, hover.row).map((d) => {
          const from = s.barGeometry(hover.run, d.from);
          // On the same device the arrow arcs over the bars between, from top edge to top edge.
          const sameRow = from.y === g.y;
          return {
            x1: x(run.end[d.from]), y1: sameRow ? g.y : from.midY(d.fromHalf),
            x2: x(run.start[d.to]), y2: sameRow ? g.y : g.midY(d.toHalf),
          };
        }),
      };
    }
    renderHoverMarks(surface.hoverG, marks, palette, `${surface.uid}-arrow`);
  }

  return { render, schedule, cancel };
}
