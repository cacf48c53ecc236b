// The chart panel: a figure whose caption names what it shows (and says "not yet run" when the
// settings differ from it), zoom buttons for those without a wheel, the timeline, and a line of
// figures that is the chart's text alternative. It owns the renderer (services.chart, for the
// exports and tests) and keeps the link's `view` and the renderer's zoom in step.
import { h, fill } from '../dom.js';
import { createTimeline } from '../timeline/index.js';
import { currentTheme } from '../theme.js';
import { captionOf, figuresOf } from '../caption.js';
import { runKey } from '../runner.js';
import { labelOf } from '../controls.js';
import { isProjectionKey } from '../projection.js';

export const slot = 'main';

const ZOOM_STEP = 0.5;
const DEFAULT_TITLE = 'ppemu — pipeline-parallelism emulator';

export function mount(el, store, services) {
  const captionText = h('span', { class: 'caption-text' });
  const staleNote = h('span', { id: 'stale-note', class: 'stale-note', dataset: { testid: 'stale-note' }, hidden: true });
  const caption = h('p', { id: 'chart-caption', class: 'chart-caption', dataset: { testid: 'chart-caption' } }, captionText, staleNote);
  const zoom = (factor) => () => services.chart.zoomBy(factor);
  const buttons = h('div', { class: 'zoom-buttons', role: 'group', 'aria-label': 'zoom' },
    h('button', { type: 'button', class: 'small', 'aria-label': 'Zoom in', title: 'zoom in (W)', onclick: zoom(ZOOM_STEP) }, '+'),
    h('button', { type: 'button', class: 'small', 'aria-label': 'Zoom out', title: 'zoom out (S)', onclick: zoom(1 / ZOOM_STEP) }, '−'),
    h('button', { type: 'button', class: 'small', title: 'show the whole run (double-click)', onclick: () => services.chart.fit() }, 'Fit'));
  const modeNote = h('p', { id: 'mode-note', class: 'mode-note muted', dataset: { testid: 'mode-note' }, hidden: true });
  const chart = h('div', { id: 'chart', class: 'chart' });
  const empty = h('div', { id: 'chart-empty', class: 'chart-empty', hidden: true });
  const wrap = h('div', { id: 'chart-wrap', class: 'chart-wrap' }, chart, empty);
  const summaryText = h('span', {});
  const tableLink = h('a', { href: '#devices' }, 'per-device table');
  const summary = h('p', { id: 'chart-summary', class: 'chart-summary muted', hidden: true }, summaryText, ' — the numbers are in the ', tableLink, ' below.');
  // A figure named by its caption and described by its figures: what a screen reader says for the canvas.
  const figure = h('section', { id: 'chart-panel', class: 'chart-panel', role: 'figure', tabindex: '-1',
    'aria-labelledby': 'chart-caption', 'aria-describedby': 'chart-summary' },
  h('div', { class: 'chart-head' }, caption, buttons), modeNote, wrap, summary,
  h('p', { class: 'chart-help muted' }, 'Scroll or pinch to zoom, drag to pan, double-click or Fit to reset (or W/S/A/D with the chart focused); '
      + 'hover a bar for its op and dependency chain. The zoom is part of the link.'));
  fill(el, figure);

  const timeline = createTimeline(chart, {
    theme: currentTheme(store.state.theme),
    onViewChange(view, { full } = {}) {
      // The whole run is the default: a reset leaves no `view` in the link.
      store.update({ view: full ? null : { t0: view.t0, t1: view.t1 } }, { source: 'chart', history: 'later' });
    },
  });
  services.chart = timeline;
  let appliedScenario = -1;

  // One row per device per run, so stacked comparisons get room instead of squashed bars.
  function sizeChart(runs) {
    const rows = runs.reduce((n, r) => n + r.result.num_devices, 0);
    const perRow = rows > 40 ? 14 : 34;
    chart.style.height = `${Math.min(1600, 90 + runs.length * 24 + rows * perRow)}px`;
  }

  function draw() {
    const { shown } = store.state;
    empty.hidden = true;
    chart.hidden = false;
    const runs = shown.runs ?? (shown.mode === 'compare'
      ? shown.entries.filter((e) => e.result.ok).map((e) => ({ label: e.label, result: e.result }))
      : [{ label: shown.label, result: shown.result }]);
    sizeChart(runs);
    timeline.setRuns(runs);
    // A new scenario (a link, an example, a file) opens at the link's zoom, or unzoomed.
    if (store.state.scenario !== appliedScenario) {
      appliedScenario = store.state.scenario;
      if (store.state.view) timeline.setView(store.state.view);
      else timeline.resetView();
    }
    // A kept zoom is clamped to the new runs' extent; the link records what is shown.
    if (store.state.view) store.update({ view: timeline.getView() }, { source: 'chart', history: 'replace' });
    const compare = shown.mode === 'compare';
    const csvOnly = shown.mode === 'csv';
    modeNote.hidden = !(compare || csvOnly || shown.note);
    if (csvOnly) {
      modeNote.textContent = `Showing the imported schedule ${shown.label}: the file decides the order, stages and microbatches; `
        + 'only the op times, P2P latency and P2P mode under Settings apply.';
    }
    if (compare) {
      modeNote.textContent = 'The compared runs share one time axis and the settings; '
        + 'the Strategy menu applies again once no strategy is ticked.';
    }
    // A measured trace (trace-runs.js) says itself what it shows.
    if (shown.note) modeNote.textContent = shown.note;
    summaryText.textContent = `In numbers: ${figuresOf(shown)}`;
    tableLink.textContent = compare ? 'ranking' : 'per-device table';
    tableLink.setAttribute('href', compare ? '#ranking' : '#devices');
    summary.hidden = false;
    // Tabs and bookmarks of shared links say which schedule they hold.
    document.title = shown.trace ? `measured ${shown.trace.name} — ppemu` : `${compare ? `compare ${shown.entries.map((e) => e.strategy).join(', ')}` : shown.label} — ppemu`;
  }

  function where(field) {
    return field ? `see ${labelOf(field)[0]} under ${isProjectionKey(field) ? 'Model and hardware' : 'Settings'}` : 'see the message above';
  }

  // The caption names what the chart shows; when the settings are not what ran, it says so.
  function showCaption() {
    const { shown, error, running } = store.state;
    captionText.textContent = shown ? captionOf(shown, store.state.schema?.defaults) : 'No chart yet';
    buttons.hidden = !shown;
    let stale = '';
    if (shown && error) stale = ` — not yet run: the current settings have a problem (${where(error.field)}).`;
    else if (shown && !running && store.state.schema && runKey(store.state) !== shown.key) stale = ' — not yet run: the settings have changed since.';
    staleNote.textContent = stale;
    staleNote.hidden = !stale;
  }

  function showEmpty() {
    const { shown, error } = store.state;
    if (shown || !error) return;
    chart.hidden = true;
    empty.hidden = false;
    summary.hidden = true;
    modeNote.hidden = true;
    document.title = DEFAULT_TITLE;
    fill(empty, h('p', {}, `No chart yet: the settings have a problem (${where(error.field)}).`));
  }

  store.subscribe((changed, meta) => {
    const { shown } = store.state;
    if (changed.has('theme')) timeline.setTheme(currentTheme(store.state.theme));
    if (changed.has('shown') && shown) draw();
    if (changed.has('shown') || changed.has('error')) showEmpty();
    if (['shown', 'error', 'running', 'config', 'compare', 'sameModel', 'imported'].some((k) => changed.has(k))) showCaption();
    if (changed.has('view') && meta.source !== 'chart' && shown && store.state.scenario === appliedScenario) {
      if (store.state.view) timeline.setView(store.state.view);
      else timeline.resetView();
    }
  });
}
