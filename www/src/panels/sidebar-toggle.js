// On a phone the settings sit above the chart, folded into one button that names the current
// run and any problem, so a shared link opens on its chart and the settings are one tap away.
// On wide screens the button is hidden and the sidebar scrolls on its own (style.css).
import { h, fill } from '../dom.js';

export const slot = 'sidebar';

export function mount(el, store, services) {
  const sidebar = services.slot('sidebar');
  sidebar.id ||= 'sidebar';
  sidebar.classList.add('collapsed');
  const problems = h('span', { class: 'toggle-problems' });
  const button = h('button', { type: 'button', class: 'settings-toggle', 'aria-expanded': 'false', 'aria-controls': sidebar.id },
    'Settings', problems);
  button.addEventListener('click', () => {
    const open = sidebar.classList.toggle('collapsed') === false;
    button.setAttribute('aria-expanded', String(open));
  });
  fill(el, button);
  store.subscribe((changed) => {
    if (!['error', 'invalid'].some((k) => changed.has(k))) return;
    const n = Object.keys(store.state.invalid).length + (store.state.error?.field && !store.state.invalid[store.state.error.field] ? 1 : 0);
    problems.textContent = n ? ` (${n} problem${n > 1 ? 's' : ''})` : '';
  });
}
