// Turns the page state into the runs the chart shows: one run, or in compare mode one run per
// strategy with a num_stages the strategy accepts. Shared by the full app and the embed view so
// a link shows the same numbers in both.
import { stageCandidates, runConfig, rankRuns, sameModelFactor } from './compare.js';
import { fmt } from './format.js';
import { sameModelOf } from './state.js';
import { isProjectedConfig } from './projection.js';

/** The registry entry for a name or alias, or null. */
export function findStrategy(strategies, name) {
  return strategies.find((s) => s.name === name || (s.aliases || []).includes(name)) || null;
}

/** The config as the worker takes it: dotted keys, unset ones left out. */
export function workerConfig(config) {
  const out = {};
  for (const [k, v] of Object.entries(config)) if (v !== undefined) out[k] = v;
  return out;
}

/** Compare-mode label: what ran, so a reader of the chart knows the stage count and scaling. */
export function runLabel(strategy, numStages, factor) {
  return factor === 1 || factor === undefined ? `${strategy} · ${numStages} stages` : `${strategy} · ${numStages} stages · op times ×${fmt(factor)}`;
}

/**
 * Computes what the state asks for. Returns null when isStale() turned true on the way (a newer
 * setting superseded this one), else
 *   {mode: 'single', result}                                   result may be ok:false
 *   {mode: 'compare', entries: [{strategy, numStages, factor, label, config, result, rank}]}  in the order picked
 */
export async function computeRuns(engine, state, strategies, { onProgress, isStale = () => false } = {}) {
  if (!state.compare.length) {
    const result = await engine.simulate(workerConfig(state.config), { onProgress });
    return isStale() || result.cancelled ? null : { mode: 'single', result };
  }
  const { num_devices: numDevices, num_stages: userStages } = state.config;
  // A projection splits the model's layers over each run's own stages: every run is already the
  // same model, and scaling its op times would change the model. So "same model" never scales one.
  const sameModel = sameModelOf(state) && !isProjectedConfig(state.config);
  const entries = [];
  for (const name of state.compare) {
    const meta = findStrategy(strategies, name);
    if (!meta) {
      entries.push({ strategy: name, result: { ok: false, error: `unknown strategy '${name}'` } });
      continue;
    }
    let first = null;
    let done = null;
    for (const numStages of stageCandidates(meta.constraints, numDevices, userStages)) {
      const config = runConfig(state.config, meta.name, numStages, { sameModel });
      const result = await engine.simulate(workerConfig(config), { onProgress });
      if (isStale() || result.cancelled) return null;
      const factor = sameModel ? sameModelFactor(numDevices, numStages) : 1;
      const entry = { strategy: meta.name, numStages, factor, label: runLabel(meta.name, numStages, factor), config, result };
      if (result.ok) {
        done = entry;
        break;
      }
      first ??= entry;
    }
    entries.push(done || first || { strategy: meta.name, result: { ok: false, error: 'no num_stages to try' } });
  }
  // The chart keeps the order the user picked (rows do not jump when a setting changes); the
  // ranking table sorts by rank.
  const ranked = rankRuns(entries.map((e, order) => ({ ...e, order })));
  // The winner is marked where the eye is: in its label on the chart.
  for (const e of ranked) if (e.rank === 1) e.label = `${e.label} · fastest`;
  return { mode: 'compare', entries: ranked.sort((a, b) => a.order - b.order) };
}
