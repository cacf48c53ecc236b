// Hover feedback in the DOM: the tooltip (an HTML box, so text wraps and selects like the page's)
// and the overlay marks (outline of the hovered op, arrows from each dependency). Which op is
// hovered and what it depends on are decided by the pure hit-test.js / deps.js / describe.js.
import { FONT_FAMILY } from './chrome.js';

export function createTooltip(doc) {
  const el = doc.createElement('div');
  el.setAttribute('data-testid', 'tooltip');
  el.setAttribute('role', 'tooltip');
  Object.assign(el.style, {
    position: 'absolute', display: 'none', pointerEvents: 'none', zIndex: '2',
    font: `12px/1.35 ${FONT_FAMILY}`, padding: '6px 8px', borderRadius: '4px',
    whiteSpace: 'nowrap', boxShadow: '0 2px 8px rgba(0,0,0,0.18)', borderStyle: 'solid', borderWidth: '1px',
  });
  return el;
}

/** Fills and places the tooltip near (xPx, yPx) inside a stage boundsW × boundsH, flipping at edges. */
export function showTooltip(el, desc, xPx, yPx, boundsW, boundsH, palette) {
  const doc = el.ownerDocument;
  el.replaceChildren();
  const title = doc.createElement('div');
  title.textContent = desc.title;
  title.style.fontWeight = '600';
  title.style.marginBottom = '2px';
  el.append(title);
  // A grid of divs, not a table: the host page's table styles (borders, padding) must not leak in.
  const grid = doc.createElement('div');
  Object.assign(grid.style, { display: 'grid', gridTemplateColumns: 'auto auto', columnGap: '10px' });
  for (const [k, v] of desc.lines) {
    const key = doc.createElement('div');
    key.textContent = k;
    key.style.color = palette.muted;
    const value = doc.createElement('div');
    value.textContent = v;
    value.style.fontVariantNumeric = 'tabular-nums';
    grid.append(key, value);
  }
  el.append(grid);
  Object.assign(el.style, { display: 'block', background: palette.tooltipBg, color: palette.text, borderColor: palette.tooltipBorder });
  const w = el.offsetWidth;
  const h = el.offsetHeight;
  let x = xPx + 14;
  let y = yPx + 14;
  if (x + w > boundsW - 4) x = Math.max(4, xPx - 14 - w);
  if (y + h > boundsH - 4) y = Math.max(4, yPx - 14 - h);
  el.style.left = `${x}px`;
  el.style.top = `${y}px`;
}

export function hideTooltip(el) {
  el.style.display = 'none';
}

/** SVG path of a dependency arrow from the end of one bar to the start of another. */
export function arrowPath(x1, y1, x2, y2) {
  if (Math.abs(y2 - y1) < 1) {
    // Same row: a cubic arc whose peak sits `lift` px above the bars (peak = 3/4 of the control offset).
    const lift = Math.min(10, 3 + Math.abs(x2 - x1) / 6);
    const c = (lift * 4) / 3;
    return `M${x1},${y1}C${x1},${y1 - c} ${x2},${y2 - c} ${x2},${y2}`;
  }
  const dx = Math.max(12, Math.abs(x2 - x1) * 0.5);
  return `M${x1},${y1}C${x1 + dx},${y1} ${x2 - dx},${y2} ${x2},${y2}`;
}

/**
 * Draws marks = {outline: {x, y, w, h} | null, arrows: [{x1, y1, x2, y2}]} into the <g> selection
 * `g`. Arrows get a background-coloured halo so they read on top of bars of any colour.
 */
export function renderHoverMarks(g, marks, palette, markerId) {
  const outline = g.selectAll('rect.outline').data(marks.outline ? [marks.outline] : []);
  outline.exit().remove();
  outline.enter().append('rect').attr('class', 'outline').attr('fill', 'none').attr('stroke-width', 1.5)
    .merge(outline)
    .attr('stroke', palette.outline)
    .attr('x', (d) => d.x - 0.75).attr('y', (d) => d.y - 0.75)
    .attr('width', (d) => d.w + 1.5).attr('height', (d) => d.h + 1.5);
  const paths = marks.arrows.map((a) => arrowPath(a.x1, a.y1, a.x2, a.y2));
  const halo = g.selectAll('path.halo').data(paths);
  halo.exit().remove();
  halo.enter().append('path').attr('class', 'halo').attr('fill', 'none').attr('stroke-width', 4).attr('stroke-linecap', 'round')
    .merge(halo).attr('stroke', palette.bg).attr('d', (d) => d);
  const arrow = g.selectAll('path.arrow').data(paths);
  arrow.exit().remove();
  arrow.enter().append('path').attr('class', 'arrow').attr('fill', 'none').attr('stroke-width', 1.5)
    .merge(arrow).attr('stroke', palette.arrow).attr('marker-end', `url(#${markerId})`).attr('d', (d) => d);
  g.selectAll('path.arrow').raise();
}
