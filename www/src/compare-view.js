// Compare mode's ranking table. The choices themselves (stage counts, scaling, order) are
// compare.js's; the picker is panels/compare.js. The table scrolls inside its own box, so a
// wide ranking never widens the page on a phone.
import { h, fill } from './dom.js';
import { fmt, pct } from './format.js';
import { peakShare, workPerDevice, vsBest, workMismatch, rankTime } from './compare.js';
import { projectionOf, ms, gib, percent } from './projection.js';

const COLUMNS = [
  ['rank', '#'],
  ['strategy', 'strategy'],
  ['stages', 'num_stages used'],
  ['factor', 'op time factor', (o) => o.sameModel],
  ['work', 'work per device', null, 'busy time of the busiest device: what the strategy makes each device compute'],
  ['makespan', 'makespan'],
  ['vs-best', 'vs best', null, 'how much longer than the fastest run'],
  ['bubble-ratio', 'bubble ratio'],
  ['bubble-over-ideal', 'bubble over ideal', null, '(makespan − max busy) / max busy'],
  ['span-bubble', 'span bubble', null, 'max over devices of (span − busy) / span'],
  ['peak', 'peak activations', null, null, (o) => (o.sameModel ? 'peak activations → device shares' : 'peak activations')],
];

// Projected runs rank by iteration time, with the memory each needs beside it (compare.js rankRuns).
const PROJECTED_COLUMNS = [
  ['rank', '#'],
  ['strategy', 'strategy'],
  ['stages', 'num_stages used'],
  ['iteration', 'iteration time (ms)', null, 'makespan + gradient reduction not hidden + optimizer step'],
  ['vs-best', 'vs best', null, 'how much longer than the fastest iteration'],
  ['peak-memory', 'peak memory (GiB)', null, 'largest emulated peak over devices: weights, gradients, optimizer state, activations in flight'],
  ['fits', 'fits', null, 'every device\'s peak within gpu.memory_gib'],
  ['mfu', 'MFU', null, 'model FLOPs utilisation (Megatron-LM\'s count)'],
  ['makespan', 'makespan (ms)'],
  ['bubble-ratio', 'bubble ratio'],
];

/** Ranking of compared runs (entries from runs.js computeRuns). */
export function renderRanking(el, entries, { sameModel, workNote = true }) {
  const projected = entries.some((e) => projectionOf(e.result));
  const o = { sameModel: sameModel && !projected };
  const columns = (projected ? PROJECTED_COLUMNS : COLUMNS).filter(([, , when]) => !when || when(o));
  const byRank = [...entries].sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.order - b.order);
  const best = Math.min(...entries.filter((e) => e.result.ok).map((e) => rankTime(e.result)));
  const cell = (e, col) => {
    const r = e.result;
    const p = projectionOf(r);
    switch (col) {
      case 'iteration': return ms(rankTime(r));
      case 'peak-memory': return gib(p.peak_memory_gib);
      case 'fits': return p.fits ? 'yes' : 'NO: out of memory';
      case 'mfu': return percent(p.mfu);
      case 'rank': return e.rank;
      case 'strategy': return e.strategy;
      case 'stages': return e.numStages;
      case 'factor': return `×${fmt(e.factor)}`;
      case 'work': return fmt(workPerDevice(r));
      case 'makespan': return fmt(r.makespan);
      case 'vs-best': return vsBest(rankTime(r), best);
      case 'bubble-ratio': return `${fmt(r.bubble_ratio)} (${pct(r.bubble_ratio)})`;
      case 'bubble-over-ideal': return fmt(r.bubble_over_ideal);
      case 'span-bubble': return fmt(r.span_bubble_ratio);
      default: return sameModel && e.factor !== 1 ? `${fmt(r.peak_activations)} → ${fmt(peakShare(e))}` : fmt(r.peak_activations);
    }
  };
  // A trace's what-if says itself why its work differs (trace-runs.js): the advice below is compare mode's.
  const mismatch = workNote ? workMismatch(entries) : null;
  fill(el,
    mismatch ? h('p', { class: 'warn compare-warning', role: 'note', dataset: { testid: 'compare-warning' } },
      'These runs are not the same model: their work per device differs (',
      mismatch.map((m) => `${fmt(m.work)} for ${m.strategy} with ${m.numStages} stages`).join(', '),
      '), because op times are per stage and the strategies cut the model into different numbers of stages. ',
      'Tick "same model" to give each the same work.') : null,
    h('div', { class: 'table-scroll' },
      h('table', { class: 'ranking', dataset: { testid: 'ranking' } },
        h('caption', {}, 'Ranking', projected
          ? ' by projected iteration time, then peak memory (projected: each run splits the model\'s layers over its own stages, so it is the same model and no op time is scaled)'
          : o.sameModel ? ' (same model: op times × num_devices / num_stages)' : ''),
        h('thead', {}, h('tr', {}, columns.map(([, title, , tip, titleOf]) => h('th', { scope: 'col', title: tip }, titleOf ? titleOf(o) : title)))),
        h('tbody', {}, byRank.map((e) => (e.result.ok
          ? h('tr', { dataset: { strategy: e.strategy }, class: e.rank === 1 ? 'best' : null },
            columns.map(([col]) => (col === 'strategy'
              ? h('th', { scope: 'row', dataset: { col } }, e.strategy)
              : h('td', { dataset: { col }, class: [col === 'makespan' ? 'makespan' : null, col === 'fits' && !projectionOf(e.result).fits ? 'warn' : null].filter(Boolean).join(' ') || null }, cell(e, col)))))
          : h('tr', { class: 'failed', dataset: { strategy: e.strategy } },
            h('td', { dataset: { col: 'rank' } }, '–'),
            h('th', { scope: 'row', dataset: { col: 'strategy' } }, e.strategy),
            h('td', { colspan: columns.length - 2, class: 'warn' }, e.result.error))))))));
}
