// The page's side of the projection (README "Projection", wasm/API.md "Projected runs"): which
// configs are projected, what a preset pick and the "abstract units" button do to a config, and
// the projected figures as the page shows them (ms, GiB, the memory step function against the
// GPU's capacity). The core computes everything; this only decides what to send and how to show
// it. Pure: tests/www/projection.test.mjs.
import { familyOf } from './keys.js';
import { splitStageKey } from './state.js';

/** Config groups a projection selects (`model=gpt3_175b`) and the key families it reads. */
export const PROJECTION_GROUPS = ['model', 'gpu'];
export const PROJECTION_FAMILIES = ['model', 'gpu', 'parallel', 'train'];
export const GIB = 2 ** 30;

/** True for a key the projection reads: model, gpu, model.*, gpu.*, parallel.*, train.*. */
export function isProjectionKey(key) {
  return PROJECTION_GROUPS.includes(key) || PROJECTION_FAMILIES.includes(familyOf(key));
}

/** True when the config asks for a projection: a model preset or model.* keys (the core's rule). */
export function isProjectedConfig(config) {
  return Object.keys(config || {}).some((k) => config[k] !== undefined && (k === 'model' || familyOf(k) === 'model'));
}

/**
 * Keys the projection computes when they are not given: op times, op memory, the P2P latency
 * (and their single-stage overrides). Given, they win over the projection, as in the CLI.
 */
export function isDerivedKey(key) {
  const base = splitStageKey(key)?.key ?? key;
  return key === 'p2p_latency' || ['op_times', 'op_memory'].includes(familyOf(base));
}

/**
 * The defaults a link's config is completed with. The page fills unset keys with the core's
 * defaults, but a default op time is "given" once sent, and would beat the projected one; and
 * num_batches follows from train.global_batch_size. So a projected config takes no default for
 * those: what the link does not say, the projection decides.
 */
export function linkDefaults(defaults, config) {
  if (!isProjectedConfig(config)) return { ...defaults };
  const out = {};
  for (const [k, v] of Object.entries(defaults || {})) {
    if (isDerivedKey(k)) continue;
    if (k === 'num_batches' && config['train.global_batch_size'] !== undefined) continue;
    out[k] = v;
  }
  return out;
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The config after picking `name` for config group `group` ('' or undefined: no preset). Keys
 * given explicitly stay and win over the preset, as `model=NAME model.num_layers=40` in the CLI.
 * A config that becomes projected drops what the defaults put there and the projection computes
 * (the default op times, memory and latency; num_batches when the global batch size decides it);
 * values that differ from the defaults are the user's and stay.
 */
export function selectPreset(config, group, name, defaults = {}) {
  const out = { ...config };
  if (name) out[group] = name;
  else delete out[group];
  return dropProjectedDefaults(out, defaults);
}

/** A projected config without the default values of keys the projection computes. */
export function dropProjectedDefaults(config, defaults = {}) {
  if (!isProjectedConfig(config)) return { ...config };
  const out = { ...config };
  for (const k of Object.keys(out)) {
    if (isDerivedKey(k) && k in defaults && same(out[k], defaults[k])) delete out[k];
  }
  if (out['train.global_batch_size'] !== undefined && same(out.num_batches, defaults.num_batches)) delete out.num_batches;
  return out;
}

/**
 * Back to abstract units: every projection key dropped and the keys it computed back at the
 * core's defaults, so the page shows what the same link without a model shows.
 */
export function abstractConfig(config, defaults = {}) {
  const out = {};
  for (const [k, v] of Object.entries(config || {})) if (!isProjectionKey(k)) out[k] = v;
  for (const [k, v] of Object.entries(defaults || {})) if (out[k] === undefined) out[k] = Array.isArray(v) ? [...v] : v;
  return out;
}

/** The projection of a Result, or null (abstract units). */
export function projectionOf(result) {
  return result && result.ok !== false && result.projection && typeof result.projection === 'object' ? result.projection : null;
}

/** 'ms' for a projected Result (every time in it is in ms), '' for abstract units. */
export function timeUnitOf(result) {
  return projectionOf(result)?.time_unit ?? '';
}

/** The unit shared by runs drawn on one axis: 'ms' only when every run is projected. */
export function sharedTimeUnit(results) {
  const units = new Set((results || []).map(timeUnitOf));
  return units.size === 1 ? [...units][0] : '';
}

/** "17316.1 ms", or the bare number text in abstract units. */
export function withUnit(text, unit) {
  return unit ? `${text} ${unit}` : text;
}

/** Iteration time in ms: what a projected comparison ranks by. */
export function iterationMs(result) {
  const p = projectionOf(result);
  return p ? p.breakdown?.iteration_time_ms ?? p.iteration_time_s * 1e3 : NaN;
}

/**
 * One device's memory over time as GiB steps [{t0, t1, gib}] from the Result's `memory` step
 * function (bytes when projected): used[i] holds from time[i] to time[i+1], the last to the
 * makespan. Runs of steps narrower than `minSpan` are merged keeping their largest value, so a
 * chart of a long run has a point per pixel and still shows every peak.
 */
export function memorySteps(result, device, { minSpan = 0, scale = 1 / GIB } = {}) {
  const m = result?.memory;
  if (!m?.offset || device < 0 || device + 1 >= m.offset.length) return [];
  const lo = m.offset[device];
  const hi = m.offset[device + 1];
  const end = Math.max(result.makespan ?? 0, hi > lo ? m.time[hi - 1] : 0);
  const out = [];
  for (let i = lo; i < hi; i++) {
    const t0 = m.time[i];
    const t1 = i + 1 < hi ? m.time[i + 1] : end;
    const gib = m.used[i] * scale;
    const last = out[out.length - 1];
    if (last && minSpan > 0 && t0 < last.t0 + minSpan) {
      last.t1 = t1;
      last.gib = Math.max(last.gib, gib);
    } else if (last && last.gib === gib) {
      last.t1 = t1;
    } else {
      out.push({ t0, t1, gib });
    }
  }
  return out;
}

/** Time spans [{t0, t1}] where a device's memory is above the capacity (GiB): its out-of-memory region. */
export function overCapacitySpans(steps, capacityGib) {
  const out = [];
  if (!(capacityGib > 0)) return out;
  for (const s of steps) {
    if (!(s.gib > capacityGib) || !(s.t1 > s.t0)) continue;
    const last = out[out.length - 1];
    if (last && last.t1 === s.t0) last.t1 = s.t1;
    else out.push({ t0: s.t0, t1: s.t1 });
  }
  return out;
}

/** The devices that do not fit (peak above gpu.memory_gib), as the core flags them. */
export function devicesOverCapacity(result) {
  const p = projectionOf(result);
  return p ? (p.devices || []).filter((d) => d.fits === false).map((d) => d.device) : [];
}

/** 53.5 GiB as "53.50": memory figures keep two decimals, as the CLI's table does. */
export function gib(n) {
  return Number.isFinite(n) ? n.toFixed(2) : '–';
}

/** A duration in ms with four significant decimals at most: 17316.0936 -> "17316.09". */
export function ms(n) {
  if (!Number.isFinite(n)) return '–';
  const digits = Math.abs(n) >= 100 ? 2 : Math.abs(n) >= 1 ? 3 : 4;
  return String(Number(n.toFixed(digits)));
}

/** 174604259328 as "174.6B", as the CLI writes parameter counts. */
export function countShort(n) {
  if (!Number.isFinite(n)) return '–';
  const a = Math.abs(n);
  if (a >= 1e12) return `${Number((n / 1e12).toFixed(2))}T`;
  if (a >= 1e9) return `${Number((n / 1e9).toFixed(1))}B`;
  if (a >= 1e6) return `${Number((n / 1e6).toFixed(1))}M`;
  if (a >= 1e3) return `${Number((n / 1e3).toFixed(1))}K`;
  return String(n);
}

/** A fraction as a percentage with one decimal, as the CLI prints MFU: 0.40256 -> "40.3%". */
export function percent(ratio) {
  return Number.isFinite(ratio) ? `${(ratio * 100).toFixed(1)}%` : '–';
}

/**
 * The headline figures of a projection: [{name, value, extra, testid, definition}]. TFLOP/s and
 * MFU give the other causal convention in `extra` when it differs (published MFUs differ by
 * exactly that choice: Megatron-LM halves causal attention, PaLM's count does not).
 */
export function headlineFigures(p) {
  const mfuOther = Number.isFinite(p.mfu_full_attention) && percent(p.mfu_full_attention) !== percent(p.mfu)
    ? `(${percent(p.mfu_full_attention)} without halving causal attention)` : '';
  const tflopsOther = Number.isFinite(p.tflops_per_gpu_full_attention) && p.tflops_per_gpu_full_attention.toFixed(1) !== p.tflops_per_gpu.toFixed(1)
    ? `(${p.tflops_per_gpu_full_attention.toFixed(1)} without halving)` : '';
  return [
    { name: 'Iteration time', value: `${ms(iterationMsOf(p))} ms`, testid: 'iteration-time',
      definition: 'makespan + gradient reduction not hidden + optimizer step, of the device that finishes last' },
    { name: 'Tokens/s', value: Math.round(p.tokens_per_s).toLocaleString('en-US'), testid: 'tokens-per-s',
      definition: `global batch × sequence length / iteration time (${p.global_batch_size} × ${Math.round(p.tokens_per_iteration / p.global_batch_size)} tokens)` },
    { name: 'TFLOP/s per GPU', value: p.tflops_per_gpu.toFixed(1), extra: tflopsOther, testid: 'tflops-per-gpu',
      definition: `model FLOPs / (iteration time × ${p.num_gpus} GPUs); hardware, with recompute: ${p.hardware_tflops_per_gpu.toFixed(1)}` },
    { name: 'MFU', value: percent(p.mfu), extra: mfuOther, testid: 'mfu',
      definition: `TFLOP/s per GPU / the GPU's dense BF16 peak (Megatron-LM's count halves causal attention; PaLM's does not); HFU ${percent(p.hfu)}` },
    { name: 'Peak memory', value: `${gib(p.peak_memory_gib)} GiB`, testid: 'peak-memory',
      definition: `largest emulated peak over devices (weights, gradients, optimizer state, activations in flight) of ${gib(p.memory_capacity_gib)} GiB` },
    { name: 'Fits', value: p.fits ? 'yes' : 'NO: out of memory', testid: 'fits',
      definition: p.fits ? 'every device\'s peak is within gpu.memory_gib' : `devices ${devicesOverCapacity({ projection: p }).join(', ')} exceed gpu.memory_gib` },
  ];
}

function iterationMsOf(p) {
  return p.breakdown?.iteration_time_ms ?? p.iteration_time_s * 1e3;
}

/** Where the iteration time goes, as the CLI's breakdown: [[label, ms]] summing to the iteration time. */
export function breakdownRows(p) {
  const b = p.breakdown || {};
  const rows = [[`emulated end of device ${b.critical_device}'s last op (makespan ${ms(b.makespan_ms)} ms)`, p.devices?.[b.critical_device]?.end_ms ?? b.makespan_ms],
    ['+ gradient reduction not hidden', b.grad_reduce_exposed_ms],
    ['+ optimizer step', b.optimizer_step_ms]];
  if (b.param_gather_ms) rows.push(['+ parameter all-gather (distributed optimizer)', b.param_gather_ms]);
  rows.push(['= iteration time', b.iteration_time_ms]);
  return rows;
}
