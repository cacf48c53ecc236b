// Per-stage op times as the page edits and compares them. Pure: tests/www/optimes.test.mjs.
// A config here is the dotted map of state.js: `op_times.forward` is a number or a list, and
// `op_times.forward.3` overrides one stage, exactly as the CLI reads them.
import { splitStageKey, stageTimesKeysOf } from './state.js';
import { familyOf } from './keys.js';

/**
 * The time of every stage for one op key: an array of numStages numbers (a list too short for
 * numStages leaves `undefined` holes, which the core reports), or null when the key is unset.
 */
export function effectiveStageTimes(config, key, numStages) {
  const n = Math.max(0, Math.floor(numStages) || 0);
  const base = config[key];
  let times;
  if (Array.isArray(base)) {
    times = base.length === 1 ? new Array(n).fill(base[0]) : Array.from({ length: n }, (_, i) => base[i]);
  } else if (typeof base === 'number') {
    times = new Array(n).fill(base);
  } else {
    return null;
  }
  for (const [k, v] of Object.entries(config)) {
    const sk = splitStageKey(k);
    if (sk && sk.key === key && sk.stage < n) times[sk.stage] = v;
  }
  return times;
}

/** True when some stage of this key differs from the others (so the table editor matters). */
export function hasPerStageTimes(config, key) {
  if (Array.isArray(config[key]) && new Set(config[key]).size > 1) return true;
  return Object.keys(config).some((k) => splitStageKey(k)?.key === key);
}

/** A per-stage list resized to n stages: extra stages repeat the last time, surplus ones drop. */
export function resizeStageList(list, n) {
  if (n <= 0) return [];
  const last = list.length ? list[list.length - 1] : 0;
  return Array.from({ length: n }, (_, i) => (i < list.length ? list[i] : last));
}

/**
 * Resizes every per-stage list in a config to a new stage count (after the user changes
 * num_stages) and folds single-stage overrides past the end away, so the core does not reject
 * a list the user never typed for the new count.
 */
export function resizeConfigStages(config, numStages) {
  const out = { ...config };
  for (const key of stageTimesKeysOf(config)) {
    if (Array.isArray(out[key]) && out[key].length !== 1) out[key] = resizeStageList(out[key], numStages);
  }
  for (const k of Object.keys(out)) {
    const sk = splitStageKey(k);
    if (sk && sk.stage >= numStages) delete out[k];
  }
  return out;
}

/**
 * Per-stage times for a run with `toStages` stages, from times given for `fromStages` stages.
 * Stage j of the new run holds the share [j/toStages, (j+1)/toStages) of the model; its time is
 * the share-weighted average of the given stages it covers. With sameModel that average is also
 * multiplied by numDevices / toStages: the given times are one device's share of the model, so a
 * run that cuts the model into more stages does proportionally less work per stage and every
 * strategy runs the same total work per device.
 */
export function resampleStageTimes(times, toStages, { sameModel = false, numDevices = 1 } = {}) {
  const from = times.length;
  const factor = sameModel ? numDevices / toStages : 1;
  const out = new Array(toStages);
  for (let j = 0; j < toStages; j++) {
    // Work in units of 1 / (from * toStages) of the model so the overlaps are whole numbers.
    const lo = j * from;
    const hi = (j + 1) * from;
    let sum = 0;
    for (let i = Math.floor(lo / toStages); i < from && i * toStages < hi; i++) {
      const overlap = Math.min(hi, (i + 1) * toStages) - Math.max(lo, i * toStages);
      if (overlap > 0) sum += times[i] * overlap;
    }
    out[j] = (sum / from) * factor;
  }
  return out;
}

/**
 * The per-stage keys of a config rewritten for a run of `toStages` stages (see
 * resampleStageTimes). Only op times scale under sameModel: other per-stage values (memory)
 * are resampled as they are.
 */
export function opTimesForRun(config, fromStages, toStages, { sameModel = false, numDevices = 1 } = {}) {
  const out = {};
  for (const key of stageTimesKeysOf(config)) {
    if (config[key] === undefined) continue;
    const scaled = sameModel && familyOf(key) === 'op_times';
    if (!hasPerStageTimes(config, key)) {
      const v = Array.isArray(config[key]) ? config[key][0] : config[key];
      out[key] = scaled ? v * (numDevices / toStages) : v;
      continue;
    }
    const times = effectiveStageTimes(config, key, fromStages);
    if (times.some((t) => typeof t !== 'number')) {
      out[key] = config[key]; // holes: pass through so the core names the missing stage
      continue;
    }
    out[key] = resampleStageTimes(times, toStages, { sameModel: scaled, numDevices });
  }
  return out;
}
