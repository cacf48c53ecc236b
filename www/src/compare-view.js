// Compare mode on the page: the strategy picker and the ranking table. The choices themselves
// (stage counts, scaling, order) are compare.js's.
import { h, fill } from './dom.js';
import { fmt, pct } from './format.js';
import { peakShare } from './compare.js';

/**
 * Picker: a checkbox per registered strategy and the "same model" switch.
 * onChange({compare: [names], sameModel}) fires on every toggle.
 */
export function createComparePicker(el, { strategies, onChange }) {
  const boxes = strategies.map((s) => h('input', { type: 'checkbox', value: s.name, id: `cmp-${s.name}` }));
  const same = h('input', { type: 'checkbox', id: 'cmp-same-model' });
  let order = []; // names in the order they were ticked: the chart stacks them that way
  const emit = () => onChange({ compare: [...order], sameModel: same.checked });
  boxes.forEach((box) => box.addEventListener('change', () => {
    order = order.filter((n) => n !== box.value);
    if (box.checked) order.push(box.value);
    emit();
  }));
  same.addEventListener('change', emit);
  const clear = h('button', { type: 'button', class: 'small', onclick: () => {
    order = [];
    boxes.forEach((b) => { b.checked = false; });
    emit();
  } }, 'clear');
  fill(el,
    h('fieldset', { class: 'compare-picker' },
      h('legend', {}, 'Compare strategies'),
      h('p', { class: 'muted' }, 'Tick two or more: they stack on one time axis, each with a num_stages its constraints accept.'),
      h('div', { class: 'checks' }, strategies.map((s, i) => h('label', { title: s.description, class: 'check' }, boxes[i], ' ', s.name))),
      h('label', { class: 'check same-model', title: 'multiply every op time by num_devices / num_stages of each run' }, same, ' same model',
        h('span', { class: 'hint' }, 'scale op times so every strategy runs the same total work per device')),
      clear));
  return {
    setValue({ compare, sameModel }) {
      order = [...compare];
      boxes.forEach((b) => { b.checked = compare.includes(b.value); });
      same.checked = sameModel;
    },
  };
}

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
