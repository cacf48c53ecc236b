import test from 'node:test';
import assert from 'node:assert/strict';
import { lodRow, lodSteps } from '../../www/src/timeline/lod.js';

const MIXED = 99;
function spans(start, end, keys, t0, pxPerTime, clip = [0, 1e9]) {
  const out = [];
  lodRow(Float64Array.from(start), Float64Array.from(end), Uint16Array.from(keys), 0, start.length, t0, pxPerTime, 0, clip[0], clip[1], MIXED, 1,
    (x0, x1, key, first, count) => out.push([+x0.toFixed(3), +x1.toFixed(3), key, first, count]));
  return out;
}

test('lodRow keeps ops a pixel or wider as they are', () => {
  assert.deepEqual(spans([0, 1, 3], [1, 3, 4], [0, 3, 0], 0, 10), [[0, 10, 0, 0, 1], [10, 30, 3, 1, 1], [30, 40, 0, 2, 1]]);
});

test('lodRow merges a run of sub-pixel ops into one span, MIXED when colours differ', () => {
  // 10 ops of 0.1 time at 5 px per time = 0.5 px each, back to back, alternating keys.
  const s = Array.from({ length: 10 }, (_, i) => i * 0.1);
  const e = s.map((v) => v + 0.1);
  const k = s.map((_, i) => i % 2);
  assert.deepEqual(spans(s, e, k, 0, 5), [[0, 5, MIXED, 0, 10]]);
  assert.deepEqual(spans(s, e, k.map(() => 2), 0, 5), [[0, 5, 2, 0, 10]], 'one colour keeps its colour');
});

test('lodRow splits merged runs at gaps of a pixel or more and at wide ops', () => {
  // px (at 1 px/time): [0,0.5) [0.8,1.2)  gap 2  [3.2,3.6)  wide [4,9)  [9.2,9.6)
  const got = spans([0, 0.8, 3.2, 4, 9.2], [0.5, 1.2, 3.6, 9, 9.6], [0, 1, 1, 0, 2], 0, 1);
  assert.deepEqual(got, [
    [0, 1.2, MIXED, 0, 2],
    [3.2, 3.6, 1, 2, 1],
    [4, 9, 0, 3, 1],
    [9.2, 9.6, 2, 4, 1],
  ]);
});

test('lodRow clips to the plot and measures width after clipping', () => {
  // A 10-px op that is 0.5 px inside the left edge becomes sub-pixel and merges with its neighbour.
  const got = spans([-9.5, 0.5, 2], [0.5, 0.9, 12], [0, 1, 3], 0, 1, [0, 5]);
  assert.deepEqual(got, [[0, 0.9, MIXED, 0, 2], [2, 5, 3, 2, 1]]);
});

test('lodSteps draws wide steps as is and sub-pixel steps as their maximum', () => {
  const out = [];
  // steps: 0 from 0, 1 from 1, 3 from 1.2, 2 from 1.4, 0 from 6; 1 px per time unit
  lodSteps(Float64Array.from([0, 1, 1.2, 1.4, 6]), Int32Array.from([0, 1, 3, 2, 0]), 0, 5, 10, 0, 10, 1, 0, 1,
    (x0, x1, v) => out.push([+x0.toFixed(3), +x1.toFixed(3), v]));
  // The two sub-pixel steps at 1..1.4 become one pixel-wide span at their maximum, 3.
  assert.deepEqual(out, [[0, 1, 0], [1, 2, 3], [1.4, 6, 2], [6, 10, 0]]);
});

test('lodSteps starts at the step holding t0 and stops at t1', () => {
  const out = [];
  lodSteps(Float64Array.from([0, 2, 4, 6]), Int32Array.from([1, 2, 3, 0]), 0, 4, 8, 3, 5, 10, 0, 1,
    (x0, x1, v) => out.push([x0, x1, v]));
  assert.deepEqual(out, [[0, 10, 2], [10, 20, 3]]);
});

test('lodRow with block summaries emits the same spans as op by op', async () => {
  const { buildOpBlocks } = await import('../../www/src/timeline/lod-index.js');
  // A long device row of random short ops and gaps, with a few wide ops and gaps mixed in.
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const n = 5000;
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  const keys = new Uint16Array(n);
  let t = 0;
  for (let i = 0; i < n; i++) {
    t += rand() < 0.02 ? 5 + rand() * 20 : rand() * 0.3;
    start[i] = t;
    t += rand() < 0.01 ? 30 * rand() : rand() * 0.8;
    end[i] = t;
    keys[i] = i % 700 < 400 ? 1 : (rand() * 3) | 0;
  }
  const blocks = buildOpBlocks(start, end, keys);
  for (const [t0, t1, widthPx] of [[0, t, 800], [t / 3, t / 2, 1200], [0, t, 40000]]) {
    const k = widthPx / (t1 - t0);
    const plain = [];
    const fast = [];
    lodRow(start, end, keys, 0, n, t0, k, 10, 10, 10 + widthPx, MIXED, 1, (...s) => plain.push(s.join()));
    lodRow(start, end, keys, 0, n, t0, k, 10, 10, 10 + widthPx, MIXED, 1, (...s) => fast.push(s.join()), blocks);
    assert.deepEqual(fast, plain);
  }
});
