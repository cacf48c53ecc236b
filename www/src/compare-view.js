// Compare mode's ranking table. The choices themselves (stage counts, scaling, order) are
// compare.js's; the picker is panels/compare.js.
import { h, fill } from './dom.js';
import { fmt, pct } from './format.js';
import { peakShare } from './compare.js';

/** Ranking of compared runs (entries from runs.js computeRuns). */
export function renderRanking(el, entries, { sameModel }) {
  const byRank = [...entries].sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.order - b.order);
  fill(el,
    h('table', { class: 'ranking', dataset: { testid: 'ranking' } },
      h('caption', {}, 'Ranking', sameModel ? ' (same model: op times × num_devices / num_stages)' : ''),
      h('thead', {}, h('tr', {}, ['#', 'strategy', 'num_stages used', sameModel ? 'op time factor' : null, 'makespan', 'bubble ratio',
        sameModel ? 'peak activations → device shares' : 'peak activations']
        .filter(Boolean).map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, byRank.map((e) => e.result.ok
        ? h('tr', { dataset: { strategy: e.strategy } },
          h('td', {}, e.rank),
          h('th', { scope: 'row' }, e.strategy),
          h('td', {}, e.numStages),
          sameModel ? h('td', {}, `×${fmt(e.factor)}`) : null,
          h('td', { class: 'makespan' }, fmt(e.result.makespan)),
          h('td', {}, `${fmt(e.result.bubble_ratio)} (${pct(e.result.bubble_ratio)})`),
          h('td', { title: sameModel ? '(microbatch, stage) pairs × op time factor: memory in slices of one device\'s model share' : null },
            sameModel && e.factor !== 1 ? `${fmt(e.result.peak_activations)} → ${fmt(peakShare(e))}` : fmt(e.result.peak_activations)))
        : h('tr', { class: 'failed', dataset: { strategy: e.strategy } },
          h('td', {}, '–'),
          h('th', { scope: 'row' }, e.strategy),
          h('td', { colspan: sameModel ? 5 : 4, class: 'warn' }, e.result.error))))));
}
