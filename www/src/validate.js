// What the page can say about the settings before asking the core, in words about the form:
// a strategy it does not know, a per-stage time for a stage that does not exist, a run over the
// browser's op budget. Each answer names the field to mark and what would work. The core checks
// everything else (its message comes back through the runner). Pure: tests/www.
import { splitStageKey, closestName } from './state.js';
import { count } from './format.js';
import { findStrategy } from './runs.js';

/** {field, message} for the first problem of a state the page can judge, else null. */
export function checkSettings(state) {
  const { config, strategies, limits, lastEdited } = state;
  if (!state.compare.length && strategies.length && !findStrategy(strategies, config.strategy)) {
    const hint = closestName(String(config.strategy), strategies.flatMap((s) => [s.name, ...(s.aliases || [])]));
    return {
      field: 'strategy',
      message: `'${config.strategy}' is not a strategy ppemu knows${hint ? `; did you mean '${hint}'?` : ''} The Strategy menu lists them all.`,
    };
  }
  const stages = config.num_stages;
  if (Number.isSafeInteger(stages) && stages > 0) {
    for (const k of Object.keys(config)) {
      const sk = splitStageKey(k);
      if (sk && sk.stage >= stages) {
        return {
          field: sk.key,
          message: `${k} sets stage ${sk.stage}, but stage ${sk.stage} does not exist: num_stages is ${stages} (stages 0–${stages - 1})`,
        };
      }
    }
  }
  const batches = config.num_batches;
  const maxOps = limits?.max_ops;
  if (maxOps && Number.isSafeInteger(stages) && Number.isSafeInteger(batches) && stages > 0 && batches > 0) {
    // The core's estimate: each (stage, microbatch) pair has at most three ops (F, B, W).
    const ops = 3 * stages * batches;
    if (ops > maxOps) {
      const field = lastEdited === 'num_stages' ? 'num_stages' : 'num_batches';
      const fits = field === 'num_stages' ? Math.floor(maxOps / (3 * batches)) : Math.floor(maxOps / (3 * stages));
      const hint = fits >= 1 ? `; try ${field} ≤ ${count(fits)}` : `; try fewer ${field === 'num_stages' ? 'microbatches' : 'stages'}`;
      return {
        field,
        message: `${count(stages)} stages × ${count(batches)} microbatches make up to ${count(ops)} ops, `
          + `over the page's limit of ${count(maxOps)} ops${hint}`,
      };
    }
  }
  return null;
}
