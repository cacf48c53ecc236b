// Runs what the state asks for in the worker and writes the answer back to the store: `shown`
// (what the chart and figures show) on success, `error` (with the field it is about) on failure.
// A bad value never blanks the page: the last good chart stays, marked as such. One run at a
// time: a newer setting cancels the one in flight.
import { computeRuns, workerConfig } from './runs.js';
import { fieldForError } from './format.js';
import { familyOf } from './keys.js';

// Wait this long after a keystroke before computing, so typing "128" runs once, not thrice.
const TYPING_DELAY_MS = 150;
/** State fields whose change means a new run. */
const RUN_INPUTS = ['config', 'compare', 'sameModel', 'imported', 'schema'];

export function createRunner(store, engine) {
  let gen = 0;
  let timer = 0;

  store.subscribe((changed, meta) => {
    if (meta.run === false || !RUN_INPUTS.some((k) => changed.has(k))) return;
    clearTimeout(timer);
    if (meta.commit === false) timer = setTimeout(run, TYPING_DELAY_MS);
    else run();
  });

  // An imported schedule decides counts and order; only its timing keys apply.
  function csvConfig(config) {
    const out = {};
    for (const [k, v] of Object.entries(workerConfig(config))) {
      if (familyOf(k) === 'op_times' || k === 'p2p_latency') out[k] = v;
    }
    return out;
  }

  async function run() {
    clearTimeout(timer);
    const s = store.state;
    if (!s.schema) return;
    const mine = ++gen;
    engine.cancel();
    const isStale = () => mine !== gen;
    const onProgress = (phase) => {
      if (!isStale()) store.update({ running: { phase } });
    };
    store.update({ running: { phase: 'compute' } });
    let out;
    if (s.imported) {
      const imported = s.imported;
      const result = await engine.simulateCsv(imported.text, csvConfig(s.config), 'auto', { onProgress });
      out = isStale() || result.cancelled ? null : { mode: 'csv', result, imported };
    } else {
      out = await computeRuns(engine, s, s.strategies, { onProgress, isStale });
    }
    if (isStale() || !out) return;
    show(out);
  }

  function show(out) {
    const s = store.state;
    const snapshot = { config: { ...s.config }, compare: [...s.compare], sameModel: s.sameModel };
    let shown = s.shown;
    let error = null;
    if (out.mode === 'compare') {
      if (out.entries.some((e) => e.result.ok)) {
        shown = { mode: 'compare', entries: out.entries, sameModel: s.sameModel, state: snapshot };
      } else {
        error = out.entries[0]?.result.error || 'no strategy to compare';
      }
    } else if (out.result.ok) {
      const csv = out.mode === 'csv';
      shown = {
        mode: out.mode, result: out.result, label: csv ? out.imported.name : out.result.strategy,
        config: csv ? null : { ...s.config }, imported: csv ? out.imported : null, state: snapshot,
      };
    } else {
      error = out.result.error;
    }
    const field = error && out.mode !== 'csv' ? fieldForError(error, s.lastEdited, s.schema.keys) : null;
    store.update({
      shown,
      error: error ? { message: error, field } : null,
      running: null,
      notice: '',
    }, { source: 'runner' });
  }

  return {
    run,
    /** Drops the run in flight; the chart keeps the last finished one. */
    stop() {
      gen++;
      clearTimeout(timer);
      engine.cancel();
      store.update({ running: null, notice: 'Stopped: the chart shows the last finished run. Change a setting to run again.' },
        { run: false });
    },
  };
}
