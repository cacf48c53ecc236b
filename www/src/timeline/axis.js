// The time axis: a D3 linear scale for the view and d3.axisTop in the overlay SVG. The same tick
// list feeds the canvas grid lines and the SVG export, so all three agree.
import d3 from '../d3.js';
import { AXIS_FONT_PX, FONT_FAMILY } from './chrome.js';

const PX_PER_TICK = 90;

/** Scale and ticks for a view drawn between xStartPx and xEndPx: {scale, count, ticks: [{value, xPx, text}]}. */
export function timeTicks(view, xStartPx, xEndPx) {
  const scale = d3.scaleLinear().domain([view.t0, view.t1]).range([xStartPx, xEndPx]);
  const count = Math.max(2, Math.floor((xEndPx - xStartPx) / PX_PER_TICK));
  const format = scale.tickFormat(count);
  const ticks = scale.ticks(count).map((value) => ({ value, xPx: scale(value), text: format(value) }));
  return { scale, count, ticks };
}

/** Draws (or updates) the axis into the <g> selection `g`, its baseline at y = yPx. */
export function renderAxis(g, axisModel, yPx, palette) {
  g.attr('transform', `translate(0,${yPx})`)
    .call(d3.axisTop(axisModel.scale).ticks(axisModel.count).tickSizeOuter(0))
    .attr('font-family', FONT_FAMILY)
    .attr('font-size', AXIS_FONT_PX);
  g.select('.domain').attr('stroke', palette.axis);
  g.selectAll('.tick line').attr('stroke', palette.axis);
  g.selectAll('.tick text').attr('fill', palette.muted);
}
