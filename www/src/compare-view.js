// Compare mode's ranking table. The choices themselves (stage counts, scaling, order) are
// compare.js's; the picker is panels/compare.js. The table scrolls inside its own box, so a
// wide ranking never widens the page on a phone.
import { h, fill } from './dom.js';
import { fmt, pct } from './format.js';
import { peakShare, workPerDevice, vsBest, workMismatch } from './compare.js';

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

/** Ranking of compared runs (entries from runs.js computeRuns). */
export function renderRanking(el, entries, { sameModel, workNote = true }) {
  const o = { sameModel };
  const columns = COLUMNS.filter(([, , when]) => !when || when(o));
  const byRank = [...entries].sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.order - b.order);
  const best = Math.min(...entries.filter((e) => e.result.ok).map((e) => e.result.makespan));
  const cell = (e, col) => {
    const r = e.result;
    switch (col) {
      case 'rank': return e.rank;
      case 'strategy': return e.strategy;
      case 'stages': return e.numStages;
      case 'factor': return `×${fmt(e.factor)}`;
      case 'work': return fmt(workPerDevice(r));
      case 'makespan': return fmt(r.makespan);
      case 'vs-best': return vsBest(r.makespan, best);
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
        h('caption', {}, 'Ranking', sameModel ? ' (same model: op times × num_devices / num_stages)' : ''),
        h('thead', {}, h('tr', {}, columns.map(([, title, , tip, titleOf]) => h('th', { scope: 'col', title: tip }, titleOf ? titleOf(o) : title)))),
        h('tbody', {}, byRank.map((e) => (e.result.ok
          ? h('tr', { dataset: { strategy: e.strategy }, class: e.rank === 1 ? 'best' : null },
            columns.map(([col]) => (col === 'strategy'
              ? h('th', { scope: 'row', dataset: { col } }, e.strategy)
              : h('td', { dataset: { col }, class: col === 'makespan' ? 'makespan' : null }, cell(e, col)))))
          : h('tr', { class: 'failed', dataset: { strategy: e.strategy } },
            h('td', { dataset: { col: 'rank' } }, '–'),
            h('th', { scope: 'row', dataset: { col: 'strategy' } }, e.strategy),
            h('td', { colspan: columns.length - 2, class: 'warn' }, e.result.error))))))));
}
