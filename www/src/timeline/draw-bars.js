// The canvas sink for frame.walkFrame: collects primitives per colour during the walk, then draws
// them with coordinates snapped to device pixels so edges stay sharp at any devicePixelRatio.
// Two ways to put the same pixels on screen:
// - few rects: one path per colour (one fillStyle change and one fill per colour, Perfetto-style);
// - many rects (a million-op run at about one op per pixel): Chromium's software rasteriser
//   spends ~0.7 µs per rect (40k rects, 30+ ms), so the rects are written straight into a
//   reused pixel buffer and put on the canvas in one putImageData, whose cost depends on the
//   canvas area, not on the number of ops.
// Both give identical pixels: every edge is on a device pixel, nothing is anti-aliased.

/** Above this many rects the pixel buffer wins over canvas paths. */
export const PIXEL_PATH_FROM_RECTS = 3000;

class RectBatch {
  constructor() {
    this.data = new Float32Array(256);
    this.n = 0;
  }
  push(x, y, w, h) {
    if (this.n + 4 > this.data.length) {
      const grown = new Float32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    const d = this.data;
    d[this.n] = x; d[this.n + 1] = y; d[this.n + 2] = w; d[this.n + 3] = h;
    this.n += 4;
  }
}

export class CanvasSink {
  constructor() {
    this.bars = [];    // index: key for normal bars, numKeys + key for dimmed ones
    this.bands = new RectBatch();
    this.acts = new RectBatch();
    this.grids = new RectBatch();
    this.labels = new Map(); // "font|colour" -> {fontPx, colour, items: [text, cx, cy, ...]}
  }

  reset(palette) {
    const numKeys = palette.numKeys;
    this.palette = palette;
    this.numKeys = numKeys;
    while (this.bars.length < 2 * numKeys) this.bars.push(new RectBatch());
    for (const b of this.bars) b.n = 0;
    this.bands.n = 0;
    this.acts.n = 0;
    this.grids.n = 0;
    for (const l of this.labels.values()) l.items.length = 0;
  }

  band(x, y, w, h) { this.bands.push(x, y, w, h); }
  grid(x, y0, y1) { this.grids.push(x, y0, 1, y1 - y0); }
  bar(key, x, y, w, h, dim) { this.bars[dim ? this.numKeys + key : key].push(x, y, w, h); }
  act(x, y, w, h) { this.acts.push(x, y, w, h); }
  label(text, cx, cy, fontPx, key, dim) {
    const colour = dim ? this.palette.dimLabel[key] : this.palette.label[key];
    const id = `${fontPx}|${colour}`;
    let l = this.labels.get(id);
    if (!l) {
      l = { fontPx, colour, items: [] };
      this.labels.set(id, l);
    }
    l.items.push(text, cx, cy);
  }

  /**
   * Draws everything collected, in CSS px scaled by dpr, clipped to clip {x, y, w, h} (CSS px).
   * Order: bands, grid, dimmed bars, bars, activation strips, labels. pixelPath forces one way.
   */
  flush(ctx, dpr, palette, clip, fontFamily, { pixelPath } = {}) {
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    const cx = Math.round(clip.x * dpr);
    const cy = Math.round(clip.y * dpr);
    const cw = Math.round(clip.w * dpr);
    const ch = Math.round(clip.h * dpr);
    ctx.beginPath();
    ctx.rect(cx, cy, cw, ch);
    ctx.clip();
    // Layers in draw order.
    const K = this.numKeys;
    // [batch, colour, hairline, isBar]
    const layers = [[this.bands, palette.rowBand, false, false], [this.grids, palette.grid, true, false]];
    for (let k = 0; k < K; k++) layers.push([this.bars[K + k], palette.dimFill[k], false, true]);
    for (let k = 0; k < K; k++) layers.push([this.bars[k], palette.fill[k], false, true]);
    layers.push([this.acts, palette.activation, false, false]);
    const rects = layers.reduce((n, [b]) => n + b.n / 4, 0);
    this.usedPixels = pixelPath ?? rects >= PIXEL_PATH_FROM_RECTS;
    if (this.usedPixels) {
      this.pixels = putPixels(ctx, dpr, layers, cx, cy, cw, ch, this.pixels);
    } else {
      for (const [batch, colour, hairline] of layers) fillBatch(ctx, dpr, batch, colour, hairline);
    }
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    for (const l of this.labels.values()) {
      if (!l.items.length) continue;
      ctx.font = `${Math.round(l.fontPx * dpr)}px ${fontFamily}`;
      ctx.fillStyle = l.colour;
      const it = l.items;
      for (let i = 0; i < it.length; i += 3) ctx.fillText(it[i], it[i + 1] * dpr, it[i + 2] * dpr + 0.5 * dpr);
    }
    ctx.restore();
  }
}

// One path per colour. Edges are rounded to device pixels; anything under a device pixel still
// gets one so a lone thin op stays visible. Grid lines are exactly one device pixel wide.
function fillBatch(ctx, dpr, batch, colour, hairline = false) {
  if (!batch || batch.n === 0) return;
  const d = batch.data;
  ctx.fillStyle = colour;
  ctx.beginPath();
  for (let i = 0; i < batch.n; i += 4) {
    const x0 = Math.round(d[i] * dpr);
    let x1 = hairline ? x0 + 1 : Math.round((d[i] + d[i + 2]) * dpr);
    const y0 = Math.round(d[i + 1] * dpr);
    let y1 = Math.round((d[i + 1] + d[i + 3]) * dpr);
    if (x1 <= x0) x1 = x0 + 1;
    if (y1 <= y0) y1 = y0 + 1;
    ctx.rect(x0, y0, x1 - x0, y1 - y0);
  }
  ctx.fill();
}

/** '#rrggbb' or 'rgba(r, g, b, a)' as a little-endian RGBA uint32 (non-premultiplied, as ImageData). */
export function packColour(colour) {
  let r;
  let g;
  let b;
  let a = 255;
  const m = /^rgba?\(([^)]+)\)$/.exec(colour);
  if (m) {
    const p = m[1].split(',').map((v) => parseFloat(v));
    [r, g, b] = p;
    if (p.length > 3) a = Math.round(p[3] * 255);
  } else {
    const h = colour.replace('#', '');
    r = parseInt(h.slice(0, 2), 16);
    g = parseInt(h.slice(2, 4), 16);
    b = parseInt(h.slice(4, 6), 16);
  }
  return ((a << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

// Writes every layer into a buffer covering the clip (device px) and puts it in one call. Later
// layers overwrite earlier ones, as opaque fills would; the translucent row bands are written
// first, so they only ever sit on empty pixels. Returns the ImageData to reuse next frame.
//
// Bars are the bulk (tens of thousands when zoomed out) and every bar of a device row spans the
// same pixel rows (an OV bar splits them into two lanes). So a bar is written only on the first
// pixel row of each lane it covers, and each lane's first row is then copied down the lane: the
// work per bar no longer grows with bar height or devicePixelRatio. What lies under the bars in
// a lane (row band, vertical grid lines) is the same on every pixel row, so the copy is exact.
function putPixels(ctx, dpr, layers, cx, cy, cw, ch, reuse) {
  if (cw <= 0 || ch <= 0) return reuse;
  const img = reuse && reuse.width === cw && reuse.height === ch ? reuse : new ImageData(cw, ch);
  const px = new Uint32Array(img.data.buffer);
  px.fill(0);
  const laneStart = new Uint8Array(ch + 1);
  const inLane = new Uint8Array(ch + 1);
  // Pass 1: which pixel rows start a lane. Consecutive bars nearly always share their rows, so
  // only a change of rows costs a loop.
  for (const [batch, , , isBar] of layers) {
    if (!isBar) continue;
    const d = batch.data;
    let lastY = NaN;
    let lastH = NaN;
    for (let i = 0; i < batch.n; i += 4) {
      if (d[i + 1] === lastY && d[i + 3] === lastH) continue;
      lastY = d[i + 1];
      lastH = d[i + 3];
      const [y0, y1] = rowSpan(d[i + 1], d[i + 3], dpr, cy, ch);
      if (y1 <= y0) continue;
      laneStart[y0] = 1;
      for (let y = y0; y < y1; y++) inLane[y] = 1;
    }
  }
  // Pass 2: every layer; bars only on their lanes' first rows.
  const starts = [];
  for (const [batch, colour, hairline, isBar] of layers) {
    if (batch.n === 0) continue;
    const c = packColour(colour);
    const d = batch.data;
    let lastY = NaN;
    let lastH = NaN;
    let y0 = 0;
    let y1 = 0;
    for (let i = 0; i < batch.n; i += 4) {
      if (d[i + 1] !== lastY || d[i + 3] !== lastH) {
        lastY = d[i + 1];
        lastH = d[i + 3];
        [y0, y1] = rowSpan(d[i + 1], d[i + 3], dpr, cy, ch);
        starts.length = 0;
        for (let y = y0; y < y1; y++) if (!isBar || laneStart[y]) starts.push(y);
      }
      if (y1 <= y0) continue;
      let x0 = Math.round(d[i] * dpr);
      let x1 = hairline ? x0 + 1 : Math.round((d[i] + d[i + 2]) * dpr);
      if (x1 <= x0) x1 = x0 + 1;
      x0 = Math.max(x0, cx) - cx;
      x1 = Math.min(x1, cx + cw) - cx;
      const w = x1 - x0;
      if (w <= 0) continue;
      for (let k = 0; k < starts.length; k++) {
        const o = starts[k] * cw + x0;
        if (w <= 8) for (let x = 0; x < w; x++) px[o + x] = c;
        else px.fill(c, o, o + w);
      }
    }
  }
  // Pass 3: copy each lane's first row down the lane.
  for (let y = 1; y < ch; y++) {
    if (inLane[y] && !laneStart[y]) px.copyWithin(y * cw, (y - 1) * cw, y * cw);
  }
  ctx.putImageData(img, cx, cy);
  return img;
}

// Pixel rows [y0, y1) of a rect at y CSS px, h tall, relative to the clip's top, clipped to it.
function rowSpan(y, h, dpr, cy, ch) {
  let y0 = Math.round(y * dpr);
  let y1 = Math.round((y + h) * dpr);
  if (y1 <= y0) y1 = y0 + 1;
  y0 = Math.max(y0, cy) - cy;
  y1 = Math.min(y1, cy + ch) - cy;
  return [y0, y1];
}
