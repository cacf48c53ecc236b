// The Examples panel: the original PP-Emulation README's example command lines, one click each.
import { h, fill } from '../dom.js';
import { PRESETS } from '../presets.js';

export const slot = 'sidebar';

export function mount(el, store) {
  const apply = (preset) => {
    const { schema, scenario } = store.state;
    store.edit({
      config: { ...(schema?.defaults ?? {}), ...preset.config },
      compare: [],
      sameModel: false,
      view: null,
      imported: null,
      scenario: scenario + 1,
    }, { source: 'presets' });
  };
  fill(el, h('section', { class: 'presets', 'aria-labelledby': 'presets-h' },
    h('h2', { id: 'presets-h' }, 'Examples'),
    h('div', { id: 'presets', class: 'preset-buttons' },
      PRESETS.map((p) => h('button', { type: 'button', title: p.title, onclick: () => apply(p) }, p.label)))));
}
