// What the renderer derives once per Result so that drawing a frame only reads typed arrays: a
// colour key per op, the activation scale, which kinds occur. Indexes only hover needs (ops of a
// microbatch, ops by (stage, microbatch)) are built on first use, not on every setting change.
import { opKey, KIND } from './palette.js';
import { buildOpBlocks } from './lod-index.js';

// Below this many rows a plain pass is already cheap and block summaries are not worth building.
const BLOCKS_FROM_ROWS = 4096;

/** Chunks per device in a result (1 when the result has no stage table). */
export function chunkCount(result) {
  const chunk = result?.stages?.chunk;
  let max = 0;
  if (chunk) for (let i = 0; i < chunk.length; i++) if (chunk[i] > max) max = chunk[i];
  return max + 1;
}

/** numChunks: the palette's chunk count (the largest over all runs shown together). */
export function prepareRun(result, label, numChunks) {
  const ops = result.ops;
  const n = ops.start.length;
  const chunkOf = result.stages?.chunk ?? new Int32Array(result.num_stages || 1);
  const keys = new Uint16Array(n);
  const kindsPresent = [false, false, false, false, false];
  let extent = 0;
  for (let i = 0; i < n; i++) {
    const k = ops.kind[i];
    kindsPresent[k] = true;
    const c = chunkOf[ops.stage[i]] ?? 0;
    const c2 = k === KIND.OV ? (chunkOf[ops.stage2[i]] ?? 0) : 0;
    keys[i] = opKey(k, c, c2, numChunks);
    if (ops.end[i] > extent) extent = ops.end[i];
  }
  if (Number.isFinite(result.makespan) && result.makespan > extent) extent = result.makespan;
  const act = result.activations;
  let actMax = 0;
  if (act?.count) for (let i = 0; i < act.count.length; i++) if (act.count[i] > actMax) actMax = act.count[i];
  const numStages = result.num_stages || chunkOf.length || 1;
  const numChains = Math.max(1, result.num_chains || 1);
  let numMicrobatches = result.num_microbatches || 0;
  if (!numMicrobatches) for (let i = 0; i < n; i++) numMicrobatches = Math.max(numMicrobatches, ops.microbatch[i] + 1, ops.microbatch2[i] + 1);
  return {
    label: label ?? '',
    result,
    numDevices: ops.device_offset.length - 1,
    numStages,
    numChains,
    chainLength: Math.max(1, Math.floor(numStages / numChains)),
    numMicrobatches,
    offsets: ops.device_offset,
    start: ops.start, end: ops.end, kind: ops.kind,
    stage: ops.stage, microbatch: ops.microbatch, stage2: ops.stage2, microbatch2: ops.microbatch2,
    chunkOf,
    keys,
    kindsPresent,
    extent,
    act: act?.offset ? act : null,
    actMax,
    cache: {},
  };
}

/**
 * Rows of every op of one microbatch (OV ops count for both their microbatches), as a CSR table
 * built in two passes over the ops on first use: {offset: Uint32Array(M+1), rows: Uint32Array}.
 */
export function microbatchIndex(run) {
  if (run.cache.mb) return run.cache.mb;
  const M = run.numMicrobatches;
  const n = run.start.length;
  const offset = new Uint32Array(M + 1);
  for (let i = 0; i < n; i++) {
    offset[run.microbatch[i] + 1]++;
    const m2 = run.microbatch2[i];
    if (m2 >= 0 && m2 !== run.microbatch[i]) offset[m2 + 1]++;
  }
  for (let m = 0; m < M; m++) offset[m + 1] += offset[m];
  const fill = offset.slice(0, M);
  const rows = new Uint32Array(offset[M]);
  for (let i = 0; i < n; i++) {
    rows[fill[run.microbatch[i]]++] = i;
    const m2 = run.microbatch2[i];
    if (m2 >= 0 && m2 !== run.microbatch[i]) rows[fill[m2]++] = i;
  }
  run.cache.mb = { offset, rows };
  return run.cache.mb;
}

export function rowsOfMicrobatch(run, microbatch) {
  if (microbatch < 0 || microbatch >= run.numMicrobatches) return new Uint32Array(0);
  const { offset, rows } = microbatchIndex(run);
  return rows.subarray(offset[microbatch], offset[microbatch + 1]);
}

/** Device of an op row, by binary search on the device offsets. */
export function deviceOfRow(run, row) {
  const off = run.offsets;
  let lo = 0;
  let hi = off.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (off[mid] <= row) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Level-of-detail block summaries of the ops (null for small runs), built on first draw. */
export function opBlocks(run) {
  if (!('opBlocks' in run.cache)) {
    run.cache.opBlocks = run.start.length >= BLOCKS_FROM_ROWS ? buildOpBlocks(run.start, run.end, run.keys) : null;
  }
  return run.cache.opBlocks;
}
