// Compare mode's decisions, kept pure (tests/www/compare.test.mjs): which num_stages each
// strategy runs with, the config each compared run gets, and the ranking.
import { opTimesForRun } from './optimes.js';
import { splitStageKey } from './state.js';

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
 * Orders compared runs: makespan, then bubble ratio, then peak activations (peakShare), all
 * lower first; runs that failed go last in the order given. Entries: {strategy, result, factor?};
 * returns a new array with `rank` (1-based, ties share a rank) on the ok ones.
 */
export function rankRuns(entries) {
  const ok = entries.filter((e) => e.result && e.result.ok);
  const failed = entries.filter((e) => !(e.result && e.result.ok));
  const key = (e) => [e.result.makespan, e.result.bubble_ratio, peakShare(e)];
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
