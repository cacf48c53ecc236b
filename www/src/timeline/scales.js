// The view (a time window {t0, t1} in op_times units) and its mapping to CSS px. Zoom and pan are
// pure functions of the view so interaction code only translates events, and tests pin the maths.

/** Smallest window, as a fraction of the extent: deeper than this, float time stops resolving px. */
export const MIN_SPAN_FRACTION = 1e-7;

export function fullView(extent) {
  return { t0: 0, t1: extent > 0 ? extent : 1 };
}

/** Mapping from time to x for a view drawn between xStartPx and xEndPx. */
export function viewScale(view, xStartPx, xEndPx) {
  const pxPerTime = (xEndPx - xStartPx) / (view.t1 - view.t0);
  return {
    pxPerTime,
    xStartPx,
    xEndPx,
    x: (timeUnits) => xStartPx + (timeUnits - view.t0) * pxPerTime,
    time: (xPx) => view.t0 + (xPx - xStartPx) / pxPerTime,
  };
}

/** The narrowest window worth showing for these prepared runs spanning `extent`. */
export function minSpanOf(runs, extent) {
  return (extent > 0 ? extent : 1) * MIN_SPAN_FRACTION;
}

/**
 * The view moved/resized to lie inside [0, extent] and be at least minSpan wide. A window
 * wider than the extent becomes the full extent; a finite, ordered window is required.
 */
export function clampView(view, extent, minSpan = (extent > 0 ? extent : 1) * MIN_SPAN_FRACTION) {
  const full = fullView(extent);
  let { t0, t1 } = view;
  if (!Number.isFinite(t0) || !Number.isFinite(t1) || !(t1 > t0)) return full;
  const maxSpan = full.t1 - full.t0;
  let span = t1 - t0;
  if (span >= maxSpan) return full;
  if (span < minSpan) {
    const mid = (t0 + t1) / 2;
    span = minSpan;
    t0 = mid - span / 2;
    t1 = mid + span / 2;
  }
  if (t0 < full.t0) { t0 = full.t0; t1 = t0 + span; }
  if (t1 > full.t1) { t1 = full.t1; t0 = t1 - span; }
  return { t0, t1 };
}

/** Zoom by `factor` (< 1 zooms in) keeping the time under the cursor, `anchor`, where it is on screen. */
export function zoomView(view, anchor, factor, extent, minSpan) {
  const t0 = anchor - (anchor - view.t0) * factor;
  const t1 = anchor + (view.t1 - anchor) * factor;
  return clampView({ t0, t1 }, extent, minSpan);
}

/** Shift the window by `deltaTime` (positive moves it later), keeping its span. */
export function panView(view, deltaTime, extent, minSpan) {
  return clampView({ t0: view.t0 + deltaTime, t1: view.t1 + deltaTime }, extent, minSpan);
}

export function sameView(a, b) {
  return a.t0 === b.t0 && a.t1 === b.t1;
}
