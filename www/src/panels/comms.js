// The waits of a schedule's communication actions (a comms CSV: SEND_F, RECV_F, SEND_B, RECV_B):
// the chart draws compute ops only, so where a RECV held its rank (a head-of-line bubble) or a
// sync SEND waited for its receiver is listed here, from the Result's `comms` (wasm/API.md).
import { h, fill } from '../dom.js';
import { fmt } from '../format.js';
import { commWaits } from '../comm-waits.js';

export const slot = 'main';

export function mount(el, store) {
  const section = h('section', { id: 'comm-waits', 'aria-labelledby': 'comm-waits-h', hidden: true });
  fill(el, section);
  store.subscribe((changed) => {
    if (!changed.has('shown')) return;
    const comms = store.state.shown?.mode === 'compare' ? null : store.state.shown?.result?.comms;
    section.hidden = !comms;
    if (!comms) return fill(section);
    const { total, waits } = commWaits(comms);
    fill(section,
      h('h2', { id: 'comm-waits-h' }, 'Communication waits'),
      h('p', { class: 'muted' }, `${total} communication actions; ${waits.length} held their rank (a RECV until its data arrived, a sync SEND until its receiver was there).`
        + ' The chart shows the held time as idle.'),
      waits.length ? h('div', { class: 'table-scroll' }, h('table', { class: 'devices', dataset: { testid: 'comm-waits' } },
        h('caption', {}, 'Actions that waited'),
        h('thead', {}, h('tr', {}, ['device', 'action', 'reached', 'passed', 'held'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, waits.map((w) => h('tr', { dataset: { device: w.device, action: w.action } },
          h('th', { scope: 'row' }, w.device), h('td', {}, w.action), h('td', {}, fmt(w.start)), h('td', {}, fmt(w.end)), h('td', {}, fmt(w.held))))))) : null);
  });
}
