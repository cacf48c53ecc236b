// The full app: wires the URL state, the settings form, the worker and the renderer together.
// Data flows one way: an edit changes `state`, the hash is rewritten from it, the worker
// computes, and the chart and figures show the reply. A bad value never blanks the page: the
// last good chart stays, marked as such, and the core's message sits next to the field.
import { createTimeline } from './timeline/index.js';
import { createEngine } from './engine.js';
import { parseHash, serializeHash, flattenConfig, setConfigValue } from './state.js';
import { resizeConfigStages } from './optimes.js';
import { createControls } from './controls.js';
import { createComparePicker, renderRanking } from './compare-view.js';
import { renderSummary, renderDevices, renderFormulas } from './metrics.js';
import { computeRuns, findStrategy, workerConfig } from './runs.js';
import { fieldForError } from './format.js';
import { PRESETS } from './presets.js';
import { download, copyText, embedSnippet, fileName } from './export.js';
import { createImport } from './import.js';
import { h, fill } from './dom.js';

const $ = (id) => document.getElementById(id);
// Wait this long after a keystroke before computing, so typing "128" runs once, not thrice.
const TYPING_DELAY_MS = 150;
// Show the progress line only for runs that take a noticeable time, so small edits do not flicker.
const PROGRESS_DELAY_MS = 120;

if (new URLSearchParams(location.search).get('embed') === '1') {
  location.replace(`embed.html${location.hash}`);
} else {
  start();
}

async function start() {
  const app = {
    state: null,
    defaults: {},
    strategies: [],
    urlMessages: [],
    coreError: '',
    otherError: '',
    lastGood: null, // what the chart shows: {mode, config, result | entries, label}
    imported: null, // {name, text}
    lastEdited: null, // config key of the user's latest edit: where an error it caused is shown
    invalid: {}, // key -> why the text in that field is not a value (it was not sent to the core)
    runGen: 0,
    runTimer: 0,
    viewToApply: null, // a zoom window from the link, applied once the chart has runs
    resetViewNext: false, // a new scenario (link, preset) starts unzoomed
    writtenHash: null,
  };
  // The link's theme applies before the worker has loaded, so a dark page never flashes light.
  app.state = parseHash(location.hash).state;
  document.documentElement.dataset.theme = currentTheme();
  const engine = createEngine({ onWorkerError: (error) => { app.otherError = error; showMessages(); } });
  const timeline = createTimeline($('chart'), {
    theme: currentTheme(),
    onViewChange(view) {
      app.state.view = { t0: view.t0, t1: view.t1 };
      scheduleHashWrite();
    },
  });

  // A handle for browser tests (rectOf) and for anyone poking at the page from the console.
  window.ppemuApp = { timeline, engine, get state() { return app.state; } };

  const info = await engine.strategies();
  if (info.error) {
    app.otherError = `The emulator could not start: ${info.error}`;
    showMessages();
    fill($('controls'), h('p', { class: 'warn' }, app.otherError));
    return;
  }
  app.strategies = info.strategies;
  app.defaults = flattenConfig(info.defaultConfig);
  // The core resolves the group size to num_devices; the page keeps it "auto" until set.
  delete app.defaults.microbatch_group_size_per_vp_stage;

  const controls = createControls($('controls'), {
    strategies: app.strategies,
    onChange: onControl,
    onInvalid(key, message) {
      if (message) app.invalid[key] = message;
      else delete app.invalid[key];
      showMessages();
    },
  });
  const picker = createComparePicker($('compare-picker'), {
    strategies: app.strategies,
    onChange({ compare, sameModel }) {
      app.state.compare = compare;
      app.state.sameModel = sameModel;
      userChanged();
      run();
    },
  });
  const importer = createImport({
    input: $('csv-file'), dropTarget: $('chart-wrap'), hint: $('drop-hint'),
    onFile(file) {
      app.imported = file;
      app.state.view = null;
      app.resetViewNext = true;
      run();
    },
    onError(message) {
      app.otherError = message;
      showMessages();
    },
  });
  $('import-clear').addEventListener('click', () => {
    app.imported = null;
    importer.reset();
    run();
  });

  fill($('presets'), PRESETS.map((p) => h('button', { type: 'button', title: p.title, onclick: () => applyPreset(p) }, p.label)));
  wireExports();
  wireTheme();
  window.addEventListener('hashchange', () => {
    if (location.hash !== app.writtenHash) loadHash();
  });
  loadHash();

  // ---- state in and out of the URL ----

  function loadHash() {
    const { state, messages } = parseHash(location.hash);
    state.config = { ...app.defaults, ...state.config };
    // Aliases (pipedream_flush) read as their registry name, as the CLI resolves them.
    const chosen = findStrategy(app.strategies, state.config.strategy);
    if (chosen) state.config.strategy = chosen.name;
    const known = [];
    for (const name of state.compare) {
      const meta = findStrategy(app.strategies, name);
      if (!meta) messages.push({ param: 'compare', message: `'${name}' is not a registered strategy` });
      else if (!known.includes(meta.name)) known.push(meta.name);
    }
    state.compare = known;
    app.state = state;
    app.urlMessages = messages;
    app.invalid = {};
    app.viewToApply = state.view;
    app.resetViewNext = !state.view;
    controls.setValues(state.config);
    picker.setValue(state);
    applyTheme();
    run();
  }

  function writeHash() {
    const hash = serializeHash(app.state);
    if (hash !== location.hash) history.replaceState(null, '', hash === '#' ? location.pathname + location.search : hash);
    app.writtenHash = location.hash;
  }

  let hashTimer = 0;
  function scheduleHashWrite() {
    clearTimeout(hashTimer);
    hashTimer = setTimeout(writeHash, 200);
  }

  // A link's problems are about the link; once the user edits, the rewritten hash no longer has
  // them. The zoom window stays: the renderer keeps a user's zoom across new runs.
  function userChanged() {
    app.urlMessages = [];
  }

  // ---- edits ----

  // Typing waits a moment for the next keystroke; a committed edit (a menu pick, leaving a field,
  // a table cell) runs at once, so picking a strategy redraws within a frame or two.
  function onControl(key, value, committed = false) {
    userChanged();
    app.lastEdited = key;
    if (key === 'num_stages' && Number.isSafeInteger(value) && value > 0) {
      app.state.config = resizeConfigStages(app.state.config, value);
    }
    setConfigValue(app.state.config, key, value);
    if (key === 'strategy' && app.imported) {
      app.imported = null;
      importer.reset();
    }
    controls.setValues(app.state.config);
    clearTimeout(app.runTimer);
    if (committed) run();
    else app.runTimer = setTimeout(run, TYPING_DELAY_MS);
  }

  function applyPreset(preset) {
    userChanged();
    app.imported = null;
    importer.reset();
    app.state.config = { ...app.defaults, ...preset.config };
    app.state.compare = [];
    app.state.sameModel = false;
    app.state.view = null;
    app.viewToApply = null;
    app.resetViewNext = true;
    controls.setValues(app.state.config);
    picker.setValue(app.state);
    run();
  }

  // ---- running ----

  async function run() {
    clearTimeout(app.runTimer);
    const gen = ++app.runGen;
    engine.cancel();
    writeHash();
    const progress = startProgress(gen);
    const isStale = () => gen !== app.runGen;
    let out;
    if (app.imported) {
      const result = await engine.simulateCsv(app.imported.text, csvConfig(app.state.config), 'auto', { onProgress: progress.phase });
      out = isStale() || result.cancelled ? null : { mode: 'csv', result };
    } else {
      out = await computeRuns(engine, app.state, app.strategies, { onProgress: progress.phase, isStale });
    }
    if (isStale() || !out) return;
    progress.done();
    show(out);
  }

  function csvConfig(config) {
    const out = {};
    for (const [k, v] of Object.entries(workerConfig(config))) {
      if (k.startsWith('op_times.') || k === 'p2p_latency') out[k] = v;
    }
    return out;
  }

  function startProgress(gen) {
    const el = $('progress');
    const timer = setTimeout(() => { if (gen === app.runGen) el.hidden = false; }, PROGRESS_DELAY_MS);
    $('progress-text').textContent = 'computing…';
    return {
      phase(phase) {
        if (gen !== app.runGen) return;
        $('progress-text').textContent = phase === 'transfer' ? 'drawing…' : 'computing…';
      },
      done() {
        clearTimeout(timer);
        el.hidden = true;
      },
    };
  }

  $('progress-stop').addEventListener('click', () => {
    app.runGen++;
    engine.cancel();
    $('progress').hidden = true;
    app.otherError = 'Stopped: the chart shows the last finished run. Change a setting to run again.';
    showMessages();
  });

  function show(out) {
    app.otherError = '';
    let error = '';
    if (out.mode === 'compare') {
      const ok = out.entries.filter((e) => e.result.ok);
      if (ok.length) {
        app.lastGood = { mode: 'compare', entries: out.entries, sameModel: app.state.sameModel };
      } else {
        error = out.entries[0]?.result.error || 'no strategy to compare';
      }
    } else if (out.result.ok) {
      const label = out.mode === 'csv' ? app.imported.name : out.result.strategy;
      app.lastGood = { mode: out.mode, result: out.result, label, config: out.mode === 'csv' ? null : { ...app.state.config } };
    } else {
      error = out.result.error;
    }
    app.coreError = error;
    controls.setErrors(error && out.mode !== 'csv' ? { [fieldForError(error, app.lastEdited)]: error } : {}, app.invalid);
    $('stale-note').hidden = !(error && app.lastGood);
    showImport();
    showMessages();
    if (error) {
      if (!app.lastGood) showEmpty(error);
      return;
    }
    draw();
  }

  function draw() {
    const good = app.lastGood;
    $('chart-empty').hidden = true;
    $('chart').hidden = false;
    const runs = good.mode === 'compare'
      ? good.entries.filter((e) => e.result.ok).map((e) => ({ label: e.label, result: e.result }))
      : [{ label: good.label, result: good.result }];
    sizeChart(runs);
    timeline.setRuns(runs);
    if (app.viewToApply) timeline.setView(app.viewToApply);
    else if (app.resetViewNext) timeline.resetView();
    app.viewToApply = null;
    app.resetViewNext = false;
    // A kept zoom is clamped to the new runs' extent; the link records what is shown.
    if (app.state.view) {
      app.state.view = timeline.getView();
      writeHash();
    }
    const compare = good.mode === 'compare';
    const csvOnly = good.mode === 'csv';
    // Tabs and bookmarks of shared links say which schedule they hold.
    document.title = `${compare ? `compare ${good.entries.map((e) => e.strategy).join(', ')}` : good.label} — ppemu`;
    $('single-metrics').hidden = compare;
    $('compare-metrics').hidden = !compare;
    const note = $('mode-note');
    note.hidden = !(compare || csvOnly);
    if (csvOnly) {
      note.textContent = `Showing the imported schedule ${good.label}: the file decides the order, stages and microbatches; `
        + 'only the op times and P2P latency on the left apply.';
    }
    if (compare) {
      note.textContent = `Comparing ${good.entries.map((e) => e.strategy).join(', ')} on one time axis with the settings on the left; `
        + 'the Strategy menu applies again once no strategy is ticked.';
      renderRanking($('ranking'), good.entries, { sameModel: good.sameModel });
    } else {
      renderSummary($('summary'), good.result);
      renderDevices($('devices'), good.result);
      renderFormulas($('formulas'), good.result, { imported: csvOnly });
    }
    // These re-run the settings' strategy in the worker; an imported file has no settings to re-run.
    for (const id of ['export-json', 'export-trace', 'export-csv']) $(id).disabled = csvOnly;
  }

  // One row per device per run, so stacked comparisons get room instead of squashed bars.
  function sizeChart(runs) {
    const rows = runs.reduce((n, r) => n + r.result.num_devices, 0);
    const perRow = rows > 40 ? 14 : 34;
    $('chart').style.height = `${Math.min(1600, 90 + runs.length * 24 + rows * perRow)}px`;
  }

  function showEmpty(error) {
    $('chart').hidden = true;
    const el = $('chart-empty');
    el.hidden = false;
    fill(el, h('p', {}, 'No chart yet: ', error));
    fill($('summary'));
    fill($('devices'));
    fill($('formulas'));
  }

  function showImport() {
    const el = $('import-status');
    el.hidden = !app.imported;
    $('import-name').textContent = app.imported ? `Showing ${app.imported.name} (files are not part of the link)` : '';
  }

  function showMessages() {
    const el = $('messages');
    const items = [
      ...app.urlMessages.map((m) => h('li', {}, h('code', {}, m.param), ' ', m.message)),
      ...Object.entries(app.invalid).map(([key, message]) => h('li', {}, h('code', {}, key), ' ', message, ' (not applied)')),
      app.coreError ? h('li', {}, app.coreError) : null,
      app.otherError ? h('li', {}, app.otherError) : null,
    ].filter(Boolean);
    el.hidden = items.length === 0;
    fill(el, items.length ? h('ul', {}, items) : null);
  }

  // ---- share, export, theme ----

  function wireExports() {
    // The text is shown selected first, so it can be copied by hand where the clipboard is refused.
    const share = async (label, text) => {
      $('share-line').hidden = false;
      $('share-label').textContent = label;
      $('share-out').value = text;
      $('share-out').select();
      $('share-status').textContent = '';
      const copied = await copyText(text);
      $('share-status').textContent = copied ? 'copied' : 'press Ctrl+C to copy';
    };
    $('copy-link').addEventListener('click', () => { writeHash(); share('Link', location.href); });
    $('copy-embed').addEventListener('click', () => { writeHash(); share('Embed code', embedSnippet(location.href)); });
    const needChart = (fn) => async () => {
      if (!app.lastGood) return fail('There is no chart to export yet.');
      try {
        await fn();
      } catch (e) {
        fail(`Export failed: ${e?.message || e}`);
      }
    };
    const name = (ext) => (app.lastGood?.config ? fileName(app.lastGood.config, ext) : `ppemu-${ext === 'svg' || ext === 'png' ? 'chart' : 'run'}.${ext}`);
    $('export-svg').addEventListener('click', needChart(() => download(timeline.toSVG(), name('svg'), 'image/svg+xml')));
    $('export-png').addEventListener('click', needChart(async () => download(await timeline.toPNG(), name('png'), 'image/png')));
    const formats = [
      ['export-json', 'json', 'json', 'application/json'],
      ['export-trace', 'trace', 'trace.json', 'application/json'],
      ['export-csv', 'csv', 'csv', 'text/csv'],
    ];
    for (const [id, format, ext, type] of formats) {
      $(id).addEventListener('click', async () => {
        const reply = await engine.exportRun(workerConfig(app.state.config), format);
        if (!reply.ok) return fail(`Export failed: ${reply.error}`);
        download(reply.text, fileName(app.state.config, ext), type);
      });
    }
  }

  function fail(message) {
    app.otherError = message;
    showMessages();
  }

  function wireTheme() {
    $('theme-toggle').addEventListener('click', () => {
      app.state.theme = currentTheme() === 'dark' ? 'light' : 'dark';
      applyTheme();
      writeHash();
    });
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', applyTheme);
  }

  function currentTheme() {
    return app.state?.theme || (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
  }

  function applyTheme() {
    const theme = currentTheme();
    document.documentElement.dataset.theme = theme;
    const button = $('theme-toggle');
    button.setAttribute('aria-pressed', String(theme === 'dark'));
    timeline.setTheme(theme);
  }
}
