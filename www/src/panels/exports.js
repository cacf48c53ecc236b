// Exports: the chart as SVG or PNG, the run as the CLI's JSON, a Chrome trace or a PyTorch
// schedule CSV (computed again in the worker, byte for byte what the CLI writes).
import { h, fill } from '../dom.js';
import { download, fileName } from '../export.js';
import { workerConfig } from '../runs.js';

export const slot = 'toolbar';

const FORMATS = [
  ['export-json', 'JSON', 'json', 'json', 'application/json', 'the run in the CLI\'s --format json schema (the strategy chosen under Settings)'],
  ['export-trace', 'Trace', 'trace', 'trace.json', 'application/json', 'Chrome trace for Perfetto UI or chrome://tracing (the strategy chosen under Settings)'],
  ['export-csv', 'CSV', 'csv', 'csv', 'text/csv', 'the op order as a PyTorch pipelining schedule CSV (the strategy chosen under Settings)'],
];

export function mount(el, store, services) {
  const fail = (message) => store.update({ notice: message });
  const needChart = (fn) => async () => {
    if (!store.state.shown) return fail('There is no chart to export yet.');
    try {
      await fn();
    } catch (e) {
      fail(`Export failed: ${e?.message || e}`);
    }
  };
  const name = (ext) => {
    const config = store.state.shown?.config;
    return config ? fileName(config, ext) : `ppemu-${ext === 'svg' || ext === 'png' ? 'chart' : 'run'}.${ext}`;
  };
  const svg = h('button', { type: 'button', id: 'export-svg', title: 'the chart as SVG' }, 'SVG');
  const png = h('button', { type: 'button', id: 'export-png', title: 'the chart as PNG' }, 'PNG');
  svg.addEventListener('click', needChart(() => download(services.chart.toSVG(), name('svg'), 'image/svg+xml')));
  png.addEventListener('click', needChart(async () => download(await services.chart.toPNG(), name('png'), 'image/png')));
  const runButtons = FORMATS.map(([id, text, format, ext, type, title]) => {
    const button = h('button', { type: 'button', id, title }, text);
    button.addEventListener('click', async () => {
      const reply = await services.engine.exportRun(workerConfig(store.state.config), format);
      if (!reply.ok) return fail(`Export failed: ${reply.error}`);
      download(reply.text, fileName(store.state.config, ext), type);
    });
    return button;
  });
  fill(el, svg, png, runButtons, h('span', { class: 'sep', 'aria-hidden': 'true' }));

  store.subscribe((changed) => {
    if (!changed.has('shown') || !store.state.shown) return;
    // These re-run the settings' strategy in the worker; an imported file has no settings to re-run.
    for (const b of runButtons) b.disabled = store.state.shown.mode === 'csv';
  });
}
