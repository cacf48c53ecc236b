import test from 'node:test';
import assert from 'node:assert/strict';
import {
  createPalette, contrast, parseHex, plainKey, opKey, ovHalves, mixedOpKey, KIND, legendItems, chunkLegend,
} from '../../www/src/timeline/palette.js';
import { labelFits, labelFontPx, digitCount } from '../../www/src/timeline/labels.js';

const dist = (a, b) => Math.hypot(...parseHex(a).map((v, i) => v - parseHex(b)[i]));

for (const theme of ['light', 'dark']) {
  test(`createPalette(${theme}) gives each kind its own colour, far apart`, () => {
    const p = createPalette(theme, 1);
    const kinds = [0, 1, 2, 3].map((k) => p.fill[plainKey(k, 0, 1)]);
    for (let a = 0; a < kinds.length; a++) {
      for (let b = a + 1; b < kinds.length; b++) assert.ok(dist(kinds[a], kinds[b]) > 60, `${kinds[a]} vs ${kinds[b]}`);
      assert.ok(dist(kinds[a], p.fill[p.mixedKey]) > 60, 'merged grey differs from every kind');
    }
  });

  test(`createPalette(${theme}) label colours reach 4.5:1 contrast on every fill`, () => {
    const p = createPalette(theme, 4);
    p.fill.forEach((f, k) => assert.ok(contrast(f, p.label[k]) >= 4.5, `${p.label[k]} on ${f}: ${contrast(f, p.label[k]).toFixed(2)}`));
  });
}

test('createPalette shades chunks of one kind distinctly, chunk 0 being the pure hue', () => {
  const p = createPalette('light', 4);
  assert.equal(p.fill[plainKey(KIND.F, 0, 4)], '#0072b2');
  const shades = [0, 1, 2, 3].map((c) => p.fill[plainKey(KIND.F, c, 4)]);
  assert.equal(new Set(shades).size, 4);
  for (let a = 0; a < 4; a++) for (let b = a + 1; b < 4; b++) assert.ok(dist(shades[a], shades[b]) > 40);
});

test('dimmed fills are closer to the background than the normal ones', () => {
  const p = createPalette('light', 1);
  p.fill.forEach((f, k) => assert.ok(dist(p.dimFill[k], p.bg) < dist(f, p.bg)));
});

test('opKey of an OV op splits back into its forward and full-backward halves', () => {
  const C = 3;
  const key = opKey(KIND.OV, 2, 1, C);
  assert.deepEqual(ovHalves(key, C), [plainKey(KIND.F, 2, C), plainKey(KIND.BW, 1, C)]);
  assert.equal(ovHalves(opKey(KIND.W, 1, 0, C), C), null);
  assert.equal(ovHalves(mixedOpKey(C), C), null);
  assert.ok(key < mixedOpKey(C));
});

test('legendItems lists only kinds present, OV with two swatches; chunkLegend only with chunks', () => {
  const p = createPalette('light', 2);
  const items = legendItems(p, [true, false, false, false, true]);
  assert.deepEqual(items.map((i) => i.name), ['F', 'OV']);
  assert.equal(items[1].fills.length, 2);
  assert.equal(chunkLegend(p, [true]).length, 2);
  assert.equal(chunkLegend(createPalette('light', 1), [true]).length, 0);
});

test('labelFontPx gives no font to bars too thin to read', () => {
  assert.equal(labelFontPx(24), 11);
  assert.equal(labelFontPx(12), 9);
  assert.equal(labelFontPx(10), 0);
});

test('labelFits needs the digits plus padding inside the bar', () => {
  assert.equal(labelFits(1, 10, 6), true);
  assert.equal(labelFits(1, 9.9, 6), false);
  assert.equal(labelFits(4, 28, 6), true);
  assert.equal(labelFits(5, 28, 6), false);
  assert.deepEqual([0, 9, 10, 99, 100, 8191].map(digitCount), [1, 1, 2, 2, 3, 4]);
});

test('halfLabelFontPx lets OV halves of a 20 px bar keep their labels', async () => {
  const { halfLabelFontPx } = await import('../../www/src/timeline/labels.js');
  assert.equal(halfLabelFontPx(10), 8);
  assert.equal(halfLabelFontPx(12), 10);
  assert.equal(halfLabelFontPx(8), 0);
});
