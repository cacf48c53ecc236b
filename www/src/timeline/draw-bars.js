// The canvas sink for frame.walkFrame: collects primitives per colour during the walk, then draws
// each colour as one path (one fillStyle change and one fill per colour, Perfetto-style) with
// coordinates snapped to device pixels so edges stay sharp at any devicePixelRatio.

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
   * Order: bands, grid, dimmed bars, bars, labels, activation strips.
   */
  flush(ctx, dpr, palette, clip, fontFamily) {
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.beginPath();
    ctx.rect(Math.round(clip.x * dpr), Math.round(clip.y * dpr), Math.round(clip.w * dpr), Math.round(clip.h * dpr));
    ctx.clip();
    fillBatch(ctx, dpr, this.bands, palette.rowBand);
    fillBatch(ctx, dpr, this.grids, palette.grid, true);
    const K = this.numKeys;
    for (let k = 0; k < K; k++) fillBatch(ctx, dpr, this.bars[K + k], palette.dimFill[k]);
    for (let k = 0; k < K; k++) fillBatch(ctx, dpr, this.bars[k], palette.fill[k]);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    for (const l of this.labels.values()) {
      if (!l.items.length) continue;
      ctx.font = `${Math.round(l.fontPx * dpr)}px ${fontFamily}`;
      ctx.fillStyle = l.colour;
      const it = l.items;
      for (let i = 0; i < it.length; i += 3) ctx.fillText(it[i], it[i + 1] * dpr, it[i + 2] * dpr + 0.5 * dpr);
    }
    fillBatch(ctx, dpr, this.acts, palette.activation);
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
