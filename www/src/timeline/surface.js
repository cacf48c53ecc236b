// The chart's DOM: container > root (scrolls rows) > [stage (sticky: canvas, svg, tooltip), spacer],
// and measuring it into the view state. Everything the renderer puts in the page is made here.
import d3 from '../d3.js';
import { HEADER_HEIGHT_PX } from './layout.js';
import { createTooltip } from './hover.js';
import { FONT_FAMILY, LEGEND_FONT_PX, AXIS_FONT_PX } from './chrome.js';

/** Below this measured height the container is taken to have no height of its own (auto). */
const AUTO_HEIGHT_BELOW_PX = 60;
const SVG_NS = 'http://www.w3.org/2000/svg';
let instances = 0;

export function createSurface(container) {
  const uid = `ppemu-tl-${++instances}`;
  const doc = container.ownerDocument;
  const win = doc.defaultView;

  container.setAttribute('data-testid', 'timeline');
  if (!container.hasAttribute('tabindex')) container.tabIndex = 0;
  if (!container.hasAttribute('aria-label')) {
    container.setAttribute('aria-label', 'Pipeline schedule timeline. W and S zoom, A and D pan, double-click resets.');
  }
  const root = doc.createElement('div');
  Object.assign(root.style, {
    position: 'relative', width: '100%', height: '100%', overflowX: 'hidden', overflowY: 'auto',
    userSelect: 'none', outline: 'none',
  });
  const stage = doc.createElement('div');
  // Vertical swipes scroll the page (the browser's job); horizontal drags and pinches are the
  // chart's (interaction.js), so a phone user is never trapped on a tall chart.
  Object.assign(stage.style, { position: 'sticky', top: '0', left: '0', width: '100%', overflow: 'hidden', touchAction: 'pan-y' });
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
  // Names the axis's unit: "time" in op_times units, "time (ms)" for projected runs (draw.js sets it).
  // At the gutter's left edge: a tick label at the plot's first pixel spreads into the gutter.
  const axisName = svg.append('text').attr('x', 8).attr('y', HEADER_HEIGHT_PX - 9)
    .attr('text-anchor', 'start').attr('font-size', AXIS_FONT_PX).text('time');
  const rowsG = svg.append('g').attr('class', 'rows').attr('clip-path', `url(#${uid}-rows)`);
  const groupLinesG = rowsG.append('g');
  const gutterG = rowsG.append('g');
  const hoverG = svg.append('g').attr('class', 'hover').attr('clip-path', `url(#${uid}-plot)`);

  const ctx = canvas.getContext('2d');
  ctx.font = `100px ${FONT_FAMILY}`;
  const digitWidthEm = ctx.measureText('0').width / 100 || 0.6;

  return {
    uid, doc, win, container, root, stage, canvas, ctx, spacer, tooltip, svg, clipRect, clipPlot, markerPath,
    legendG, axisG, axisName, groupLinesG, gutterG, hoverG, digitWidthEm,
    /** Pointer position relative to the stage. */
    local(e) {
      const r = stage.getBoundingClientRect();
      return { x: e.clientX - r.left, y: e.clientY - r.top };
    },
    remove() {
      root.remove();
    },
  };
}

/**
 * Fits the surface to its container and lays the rows out into the view state `s`. A container
 * with no height of its own gets the rows' full height. Returns true when the size changed (the
 * canvas was cleared and must be drawn now).
 */
export function measure(surface, s) {
  const { root, stage, spacer, canvas, win } = surface;
  stage.style.height = '0px';
  spacer.style.height = '0px';
  const probe = root.clientHeight;
  const autoHeight = probe < AUTO_HEIGHT_BELOW_PX;
  const total = s.layOut(autoHeight ? 0 : probe);
  const viewH = autoHeight ? total : probe;
  stage.style.height = `${viewH}px`;
  spacer.style.height = `${Math.max(0, total - viewH)}px`;
  const w = root.clientWidth;
  const dpr = win.devicePixelRatio || 1;
  const changed = w !== s.widthPx || viewH !== s.heightPx || dpr !== s.dpr;
  s.widthPx = w;
  s.heightPx = viewH;
  s.dpr = dpr;
  s.scrollTopPx = Math.min(root.scrollTop, Math.max(0, total - viewH));
  const cw = Math.max(1, Math.round(s.widthPx * dpr));
  const ch = Math.max(1, Math.round(s.rowsHeightPx() * dpr));
  if (canvas.width !== cw || canvas.height !== ch) {
    canvas.width = cw;
    canvas.height = ch;
  }
  canvas.style.width = `${s.widthPx}px`;
  canvas.style.height = `${s.rowsHeightPx()}px`;
  surface.svg.attr('width', s.widthPx).attr('height', s.heightPx);
  surface.clipRect.attr('x', 0).attr('y', HEADER_HEIGHT_PX).attr('width', s.widthPx).attr('height', s.rowsHeightPx());
  surface.clipPlot.attr('x', s.plotX0()).attr('y', HEADER_HEIGHT_PX).attr('width', s.plotX1() - s.plotX0()).attr('height', s.rowsHeightPx());
  return changed;
}
