// Issue 5's page-level speed, measured inside headless Chromium on the real page (build/site):
//   (a) a changed setting on the default 4x8 run -> its new frame drawn
//   (b) the 1M-op link computed in the worker, transferred and drawn (cold page load, and a
//       setting change on the loaded page)
//   (c) frame times while zooming and panning the 1M-op run with synthetic wheel and drag input
// Times come from the page itself: the renderer's 'ppemu:timeline-draw' performance measures
// (JS time of each redraw, with the op count drawn in detail.ops), requestAnimationFrame
// timestamps, and the worker's messages (a wrapper around Worker logs when a request is posted
// and its reply arrives). Targets are printed beside the numbers, never asserted.
//
// Usage: node bench/page_bench.mjs [--site DIR] [--dpr N] [--fixture]
//   --site DIR   the built site to serve (default build/site; scripts/build-site makes it)
//   --dpr N      deviceScaleFactor (default 1)
//   --fixture    no WASM: measure (c) on the renderer's fixture page (tests/timeline/fixture.html)
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../scripts/static-server.mjs';
import { launchChromium } from '../tests/chromium.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const site = path.resolve(repo, opt('--site', 'build/site'));
const dpr = Number(opt('--dpr', '1')) || 1;
const fixtureOnly = args.includes('--fixture') || !existsSync(path.join(site, 'wasm', 'ppemu.wasm'));
const MILLION_HASH = '#strategy=1f1b&num_devices=64&num_stages=64&num_batches=8192';
const MILLION_OPS = 64 * 8192 * 2;

// Runs in the page before its scripts: records worker traffic and animation frames.
function instrument() {
  const log = { posts: [], replies: [], frames: null };
  window.__bench = log;
  const Native = window.Worker;
  window.Worker = class extends Native {
    constructor(...a) {
      super(...a);
      this.addEventListener('message', (e) => {
        if (e.data && e.data.type === 'result') log.replies.push({ id: e.data.id, t: performance.now(), ops: e.data.result?.num_ops ?? 0 });
      });
    }
    postMessage(msg, ...rest) {
      if (msg && (msg.type === 'simulate' || msg.type === 'simulateCsv')) log.posts.push({ id: msg.id, t: performance.now() });
      return super.postMessage(msg, ...rest);
    }
  };
  // rAF timestamps while recording (log.frames is an array only then).
  const tick = (t) => {
    if (log.frames) log.frames.push(t);
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

// Waits for a redraw that started after `since` and drew `ops` ops (any count if null); returns it.
async function waitForDraw(page, since, ops, timeout = 60_000) {
  const handle = await page.waitForFunction(([s, n]) => {
    const e = performance.getEntriesByName('ppemu:timeline-draw')
      .find((m) => m.startTime >= s && (n === null || m.detail?.ops === n));
    return e ? { start: e.startTime, end: e.startTime + e.duration, ops: e.detail?.ops } : false;
  }, [since, ops], { timeout, polling: 'raf' });
  return handle.jsonValue();
}

const quantile = (xs, q) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const fmt = (v) => (Number.isFinite(v) ? v.toFixed(1) : '-');

const rows = [];
const row = (what, target, xs, note = '') => rows.push([what, target, fmt(quantile(xs, 0.5)), fmt(quantile(xs, 0.95)), fmt(Math.max(...xs)), String(xs.length), note]);

const browser = await launchChromium();
const server = await startServer(fixtureOnly ? repo : site);
const base = server.base.replace(/\/$/, '');
const newPage = async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, deviceScaleFactor: dpr });
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  await page.addInitScript(instrument);
  return page;
};

try {
  if (!fixtureOnly) {
    // (a) 4x8: switch the strategy back and forth; each change must reach a new frame.
    const page = await newPage();
    await page.goto(`${base}/`);
    await waitForDraw(page, 0, 64);
    await page.waitForTimeout(300);
    const total = [];
    const debounce = [];
    const afterAsk = [];
    const worker = [];
    const draw = [];
    const strategies = ['gpipe', '1f1b', 'zb1p', '1f1b'];
    for (let i = 0; i < 12; i++) {
      const next = strategies[i % strategies.length];
      const t0 = await page.evaluate((value) => {
        const select = document.getElementById('f-strategy');
        const t = performance.now();
        select.value = value;
        select.dispatchEvent(new Event('input', { bubbles: true }));
        select.dispatchEvent(new Event('change', { bubbles: true }));
        return t;
      }, next);
      // The redraw runs in an animation frame callback: that frame is the first to show it.
      const d = await waitForDraw(page, t0, null);
      const log = await page.evaluate(() => window.__bench);
      const post = log.posts.find((p) => p.t >= t0);
      const reply = post && log.replies.find((r) => r.id === post.id);
      total.push(d.end - t0);
      if (post) {
        debounce.push(post.t - t0);
        afterAsk.push(d.end - post.t);
      }
      if (post && reply) worker.push(reply.t - post.t);
      if (reply) draw.push(d.end - reply.t);
      await page.waitForTimeout(100);
    }
    row('(a) 4x8 setting change -> frame drawn', '<= 50', total, 'strategy menu change to the end of the redraw');
    row('    of which: page waits before asking', '', debounce, "the app's typing delay");
    row('    from request: worker + page + redraw', '<= 50', afterAsk, 'the same without the typing delay');
    row('    of which: worker simulate + transfer', '', worker);
    row('    of which: reply -> redraw done', '', draw, 'app updates, waits for a frame, redraw');
    await page.close();

    // (b) cold: the 1M link in a fresh page, from navigation to its first frame.
    const cold = [];
    const coldWorker = [];
    for (let i = 0; i < 2; i++) {
      const p = await newPage();
      await p.goto(`${base}/${MILLION_HASH}`);
      const d = await waitForDraw(p, 0, MILLION_OPS, 120_000);
      const log = await p.evaluate(() => window.__bench);
      const reply = log.replies.find((r) => r.ops === MILLION_OPS);
      const post = reply && log.posts.find((q) => q.id === reply.id);
      cold.push(d.end);
      if (post) coldWorker.push(d.end - post.t);
      await p.close();
    }
    row('(b) 1M link, page load -> first frame', '', cold, 'includes loading the page and the WASM module');
    row('(b) 1M: worker request -> frame drawn', '<= 1500', coldWorker, 'simulate + transfer + prepare + draw');

    // (b) warm: on the loaded 1M page, change the microbatch count (8192 <-> 8191).
    const page2 = await newPage();
    await page2.goto(`${base}/${MILLION_HASH}`);
    await waitForDraw(page2, 0, MILLION_OPS, 120_000);
    await page2.waitForTimeout(500);
    const warm = [];
    const warmWorker = [];
    const warmDraw = [];
    for (let i = 0; i < 4; i++) {
      const m = i % 2 === 0 ? 8191 : 8192;
      const t0 = await page2.evaluate((value) => {
        const input = document.getElementById('f-num_batches');
        const t = performance.now();
        input.value = String(value);
        input.dispatchEvent(new Event('input', { bubbles: true }));
        input.dispatchEvent(new Event('change', { bubbles: true }));
        return t;
      }, m);
      const d = await waitForDraw(page2, t0, 64 * m * 2, 120_000);
      const log = await page2.evaluate(() => window.__bench);
      const post = log.posts.find((p) => p.t >= t0);
      const reply = post && log.replies.find((r) => r.id === post.id);
      warm.push(d.end - t0);
      if (post) warmWorker.push(d.end - post.t);
      if (reply) warmDraw.push(d.end - reply.t);
      await page2.waitForTimeout(300);
    }
    row('(b) 1M setting change -> frame drawn', '<= 1500', warm, 'microbatches 8192 <-> 8191 on the loaded page');
    row('    of which: reply -> frame drawn', '', warmDraw, 'renderer: prepare columns + first draw');
    await measureInteraction(page2, 'the 1M page');
    await page2.close();
  } else {
    const page = await newPage();
    await page.goto(`${base}/tests/timeline/fixture.html#case=million&height=700`);
    await page.waitForFunction(() => window.fixtureReady === true, null, { timeout: 120_000 });
    await measureInteraction(page, 'the fixture page (no WASM build)');
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}

// (c) wheel zooms around the pointer, drags, zoom back out; frame times from inside the page.
async function measureInteraction(page, where) {
  const box = await page.getByTestId('timeline').boundingBox();
  const x = box.x + box.width * 0.4;
  const y = box.y + Math.min(box.height - 20, 200);
  await page.mouse.move(x, y);
  const t0 = await page.evaluate(() => {
    window.__bench.frames = [];
    return performance.now();
  });
  const pause = () => page.waitForTimeout(16);
  for (let i = 0; i < 45; i++) {
    await page.mouse.wheel(0, -120);
    await pause();
  }
  for (const dir of [1, -1, 1]) {
    await page.mouse.move(x, y);
    await page.mouse.down();
    for (let i = 1; i <= 20; i++) {
      await page.mouse.move(x - dir * i * 15, y);
      await pause();
    }
    await page.mouse.up();
  }
  for (let i = 0; i < 45; i++) {
    await page.mouse.wheel(0, 120);
    await pause();
  }
  await page.waitForTimeout(100);
  const out = await page.evaluate((since) => {
    const frames = window.__bench.frames;
    window.__bench.frames = null;
    const draws = performance.getEntriesByName('ppemu:timeline-draw').filter((m) => m.startTime >= since).map((m) => m.duration);
    const intervals = frames.slice(1).map((t, i) => t - frames[i]);
    return { draws, intervals };
  }, t0);
  row('(c) 1M zoom/pan: redraw time', '<= 20', out.draws, `JS per redraw on ${where}`);
  row('(c) 1M zoom/pan: frame interval', '<= 20', out.intervals, '16.7 = every frame on time');
}

const header = ['measurement (ms)', 'target', 'median', 'p95', 'max', 'n', 'note'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r) => `| ${r.map((c, i) => (i >= 1 && i <= 5 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ')} |`;
console.log(`page bench: ${fixtureOnly ? 'fixture page' : site}, deviceScaleFactor ${dpr}, ${new Date().toISOString()}`);
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
