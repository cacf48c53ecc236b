// Colours for the timeline: one hue per op kind from the Okabe–Ito set (readable with the common
// colour-vision deficiencies), one shade of that hue per chunk, and the theme's neutral colours.
// Pure: no DOM, no d3, so Node tests can check distinctness and contrast.

export const KIND_NAMES = ['F', 'B', 'W', 'BW', 'OV'];
export const KIND_TITLES = {
  F: 'forward',
  B: 'input backward',
  W: 'weight backward',
  BW: 'full backward',
  OV: 'overlapped F + BW',
};
export const KIND = { F: 0, B: 1, W: 2, BW: 3, OV: 4 };

// Okabe & Ito (2008). BW takes vermillion, not orange, so a compare view of 1F1B (BW) next to
// ZB-H1 (B, W) never shows two backward kinds in the same colour.
const KIND_BASE = ['#0072B2', '#E69F00', '#009E73', '#D55E00'];

// Shade steps for chunk c: positive mixes towards white, negative towards black. Chunk 0 is the
// pure hue so a one-chunk schedule shows the palette exactly as the legend names it.
const CHUNK_MIX = [0, 0.42, -0.32, 0.66, -0.5, 0.24, -0.18, 0.8];

// Activation strips take a muted reddish purple (the Okabe–Ito hue no op kind uses) so memory never
// reads as the grey of merged busy spans.
const THEMES = {
  light: {
    bg: '#ffffff', text: '#1f2328', muted: '#656d76', grid: '#eaeef2', axis: '#8c959f',
    rowBand: 'rgba(0,0,0,0.025)', mixed: '#8c959f', activation: '#dea8c6', arrow: '#1f2328',
    outline: '#000000', tooltipBg: 'rgba(255,255,255,0.97)', tooltipBorder: '#d0d7de', dimAmount: 0.78,
  },
  dark: {
    bg: '#0d1117', text: '#e6edf3', muted: '#8d96a0', grid: '#21262d', axis: '#6e7681',
    rowBand: 'rgba(255,255,255,0.03)', mixed: '#6e7681', activation: '#854f6d', arrow: '#f0f6fc',
    outline: '#ffffff', tooltipBg: 'rgba(22,27,34,0.97)', tooltipBorder: '#30363d', dimAmount: 0.72,
  },
};

export function parseHex(hex) {
  const h = hex.replace('#', '');
  return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16)];
}

export function toHex([r, g, b]) {
  const c = (v) => Math.max(0, Math.min(255, Math.round(v))).toString(16).padStart(2, '0');
  return `#${c(r)}${c(g)}${c(b)}`;
}

export function mix(hexA, hexB, amount) {
  const a = parseHex(hexA);
  const b = parseHex(hexB);
  return toHex(a.map((v, i) => v + (b[i] - v) * amount));
}

/** WCAG relative luminance of an #rrggbb colour, 0 (black) .. 1 (white). */
export function luminance(hex) {
  const lin = parseHex(hex).map((v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
}

export function contrast(hexA, hexB) {
  const [hi, lo] = [luminance(hexA), luminance(hexB)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** Black or white, whichever reads better on `fill`. */
export function labelColorOn(fill) {
  return contrast(fill, '#000000') >= contrast(fill, '#ffffff') ? '#000000' : '#ffffff';
}

export function chunkShade(baseHex, chunk) {
  const m = CHUNK_MIX[chunk % CHUNK_MIX.length] * (chunk >= CHUNK_MIX.length ? 0.5 : 1);
  return m >= 0 ? mix(baseHex, '#ffffff', m) : mix(baseHex, '#000000', -m);
}

// Colour keys. The palette's keys are what gets drawn: kind k (F, B, W, BW) of chunk c is
// k * C + c, and MIXED (a merged sub-pixel run of several colours) is 4 * C. Ops carry a wider
// key space (opKey) in which an OV op remembers both halves' chunks; OV is split into an F half
// and a BW half when drawn, so it never needs a palette entry of its own.
export function plainKey(kind, chunk, numChunks) {
  return kind * numChunks + chunk;
}
export function mixedKey(numChunks) {
  return 4 * numChunks;
}
export function opKey(kind, chunk, chunk2, numChunks) {
  return kind === KIND.OV ? 4 * numChunks + chunk * numChunks + chunk2 : kind * numChunks + chunk;
}
export function mixedOpKey(numChunks) {
  return 4 * numChunks + numChunks * numChunks;
}
/** For an OV op key, the palette keys of its forward (top) and full-backward (bottom) halves; null otherwise. */
export function ovHalves(key, numChunks) {
  const ov = key - 4 * numChunks;
  if (ov < 0 || ov >= numChunks * numChunks) return null;
  return [plainKey(KIND.F, Math.floor(ov / numChunks), numChunks), plainKey(KIND.BW, ov % numChunks, numChunks)];
}

/**
 * The palette for a theme and chunk count. fill[key] / label[key] are the normal colours,
 * dimFill[key] / dimLabel[key] the ones used for bars outside a highlighted chain.
 */
export function createPalette(theme = 'light', numChunks = 1) {
  const t = THEMES[theme] ?? THEMES.light;
  const C = Math.max(1, numChunks);
  const fill = [];
  for (let kind = 0; kind < 4; kind++) {
    for (let c = 0; c < C; c++) fill.push(chunkShade(KIND_BASE[kind], c));
  }
  fill.push(t.mixed);
  const label = fill.map(labelColorOn);
  const dimFill = fill.map((f) => mix(f, t.bg, t.dimAmount));
  const dimLabel = dimFill.map((f) => mix(labelColorOn(f), f, 0.45));
  return {
    ...t,
    theme: THEMES[theme] ? theme : 'light',
    numChunks: C,
    numKeys: fill.length,
    mixedKey: mixedKey(C),
    fill, label, dimFill, dimLabel,
  };
}

/** Legend entries for the kinds present: OV shows both halves' colours. */
export function legendItems(palette, kindsPresent, { mixedShown = false } = {}) {
  const C = palette.numChunks;
  const items = [];
  for (let kind = 0; kind < 5; kind++) {
    if (!kindsPresent[kind]) continue;
    const name = KIND_NAMES[kind];
    const fills = kind === KIND.OV
      ? [palette.fill[plainKey(KIND.F, 0, C)], palette.fill[plainKey(KIND.BW, 0, C)]]
      : [palette.fill[plainKey(kind, 0, C)]];
    items.push({ name, title: KIND_TITLES[name], fills });
  }
  if (mixedShown) items.push({ name: 'merged', title: 'several ops narrower than a pixel', fills: [palette.fill[palette.mixedKey]] });
  return items;
}

/** Shades of the first present kind for the chunk part of the legend (empty with one chunk). */
export function chunkLegend(palette, kindsPresent) {
  if (palette.numChunks < 2) return [];
  const kind = [0, 3, 1, 2].find((k) => kindsPresent[k]) ?? 0;
  const out = [];
  for (let c = 0; c < palette.numChunks; c++) out.push({ chunk: c, fill: palette.fill[plainKey(kind, c, palette.numChunks)] });
  return out;
}
