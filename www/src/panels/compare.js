// The compare picker: a checkbox per registered strategy and the "same model" switch. Ticking two
// or more stacks them on one time axis (runner.js computes them, ranking.js ranks them).
import { h, fill } from '../dom.js';
import { sameModelOf } from '../state.js';
import { isProjectedConfig } from '../projection.js';

export const slot = 'sidebar';

export function mount(el, store) {
  const section = h('section', { id: 'compare-picker', 'aria-label': 'compare' });
  fill(el, section);
  let boxes = [];
  let same = null;

  function emit(patch) {
    store.edit(patch, { source: 'compare' });
  }

  function build() {
    const { strategies } = store.state;
    boxes = strategies.map((s) => h('input', { type: 'checkbox', value: s.name, id: `cmp-${s.name}` }));
    same = h('input', { type: 'checkbox', id: 'cmp-same-model' });
    boxes.forEach((box) => box.addEventListener('change', () => {
      // Names stay in the order they were ticked: the chart stacks them that way.
      const order = store.state.compare.filter((n) => n !== box.value);
      if (box.checked) order.push(box.value);
      emit({ compare: order });
    }));
    same.addEventListener('change', () => emit({ sameModel: same.checked }));
    const clear = h('button', { type: 'button', class: 'small', onclick: () => emit({ compare: [] }) }, 'clear');
    fill(section,
      h('fieldset', { class: 'compare-picker' },
        h('legend', {}, 'Compare strategies'),
        h('p', { class: 'muted' }, 'Tick two or more: they stack on one time axis, each with a num_stages its constraints accept.'),
        h('div', { class: 'checks' }, strategies.map((s, i) => h('label', { title: s.description, class: 'check' }, boxes[i], ' ', s.name))),
        h('label', { class: 'check same-model', title: 'multiply every op time by num_devices / num_stages of each run' }, same, ' same model',
          h('span', { class: 'hint' }, 'scale op times so every strategy runs the same total work per device')),
        clear));
  }

  function show() {
    const { compare } = store.state;
    boxes.forEach((b) => { b.checked = compare.includes(b.value); });
    same.checked = sameModelOf(store.state);
    // A projection splits the model's layers over each run's stages: already the same model.
    same.disabled = isProjectedConfig(store.state.config);
    same.title = same.disabled ? 'projected runs are the same model by construction: no op time is scaled' : '';
  }

  store.subscribe((changed) => {
    if (changed.has('strategies')) build();
    if (boxes.length && ['compare', 'sameModel', 'strategies', 'config'].some((k) => changed.has(k))) show();
  });
}
