import test from 'node:test';
import assert from 'node:assert/strict';
import { hitTestRow, pickOp } from '../../www/src/timeline/hit-test.js';
import { lowerBound, upperBound, visibleOps } from '../../www/src/timeline/search.js';
import { prepareRun } from '../../www/src/timeline/run-data.js';
import { computeLayout } from '../../www/src/timeline/layout.js';
import { make1F1B } from './fixture-data.mjs';

// One device row: ops [0,1) [1,3) gap [5,6) [6,6) (zero length) [8,10)
const start = Float64Array.from([0, 1, 5, 6, 8]);
const end = Float64Array.from([1, 3, 6, 6, 10]);

test('lowerBound/upperBound return the first index at or past x', () => {
  assert.equal(lowerBound(start, 0, 5, 5), 2);
  assert.equal(upperBound(start, 0, 5, 5), 3);
  assert.equal(lowerBound(start, 0, 5, 11), 5);
  assert.equal(upperBound(start, 0, 5, -1), 0);
});

test('visibleOps(t0, t1) keeps ops overlapping the window and drops ones ending at t0', () => {
  assert.deepEqual(visibleOps(start, end, 0, 5, 1, 5), [1, 2]);
  assert.deepEqual(visibleOps(start, end, 0, 5, 0.5, 8.5), [0, 5]);
  assert.deepEqual(visibleOps(start, end, 0, 5, 10, 12), [5, 5]);
});

test('hitTestRow returns the op holding the time, later op at a shared edge', () => {
  assert.equal(hitTestRow(start, end, 0, 5, 0), 0);
  assert.equal(hitTestRow(start, end, 0, 5, 0.999), 0);
  assert.equal(hitTestRow(start, end, 0, 5, 1), 1);
  assert.equal(hitTestRow(start, end, 0, 5, 2.5), 1);
  assert.equal(hitTestRow(start, end, 0, 5, 9.99), 4);
});

test('hitTestRow in a gap returns -1 without tolerance and the nearest edge within it', () => {
  assert.equal(hitTestRow(start, end, 0, 5, 4), -1);
  assert.equal(hitTestRow(start, end, 0, 5, 3.4, 0.5), 1);
  assert.equal(hitTestRow(start, end, 0, 5, 4.6, 0.5), 2);
  assert.equal(hitTestRow(start, end, 0, 5, 4, 0.5), -1);
  assert.equal(hitTestRow(start, end, 0, 5, 10, 0), 4, 'end edge itself is within zero tolerance');
  assert.equal(hitTestRow(start, end, 0, 5, 10.5, 0.2), -1);
  assert.equal(hitTestRow(start, end, 0, 5, -0.1, 0.2), 0);
});

test('hitTestRow finds a zero-length op by tolerance and respects the row slice', () => {
  assert.equal(hitTestRow(start, end, 0, 5, 7, 1.5), 3);
  assert.equal(hitTestRow(start, end, 2, 4, 0.5, 0), -1, 'ops outside [lo, hi) are never returned');
  assert.equal(hitTestRow(start, end, 3, 3, 6, 10), -1);
});

test('pickOp maps a point to the 1F1B op under it', () => {
  const run = prepareRun(make1F1B(), '', 1);
  const layout = computeLayout([{ numDevices: 4, label: '' }]);
  const view = { t0: 0, t1: 33 };
  // 330 px for 33 time units: 10 px per unit, plot starting at x = 100.
  const r2 = layout.rows[2];
  const y = r2.barTopPx + 1;
  // device 2 starts with F0 at time 2.
  const hit = pickOp([run], layout, view, 100, 430, 100 + 25, y, 0);
  assert.equal(hit.run, 0);
  assert.equal(run.kind[hit.row], 0);
  assert.equal(run.microbatch[hit.row], 0);
  assert.equal(run.start[hit.row], 2);
  assert.equal(pickOp([run], layout, view, 100, 430, 100 + 5, y, 0), null, 'before device 2 starts');
  assert.equal(pickOp([run], layout, view, 100, 430, 125, r2.actTopPx + 1, 0), null, 'activation strip is not a bar');
});
