// The embed view: the same hash as the full app, drawn as a chart and one line of figures, with
// a link back. It reads state through the same store and computes through the same runner, so
// an embedded chart and the app opened from it agree.
import { createStore } from './store.js';
import { createRunner } from './runner.js';
import { createEngine } from './engine.js';
import { createSchema } from './keys.js';
import { parseHash } from './state.js';
import { currentTheme } from './theme.js';
import { createTimeline } from './timeline/index.js';
import { summaryLine } from './metrics.js';
import { peakShare } from './compare.js';
import { runLabel } from './runs.js';
import { h, fill } from './dom.js';
import { embedHeightPx, EMBED_HEIGHT_MESSAGE } from './export.js';

const $ = (id) => document.getElementById(id);

start();

async function start() {
  const theme = currentTheme(parseHash(location.hash).state.theme);
  document.documentElement.dataset.theme = theme;
  $('open-app').href = `./${location.hash}`;
  // An embed never writes the host's frame URL: its link is whatever the snippet says.
  const store = createStore({ win: { location, history: null, addEventListener: () => {} } });
  const engine = createEngine();
  const timeline = createTimeline($('chart'), { theme });
  window.ppemuApp = { timeline, engine, store, get state() { return store.state; } };

  // The host page may size the frame to what the embed needs (the snippet's two-line script):
  // the messages, every row of the chart at its preferred size, the footer.
  const postHeight = () => {
    if (window.parent === window) return;
    const box = $('messages');
    const style = getComputedStyle(box);
    const messagesPx = box.hidden ? 0 : box.getBoundingClientRect().height + parseFloat(style.marginTop) + parseFloat(style.marginBottom);
    const chartPx = store.state.shown ? timeline.naturalHeightPx() : 0;
    window.parent.postMessage({ type: EMBED_HEIGHT_MESSAGE, height: Math.ceil(messagesPx) + embedHeightPx(chartPx) }, '*');
  };
  const showMessages = (extra = []) => {
    const items = [...store.state.linkMessages.map((m) => `${m.param}: ${m.message}`), ...extra];
    $('messages').hidden = items.length === 0;
    fill($('messages'), items.length ? h('ul', {}, items.map((t) => h('li', {}, t))) : null);
    postHeight();
  };

  const info = await engine.strategies();
  if (info.error) return showMessages([`The emulator could not start: ${info.error}`]);
  store.update({ strategies: info.strategies, schema: createSchema(info.configKeys, info.defaultConfig, info.configGroups) }, { run: false });

  store.subscribe((changed) => {
    if (!changed.has('shown') && !changed.has('error')) return;
    const { shown, error } = store.state;
    if (!shown) return showMessages(error ? [error.message || 'nothing to show'] : []);
    const runs = shown.mode === 'compare'
      ? shown.entries.filter((e) => e.result.ok).map((e) => ({ label: e.label, result: e.result }))
      : [{ label: shown.result.strategy, result: shown.result }];
    timeline.setRuns(runs);
    if (store.state.view) timeline.setView(store.state.view);
    if (shown.mode === 'compare') {
      const best = shown.entries.find((e) => e.rank === 1);
      $('summary-line').textContent = best ? `fastest: ${runLabel(best.strategy, best.numStages, best.factor)} — ${summaryLine(best.result, { peak: peakShare(best) })}` : '';
    } else {
      $('summary-line').textContent = `${shown.result.strategy}: ${summaryLine(shown.result)}`;
    }
    showMessages();
  });
  createRunner(store, engine);
  store.loadHash(location.hash);
  // A host page that points the frame at another hash gets that view, drawn from scratch.
  window.addEventListener('hashchange', () => location.reload());
}
