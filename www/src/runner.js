// Runs what the state asks for in the worker and writes the answer back to the store: `shown`
// (what the chart and figures show) on success, `error` (with the field it is about) on failure.
// A bad value never blanks the page: the last good chart stays, marked as such, except after a
// link was read (a pasted link, Back), which starts afresh like opening the page. One run at a
// time: a newer setting cancels the one in flight; Stop puts the settings back to what ran.
import { computeRuns, workerConfig } from './runs.js';
import { fieldForError, inPageWords } from './format.js';
import { familyOf } from './keys.js';
import { sameModelOf, serializeHash } from './state.js';
import { checkSettings } from './validate.js';
import { computeTrace, traceKey } from './trace-runs.js';

// Wait this long after a keystroke before computing, so typing "128" runs once, not thrice.
const TYPING_DELAY_MS = 150;
/** State fields whose change means a new run. */
const RUN_INPUTS = ['config', 'compare', 'sameModel', 'imported', 'trace', 'schema'];

/** An imported schedule decides counts and order; only the config's timing keys (and p2p_mode, for a comms CSV's sends) apply to it. */
export function csvTimingConfig(config) {
  const out = {};
  for (const [k, v] of Object.entries(workerConfig(config))) {
    if (familyOf(k) === 'op_times' || k === 'p2p_latency' || k === 'p2p_mode') out[k] = v;
  }
  return out;
}

/**
 * What a run computes from, as one string: equal keys, equal runs. The chart compares it with
 * the settings' to say "not yet run".
 */
export function runKey(state) {
  // Measured traces are timed by their files and fitted times: the settings do not change them.
  if (state.trace) return traceKey(state.trace);
  const hash = serializeHash({ config: state.config, compare: state.compare, sameModel: sameModelOf(state) ? null : false }, state.schema);
  return state.imported ? `${hash}|file:${state.imported.name}|${state.imported.text.length}` : hash;
}

export function createRunner(store, engine) {
  let gen = 0;
  let timer = 0;
  const traceCache = {}; // the last importTrace answer: switching a trace's view does not import again

  store.subscribe((changed, meta) => {
    if (meta.run === false || !RUN_INPUTS.some((k) => changed.has(k))) return;
    clearTimeout(timer);
    if (meta.commit === false) {
      store.update({ running: { phase: 'waiting' } });
      timer = setTimeout(run, TYPING_DELAY_MS);
    } else {
      run();
    }
  });

  async function run() {
    clearTimeout(timer);
    const s = store.state;
    if (!s.schema) return;
    const mine = ++gen;
    engine.cancel();
    const isStale = () => mine !== gen;
    const key = runKey(s);
    // A settings edit while a trace is shown changes nothing the trace shows.
    if (s.trace && s.shown?.key === key && !s.error && !s.running) return;
    const problem = s.imported || s.trace ? null : checkSettings(s);
    if (problem) return fail(problem.message, problem.field, key);
    const onProgress = (phase) => {
      if (!isStale()) store.update({ running: { phase } });
    };
    store.update({ running: { phase: 'compute' } });
    let out;
    if (s.trace) {
      const trace = s.trace;
      const answer = await computeTrace(engine, trace, s.strategies, { cache: traceCache, onProgress, isStale });
      if (isStale() || !answer) return;
      if (answer.error) return fail(inPageWords(answer.error), null, key);
      out = { mode: 'trace', shown: answer.shown };
    } else if (s.imported) {
      const imported = s.imported;
      const result = await engine.simulateCsv(imported.text, csvTimingConfig(s.config), 'auto', { onProgress });
      out = isStale() || result.cancelled ? null : { mode: 'csv', result, imported };
    } else {
      out = await computeRuns(engine, s, s.strategies, { onProgress, isStale });
    }
    if (isStale() || !out) return;
    show(out, key);
  }

  function fail(message, field, key) {
    const s = store.state;
    // After a link was read, its error is all there is to show: nothing of the page before it.
    const keep = s.shown && s.shown.linkLoad === s.linkLoad ? s.shown : null;
    store.update({ shown: keep, error: { message, field, key }, running: null, notice: '' }, { source: 'runner' });
  }

  function show(out, key) {
    const s = store.state;
    const snapshot = { config: { ...s.config }, compare: [...s.compare], sameModel: s.sameModel, trace: s.trace };
    const base = { state: snapshot, key, linkLoad: s.linkLoad };
    if (out.mode === 'trace') return publish({ ...base, ...out.shown, imported: null });
    if (out.mode === 'compare') {
      for (const e of out.entries) if (!e.result.ok) e.result.error = inPageWords(e.result.error);
      if (!out.entries.some((e) => e.result.ok)) {
        const message = out.entries[0]?.result.error || 'no strategy to compare';
        return fail(message, fieldForError(message, s.lastEdited, s.schema.keys), key);
      }
      return publish({ ...base, mode: 'compare', entries: out.entries, sameModel: sameModelOf(s) });
    }
    if (!out.result.ok) {
      const message = inPageWords(out.result.error);
      // A file's errors are about the file (row and column), not about a field.
      if (out.mode === 'csv') return fail(`${out.imported.name}: ${message}`, null, key);
      return fail(message, fieldForError(message, s.lastEdited, s.schema.keys), key);
    }
    const csv = out.mode === 'csv';
    publish({
      ...base, mode: out.mode, result: out.result, label: csv ? out.imported.name : out.result.strategy,
      config: csv ? null : { ...s.config }, imported: csv ? out.imported : null,
    });
  }

  function publish(shown) {
    store.update({ shown, error: null, running: null, notice: '' }, { source: 'runner' });
  }

  return {
    run,
    /**
     * Drops the run in flight; the chart keeps the last finished one, and the settings (and so
     * the link) go back to the ones it ran, so nothing that never ran stays in the link.
     */
    stop() {
      gen++;
      clearTimeout(timer);
      engine.cancel();
      const ran = store.state.shown;
      const back = ran
        ? { config: { ...ran.state.config }, compare: [...ran.state.compare], sameModel: ran.state.sameModel, imported: ran.imported ?? null, trace: ran.state.trace ?? null, error: null }
        : {};
      store.update({ ...back, running: null, notice: 'Stopped: the settings are back to the last finished run, shown below.' },
        { run: false, history: 'replace', source: 'stop' });
    },
  };
}
