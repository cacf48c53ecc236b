// Exports follow what is on screen: the chart as SVG or PNG with a title line naming the run, and
// the shown run(s) as the CLI's JSON, a Chrome trace or a PyTorch schedule CSV, computed again
// in the worker (byte for byte what the CLI writes). Compare mode exports every compared run
// (one JSON or CSV file each, one trace with a process per run); an imported schedule exports
// its own emulation.
import { h, fill } from '../dom.js';
import { download, fileName, mergeTraces } from '../export.js';
import { workerConfig } from '../runs.js';
import { titleOf } from '../caption.js';
import { csvTimingConfig } from '../runner.js';

export const slot = 'toolbar';

const FORMATS = [
  ['export-json', 'JSON', 'json', 'json', 'application/json', 'the run in the CLI\'s --format json schema (in compare mode, one file per run)'],
  ['export-trace', 'Trace', 'trace', 'trace.json', 'application/json', 'Chrome trace for Perfetto UI or chrome://tracing (in compare mode, a process per run)'],
  ['export-csv', 'CSV', 'csv', 'csv', 'text/csv', 'the op order as a PyTorch pipelining schedule CSV (in compare mode, one file per run)'],
];
// Browsers drop a burst of downloads started in the same moment; a short gap lets each through.
const DOWNLOAD_GAP_MS = 250;

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const baseName = (name) => String(name).replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9_.-]/g, '_') || 'schedule';

/** What to export for what is shown: [{config, csv?, file(ext), label}]. */
function runsOf(shown) {
  if (shown.trace) throw new Error('a measured trace and its what-ifs export from the CLI: build/ppemu --trace DIR --format json (or trace, csv); SVG and PNG save this chart');
  if (shown.mode === 'compare') {
    return shown.entries.filter((e) => e.result.ok).map((e) => ({ config: e.config, label: e.label, file: (ext) => fileName(e.config, ext) }));
  }
  if (shown.mode === 'csv') {
    return [{ config: csvTimingConfig(shown.state.config), csv: shown.imported.text, label: shown.label,
      file: (ext) => `ppemu-${baseName(shown.label)}.${ext}` }];
  }
  return [{ config: shown.config, label: shown.label, file: (ext) => fileName(shown.config, ext) }];
}

function compareFileName(shown, ext) {
  const r = shown.entries.find((e) => e.result.ok)?.result;
  const base = `ppemu-compare-${shown.entries.filter((e) => e.result.ok).map((e) => e.strategy).join('-')}-p${r?.num_devices}-m${r?.num_microbatches}`;
  return `${base.replace(/[^A-Za-z0-9_.-]/g, '_')}.${ext}`;
}

export function mount(el, store, services) {
  const fail = (message) => store.update({ notice: message });
  const guarded = (fn) => async () => {
    if (!store.state.shown) return fail('There is no chart to export yet.');
    try {
      await fn(store.state.shown);
    } catch (e) {
      fail(`Export failed: ${e?.message || e}`);
    }
  };
  const chartName = (shown, ext) => {
    if (shown.trace) return `ppemu-measured-${baseName(shown.trace.name)}-${shown.trace.view}.${ext}`;
    return shown.mode === 'compare' ? compareFileName(shown, ext) : runsOf(shown)[0].file(ext);
  };
  const title = (shown) => titleOf(shown, store.state.schema?.defaults);
  const svg = h('button', { type: 'button', id: 'export-svg', title: 'the chart as SVG, with a title line naming the run' }, 'SVG');
  const png = h('button', { type: 'button', id: 'export-png', title: 'the chart as PNG, with a title line naming the run' }, 'PNG');
  svg.addEventListener('click', guarded((shown) => download(services.chart.toSVG({ title: title(shown) }), chartName(shown, 'svg'), 'image/svg+xml')));
  png.addEventListener('click', guarded(async (shown) => download(await services.chart.toPNG(undefined, { title: title(shown) }), chartName(shown, 'png'), 'image/png')));

  async function exportOne(run, format) {
    const reply = await services.engine.exportRun(workerConfig(run.config), format, run.csv === undefined ? {} : { csv: run.csv });
    if (!reply.ok) throw new Error(`${run.label}: ${reply.error}`);
    return reply.text;
  }

  const runButtons = FORMATS.map(([id, text, format, ext, type, tip]) => {
    const button = h('button', { type: 'button', id, title: tip }, text);
    button.addEventListener('click', guarded(async (shown) => {
      const runs = runsOf(shown);
      if (format === 'trace' && shown.mode === 'compare') {
        const traces = [];
        for (const run of runs) traces.push(await exportOne(run, format));
        download(mergeTraces(traces, runs.map((r) => r.label)), compareFileName(shown, ext), type);
        return;
      }
      for (const [i, run] of runs.entries()) {
        if (i > 0) await pause(DOWNLOAD_GAP_MS);
        download(await exportOne(run, format), run.file(ext), type);
      }
    }));
    return button;
  });
  fill(el, svg, png, runButtons, h('span', { class: 'sep', 'aria-hidden': 'true' }));
}
