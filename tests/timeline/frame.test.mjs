import test from 'node:test';
import assert from 'node:assert/strict';
import { walkFrame } from '../../www/src/timeline/frame.js';
import { prepareRun, rowsOfMicrobatch } from '../../www/src/timeline/run-data.js';
import { computeLayout } from '../../www/src/timeline/layout.js';
import { createPalette, plainKey, KIND } from '../../www/src/timeline/palette.js';
import { make1F1B, make1F1BOverlap, makeMillion } from './fixture-data.mjs';

// Perfetto-style layout test: draw into a text grid (one character per px) and compare with a
// stored picture. F = forward, B = full backward, # = merged sub-pixel ops of several kinds.
function ascii(runs, layout, view, widthPx, extra = {}) {
  const palette = createPalette('light', 1);
  const sym = ['F', 'b', 'W', 'B', '#'];
  const grid = layout.rows.map(() => Array(widthPx).fill('.'));
  const rowOfY = new Map(layout.rows.map((r, i) => [r.barTopPx, i]));
  const calls = { bars: 0, labels: [], dimBars: 0, acts: 0 };
  const stats = walkFrame({
    runs, layout, view, xStartPx: 0, xEndPx: widthPx, scrollTopPx: 0, viewHeightPx: 1e6, yOffsetPx: 0,
    palette, highlight: null, digitWidthEm: 0.6, ...extra,
  }, {
    band() {}, grid() {},
    act() { calls.acts++; },
    label(text, cx, cy, fontPx, key, dim) { calls.labels.push({ text, cx, dim }); },
    bar(key, x, y, w, h, dim) {
      calls.bars++;
      if (dim) calls.dimBars++;
      const r = rowOfY.get(y);
      if (r === undefined) return; // lower OV half
      for (let c = Math.round(x); c < Math.round(x + w); c++) if (c >= 0 && c < widthPx) grid[r][c] = sym[key];
    },
  });
  return { text: grid.map((l, d) => `dev${d} |${l.join('')}|`).join('\n'), stats, calls };
}

test('walkFrame draws 1F1B 4x8 (F=1, BW=2) as the CLI times it', () => {
  const run = prepareRun(make1F1B(), '', 1);
  const { text } = ascii([run], computeLayout([{ numDevices: 4 }]), { t0: 0, t1: 33 }, 66);
  assert.equal(text, [
    'dev0 |FFFFFFFF............BBBBFFBBBBFFBBBBFFBBBBFFBBBB..BBBB..BBBB..BBBB|',
    'dev1 |..FFFFFF........BBBBFFBBBBFFBBBBFFBBBBFFBBBBFFBBBB..BBBB..BBBB....|',
    'dev2 |....FFFF....BBBBFFBBBBFFBBBBFFBBBBFFBBBBFFBBBBFFBBBB..BBBB........|',
    'dev3 |......FFBBBBFFBBBBFFBBBBFFBBBBFFBBBBFFBBBBFFBBBBFFBBBB............|',
  ].join('\n'));
});

test('walkFrame merges sub-pixel ops when zoomed out', () => {
  const run = prepareRun(make1F1B(), '', 1);
  // 33 time units in 11 px: F is a third of a pixel, BW two thirds.
  const { text, stats } = ascii([run], computeLayout([{ numDevices: 4 }]), { t0: 0, t1: 33 }, 11);
  assert.equal(text, [
    'dev0 |F..########|', // warm-up forwards alone merge into one F-coloured span
    'dev1 |F..#######.|',
    'dev2 |.#########.|', // a 2-unit bubble is under a pixel: merged across
    'dev3 |.########..|',
  ].join('\n'));
  assert.ok(stats.mixed > 0);
});

test('walkFrame draws only ops inside the time window', () => {
  const run = prepareRun(make1F1B(), '', 1);
  // Time 10..14 at 10 px per unit: dev0 runs BW0 10-12, F4 12-13, BW1 13-15 (clipped at 14);
  // bars 5 px or wider keep a 1 px gap on their right.
  const { text, calls } = ascii([run], computeLayout([{ numDevices: 4 }]), { t0: 10, t1: 14 }, 40);
  assert.equal(text.split('\n')[0], 'dev0 |BBBBBBBBBBBBBBBBBBB.FFFFFFFFF.BBBBBBBBB.|');
  assert.ok(calls.bars <= 4 * 4, `only the few visible ops are drawn (${calls.bars})`);
  assert.deepEqual(calls.labels.filter((l) => l.cx < 40 && l.cx > 0).length, calls.labels.length);
});

test('walkFrame labels bars wide enough for their microbatch number only', () => {
  const run = prepareRun(make1F1B(), '', 1);
  const layout = computeLayout([{ numDevices: 4 }]);
  const wide = ascii([run], layout, { t0: 0, t1: 33 }, 660).calls.labels.length;
  const narrow = ascii([run], layout, { t0: 0, t1: 33 }, 66).calls.labels.length;
  assert.equal(wide, 64, 'every op labelled at 20 px per time unit');
  assert.equal(narrow, 0, 'F is 2 px wide at 2 px per time unit: no label fits');
});

test('walkFrame with a highlight dims the run and redraws the chain at full colour', () => {
  const run = prepareRun(make1F1B(), '', 1);
  const layout = computeLayout([{ numDevices: 4 }]);
  const rows = rowsOfMicrobatch(run, 3);
  const { calls } = ascii([run], layout, { t0: 0, t1: 33 }, 660, { highlight: { run: 0, microbatches: [3], rows } });
  assert.equal(calls.dimBars, 64);
  assert.equal(calls.bars, 64 + 8);
  const bright = calls.labels.filter((l) => !l.dim);
  assert.deepEqual(bright.map((l) => l.text), Array(8).fill('3'));
  assert.ok(!calls.labels.some((l) => l.dim && l.text === '3'), 'the dimmed copy of the chain is not labelled twice');
});

test('walkFrame draws OV as a forward half over a full-backward half', () => {
  const run = prepareRun(make1F1BOverlap(), '', 1);
  const layout = computeLayout([{ numDevices: 4 }]);
  const bars = [];
  walkFrame({
    runs: [run], layout, view: { t0: 0, t1: run.extent }, xStartPx: 0, xEndPx: 1000, scrollTopPx: 0, viewHeightPx: 1e6,
    yOffsetPx: 0, palette: createPalette('light', 1), highlight: null,
  }, { band() {}, grid() {}, act() {}, label() {}, bar: (key, x, y, w, h) => bars.push({ key, y, h }) });
  const row0 = layout.rows[0];
  const top = bars.filter((b) => b.y === row0.barTopPx && b.h === row0.barHeightPx / 2);
  const bottom = bars.filter((b) => b.y === row0.barTopPx + row0.barHeightPx / 2);
  assert.ok(top.length > 0 && top.every((b) => b.key === plainKey(KIND.F, 0, 1)));
  assert.equal(bottom.length, top.length);
  assert.ok(bottom.every((b) => b.key === plainKey(KIND.BW, 0, 1)));
});

test('walkFrame on a million ops zoomed out emits a few spans per row', () => {
  const run = prepareRun(makeMillion(), '', 1);
  const layout = computeLayout([{ numDevices: 64 }], { viewportHeightPx: 700 });
  const { calls, stats } = ascii([run], layout, { t0: 0, t1: run.extent }, 1000);
  assert.ok(stats.spans < 64 * 20, `spans ${stats.spans}`);
  assert.ok(calls.acts <= 64 * 1000 * 1.2, `activation rects ${calls.acts}`);
});
