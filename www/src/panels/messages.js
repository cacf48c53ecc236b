// The message box above the chart: what the link could not use, why a file could not be
// emulated, and one-off notices. A problem with one field is said once, under that field
// (settings.js), not here as well.
import { h, fill } from '../dom.js';

export const slot = 'main';

export function mount(el, store) {
  const box = h('div', { id: 'messages', class: 'messages', dataset: { testid: 'error' }, role: 'alert', hidden: true });
  fill(el, box);
  store.subscribe((changed) => {
    if (!['linkMessages', 'error', 'notice'].some((k) => changed.has(k))) return;
    const { linkMessages, error, notice } = store.state;
    const items = [
      ...linkMessages.map((m) => h('li', {}, h('code', {}, m.param), ' ', m.message)),
      error && !error.field ? h('li', {}, error.message) : null,
      notice ? h('li', {}, notice) : null,
    ].filter(Boolean);
    box.hidden = items.length === 0;
    fill(box, items.length ? h('ul', {}, items) : null);
  });
}
