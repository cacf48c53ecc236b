// The renderer in headless Chromium on its fixture page: hover, zoom, pan, keys, export.
// Skips when Debian's Chromium is not installed.
import test from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../scripts/static-server.mjs';
import { chromiumMissing, launchChromium } from '../chromium.mjs';

// The fixture page imports the renderer straight from www/: serve the whole repository.
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const skip = chromiumMissing;

test('timeline on the fixture page', { skip, timeout: 120_000 }, async (t) => {
  const server = await startServer(repo);
  const base = `${server.base}tests/timeline/fixture.html`;
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1000, height: 700 }, deviceScaleFactor: 2 });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const open = async (hash) => {
    await page.goto(`${base}#${hash}`);
    await page.reload(); // a hash-only change does not reload the page
    await page.waitForFunction(() => window.fixtureReady === true);
  };
  const view = () => page.evaluate(() => window.timeline.getView());
  const chartBox = async () => page.getByTestId('timeline').boundingBox();
  try {
    await open('case=1f1b');

    await t.test('canvas backing store is scaled by devicePixelRatio', async () => {
      const s = await page.evaluate(() => {
        const c = document.querySelector('[data-testid=timeline-canvas]');
        return { w: c.width, h: c.height, cw: c.clientWidth, ch: c.clientHeight };
      });
      assert.equal(s.w, s.cw * 2);
      assert.equal(s.h, s.ch * 2);
    });

    await t.test('hovering a bar shows the tooltip and reports the op; leaving hides it', async () => {
      // Device 1's first op: F(1, 0) from time 1 to 2.
      const row = await page.evaluate(() => window.runs[0].result.ops.device_offset[1]);
      const r = await page.evaluate((i) => window.timeline.rectOf(0, i), row);
      assert.ok(r && r.width > 10, JSON.stringify(r));
      const box = await chartBox();
      await page.mouse.move(box.x + r.x + r.width / 2, box.y + r.y + r.height / 2);
      const tip = page.getByTestId('tooltip');
      await tip.waitFor({ state: 'visible' });
      const text = await tip.textContent();
      assert.match(text, /F · forward/);
      assert.match(text, /microbatch0/);
      assert.match(text, /device1/);
      const last = await page.evaluate(() => window.hovers.at(-1));
      assert.deepEqual(
        { kind: last.kind, device: last.device, stage: last.stage, microbatch: last.microbatch, start: last.start, end: last.end, chunk: last.chunk },
        { kind: 'F', device: 1, stage: 1, microbatch: 0, start: 1, end: 2, chunk: 0 },
      );
      await page.mouse.move(box.x + 5, box.y + box.height - 3);
      await tip.waitFor({ state: 'hidden' });
      assert.equal(await page.evaluate(() => window.hovers.at(-1)), null);
    });

    await t.test('wheel zooms around the cursor and reports the view', async () => {
      const box = await chartBox();
      const r = await page.evaluate(() => window.timeline.rectOf(0, 4)); // BW0 on device 0, 10..12
      const x = box.x + r.x;
      await page.mouse.move(x, box.y + r.y + 2);
      const before = await view();
      const count = await page.evaluate(() => window.viewChanges.length);
      await page.mouse.wheel(0, -300);
      await page.waitForFunction((n) => window.viewChanges.length > n, count);
      const after = await view();
      assert.ok(after.t1 - after.t0 < before.t1 - before.t0, 'zoomed in');
      const r2 = await page.evaluate(() => window.timeline.rectOf(0, 4));
      assert.ok(Math.abs(box.x + r2.x - x) < 1.5, `time 10 stays under the cursor (${r2.x} vs ${r.x})`);
      assert.deepEqual(await page.evaluate(() => window.viewChanges.at(-1)), after);
    });

    await t.test('dragging pans the view by the distance dragged', async () => {
      const box = await chartBox();
      const before = await view();
      const pxPerTime = (box.width - 2 - 76 - 12) / (before.t1 - before.t0);
      const y = box.y + 150;
      await page.mouse.move(box.x + 500, y);
      await page.mouse.down();
      await page.mouse.move(box.x + 450, y, { steps: 5 });
      await page.mouse.move(box.x + 400, y, { steps: 5 });
      await page.mouse.up();
      const after = await view();
      assert.ok(Math.abs((after.t0 - before.t0) - 100 / pxPerTime) < 0.05 * (before.t1 - before.t0), JSON.stringify({ before, after }));
    });

    await t.test('W/S zoom and A/D pan while the chart has focus; double-click resets', async () => {
      await page.getByTestId('timeline').focus();
      const v0 = await view();
      await page.keyboard.press('w');
      const v1 = await view();
      assert.ok(v1.t1 - v1.t0 < v0.t1 - v0.t0);
      await page.keyboard.press('d');
      const v2 = await view();
      assert.ok(v2.t0 > v1.t0);
      await page.keyboard.press('a');
      await page.keyboard.press('a');
      const v3 = await view();
      assert.ok(v3.t0 < v2.t0);
      await page.keyboard.press('s');
      const v4 = await view();
      assert.ok(v4.t1 - v4.t0 > v3.t1 - v3.t0);
      const box = await chartBox();
      await page.mouse.dblclick(box.x + 400, box.y + 150);
      assert.deepEqual(await view(), { t0: 0, t1: 33 });
      assert.deepEqual(await page.evaluate(() => window.viewChanges.at(-1)), { t0: 0, t1: 33 });
    });

    await t.test('setView restores a window without reporting it back', async () => {
      const n = await page.evaluate(() => window.viewChanges.length);
      await page.evaluate(() => window.timeline.setView({ t0: 5, t1: 9 }));
      assert.deepEqual(await view(), { t0: 5, t1: 9 });
      assert.equal(await page.evaluate(() => window.viewChanges.length), n);
      await page.evaluate(() => window.timeline.setView({ t0: -100, t1: 1e9 }));
      assert.deepEqual(await view(), { t0: 0, t1: 33 }, 'clamped to the run');
      assert.equal(await page.evaluate(() => window.timeline.rectOf(0, 1e6)), null);
    });

    await t.test('the pixel-buffer path draws the same pixels as canvas paths', async () => {
      const diff = await page.evaluate(async () => {
        const { walkFrame } = await import('/www/src/timeline/frame.js');
        const { CanvasSink } = await import('/www/src/timeline/draw-bars.js');
        const { prepareRun } = await import('/www/src/timeline/run-data.js');
        const { computeLayout } = await import('/www/src/timeline/layout.js');
        const { createPalette, } = await import('/www/src/timeline/palette.js');
        const { make1F1B, make1F1BOverlap } = await import('/tests/timeline/fixture-data.mjs');
        const { rowsOfMicrobatch } = await import('/www/src/timeline/run-data.js');
        // OV halves make two pixel lanes per row; a highlight puts bright bars over dimmed ones.
        const runs = [make1F1B(), make1F1BOverlap()].map((r) => prepareRun(r, '', 1));
        const layout = computeLayout([{ numDevices: 4, label: 'a' }, { numDevices: 4, label: 'b' }], { viewportHeightPx: 300 });
        const palette = createPalette('dark', 1);
        const sink = new CanvasSink();
        const c = document.createElement('canvas');
        c.width = 1000;
        c.height = 800;
        const ctx = c.getContext('2d');
        let n = 0;
        let painted = 0;
        // Scrolled by a fractional amount too: rows cut by the top edge of the canvas.
        for (const scrollTopPx of [0, 37.3]) {
          sink.reset(palette);
          // 2.5 device px per CSS px and an odd zoom: edges land on fractional positions.
          walkFrame({ runs, layout, view: { t0: 3.3, t1: 29.1 }, xStartPx: 30.2, xEndPx: 390.7, scrollTopPx, viewHeightPx: 300,
            yOffsetPx: 0, palette, highlight: { run: 1, microbatches: [3], rows: rowsOfMicrobatch(runs[1], 3) }, ticksPx: [50.5, 200.25] }, sink);
          const shots = [false, true].map((pixelPath) => {
            ctx.clearRect(0, 0, c.width, c.height);
            sink.flush(ctx, 2.5, palette, { x: 30.2, y: 0, w: 360.5, h: 300 }, 'sans-serif', { pixelPath });
            return ctx.getImageData(0, 0, c.width, c.height).data;
          });
          for (let i = 0; i < shots[0].length; i++) {
            if (Math.abs(shots[0][i] - shots[1][i]) > 2) n++;
            if (shots[1][i]) painted++;
          }
        }
        return { n, painted };
      });
      assert.ok(diff.painted > 10000, 'something was drawn');
      assert.equal(diff.n, 0);
    });

    await t.test('toSVG and toPNG export the chart', async () => {
      const out = await page.evaluate(async () => {
        const svg = window.timeline.toSVG();
        const png = await window.timeline.toPNG(1);
        const head = new Uint8Array(await png.slice(0, 8).arrayBuffer());
        const bmp = await createImageBitmap(png);
        const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
        return {
          parses: !doc.querySelector('parsererror'), rects: doc.querySelectorAll('rect').length,
          type: png.type, head: [...head], w: bmp.width, h: bmp.height,
        };
      });
      assert.ok(out.parses);
      assert.ok(out.rects > 64);
      assert.equal(out.type, 'image/png');
      assert.deepEqual(out.head, [137, 80, 78, 71, 13, 10, 26, 10]);
      assert.ok(out.w > 900 && out.h > 150, `${out.w}x${out.h}`);
    });

    await t.test('compare mode stacks runs on one axis and hovers the right run', async () => {
      await open('case=compare');
      const r = await page.evaluate(() => window.timeline.rectOf(1, 0));
      const box = await chartBox();
      await page.mouse.move(box.x + r.x + r.width / 2, box.y + r.y + r.height / 2);
      await page.getByTestId('tooltip').waitFor({ state: 'visible' });
      const last = await page.evaluate(() => window.hovers.at(-1));
      assert.equal(last.runIndex, 1);
      assert.equal(last.row, 0);
      assert.match(await page.getByTestId('tooltip').textContent(), /run1F1B split backward/);
    });

    await t.test('rows that do not fit scroll with Shift+wheel; hover follows the scroll', async () => {
      await open('case=tall&height=200');
      const offsets = await page.evaluate(() => [...window.runs[0].result.ops.device_offset]);
      assert.ok(await page.evaluate((i) => window.timeline.rectOf(0, i), offsets[0]), 'device 0 shown first');
      assert.equal(await page.evaluate((i) => window.timeline.rectOf(0, i), offsets[31]), null, 'device 31 below the fold');
      const box = await chartBox();
      await page.mouse.move(box.x + 300, box.y + 120);
      await page.keyboard.down('Shift');
      for (let i = 0; i < 5; i++) await page.mouse.wheel(0, 200);
      await page.keyboard.up('Shift');
      await page.waitForFunction((i) => window.timeline.rectOf(0, i) !== null, offsets[31] + 40);
      assert.equal(await page.evaluate((i) => window.timeline.rectOf(0, i), offsets[0]), null, 'device 0 scrolled away');
      assert.deepEqual(await view(), { t0: 0, t1: (await page.evaluate(() => window.runs[0].result.makespan)) }, 'scrolling does not zoom');
      const r = await page.evaluate((i) => window.timeline.rectOf(0, i), offsets[31] + 40);
      await page.mouse.move(box.x + r.x + r.width / 2, box.y + r.y + r.height / 2);
      await page.getByTestId('tooltip').waitFor({ state: 'visible' });
      assert.equal(await page.evaluate(() => window.hovers.at(-1).device), 31);
      assert.equal(await page.evaluate(() => window.hovers.at(-1).row), offsets[31] + 40);
    });

    await t.test('a million ops: drawn zoomed out and zoomed in, frames timed', async () => {
      await open('case=million&height=700');
      const times = await page.evaluate(async () => {
        const frame = () => new Promise((r) => requestAnimationFrame(r));
        const measures = () => performance.getEntriesByName('ppemu:timeline-draw').map((e) => e.duration);
        performance.clearMeasures('ppemu:timeline-draw');
        const tl = window.timeline;
        const ext = tl.getView().t1;
        for (let i = 0; i < 30; i++) {
          const span = ext * 0.9 ** i;
          tl.setView({ t0: ext / 3, t1: ext / 3 + span });
          await frame();
        }
        return measures();
      });
      assert.equal(times.length, 30);
      times.sort((a, b) => a - b);
      t.diagnostic(`draw ms over 30 zoom steps: median ${times[15].toFixed(1)}, p95 ${times[28].toFixed(1)}, max ${times[29].toFixed(1)}`);
    });

    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await server.close();
  }
});
