// Compare mode's decisions, kept pure (tests/www/compare.test.mjs): which num_stages each
// strategy runs with, the config each compared run gets, and the ranking.
import { opTimesForRun } from './optimes.js';
import { splitStageKey } from './state.js';
import { projectionOf, iterationMs } from './projection.js';

/**
 * The num_stages values worth trying for a strategy, best first, read from its constraint line
 * (the core's registry text, e.g. "num_stages = 2 x num_devices"). The core stays the judge:
 * the page simulates these in order and keeps the first that the strategy accepts.
 */
export function stageCandidates(constraints, numDevices, userStages) {
  const p = numDevices;
  const text = String(constraints || '');
  const out = [];
  const multipleEq = /num_stages\s*=\s*(\d+)\s*[x×*]\s*num_devices/.exec(text);
  if (multipleEq) {
    out.push(Number(multipleEq[1]) * p);
  } else if (/num_stages\s*=\s*num_devices\b/.test(text)) {
    out.push(p);
  } else if (/num_stages\s+a\s+multiple\s+of\s+num_devices/.test(text)) {
    // Interleaved placements: the user's own count when it fits, else two chunks per device,
    // the smallest count that actually interleaves.
    const min = Number(/at least (\d+) per device/.exec(text)?.[1] ?? 1);
    if (userStages % p === 0 && userStages >= Math.max(2, min) * p) out.push(userStages);
    out.push(Math.max(2, min) * p);
  }
  out.push(userStages, p, 2 * p);
  return [...new Set(out.filter((s) => Number.isSafeInteger(s) && s > 0))];
}

/** The dotted config of one compared run: the shared settings with this strategy and stage count. */
export function runConfig(config, strategy, numStages, { sameModel = false } = {}) {
  const numDevices = config.num_devices;
  const out = {};
  const perStage = new Set(Object.keys(opTimesForRun(config, config.num_stages, numStages)));
  for (const [k, v] of Object.entries(config)) {
    if (!perStage.has(k) && !splitStageKey(k)) out[k] = v;
  }
  out.strategy = strategy;
  out.num_stages = numStages;
  Object.assign(out, opTimesForRun(config, config.num_stages, numStages, { sameModel, numDevices }));
  return out;
}

/** The factor "same model" applies to every op time of a run with numStages stages. */
export function sameModelFactor(numDevices, numStages) {
  return numDevices / numStages;
}

/**
 * Peak activations in shares of one device's model slice. The core counts (microbatch, stage)
 * pairs; under "same model" a stage of a run with more stages is a smaller slice, so its count
 * is scaled by the same factor as its op times before runs are compared.
 */
export function peakShare(entry) {
  return entry.result.peak_activations * (entry.factor ?? 1);
}

/**
 * What a comparison ranks by: the makespan in abstract units; a projected run's iteration time
 * (makespan + the gradient reduction and optimizer step it does not hide, in ms), as the CLI's
 * search does, since a schedule that finishes earlier can still hide less of the reduction.
 */
export function rankTime(result) {
  return projectionOf(result) ? iterationMs(result) : result.makespan;
}

/**
 * Orders compared runs: rankTime, then bubble ratio, then peak activations (peakShare) or, when
 * projected, peak memory; all lower first; runs that failed go last in the order given. Entries:
 * {strategy, result, factor?}; returns a new array with `rank` (1-based, ties share a rank) on the ok ones.
 */
export function rankRuns(entries) {
  const ok = entries.filter((e) => e.result && e.result.ok);
  const failed = entries.filter((e) => !(e.result && e.result.ok));
  const key = (e) => (projectionOf(e.result)
    ? [rankTime(e.result), e.result.projection.peak_memory_gib, e.result.bubble_ratio]
    : [e.result.makespan, e.result.bubble_ratio, peakShare(e)]);
  ok.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] - kb[i];
    return 0;
  });
  let rank = 0;
  const ranked = ok.map((e, i) => {
    const same = i > 0 && key(ok[i - 1]).every((v, j) => v === key(e)[j]);
    if (!same) rank = i + 1;
    return { ...e, rank };
  });
  return [...ranked, ...failed.map((e) => ({ ...e, rank: null }))];
}

/** The work a run gives its busiest device: max over devices of busy (op time units). */
export function workPerDevice(result) {
  return (result.devices || []).reduce((m, d) => Math.max(m, d.busy), 0);
}

/** How much slower than the best a makespan is, as "+29.4%" ('best' for the best one). */
export function vsBest(makespan, best) {
  if (!(best > 0) || !Number.isFinite(makespan)) return '–';
  if (makespan === best) return 'best';
  return `+${((makespan / best - 1) * 100).toFixed(1)}%`;
}

/**
 * When the ok runs do different work per device (stage counts differ and "same model" is off,
 * or per-stage times resample unevenly) their makespans do not compare one model: returns the
 * runs' works [{strategy, numStages, work}] to show in a warning, or null when they agree.
 */
export function workMismatch(entries) {
  // Projected runs are one model by construction: each splits the model's layers over its stages.
  if (entries.some((e) => projectionOf(e.result))) return null;
  const ok = entries.filter((e) => e.result.ok).map((e) => ({ strategy: e.strategy, numStages: e.numStages, work: workPerDevice(e.result) }));
  if (ok.length < 2) return null;
  const lo = Math.min(...ok.map((e) => e.work));
  const hi = Math.max(...ok.map((e) => e.work));
  return hi - lo > 1e-9 * Math.max(1, hi) ? ok : null;
}
