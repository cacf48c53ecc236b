// Binary searches over one device's slice [lo, hi) of a sorted typed-array column. Every lookup
// in the renderer (first visible op, hovered op, visible rows) goes through these: a scan would
// cost a million steps per mouse move on the largest runs.

/** First index i in [lo, hi) with arr[i] >= x, or hi. */
export function lowerBound(arr, lo, hi, x) {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index i in [lo, hi) with arr[i] > x, or hi. */
export function upperBound(arr, lo, hi, x) {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Ops of one device that overlap the time window [t0, t1): [first, last). A device runs one op at
 * a time, so within its rows both start and end are non-decreasing and each bound is one search.
 */
export function visibleOps(start, end, lo, hi, t0, t1) {
  const first = upperBound(end, lo, hi, t0);
  const last = lowerBound(start, first, hi, t1);
  return [first, last];
}
