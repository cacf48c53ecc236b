// The chart panel: the timeline of what the runner shows, the note on what mode it is in, and
// "no chart yet" before the first good run. It owns the renderer (services.chart for exports and
// tests) and keeps the link's `view` and the renderer's zoom in step.
import { h, fill } from '../dom.js';
import { createTimeline } from '../timeline/index.js';
import { currentTheme } from '../theme.js';

export const slot = 'main';

export function mount(el, store, services) {
  const modeNote = h('p', { id: 'mode-note', class: 'mode-note muted', dataset: { testid: 'mode-note' }, hidden: true });
  const staleNote = h('div', { id: 'stale-note', class: 'stale-note', dataset: { testid: 'stale-note' }, hidden: true },
    'The chart and figures below are from the last valid settings.');
  const chart = h('div', { id: 'chart', class: 'chart' });
  const empty = h('div', { id: 'chart-empty', class: 'chart-empty', hidden: true });
  const wrap = h('div', { id: 'chart-wrap', class: 'chart-wrap' }, chart, empty);
  fill(el, modeNote, staleNote, wrap,
    h('p', { class: 'chart-help muted' }, 'Scroll or pinch to zoom, drag to pan, double-click to reset (or W/S/A/D with the chart focused); '
      + 'hover a bar for its op and dependency chain. The zoom is part of the link.'));

  const timeline = createTimeline(chart, {
    theme: currentTheme(store.state.theme),
    onViewChange(view) {
      store.update({ view: { t0: view.t0, t1: view.t1 } }, { source: 'chart', history: 'later' });
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
    const runs = shown.mode === 'compare'
      ? shown.entries.filter((e) => e.result.ok).map((e) => ({ label: e.label, result: e.result }))
      : [{ label: shown.label, result: shown.result }];
    sizeChart(runs);
    timeline.setRuns(runs);
    // A new scenario (a link, an example, a file) opens at the link's zoom, or unzoomed.
    if (store.state.scenario !== appliedScenario) {
      appliedScenario = store.state.scenario;
      if (store.state.view) timeline.setView(store.state.view);
      else timeline.resetView();
    }
    // A kept zoom is clamped to the new runs' extent; the link records what is shown.
    if (store.state.view) store.update({ view: timeline.getView() }, { source: 'chart' });
    const compare = shown.mode === 'compare';
    const csvOnly = shown.mode === 'csv';
    modeNote.hidden = !(compare || csvOnly);
    if (csvOnly) {
      modeNote.textContent = `Showing the imported schedule ${shown.label}: the file decides the order, stages and microbatches; `
        + 'only the op times and P2P latency on the left apply.';
    }
    if (compare) {
      modeNote.textContent = `Comparing ${shown.entries.map((e) => e.strategy).join(', ')} on one time axis with the settings on the left; `
        + 'the Strategy menu applies again once no strategy is ticked.';
    }
    // Tabs and bookmarks of shared links say which schedule they hold.
    document.title = `${compare ? `compare ${shown.entries.map((e) => e.strategy).join(', ')}` : shown.label} — ppemu`;
  }

  store.subscribe((changed, meta) => {
    const { shown, error } = store.state;
    if (changed.has('theme')) timeline.setTheme(currentTheme(store.state.theme));
    if (changed.has('shown') && shown) draw();
    if (changed.has('error') || changed.has('shown')) {
      staleNote.hidden = !(error && shown);
      if (error && !shown) {
        chart.hidden = true;
        empty.hidden = false;
        fill(empty, h('p', {}, 'No chart yet: ', error.message));
      }
    }
    if (changed.has('view') && meta.source !== 'chart' && shown && store.state.view && store.state.scenario === appliedScenario) {
      timeline.setView(store.state.view);
    }
  });
}
