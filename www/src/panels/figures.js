// The figures of one run (a strategy's or an imported file's): headline numbers, the per-device
// table and the published closed forms. Compare mode has ranking.js instead.
import { h, fill } from '../dom.js';
import { renderSummary, renderDevices, renderFormulas } from '../metrics.js';

export const slot = 'main';

export function mount(el, store) {
  const summary = h('div', { id: 'summary', class: 'summary' });
  const devices = h('div', { id: 'devices' });
  const formulas = h('div', { id: 'formulas' });
  const section = h('section', { id: 'single-metrics', 'aria-label': 'metrics' }, summary, h('div', { class: 'tables' }, devices, formulas));
  fill(el, section);
  store.subscribe((changed) => {
    if (!changed.has('shown') && !changed.has('error')) return;
    const { shown, error } = store.state;
    if (!shown) {
      if (error) [summary, devices, formulas].forEach((x) => fill(x));
      return;
    }
    section.hidden = shown.mode === 'compare';
    if (!changed.has('shown') || shown.mode === 'compare') return;
    renderSummary(summary, shown.result);
    renderDevices(devices, shown.result);
    renderFormulas(formulas, shown.result, { imported: shown.mode === 'csv' || shown.mode === 'trace' });
  });
}
