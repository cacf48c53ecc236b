import test from 'node:test';
import assert from 'node:assert/strict';
import { clampView, zoomView, panView, viewScale, fullView } from '../../www/src/timeline/scales.js';
import { computeLayout, rowAt, firstRowBelow, HEADER_HEIGHT_PX } from '../../www/src/timeline/layout.js';

test('zoomView keeps the anchor time at the same screen position', () => {
  const v = { t0: 0, t1: 33 };
  const before = viewScale(v, 100, 430);
  const z = zoomView(v, 11, 0.5, 33);
  const after = viewScale(z, 100, 430);
  assert.ok(Math.abs(before.x(11) - after.x(11)) < 1e-9);
  assert.ok(Math.abs(z.t1 - z.t0 - 16.5) < 1e-9);
});

test('zoomView out past the extent returns the full extent', () => {
  assert.deepEqual(zoomView({ t0: 5, t1: 10 }, 7, 100, 33), { t0: 0, t1: 33 });
});

test('panView stops at both ends and keeps the span', () => {
  assert.deepEqual(panView({ t0: 0, t1: 10 }, -5, 33), { t0: 0, t1: 10 });
  assert.deepEqual(panView({ t0: 20, t1: 30 }, 10, 33), { t0: 23, t1: 33 });
  assert.deepEqual(panView({ t0: 10, t1: 20 }, 2.5, 33), { t0: 12.5, t1: 22.5 });
});

test('clampView repairs garbage and enforces the minimum span', () => {
  assert.deepEqual(clampView({ t0: NaN, t1: 3 }, 33), fullView(33));
  assert.deepEqual(clampView({ t0: 5, t1: 5 }, 33), fullView(33));
  const tiny = clampView({ t0: 10, t1: 10 + 1e-12 }, 33);
  assert.ok(tiny.t1 - tiny.t0 >= 33 * 1e-7 * 0.999);
  assert.deepEqual(fullView(0), { t0: 0, t1: 1 });
});

test('computeLayout at preferred size stacks devices, groups only in compare mode', () => {
  const one = computeLayout([{ label: 'a', numDevices: 4 }]);
  assert.equal(one.rows.length, 4);
  assert.equal(one.groups.length, 0);
  assert.equal(one.barHeightPx, 24);
  const two = computeLayout([{ label: 'a', numDevices: 4 }, { label: 'b', numDevices: 2 }]);
  assert.deepEqual(two.groups.map((g) => g.label), ['a', 'b']);
  assert.ok(two.rows[4].topPx >= two.groups[1].topPx + two.groups[1].heightPx);
});

test('computeLayout shrinks rows to fit a viewport, never below the minimum', () => {
  const fit = computeLayout([{ label: '', numDevices: 64 }], { viewportHeightPx: 700 });
  assert.ok(HEADER_HEIGHT_PX + fit.contentHeightPx <= 700, `content ${fit.contentHeightPx}`);
  const tight = computeLayout([{ label: '', numDevices: 256 }], { viewportHeightPx: 400 });
  assert.equal(tight.barHeightPx, 4);
  assert.ok(tight.contentHeightPx > 400, 'too many rows: the content scrolls');
});

test('rowAt tells the bar lane from the activation strip and the gap', () => {
  const l = computeLayout([{ label: '', numDevices: 3 }]);
  const r1 = l.rows[1];
  assert.equal(rowAt(l.rows, r1.barTopPx).part, 'bar');
  assert.equal(rowAt(l.rows, r1.barTopPx).row.device, 1);
  assert.equal(rowAt(l.rows, r1.actTopPx + 1).part, 'act');
  assert.equal(rowAt(l.rows, r1.topPx), null, 'top gap');
  assert.equal(rowAt(l.rows, 1e6), null);
  assert.equal(firstRowBelow(l.rows, r1.topPx), 1);
});
