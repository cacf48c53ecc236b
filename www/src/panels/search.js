// "Find the best": the search of issue 11 in the page. Every registered strategy (or the ticked
// ones) over the ranges of the varied keys, from the Settings as the base, in a pool of Web
// Workers (one per core the browser reports) running the same core functions as the CLI's
// --search (search-pool.js). While it runs: a progress bar, Cancel, and the core's ranking of
// what has arrived; then a scatter of time against peak memory with the Pareto front and the
// cap, where a click opens that configuration in the main view (and gives its link). The
// settings live in the link (search.KEY, state.js); same_model is the page's one switch, shared
// with compare mode.
import d3 from '../d3.js';
import { h, fill } from '../dom.js';
import { fmt, count } from '../format.js';
import { trustedWorkerUrl } from '../engine.js';
import { parseConfigValue, sameModelOf, searchSettingProblem, serializeHash, setConfigValue } from '../state.js';
import { searchSettings, runSearch, rankedRows, frontLine } from '../search-pool.js';
import { isProjectedConfig } from '../projection.js';

export const slot = 'main';

const GiB = 1024 ** 3;
const DEFAULT_VARY = 'num_stages,num_batches';
const SHOWN_ROWS = 12;
const SCATTER_EVERY_MS = 600;  // while running; the table and the best row follow every ranking
const RANK_EVERY_MS = 250;     // partial rankings while running (search-pool.js)
const SLICE_MS = 60;           // each worker's slices take about this long, so Cancel acts soon

/** A Web Worker running worker.js, as {call(request) -> Promise<reply>}: replies never reject. */
function searchWorker() {
  const worker = new Worker(trustedWorkerUrl(new URL('../worker.js', import.meta.url)), { type: 'module' });
  const pending = new Map();
  let nextId = 1;
  worker.onmessage = (event) => {
    const { id, result } = event.data || {};
    const resolve = pending.get(id);
    if (!resolve) return;
    pending.delete(id);
    resolve(result ?? { ok: false, error: 'the worker sent no result' });
  };
  worker.onerror = (event) => {
    event.preventDefault?.();
    for (const resolve of pending.values()) resolve({ ok: false, error: `a search worker failed: ${event.message || 'unknown error'}` });
    pending.clear();
  };
  return {
    call(request) {
      return new Promise((resolve) => {
        const id = nextId++;
        pending.set(id, resolve);
        worker.postMessage({ ...request, id, type: 'search' });
      });
    },
  };
}

/** Workers are started once, on the first search, and kept (each compiles the module once). */
function workerCount() {
  const n = Number(globalThis.navigator?.hardwareConcurrency);
  return Math.max(1, Math.min(16, Number.isFinite(n) && n > 0 ? Math.floor(n) : 2));
}


function valueText(values) {
  return Object.entries(values || {}).map(([k, v]) => `${k}=${v}`).join(' ');
}

export function mount(el, store) {
  let pool = null;
  let run = null;          // {id, cancelled, settings, plan, rows, ranking, best, units, capShown}
  let runs = 0;

  const title = h('h2', { id: 'search-h' }, 'Find the best');
  const intro = h('p', { class: 'muted' },
    'Runs every ticked strategy over the ranges below, from the Settings as the base, and ranks them by time with peak memory beside it. ',
    'Ranges use the command line\'s syntax: 8,16,32 or 1..8 or 8..64:8 or 1..64:*2; 4p means 4 × num_devices.');
  const capInput = h('input', { id: 'search-cap', type: 'text', inputmode: 'decimal', placeholder: 'none', size: 8 });
  const capUnit = h('span', { id: 'search-cap-unit', class: 'hint' });
  const varyInput = h('input', { id: 'search-vary', type: 'text', placeholder: DEFAULT_VARY, size: 28 });
  const ranges = h('div', { id: 'search-ranges', class: 'search-ranges' });
  const checks = h('div', { class: 'checks', id: 'search-strategies' });
  const sameBox = h('input', { type: 'checkbox', id: 'search-same-model' });
  const runButton = h('button', { type: 'button', id: 'search-run' }, 'Find the best');
  const cancelButton = h('button', { type: 'button', id: 'search-cancel', disabled: true }, 'Cancel');
  const bar = h('progress', { id: 'search-progress', max: 1, value: 0, hidden: true });
  const status = h('p', { id: 'search-status', role: 'status', 'aria-live': 'polite' });
  const error = h('p', { id: 'search-error', class: 'error', role: 'alert', hidden: true });
  const best = h('p', { id: 'search-best' });
  const plot = h('div', { id: 'search-scatter', class: 'search-scatter' });
  const table = h('div', { id: 'search-ranking', class: 'table-scroll' });
  const opened = h('p', { id: 'search-opened' });
  let boxes = [];

  fill(el, h('section', { id: 'search', 'aria-labelledby': 'search-h' },
    title, intro,
    h('div', { class: 'search-form' },
      h('label', { for: 'search-cap' }, 'memory cap ', capInput, ' ', capUnit),
      h('label', { for: 'search-vary' }, 'vary ', varyInput),
      ranges,
      h('fieldset', {}, h('legend', {}, 'strategies'), checks),
      h('label', { class: 'check', title: 'op times and op memory × num_devices / num_stages, as in compare mode' }, sameBox, ' same-model search',
        h('span', { class: 'hint' }, ' every split runs the same model (op times and memory × num_devices / num_stages)')),
      h('div', { class: 'search-buttons' }, runButton, ' ', cancelButton)),
    bar, status, error, best, plot, table, opened));

  // --- the settings, in the link ---
  const search = () => store.state.search || {};
  function setSearch(patch) {
    const next = { ...search() };
    for (const [k, v] of Object.entries(patch)) {
      const text = String(v ?? '').trim();
      const problem = text && searchSettingProblem(k, text);
      if (problem) {
        showError(`${k}: ${problem}`);
        showSettings();  // the field goes back to what the link holds
        return;
      }
      if (text === '') delete next[k];
      else next[k] = text;
    }
    showError('');
    store.edit({ search: next }, { source: 'search' });
  }
  const varyKeys = () => (search().vary ?? DEFAULT_VARY).split(',').map((k) => k.trim()).filter(Boolean);

  capInput.addEventListener('change', () => setSearch({ memory_cap: capInput.value }));
  varyInput.addEventListener('change', () => setSearch({ vary: varyInput.value }));
  sameBox.addEventListener('change', () => store.edit({ sameModel: sameBox.checked }, { source: 'search' }));
  runButton.addEventListener('click', () => start());
  cancelButton.addEventListener('click', () => cancel());

  function buildStrategies() {
    // Named "search: NAME" so they are not mistaken for compare mode's boxes of the same names.
    boxes = store.state.strategies.map((s) => h('input', { type: 'checkbox', value: s.name, id: `search-s-${s.name}`, 'aria-label': `search: ${s.name}` }));
    boxes.forEach((box) => box.addEventListener('change', () => {
      const ticked = boxes.filter((b) => b.checked).map((b) => b.value);
      setSearch({ strategies: ticked.length === boxes.length ? undefined : ticked.join(',') || 'none' });
    }));
    fill(checks, store.state.strategies.map((s, i) => h('label', { class: 'check', title: s.description }, boxes[i], ' ', s.name)));
  }

  function showSettings() {
    const s = search();
    if (document.activeElement !== capInput) capInput.value = s.memory_cap ?? '';
    if (document.activeElement !== varyInput) varyInput.value = s.vary ?? DEFAULT_VARY;
    capUnit.textContent = isProjectedConfig(store.state.config) ? 'GiB (the run is projected)' : 'op_memory units';
    sameBox.checked = sameModelOf(store.state);
    const list = s.strategies && s.strategies !== 'all' ? s.strategies.split(',') : null;
    boxes.forEach((b) => { b.checked = !list || list.includes(b.value); });
    fill(ranges, varyKeys().map((key) => {
      const input = h('input', { type: 'text', id: `search-range-${key}`, size: 14, value: s[`vary.${key}`] ?? '', placeholder: defaultRange(key) });
      input.addEventListener('change', () => setSearch({ [`vary.${key}`]: input.value }));
      return h('label', { for: input.id }, `${key} `, input);
    }));
  }

  function defaultRange(key) {
    return { num_stages: '1p..8p', num_batches: '1p..16p', num_devices: '2..32:*2', zb_memory_limit: '1..2:0.25' }[key] ?? 'values';
  }

  // --- running ---
  function setRunning(on) {
    runButton.disabled = on;
    cancelButton.disabled = !on;
    bar.hidden = !on && !run;
  }

  function showError(message) {
    error.hidden = !message;
    error.textContent = message || '';
  }

  async function start() {
    if (run && !run.finished) return;
    showError('');
    pool ??= Array.from({ length: workerCount() }, searchWorker);
    const id = ++runs;
    const projected = isProjectedConfig(store.state.config);
    const s = { vary: DEFAULT_VARY, ...search() };
    const settings = searchSettings(store.state.config, s, { sameModel: sameModelOf(store.state), capBytesPerUnit: projected ? GiB : 1 });
    run = { id, cancelled: false, finished: false, settings, base: { ...store.state.config }, plan: null, rows: [], ranking: [], best: null, capShown: null, projected, started: performance.now() };
    setRunning(true);
    bar.hidden = false;
    bar.value = 0;
    status.textContent = 'Starting the search workers…';
    fill(best);
    fill(opened);
    const me = run;
    const result = await runSearch({
      workers: pool,
      settings,
      rankEveryMs: RANK_EVERY_MS,
      targetSliceMs: SLICE_MS,
      isCancelled: () => me.cancelled,
      onPlan: (plan) => {
        me.plan = plan;
        bar.max = Math.max(1, plan.count);
        me.capShown = plan.memory_cap === null ? null : projected ? plan.memory_cap / GiB : plan.memory_cap;
        status.textContent = `0 of ${count(plan.count)} configurations on ${pool.length} workers`;
      },
      onRows: ({ done, total, ran, rows }) => {
        if (me.cancelled) return;
        me.rows = rows;
        bar.value = done;
        status.textContent = `${count(done)} of ${count(total)} configurations, ${count(ran)} ran (${count(done - ran)} skipped) · ${((performance.now() - me.started) / 1000).toFixed(1)} s`;
      },
      onRanking: ({ ranking, best: b }) => {
        if (me.cancelled && me.finished) return;
        me.ranking = ranking;
        me.best = b;
        render(me, true);
      },
    });
    me.finished = true;
    if (run !== me) return;
    setRunning(false);
    if (!result.ok) {
      showError(result.error);
      status.textContent = '';
      bar.hidden = true;
      return;
    }
    me.rows = result.rows;
    me.ranking = result.ranking;
    me.best = result.best;
    const seconds = ((performance.now() - me.started) / 1000).toFixed(2);
    const ran = result.rows.filter((r) => r.ran).length;
    status.textContent = result.cancelled
      ? `Cancelled after ${count(result.rows.length)} of ${count(result.plan.count)} configurations (${count(ran)} ran): the ranking below covers those.`
      : `Done: ${count(result.plan.count)} configurations, ${count(ran)} ran, ${count(result.plan.count - ran)} skipped, in ${seconds} s on ${pool.length} workers.`;
    el.querySelector('#search').dataset.state = result.cancelled ? 'cancelled' : 'done';
    render(me, false);
  }

  function cancel() {
    if (!run || run.finished) return;
    run.cancelled = true;
    cancelButton.disabled = true;
    status.textContent = 'Cancelling…';
  }

  // --- results ---
  const units = (r) => (r.projected ? { time: 'ms', memory: 'GiB', mem: (b) => b / GiB } : { time: 'units', memory: 'op_memory units', mem: (m) => m });

  function render(r, partial) {
    const section = el.querySelector('#search');
    section.dataset.state = partial ? 'running' : section.dataset.state;
    const rows = rankedRows(r.rows, r.ranking);
    const u = units(r);
    const bestRow = rows.find((x) => x.index === r.best);
    fill(best, bestRow
      ? [partial ? 'Fastest so far' : r.capShown !== null ? 'Fastest within the cap' : 'Fastest', ': ',
          h('strong', { dataset: { index: String(bestRow.index) } }, `${bestRow.strategy} ${valueText(bestRow.values)}`),
          ` — time ${fmt(bestRow.time)} ${u.time}, peak memory ${fmt(u.mem(bestRow.peak_memory))} ${u.memory}`]
      : rows.length ? 'No configuration within the cap.' : '');
    // As the CLI says above its table: rows with fewer microbatches do less work per iteration.
    if ((r.plan?.vary ?? []).some((d) => d.key === 'num_batches' && d.values.length > 1)) {
      best.append(h('span', { class: 'muted', id: 'search-batches-note' },
        ' · num_batches varies: a row with fewer microbatches does less work per iteration, so compare rows at one num_batches.'));
    }
    renderTable(rows, r, u, partial);
    // Redrawing every point costs more than ranking them: while it runs the scatter follows at a slower pace.
    const now = performance.now();
    if (!partial || !(now - (r.drawnAt ?? -Infinity) < SCATTER_EVERY_MS)) {
      r.drawnAt = now;
      renderScatter(rows, r, u);
    }
  }

  function renderTable(rows, r, u, partial) {
    const keys = (r.plan?.vary ?? []).map((d) => d.key);
    const shown = rows.slice(0, SHOWN_ROWS);
    fill(table, h('table', { class: 'ranking search-table' },
      h('caption', {}, partial ? `Ranking so far (${count(rows.length)} ran)` : `Ranking (${count(rows.length)} ran; the first ${Math.min(SHOWN_ROWS, rows.length)} shown)`),
      h('thead', {}, h('tr', {},
        ['rank', 'strategy', ...keys, `time (${u.time})`, `peak memory (${u.memory})`, 'bubble', 'Pareto', 'cap'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, shown.map((row) => h('tr', {
        dataset: { index: String(row.index) }, class: row.over_cap ? 'over-cap' : '', tabindex: 0,
        title: 'open this configuration',
        onclick: () => open(row.index), onkeydown: (e) => { if (e.key === 'Enter') open(row.index); },
      },
      h('td', { class: 'num' }, String(row.rank)), h('td', {}, row.strategy),
      keys.map((k) => h('td', { class: 'num' }, String(row.values?.[k] ?? ''))),
      h('td', { class: 'num', dataset: { testid: 'search-time' } }, fmt(row.time)),
      h('td', { class: 'num', dataset: { testid: 'search-peak' } }, fmt(u.mem(row.peak_memory))),
      h('td', { class: 'num' }, fmt(row.bubble_ratio)),
      h('td', {}, row.pareto ? '★' : ''), h('td', {}, row.over_cap ? 'over' : ''))))));
  }

  function renderScatter(rows, r, u) {
    const width = Math.max(280, Math.min(720, el.clientWidth || 600));
    const height = 260;
    const m = { top: 12, right: 16, bottom: 40, left: 56 };
    const svg = d3.create('svg').attr('viewBox', `0 0 ${width} ${height}`).attr('width', width).attr('height', height)
      .attr('role', 'img').attr('aria-label', `time against peak memory for ${rows.length} configurations, the Pareto front drawn${r.capShown !== null ? ', the memory cap as a line' : ''}`);
    if (!rows.length) {
      fill(plot);
      return;
    }
    const mem = (row) => u.mem(row.peak_memory);
    const xMax = Math.max(d3.max(rows, mem), r.capShown ?? 0) * 1.05 || 1;
    const x = d3.scaleLinear().domain([0, xMax]).nice().range([m.left, width - m.right]);
    const y = d3.scaleLinear().domain([0, (d3.max(rows, (row) => row.time) || 1) * 1.05]).nice().range([height - m.bottom, m.top]);
    svg.append('g').attr('transform', `translate(0,${height - m.bottom})`).call(d3.axisBottom(x).ticks(6));
    svg.append('g').attr('transform', `translate(${m.left},0)`).call(d3.axisLeft(y).ticks(5));
    svg.append('text').attr('class', 'axis-label').attr('x', (m.left + width - m.right) / 2).attr('y', height - 6).attr('text-anchor', 'middle')
      .text(`peak memory (${u.memory})`);
    svg.append('text').attr('class', 'axis-label').attr('transform', `translate(14,${(m.top + height - m.bottom) / 2}) rotate(-90)`)
      .attr('text-anchor', 'middle').text(`time (${u.time})`);
    if (r.capShown !== null) {
      svg.append('line').attr('class', 'search-cap').attr('x1', x(r.capShown)).attr('x2', x(r.capShown))
        .attr('y1', m.top).attr('y2', height - m.bottom);
      svg.append('text').attr('class', 'search-cap-label').attr('x', x(r.capShown) + 4).attr('y', m.top + 10).text('cap');
    }
    const front = frontLine(rows);
    svg.append('path').attr('class', 'search-front').attr('fill', 'none')
      .attr('d', d3.line().curve(d3.curveStepAfter).x((row) => x(mem(row))).y((row) => y(row.time))(front));
    // The front over the rest and the best on top, so a click on a shared spot picks the row the eye sees.
    const order = (row) => (row.index === r.best ? 2 : row.pareto ? 1 : 0);
    const drawn = [...rows].sort((a, b) => order(a) - order(b));
    svg.append('g').selectAll('circle').data(drawn).join('circle')
      .attr('class', (row) => `search-point${row.pareto ? ' pareto' : ''}${row.over_cap ? ' over-cap' : ''}${row.index === r.best ? ' best' : ''}`)
      .attr('cx', (row) => x(mem(row))).attr('cy', (row) => y(row.time)).attr('r', (row) => (row.pareto ? 4.5 : 3))
      .attr('data-index', (row) => row.index)
      .on('click', (event, row) => open(row.index))
      .append('title').text((row) => `${row.strategy} ${valueText(row.values)}: time ${fmt(row.time)}, peak memory ${fmt(mem(row))}${row.pareto ? ' (Pareto front)' : ''}`);
    fill(plot, svg.node());
  }

  // --- opening a row in the main view ---
  async function open(index) {
    if (!run || !pool) return;
    const c = await pool[0].call({ op: 'config', settings: JSON.stringify(run.settings), index });
    if (!c.ok) return showError(c.error);
    const { schema, scenario } = store.state;
    // On top of the base the search ran from, not of Settings edited since.
    const config = { ...run.base };
    for (const [key, text] of Object.entries(c.overrides)) {
      const parsed = parseConfigValue(key, String(text), schema);
      if (parsed.error) return showError(`${key}: ${parsed.error}`);
      setConfigValue(config, key, parsed.value);
    }
    const next = { config, compare: [], view: null, imported: null, scenario: scenario + 1 };
    const hash = serializeHash({ ...store.state, ...next }, schema);
    fill(opened, 'Opened in the main view: ', h('a', { href: hash, id: 'search-opened-link' }, `${c.overrides.strategy} ${valueText(Object.fromEntries(Object.entries(c.overrides).filter(([k]) => k !== 'strategy')))}`));
    store.edit(next, { source: 'search' });
    document.querySelector('[data-slot="main"]')?.scrollIntoView?.({ block: 'start' });
  }

  store.subscribe((changed) => {
    if (changed.has('strategies')) buildStrategies();
    if (boxes.length && ['search', 'sameModel', 'strategies', 'config'].some((k) => changed.has(k))) showSettings();
  });
}
