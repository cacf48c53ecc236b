// Compare mode's figures: the ranking of the compared runs.
import { h, fill } from '../dom.js';
import { renderRanking } from '../compare-view.js';

export const slot = 'main';

export function mount(el, store) {
  const ranking = h('div', { id: 'ranking' });
  const section = h('section', { id: 'compare-metrics', 'aria-label': 'ranking', hidden: true }, ranking);
  fill(el, section);
  store.subscribe((changed) => {
    if (!changed.has('shown')) return;
    const { shown } = store.state;
    section.hidden = shown?.mode !== 'compare';
    if (!shown) return fill(ranking);
    if (shown.mode === 'compare') renderRanking(ranking, shown.entries, { sameModel: shown.sameModel, workNote: !shown.trace });
  });
}
