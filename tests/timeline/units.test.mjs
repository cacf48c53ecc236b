// The time axis names its unit: op_times units have none ("time"); a projected run's times are
// ms (wasm/API.md), so its axis, hover and standalone SVG say so, and only when every run shown is.
import test from 'node:test';
import assert from 'node:assert/strict';
import { exportSVG } from '../../www/src/timeline/export-svg.js';
import { prepareRun } from '../../www/src/timeline/run-data.js';
import { computeLayout } from '../../www/src/timeline/layout.js';
import { createPalette } from '../../www/src/timeline/palette.js';
import { axisTitle, timeUnitOfRuns } from '../../www/src/timeline/chrome.js';
import { describeOp } from '../../www/src/timeline/describe.js';
import { make1F1B } from './fixture-data.mjs';

const projected = () => ({ ...make1F1B(), projection: { time_unit: 'ms' } });

function svgOf(results) {
  const runs = results.map((r, i) => prepareRun(r, `run ${i}`, 1));
  const layout = computeLayout(runs.map((r) => ({ label: r.label, numDevices: r.numDevices })));
  const view = { t0: 0, t1: 33 };
  return exportSVG({ runs, layout, view, widthPx: 900, palette: createPalette('light', 1), ticks: [{ xPx: 76, text: '0' }] }).svg;
}

test('the axis says "time (ms)" for projected runs and "time" otherwise', () => {
  const plain = [prepareRun(make1F1B(), 'a', 1)];
  const ms = [prepareRun(projected(), 'b', 1)];
  assert.equal(axisTitle(plain), 'time');
  assert.equal(axisTitle(ms), 'time (ms)');
  assert.equal(timeUnitOfRuns([...plain, ...ms]), '', 'mixed runs share no unit');
  assert.match(svgOf([projected()]), />time \(ms\)</);
  assert.match(svgOf([make1F1B()]), />time</);
  assert.doesNotMatch(svgOf([make1F1B()]), /\(ms\)/);
});

test('the hover gives a projected op\'s start, end and duration in ms', () => {
  const run = prepareRun(projected(), 'b', 1);
  const lines = Object.fromEntries(describeOp(run, 0, 1).lines);
  assert.match(lines.start, / ms$/);
  assert.match(lines.duration, /^\d+(\.\d+)? ms$/);
  const plain = Object.fromEntries(describeOp(prepareRun(make1F1B(), 'a', 1), 0, 1).lines);
  assert.doesNotMatch(plain.end, /ms/);
});
