// The theme switch. The link's `theme` wins over the system setting; the page's colours follow
// one attribute on <html> (style.css), the chart's follow the renderer's palette (chart.js).
import { h, fill } from '../dom.js';
import { currentTheme } from '../theme.js';

export const slot = 'toolbar';

export function mount(el, store, services) {
  const button = h('button', { type: 'button', id: 'theme-toggle', 'aria-pressed': 'false', title: 'switch between light and dark' }, 'Dark theme');
  fill(el, button);
  const apply = () => {
    const theme = currentTheme(store.state.theme);
    document.documentElement.dataset.theme = theme;
    button.setAttribute('aria-pressed', String(theme === 'dark'));
  };
  button.addEventListener('click', () => {
    store.update({ theme: currentTheme(store.state.theme) === 'dark' ? 'light' : 'dark' }, { source: 'theme' });
  });
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
    apply();
    services?.chart?.setTheme(currentTheme(store.state.theme));
  });
  store.subscribe((changed) => { if (changed.has('theme')) apply(); });
  apply();
}
