// The embed view: the same hash as the full app, drawn as a chart and one line of figures, with
// a link back. It reads state the same way (state.js) and computes the same runs (runs.js), so
// an embedded chart and the app opened from it agree.
import { createTimeline } from './timeline/index.js';
import { createEngine } from './engine.js';
import { parseHash, flattenConfig } from './state.js';
import { computeRuns, findStrategy } from './runs.js';
import { summaryLine } from './metrics.js';
import { h, fill } from './dom.js';

const $ = (id) => document.getElementById(id);

start();

async function start() {
  const { state, messages } = parseHash(location.hash);
  const theme = state.theme || (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
  document.documentElement.dataset.theme = theme;
  $('open-app').href = `./${location.hash}`;
  const showMessages = (extra = []) => {
    const items = [...messages.map((m) => `${m.param}: ${m.message}`), ...extra];
    $('messages').hidden = items.length === 0;
    fill($('messages'), items.length ? h('ul', {}, items.map((t) => h('li', {}, t))) : null);
  };

  const timeline = createTimeline($('chart'), { theme });
  const engine = createEngine();
  window.ppemuApp = { timeline, engine, state };
  const info = await engine.strategies();
  if (info.error) return showMessages([`The emulator could not start: ${info.error}`]);
  const defaults = flattenConfig(info.defaultConfig);
  delete defaults.microbatch_group_size_per_vp_stage;
  state.config = { ...defaults, ...state.config };
  state.compare = state.compare.filter((name) => {
    if (findStrategy(info.strategies, name)) return true;
    messages.push({ param: 'compare', message: `'${name}' is not a registered strategy` });
    return false;
  });

  const out = await computeRuns(engine, state, info.strategies);
  if (!out) return;
  const runs = out.mode === 'compare'
    ? out.entries.filter((e) => e.result.ok).map((e) => ({ label: e.label, result: e.result }))
    : out.result.ok ? [{ label: out.result.strategy, result: out.result }] : [];
  if (!runs.length) {
    const error = out.mode === 'compare' ? out.entries[0]?.result.error : out.result.error;
    return showMessages([error || 'nothing to show']);
  }
  timeline.setRuns(runs);
  if (state.view) timeline.setView(state.view);
  if (out.mode === 'compare') {
    const best = out.entries.find((e) => e.rank === 1);
    $('summary-line').textContent = best ? `fastest: ${best.label} — ${summaryLine(best.result)}` : '';
  } else {
    $('summary-line').textContent = `${out.result.strategy}: ${summaryLine(out.result)}`;
  }
  showMessages();
  // A host page that points the frame at another hash gets that view, drawn from scratch.
  window.addEventListener('hashchange', () => location.reload());
}
