// Level of detail for one device row: what the eye can resolve at the current zoom. Ops at least
// a pixel wide are drawn as they are; runs of narrower ops (with gaps under a pixel between them)
// collapse into one busy span, coloured as its ops if they share a colour and as MIXED otherwise.
// Cost is one pass over the visible ops and one call per emitted span, whatever the op count.

/**
 * Emits spans for rows [lo, hi) (already cut to the visible time range by search.visibleOps).
 * Positions are CSS px: x = xOffsetPx + (time - t0) * pxPerTime, clipped to [clipX0Px, clipX1Px].
 * emit(x0Px, x1Px, key, firstRow, count): count > 1 marks a merged span (firstRow is its first op).
 * blocks (lod-index.buildOpBlocks, optional) only make long sub-pixel runs cheaper; spans are the same.
 */
export function lodRow(start, end, keys, lo, hi, t0, pxPerTime, xOffsetPx, clipX0Px, clipX1Px, mixedKey, minPx, emit, blocks = null) {
  const minTime = minPx / pxPerTime;
  const levels = blocks ? blocks.levels : [];
  let pX0 = 0;
  let pX1 = 0;
  let pKey = -1;
  let pFirst = -1;
  let pCount = 0;
  let i = lo;
  outer: while (i < hi) {
    // While a merged span is open, swallow whole blocks that would merge op by op anyway: every
    // op and every gap under a pixel (coarsest block first).
    if (pCount > 0 && start[i] - end[i - 1] < minTime) {
      for (let l = levels.length - 1; l >= 0; l--) {
        const lv = levels[l];
        const size = 1 << lv.shift;
        if ((i & (size - 1)) !== 0 || i + size > hi) continue;
        const b = i >> lv.shift;
        if (lv.maxDur[b] < minTime && lv.maxGap[b] < minTime) {
          let x1 = xOffsetPx + (end[i + size - 1] - t0) * pxPerTime;
          if (x1 > clipX1Px) x1 = clipX1Px;
          if (x1 > pX1) pX1 = x1;
          if (lv.key[b] !== pKey) pKey = mixedKey;
          pCount += size;
          i += size;
          continue outer;
        }
      }
    }
    let x0 = xOffsetPx + (start[i] - t0) * pxPerTime;
    let x1 = xOffsetPx + (end[i] - t0) * pxPerTime;
    if (x0 < clipX0Px) x0 = clipX0Px;
    if (x1 > clipX1Px) x1 = clipX1Px;
    const key = keys[i];
    if (x1 - x0 < minPx) {
      if (pCount > 0 && x0 - pX1 < minPx) {
        if (x1 > pX1) pX1 = x1;
        if (key !== pKey) pKey = mixedKey;
        pCount++;
        i++;
        continue;
      }
      if (pCount > 0) emit(pX0, pX1, pKey, pFirst, pCount);
      pX0 = x0; pX1 = x1; pKey = key; pFirst = i; pCount = 1;
    } else {
      if (pCount > 0) {
        emit(pX0, pX1, pKey, pFirst, pCount);
        pCount = 0;
      }
      emit(x0, x1, key, i, 1);
    }
    i++;
  }
  if (pCount > 0) emit(pX0, pX1, pKey, pFirst, pCount);
}

/**
 * The activation step function of one device cut to the view: count[i] holds from time[i] to
 * time[i+1] (the last one to `endTime`). Steps narrower than a pixel are gathered until they
 * cover a pixel and drawn as their maximum, so a peak never disappears when zoomed out.
 * emit(x0Px, x1Px, value). (A million-op run has about eight steps per pixel per row fully zoomed
 * out, too few for block summaries like the ops' to pay for themselves.)
 */
export function lodSteps(time, count, lo, hi, endTime, t0, t1, pxPerTime, xOffsetPx, minPx, emit) {
  if (lo >= hi) return;
  // First step that ends after t0: the last one starting at or before t0.
  let a = lo;
  let b = hi;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (time[mid] <= t0) a = mid + 1;
    else b = mid;
  }
  let have = false;
  let aX0 = 0;
  let aX1 = 0;
  let aMax = 0;
  for (let i = Math.max(lo, a - 1); i < hi; i++) {
    const ts = time[i];
    if (ts >= t1) break;
    const te = i + 1 < hi ? time[i + 1] : endTime;
    if (te <= ts) continue;
    const x0 = xOffsetPx + (Math.max(ts, t0) - t0) * pxPerTime;
    const x1 = xOffsetPx + (Math.min(te, t1) - t0) * pxPerTime;
    const v = count[i];
    if (x1 - x0 >= minPx) {
      if (have) {
        emit(aX0, Math.max(aX1, aX0 + minPx), aMax);
        have = false;
      }
      emit(x0, x1, v);
    } else if (have) {
      aX1 = x1;
      if (v > aMax) aMax = v;
      if (aX1 - aX0 >= minPx) {
        emit(aX0, aX1, aMax);
        have = false;
      }
    } else {
      have = true;
      aX0 = x0;
      aX1 = x1;
      aMax = v;
    }
  }
  if (have) emit(aX0, aX1, aMax);
}
