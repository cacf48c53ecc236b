// What the page shows for imported measured traces (issue 12), kept pure (tests/www/trace-runs.test.mjs):
// the state's `trace` (files, options, which view, the what-if picks) becomes the `shown` the
// chart, figures and ranking draw. The import itself is the core's (engine.importTrace); the
// what-ifs are engine.whatIf on its fitted times, ranked with the compare mode's ranking.
import { stageCandidates, rankRuns } from './compare.js';
import { findStrategy, runLabel } from './runs.js';
import { fmt } from './format.js';

/** The three things a trace can show. */
export const TRACE_VIEWS = ['measured', 'replay', 'whatif'];
export const MEASURED_LABEL = 'measured (ms)';
export const REPLAY_LABEL = 'replay: the measured order on the fitted times (ms)';
const KINDS = ['forward', 'backward', 'backward_D', 'backward_W', 'overlapped_forward_backward'];

/** A new trace in the state: the files and how to read them, shown measured first. */
export function newTrace(files, { format = 'auto', offsets = {}, id = 0 } = {}) {
  return { id, files, name: traceName(files), options: traceOptions(format, offsets), view: 'measured', whatIf: { strategies: [], num_stages: null, num_batches: null } };
}

/** "rank0.json + 3 more": how a set of files is named in captions and the status line. */
export function traceName(files) {
  if (!files.length) return 'no files';
  return files.length === 1 ? files[0].name : `${files[0].name} + ${files.length - 1} more`;
}

/**
 * The importTrace options: format and the ranks' clock offsets. offsets: {rank: text or number};
 * blank fields are left out; a field that is not a number is an error naming the rank.
 */
export function traceOptions(format, offsets) {
  const offset_ms = {};
  for (const [rank, raw] of Object.entries(offsets || {})) {
    const text = String(raw ?? '').trim();
    if (text === '') continue;
    const ms = Number(text);
    if (!Number.isFinite(ms)) return { format, offset_ms, error: `the clock offset of rank ${rank} must be a number of ms (got '${text}')` };
    if (ms !== 0) offset_ms[rank] = ms;
  }
  return { format, offset_ms };
}

/** What a trace view computes from, as one string (runner.js runKey): equal keys, equal views. */
export function traceKey(trace) {
  return `trace:${trace.id}|${JSON.stringify(trace.options)}|${trace.view}|${JSON.stringify(trace.whatIf)}`;
}

/** The overrides of one what-if run: the strategy and the counts the user set. */
export function whatIfOverrides(strategy, numStages, whatIf) {
  const out = { strategy };
  if (numStages !== null && numStages !== undefined) out.num_stages = numStages;
  if (Number.isSafeInteger(whatIf.num_batches) && whatIf.num_batches > 0) out.num_batches = whatIf.num_batches;
  return out;
}

/**
 * The stage counts to try for a what-if strategy, best first: the user's, else those its
 * constraints accept for the trace's devices (as compare mode picks them), else the fitted count.
 */
export function whatIfStages(meta, fitted, whatIf) {
  if (Number.isSafeInteger(whatIf.num_stages) && whatIf.num_stages > 0) return [whatIf.num_stages];
  return stageCandidates(meta?.constraints, fitted.num_devices, fitted.num_stages);
}

/** The config key=value line of the fitted times, as the CLI prints it (report.cc fitted_assignments). */
export function fittedLine(fitted) {
  const words = [];
  for (const k of KINDS) {
    const list = fitted.op_times?.[k];
    if (Array.isArray(list)) words.push(`op_times.${k}=[${list.map(g6).join(',')}]`);
  }
  words.push(`p2p_latency=${g6(fitted.p2p_latency)}`, `p2p_mode=${fitted.p2p_mode}`);
  return words.join(' ');
}

/** The settings patch that loads the fitted times (and the trace's counts) into the page's config. */
export function fittedSettings(fitted) {
  const out = { num_devices: fitted.num_devices, num_stages: fitted.num_stages, num_batches: fitted.num_batches,
    p2p_latency: fitted.p2p_latency, p2p_mode: fitted.p2p_mode };
  for (const k of KINDS) if (Array.isArray(fitted.op_times?.[k])) out[`op_times.${k}`] = [...fitted.op_times[k]];
  return out;
}

// C's %.6g, as the CLI prints numbers.
function g6(x) {
  if (!Number.isFinite(x)) return String(x);
  return String(Number(x.toPrecision(6)));
}

/**
 * Rows of the fitted times table: per stage and kind the median and its spread; a kind the trace
 * did not measure shows the time the fit derived for it (fitted.op_times), or '–' when none.
 */
export function fitRows(fit, fitted) {
  const stages = fit.op_times.forward.length;
  return Array.from({ length: stages }, (_, stage) => ({
    stage,
    cells: KINDS.map((kind) => {
      const s = fit.op_times[kind]?.[stage];
      if (!s || !s.count) {
        const derived = fitted?.op_times?.[kind]?.[stage];
        return { kind, text: Number.isFinite(derived) ? `${fmt(derived)} (derived)` : '–', measured: false };
      }
      return { kind, text: `${fmt(s.median)} [${fmt(s.min)}–${fmt(s.max)}] ×${s.count}`, measured: true, median: s.median };
    }),
  }));
}

/** The kinds the table's columns show, with headings. */
export const FIT_COLUMNS = [['forward', 'F'], ['backward', 'BW (full backward)'], ['backward_D', 'B (input)'], ['backward_W', 'W (weight)'], ['overlapped_forward_backward', 'OV']];

/**
 * The `shown` of a trace view (without the runner's state/key/linkLoad) from a TraceImport and,
 * for the what-if view, the what-if entries. Measured and replay draw one or two runs; the
 * what-if view is compare mode (ranking.js ranks it) with the measured run on the same axis.
 */
export function traceShown(trace, report, whatIfEntries = []) {
  const meta = { name: trace.name, view: trace.view, report };
  const r = report.measured;
  const where = `${r.num_devices} devices · ${r.num_stages} stages · ${r.num_microbatches} microbatches · ${report.format} trace · ms`;
  if (trace.view === 'whatif') {
    const measured = { strategy: 'measured', numStages: report.fitted.num_stages, factor: 1, label: MEASURED_LABEL, config: null, result: r };
    const ranked = rankRuns([measured, ...whatIfEntries].map((e, order) => ({ ...e, order })));
    for (const e of ranked) if (e.rank === 1) e.label = `${e.label} · fastest`;
    return {
      mode: 'compare', trace: meta, sameModel: false,
      entries: ranked.sort((a, b) => a.order - b.order),
      caption: `What-if on the fitted times of ${trace.name}: ${whatIfEntries.map((e) => e.strategy).join(', ') || 'no strategy'} against measured · ${r.num_devices} devices`,
      note: 'The what-if runs use the op times fitted from the trace and share one time axis (ms) with the measured run; the Settings do not apply.'
        + (Number.isSafeInteger(trace.whatIf.num_batches) && trace.whatIf.num_batches !== r.num_microbatches
          ? ` They run ${trace.whatIf.num_batches} microbatches, the measured run ${r.num_microbatches}: compare makespans per microbatch.` : ''),
    };
  }
  const replay = trace.view === 'replay';
  return {
    mode: 'trace', trace: meta, result: r, label: 'measured',
    runs: replay ? [{ label: MEASURED_LABEL, result: r }, { label: REPLAY_LABEL, result: report.replayRun }] : [{ label: MEASURED_LABEL, result: r }],
    caption: replay ? `Measured vs replay · ${trace.name} · ${where}` : `Measured · ${trace.name} · ${where}`,
    note: replay
      ? `The measured run above, its replay below on one time axis (ms): the measured order emulated with the fitted times, ${report.replay.choice}`
      : `Showing the measured trace ${trace.name} (times in ms, aligned on the earliest op of all); the Settings do not apply to it.`,
  };
}

/**
 * Imports (or reuses the import in `cache`) and computes the view. Resolves null when cancelled
 * or stale, {error} for a file the core refused, else {shown}.
 */
export async function computeTrace(engine, trace, strategies, { cache = {}, onProgress, isStale = () => false } = {}) {
  if (trace.options.error) return { error: trace.options.error };
  const importKey = `${trace.id}|${JSON.stringify(trace.options)}`;
  let report = cache.key === importKey ? cache.report : null;
  if (!report) {
    const { error: _ignored, ...options } = trace.options;
    report = await engine.importTrace(trace.files, options, { onProgress });
    if (isStale() || report.cancelled) return null;
    if (!report.ok) return { error: report.error };
    cache.key = importKey;
    cache.report = report;
  }
  if (trace.view !== 'whatif') return { shown: traceShown(trace, report) };
  const entries = [];
  for (const name of trace.whatIf.strategies) {
    const meta = findStrategy(strategies, name);
    let first = null;
    let done = null;
    for (const numStages of whatIfStages(meta, report.fitted, trace.whatIf)) {
      const overrides = whatIfOverrides(meta?.name ?? name, numStages, trace.whatIf);
      const result = await engine.whatIf(report.fitted, overrides, { onProgress });
      if (isStale() || result.cancelled) return null;
      const entry = { strategy: meta?.name ?? name, numStages, factor: 1, label: runLabel(meta?.name ?? name, numStages), config: result.ok ? result.config : overrides, result, note: result.note || '' };
      if (result.ok) {
        done = entry;
        break;
      }
      first ??= entry;
    }
    entries.push(done || first);
  }
  return { shown: traceShown(trace, report, entries.filter(Boolean)) };
}
