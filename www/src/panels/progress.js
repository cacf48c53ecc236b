// The progress line: shown only for runs that take a noticeable time, with a Stop button.
import { h, fill } from '../dom.js';

export const slot = 'main';

// Show the progress line only for runs that take a noticeable time, so small edits do not flicker.
const PROGRESS_DELAY_MS = 120;

export function mount(el, store, services) {
  const text = h('span', { id: 'progress-text' }, 'computing…');
  const stop = h('button', { type: 'button', id: 'progress-stop', class: 'small' }, 'stop');
  const line = h('div', { id: 'progress', class: 'progress', dataset: { testid: 'progress' }, role: 'status', hidden: true },
    h('span', { class: 'spinner', 'aria-hidden': 'true' }), ' ', text, ' ', stop);
  fill(el, line);
  stop.addEventListener('click', () => services.runner.stop());
  let timer = 0;
  let wasRunning = false;
  store.subscribe((changed) => {
    if (!changed.has('running')) return;
    const { running } = store.state;
    if (running && !wasRunning) {
      clearTimeout(timer);
      timer = setTimeout(() => { if (store.state.running) line.hidden = false; }, PROGRESS_DELAY_MS);
    }
    if (!running) {
      clearTimeout(timer);
      line.hidden = true;
    }
    wasRunning = Boolean(running);
    text.textContent = running?.phase === 'transfer' ? 'drawing…' : 'computing…';
  });
}
