// Block summaries that let the level-of-detail passes swallow many sub-pixel ops at once. For
// aligned blocks of 2^shift rows, the longest duration, the widest gap inside the block and the
// colour key if all rows share it: when zoomed far out a whole block is one call instead of a
// thousand. Built once per run, on first draw; the per-op rules in lod.js stay the reference.

export const UNIFORM_NONE = 0xffff;
const OP_SHIFTS = [5, 10];

/** Summaries for op rows (start/end non-decreasing within each device): {levels: [{shift, maxDur, maxGap, key}]}. */
export function buildOpBlocks(start, end, keys) {
  const n = start.length;
  const levels = OP_SHIFTS.map((shift) => {
    const size = 1 << shift;
    const nb = n >> shift;
    const maxDur = new Float64Array(nb);
    const maxGap = new Float64Array(nb);
    const key = new Uint16Array(nb);
    for (let b = 0; b < nb; b++) {
      const lo = b << shift;
      let md = 0;
      let mg = -Infinity;
      const k0 = keys[lo];
      let uniform = true;
      for (let i = lo; i < lo + size; i++) {
        const d = end[i] - start[i];
        if (d > md) md = d;
        if (i > lo) {
          const g = start[i] - end[i - 1];
          if (g > mg) mg = g;
        }
        if (keys[i] !== k0) uniform = false;
      }
      maxDur[b] = md;
      maxGap[b] = mg;
      key[b] = uniform ? k0 : UNIFORM_NONE;
    }
    return { shift, maxDur, maxGap, key };
  });
  return { levels };
}
