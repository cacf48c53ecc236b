import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { exportSVG } from '../../www/src/timeline/export-svg.js';
import { prepareRun } from '../../www/src/timeline/run-data.js';
import { computeLayout } from '../../www/src/timeline/layout.js';
import { createPalette } from '../../www/src/timeline/palette.js';
import { make1F1B, make1F1BOverlap, makeMillion } from './fixture-data.mjs';

// Ticks as d3's linear scale would place them for 0..33 (the export takes them ready-made).
function ticksFor(view, x0, x1, step) {
  const out = [];
  for (let t = Math.ceil(view.t0 / step) * step; t <= view.t1; t += step) out.push({ xPx: x0 + ((t - view.t0) * (x1 - x0)) / (view.t1 - view.t0), text: String(t) });
  return out;
}

function exportOf(results, { widthPx = 900, theme = 'light', view } = {}) {
  const runs = results.map(([label, r]) => prepareRun(r, label, 1));
  const layout = computeLayout(runs.map((r) => ({ label: r.label, numDevices: r.numDevices })));
  const v = view ?? { t0: 0, t1: Math.max(...runs.map((r) => r.extent)) };
  return exportSVG({ runs, layout, view: v, widthPx, palette: createPalette(theme, 1), ticks: ticksFor(v, 76, widthPx - 12, 5) });
}

// Observable Plot-style snapshot: on mismatch the new output is written beside the stored one as
// NAME-changed.svg (git-ignored) to look at; delete the stored file to accept a new look.
function snapshot(name, svg) {
  const file = new URL(`./snapshots/${name}.svg`, import.meta.url);
  if (!existsSync(file)) {
    writeFileSync(file, svg);
    return;
  }
  const stored = readFileSync(file, 'utf8');
  if (stored !== svg) writeFileSync(new URL(`./snapshots/${name}-changed.svg`, import.meta.url), svg);
  assert.equal(svg, stored, `snapshot ${name} changed: see snapshots/${name}-changed.svg`);
}

test('exportSVG of 1F1B 4x8 matches the stored snapshot', () => {
  snapshot('1f1b-4x8-light', exportOf([['1F1B', make1F1B()]]).svg);
});

test('exportSVG of compare mode (dark) matches the stored snapshot', () => {
  snapshot('compare-dark', exportOf([['1F1B', make1F1B()], ['1F1B overlap', make1F1BOverlap()]], { theme: 'dark' }).svg);
});

test('exportSVG is a standalone document with legend, axis, device labels and one rect per op', () => {
  const { svg, heightPx } = exportOf([['1F1B', make1F1B()]]);
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="900" height="\d+"/);
  assert.ok(heightPx > 150);
  assert.ok(svg.endsWith('</svg>'));
  for (const text of ['F forward', 'BW full backward', '>dev 0<', '>dev 3<', '>30<', 'act ≤4']) assert.ok(svg.includes(text), text);
  const bars = svg.slice(svg.indexOf('<g shape-rendering="crispEdges">'));
  const opRects = (bars.slice(0, bars.indexOf('</g>\n<g text-anchor')).match(/<rect /g) ?? []).length;
  assert.ok(opRects >= 64, `bars + activation steps: ${opRects}`);
  assert.equal((svg.match(/<text/g) ?? []).length - (svg.match(/<\/text>/g) ?? []).length, 0);
  assert.ok(!/NaN|undefined/.test(svg));
});

test('exportSVG of a million ops stays small thanks to level-of-detail merging', () => {
  const { svg } = exportOf([['1M', makeMillion()]], { widthPx: 1200 });
  assert.ok(svg.length < 3_000_000, `${(svg.length / 1e6).toFixed(1)} MB`);
  assert.ok(svg.includes('merged'), 'the legend explains merged spans');
});
