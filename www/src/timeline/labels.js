// When a bar gets a microbatch label, and at what size. Pure: the renderer measures the width of
// one digit once per font and passes it in, so these decisions are testable without a canvas.

export const LABEL_MIN_FONT_PX = 8;
export const LABEL_MAX_FONT_PX = 11;
const PAD_PX = 2;

/** Font size for labels on a bar (or bar half) `heightPx` tall; 0 when too thin for any label. */
export function labelFontPx(heightPx) {
  const f = Math.min(LABEL_MAX_FONT_PX, Math.floor(heightPx - 3));
  return f >= LABEL_MIN_FONT_PX ? f : 0;
}

/**
 * Font size for the labels of one half of an OV bar: halves are half as tall, so they may use a
 * smaller font (7 px) and less padding than whole bars before giving up.
 */
export function halfLabelFontPx(halfHeightPx) {
  const f = Math.min(LABEL_MAX_FONT_PX, Math.floor(halfHeightPx - 2));
  return f >= 7 ? f : 0;
}

/** Whether `chars` characters of `charWidthPx` each fit inside a bar `widthPx` wide with padding. */
export function labelFits(chars, widthPx, charWidthPx) {
  return chars * charWidthPx + 2 * PAD_PX <= widthPx;
}

/** Decimal digits of a non-negative integer, without building a string. */
export function digitCount(n) {
  let d = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    d++;
  }
  return d;
}
