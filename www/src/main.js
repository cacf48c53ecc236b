// The full app: the store (state and link), the runner (the worker), and the list of panels.
// Each panel is one module with `slot` (where it sits) and `mount(el, store, services)`: it
// renders from the store and writes back only through it. Adding a panel is one file and one
// line below.
import { createStore } from './store.js';
import { createRunner } from './runner.js';
import { createEngine } from './engine.js';
import { createSchema } from './keys.js';
import { parseHash } from './state.js';
import { currentTheme } from './theme.js';
import * as share from './panels/share.js';
import * as exportsPanel from './panels/exports.js';
import * as theme from './panels/theme.js';
import * as sidebarToggle from './panels/sidebar-toggle.js';
import * as presets from './panels/presets.js';
import * as settings from './panels/settings.js';
import * as model from './panels/model.js';
import * as compare from './panels/compare.js';
import * as importer from './panels/import.js';
import * as configFile from './panels/config-file.js';
import * as messages from './panels/messages.js';
import * as progress from './panels/progress.js';
import * as chart from './panels/chart.js';
import * as memory from './panels/memory.js';
import * as projectionCard from './panels/projection-card.js';
import * as figures from './panels/figures.js';
import * as ranking from './panels/ranking.js';
import * as traces from './panels/traces.js';
import * as comms from './panels/comms.js';
import * as search from './panels/search.js';

/** In page order within each slot. */
const PANELS = [
  share, exportsPanel, theme,
  sidebarToggle, presets, model, settings, compare, importer, configFile,
  messages, progress, chart, memory, projectionCard, figures, ranking,
  comms, traces,
  search,
];

if (new URLSearchParams(location.search).get('embed') === '1') {
  location.replace(`embed.html${location.hash}`);
} else {
  start();
}

async function start() {
  // The link's theme applies before the worker has loaded, so a dark page never flashes light.
  document.documentElement.dataset.theme = currentTheme(parseHash(location.hash).state.theme);
  const store = createStore({ win: window });
  store.update({ theme: parseHash(location.hash).state.theme }, { history: 'none' });
  const engine = createEngine({ onWorkerError: (error) => store.update({ notice: error }) });
  const services = {
    engine,
    runner: createRunner(store, engine),
    claimedFamilies: PANELS.flatMap((p) => p.claims ?? []),
    slot: (name) => document.querySelector(`[data-slot="${name}"]`),
  };
  const mounted = new Map();
  for (const panel of PANELS) {
    const el = document.createElement('div');
    el.className = 'panel';
    services.slot(panel.slot).append(el);
    mounted.set(panel, panel.mount(el, store, services));
  }

  followInPageLinks();

  // A handle for browser tests (rectOf) and for anyone poking at the page from the console.
  window.ppemuApp = { timeline: services.chart, engine, store, get state() { return store.state; } };

  const info = await engine.strategies();
  if (info.error) {
    const message = `The emulator could not start: ${info.error}`;
    store.update({ notice: message });
    mounted.get(settings)?.fail(message);
    return;
  }
  store.update({
    strategies: info.strategies,
    schema: createSchema(info.configKeys, info.defaultConfig, info.configGroups),
    limits: info.limits ?? null,
  }, { history: 'none', run: false });
  store.listen();
  store.loadHash(location.hash);
}

// The hash is the page's state, so links within the page (the skip link, "per-device table")
// move the focus to their target instead of navigating to a hash that would read as settings.
function followInPageLinks() {
  document.addEventListener('click', (event) => {
    const a = event.target.closest?.('a[href^="#"]');
    const target = a && document.getElementById(decodeURIComponent(a.getAttribute('href').slice(1)));
    if (!target) return;
    event.preventDefault();
    if (!target.hasAttribute('tabindex')) target.tabIndex = -1;
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: 'start' });
  });
}
