// Memory per device over time, in GiB, for a projected run: the emulated step function of each
// device (its static memory, plus activations allocated at F, partly freed at B and the rest at W),
// the GPU's capacity line (gpu.memory_gib) and the out-of-memory region above it, with the spans
// where a device is over it marked and that device flagged. A table of the same figures (weights,
// gradients, optimizer, activations, peak, fits per device) is the chart's text alternative.
// Hidden in abstract units (memory there is in the user's op_memory units, drawn in the timeline's
// activation strip) and in compare mode (the ranking gives each run's peak memory).
import d3 from '../d3.js';
import { h, fill } from '../dom.js';
import { projectionOf, memorySteps, overCapacitySpans, gib, ms } from '../projection.js';

export const slot = 'main';

const SVG_NS = 'http://www.w3.org/2000/svg';
const ROW_PX = 72;
const ROW_GAP_PX = 10;
const LEFT_PX = 84;
const RIGHT_PX = 16;
const TOP_PX = 8;
const AXIS_PX = 40;
const FONT_PX = 12;

export function mount(el, store) {
  const chart = h('div', { id: 'memory-chart', class: 'memory-chart', dataset: { testid: 'memory-chart' } });
  const flags = h('div', { id: 'memory-flags' });
  const table = h('div', { id: 'memory-table', class: 'table-scroll' });
  const section = h('section', { id: 'memory-panel', class: 'memory-panel', 'aria-labelledby': 'memory-h', hidden: true },
    h('h2', { id: 'memory-h' }, 'Memory per device'),
    h('p', { class: 'muted', id: 'memory-note' }, 'Emulated memory of each device over one iteration, in GiB: weights, gradients and optimizer state of the '
      + 'stages it holds (the grey band), plus the activations in flight. The dashed line is the GPU\'s memory (gpu.memory_gib); above it is '
      + 'out of memory. Each row\'s scale starts at the number at its foot.'),
    flags, chart, table);
  fill(el, section);

  let shownResult = null;
  let width = 0;
  const observer = new ResizeObserver(() => {
    const w = Math.floor(chart.clientWidth);
    if (shownResult && w > 0 && w !== width) draw();
  });
  observer.observe(chart);

  function draw() {
    width = Math.floor(chart.clientWidth) || 640;
    renderChart(chart, shownResult, width);
  }

  store.subscribe((changed) => {
    if (!changed.has('shown')) return;
    const { shown } = store.state;
    const p = shown?.mode === 'single' ? projectionOf(shown.result) : null;
    section.hidden = !p;
    shownResult = p ? shown.result : null;
    if (!p) {
      fill(chart);
      fill(flags);
      fill(table);
      return;
    }
    renderFlags(flags, p);
    renderTable(table, shown.result, p);
    draw();
  });
}

function renderFlags(el, p) {
  const over = (p.devices || []).filter((d) => d.fits === false);
  fill(el, over.length
    ? h('p', { class: 'warn memory-oom', role: 'note', dataset: { testid: 'memory-oom' } },
      `Out of memory: ${over.map((d) => `device ${d.device} peaks at ${gib(d.memory_gib.peak)} GiB`).join(', ')}, over the GPU's `
      + `${gib(p.memory_capacity_gib)} GiB. Try more tensor or pipeline parallelism, recompute (train.recompute_granularity=full), `
      + 'the distributed optimizer, or a smaller micro batch.')
    : h('p', { class: 'muted', dataset: { testid: 'memory-fits' } }, `Every device fits: the largest peak is ${gib(p.peak_memory_gib)} of ${gib(p.memory_capacity_gib)} GiB.`));
}

function renderTable(el, result, p) {
  const head = ['device', 'weights', 'gradients', 'optimizer', 'activations (peak)', 'peak', 'fits'];
  fill(el, h('table', { class: 'devices', dataset: { testid: 'memory-table' } },
    h('caption', {}, `Memory per device, GiB (capacity ${gib(p.memory_capacity_gib)})`),
    h('thead', {}, h('tr', {}, head.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, (p.devices || []).map((d) => {
      const m = d.memory_gib;
      return h('tr', { class: d.fits ? null : 'oom', dataset: { device: String(d.device) } },
        h('th', { scope: 'row' }, String(d.device)),
        h('td', {}, gib(m.weights)), h('td', {}, gib(m.gradients)), h('td', {}, gib(m.optimizer)),
        h('td', {}, gib(m.activations_peak)), h('td', { dataset: { col: 'peak' } }, gib(m.peak)),
        h('td', { class: d.fits ? null : 'warn', dataset: { col: 'fits' } }, d.fits ? 'yes' : 'NO: out of memory'));
    }))));
}

function renderChart(el, result, widthPx) {
  const p = projectionOf(result);
  const devices = result.num_devices;
  const capacity = p.memory_capacity_gib;
  const end = result.makespan;
  const plotW = Math.max(80, widthPx - LEFT_PX - RIGHT_PX);
  const heightPx = TOP_PX + devices * (ROW_PX + ROW_GAP_PX) + AXIS_PX;
  const x = d3.scaleLinear().domain([0, end > 0 ? end : 1]).range([LEFT_PX, LEFT_PX + plotW]);
  // One step per pixel at most: merged steps keep their largest value, so every peak shows.
  const minSpan = (end > 0 ? end : 1) / plotW;
  const series = Array.from({ length: devices }, (_, d) => memorySteps(result, d, { minSpan }));
  const top = Math.max(capacity, ...series.flat().map((s) => s.gib)) * 1.08 || 1;
  // Weights, gradients and optimizer state are most of a device's memory and never change; from
  // zero the activations would be a sliver. The scale starts just below the smallest static
  // memory (labelled on every row), and the static part is drawn as its own band.
  const statics = (p.devices || []).map((d) => d.memory_gib?.static).filter(Number.isFinite);
  const bottom = statics.length ? Math.floor(Math.min(...statics) * 0.9) : 0;
  const y = d3.scaleLinear().domain([bottom, top]).range([ROW_PX, 0]);

  const svgEl = document.createElementNS(SVG_NS, 'svg');
  const svg = d3.select(svgEl).attr('width', widthPx).attr('height', heightPx).attr('viewBox', `0 0 ${widthPx} ${heightPx}`)
    .attr('role', 'img').attr('font-size', FONT_PX)
    .attr('aria-label', `Memory per device in GiB over ${ms(end)} ms; capacity ${gib(capacity)} GiB; `
      + `${p.fits ? 'every device fits' : `devices ${(p.devices || []).filter((d) => !d.fits).map((d) => d.device).join(', ')} are out of memory`}`);
  for (let d = 0; d < devices; d++) {
    const dev = p.devices?.[d];
    const g = svg.append('g').attr('class', dev && !dev.fits ? 'memory-row oom' : 'memory-row')
      .attr('data-device', d).attr('transform', `translate(0,${TOP_PX + d * (ROW_PX + ROW_GAP_PX)})`);
    // The out-of-memory region: everything above the capacity line.
    g.append('rect').attr('class', 'oom-region').attr('x', LEFT_PX).attr('width', plotW).attr('y', 0).attr('height', Math.max(0, y(capacity)));
    const steps = series[d];
    if (dev) {
      g.append('rect').attr('class', 'memory-static').attr('x', LEFT_PX).attr('width', plotW)
        .attr('y', y(dev.memory_gib.static)).attr('height', Math.max(0, ROW_PX - y(dev.memory_gib.static)));
    }
    const area = d3.area().curve(d3.curveStepAfter).x((s) => x(s.t)).y0(y(bottom)).y1((s) => y(s.gib));
    const points = steps.flatMap((s, i) => (i === steps.length - 1 ? [{ t: s.t0, gib: s.gib }, { t: s.t1, gib: s.gib }] : [{ t: s.t0, gib: s.gib }]));
    g.append('path').attr('class', 'memory-used').attr('d', area(points) ?? '');
    // Where the device is over capacity: the part of its curve inside the region, marked.
    for (const span of overCapacitySpans(steps, capacity)) {
      g.append('rect').attr('class', 'oom-span').attr('data-testid', `memory-oom-span-${d}`)
        .attr('x', x(span.t0)).attr('width', Math.max(1, x(span.t1) - x(span.t0))).attr('y', 0).attr('height', Math.max(0, y(capacity)));
    }
    g.append('line').attr('class', 'capacity').attr('data-testid', `memory-capacity-${d}`)
      .attr('x1', LEFT_PX).attr('x2', LEFT_PX + plotW).attr('y1', y(capacity)).attr('y2', y(capacity));
    g.append('text').attr('class', dev && !dev.fits ? 'label warn' : 'label').attr('x', 8).attr('y', ROW_PX / 2).attr('text-anchor', 'start')
      .attr('dominant-baseline', 'central').text(`dev ${d}`);
    g.append('text').attr('class', 'tick').attr('x', LEFT_PX - 8).attr('y', Math.max(FONT_PX / 2, y(capacity))).attr('text-anchor', 'end')
      .attr('dominant-baseline', 'central').text(gib(capacity).replace(/\.00$/, ''));
    g.append('text').attr('class', 'tick').attr('x', LEFT_PX - 8).attr('y', ROW_PX - FONT_PX / 2).attr('text-anchor', 'end')
      .attr('dominant-baseline', 'central').text(String(bottom));
    if (dev) {
      g.append('text').attr('class', dev.fits ? 'peak' : 'peak warn').attr('data-testid', `memory-peak-${d}`)
        .attr('x', LEFT_PX + plotW - 4).attr('y', ROW_PX - 6).attr('text-anchor', 'end')
        .text(dev.fits ? `peak ${gib(dev.memory_gib.peak)} GiB` : `out of memory: peak ${gib(dev.memory_gib.peak)} GiB`);
    }
  }
  const axisY = TOP_PX + devices * (ROW_PX + ROW_GAP_PX) - ROW_GAP_PX;
  const axis = svg.append('g').attr('class', 'axis').attr('transform', `translate(0,${axisY})`)
    .call(d3.axisBottom(x).ticks(Math.max(2, Math.floor(plotW / 90))).tickSizeOuter(0));
  axis.selectAll('text').attr('font-size', FONT_PX);
  svg.append('text').attr('class', 'label').attr('x', LEFT_PX).attr('y', axisY + AXIS_PX - 4).text('time (ms)');
  svg.append('text').attr('class', 'label').attr('x', 8).attr('y', axisY + AXIS_PX - 4).text('GiB');
  el.replaceChildren(svgEl);
}
