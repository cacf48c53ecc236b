// The message box above the chart: what the link could not use, fields whose text is not a
// value, the core's error for the latest settings, and one-off notices.
import { h, fill } from '../dom.js';

export const slot = 'main';

export function mount(el, store) {
  const box = h('div', { id: 'messages', class: 'messages', dataset: { testid: 'error' }, role: 'alert', hidden: true });
  fill(el, box);
  store.subscribe((changed) => {
    if (!['linkMessages', 'invalid', 'error', 'notice'].some((k) => changed.has(k))) return;
    const { linkMessages, invalid, error, notice } = store.state;
    const items = [
      ...linkMessages.map((m) => h('li', {}, h('code', {}, m.param), ' ', m.message)),
      ...Object.entries(invalid).map(([key, message]) => h('li', {}, h('code', {}, key), ' ', message, ' (not applied)')),
      error ? h('li', {}, error.message) : null,
      notice ? h('li', {}, notice) : null,
    ].filter(Boolean);
    box.hidden = items.length === 0;
    fill(box, items.length ? h('ul', {}, items) : null);
  });
}
