// The data dependencies of one op, for the hover arrows. A microbatch visits the stages of its
// chain in order (chain c holds stages [c*L, (c+1)*L), L = num_stages / num_chains), so:
//   F(s,i)        needs F(prev(s), i)
//   B or BW(s,i)  needs F(s,i) and the backward (B, BW or OV's backward half) of (next(s), i)
//   W(s,i)        needs B(s,i)
// and an OV op needs what both its halves need.
import { KIND } from './palette.js';

export function prevStage(stage, chainLength) {
  return stage % chainLength === 0 ? -1 : stage - 1;
}
export function nextStage(stage, chainLength) {
  return (stage + 1) % chainLength === 0 ? -1 : stage + 1;
}

/**
 * Op rows by (stage, microbatch): forward (F or OV's forward half), backward (B, BW or OV's
 * backward half) and weight (W); -1 where absent. Built once per run on first hover.
 */
export function opIndex(run) {
  if (run.cache.ops) return run.cache.ops;
  const S = run.numStages;
  const M = run.numMicrobatches;
  const fwd = new Int32Array(S * M).fill(-1);
  const bwd = new Int32Array(S * M).fill(-1);
  const wgt = new Int32Array(S * M).fill(-1);
  const n = run.start.length;
  for (let i = 0; i < n; i++) {
    const at = run.stage[i] * M + run.microbatch[i];
    switch (run.kind[i]) {
      case KIND.F: fwd[at] = i; break;
      case KIND.B: case KIND.BW: bwd[at] = i; break;
      case KIND.W: wgt[at] = i; break;
      case KIND.OV:
        fwd[at] = i;
        bwd[run.stage2[i] * M + run.microbatch2[i]] = i;
        break;
      default: break;
    }
  }
  run.cache.ops = { fwd, bwd, wgt };
  return run.cache.ops;
}

/**
 * Incoming dependencies of op `row`: [{from, fromHalf, to, toHalf}], halves being 'F' (forward
 * half of an OV), 'B' (its backward half) or 'all' (a plain op).
 */
export function dependencies(run, row) {
  const idx = opIndex(run);
  const M = run.numMicrobatches;
  const L = run.chainLength;
  const out = [];
  const half = (r, which) => (run.kind[r] === KIND.OV ? which : 'all');
  const add = (from, fromWhich, toWhich) => {
    if (from >= 0 && from !== row) out.push({ from, fromHalf: half(from, fromWhich), to: row, toHalf: half(row, toWhich) });
  };
  const forwardDeps = (s, i) => {
    const p = prevStage(s, L);
    if (p >= 0) add(idx.fwd[p * M + i], 'F', 'F');
  };
  const backwardDeps = (s, i) => {
    add(idx.fwd[s * M + i], 'F', 'B');
    const nx = nextStage(s, L);
    if (nx >= 0) add(idx.bwd[nx * M + i], 'B', 'B');
  };
  const s = run.stage[row];
  const i = run.microbatch[row];
  switch (run.kind[row]) {
    case KIND.F: forwardDeps(s, i); break;
    case KIND.B: case KIND.BW: backwardDeps(s, i); break;
    case KIND.W: add(idx.bwd[s * M + i], 'B', 'all'); break;
    case KIND.OV:
      forwardDeps(s, i);
      backwardDeps(run.stage2[row], run.microbatch2[row]);
      break;
    default: break;
  }
  return out;
}
