// www/src/worker.js in a real browser (headless Chromium): the message protocol of wasm/API.md
// over the built site. Skipped when no Chromium is installed (PPEMU_CHROMIUM names another one).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';

import { startServer, sitePolicy } from '../../scripts/static-server.mjs';
import { chromiumMissing as skip, launchChromium } from '../chromium.mjs';
import { SITE } from './helpers.mjs';

// conf/**/*.yaml relative to conf/, sorted: what the module embeds.
function confFiles(dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../conf'), prefix = '') {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? confFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : e.name.endsWith('.yaml') ? [prefix + e.name] : []))
    .sort();
}

let server;
let browser;
let base;

before(async () => {
  if (skip) return;
  // The worker under the site's policy, as the page runs it (a header: workers ignore the page's <meta>).
  server = await startServer(SITE, { csp: await sitePolicy(SITE) });
  base = server.base;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

// Runs in the page: sends each request to one module worker and collects every reply until the
// request's final message (type 'result', 'strategies' or 'export').
// A worker that fails to load reports through onerror: recorded as a reply so nothing hangs.
async function exchange({ site, requests }) {
  // The site's policy requires Trusted Types for a worker's URL; its one policy name is the page's.
  const url = new URL('src/worker.js', site).href;
  const trusted = globalThis.trustedTypes ? trustedTypes.createPolicy('ppemu-worker', { createScriptURL: (u) => u }).createScriptURL(url) : url;
  const worker = new Worker(trusted, { type: 'module' });
  const replies = [];
  const summarise = (m) => {
    if (m.type !== 'result' || !m.result.ok) return m;
    const r = m.result;
    if (r.measured) {
      return { id: m.id, type: m.type, ok: r.ok, format: r.format, measured: r.measured.makespan, replay: r.replayRun.makespan,
        start: r.measured.ops.start.constructor.name, fitted: r.fitted.op_times.forward };
    }
    return {
      id: m.id, type: m.type, ok: r.ok, makespan: r.makespan, num_ops: r.num_ops,
      start: [r.ops.start.constructor.name, r.ops.start.length, Array.from(r.ops.start.slice(0, 5))],
      kind: [r.ops.kind.constructor.name, r.ops.kind.length],
      activations: r.activations.count.constructor.name,
    };
  };
  for (const request of requests) {
    const done = new Promise((resolve) => {
      worker.onmessage = (e) => {
        replies.push(summarise(e.data));
        if (e.data.type !== 'progress') resolve();
      };
      worker.onerror = (e) => {
        replies.push({ id: request.id, type: 'worker error', message: e.message ?? 'the worker failed to load' });
        resolve();
      };
    });
    worker.postMessage(request);
    await done;
  }
  worker.terminate();
  return replies;
}

test('worker.js answers strategies, simulate (with progress), export and bad requests as values', { skip, timeout: 60000 }, async () => {
  const page = await browser.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.goto(base + 'src/worker.js');  // any document of the site's origin will do
  const replies = await page.evaluate(exchange, { site: base, requests: [
    { id: 1, type: 'strategies' },
    { id: 2, type: 'simulate', config: { strategy: '1f1b', num_devices: 4, num_stages: 4, num_batches: 8 } },
    { id: 3, type: 'simulate', config: { num_devices: -3 } },
    { id: 4, type: 'export', config: { 'op_times.forward': 2 }, format: 'json' },
    { id: 5, type: 'export', config: {}, format: 'pdf' },
    { id: 6, type: 'frobnicate' },
    { id: 7, type: 'simulate', config: { strategy: '1f1b', num_devices: 4, num_stages: 4, num_batches: 8 }, heapLimit: 1000 },
    // 1F1B on 2 devices, 2 microbatches, F = 1, B = 2, as Megatron's timers dump it: makespan (2 + 2 - 1) x 3 = 9.
    { id: 8, type: 'importTrace', options: {}, files: [
      { name: 'event_times_PP2_VPP1_TPxCPxDP_rank_0_pp_rank_0_rank_0.json',
        text: JSON.stringify({ 'forward-0-start': 10, 'forward-0-end': 11, 'forward-1-start': 11, 'forward-1-end': 12,
          'backward-0-start': 14, 'backward-0-end': 16, 'backward-1-start': 17, 'backward-1-end': 19 }) },
      { name: 'event_times_PP2_VPP1_TPxCPxDP_rank_0_pp_rank_1_rank_1.json',
        text: JSON.stringify({ 'forward-0-start': 11, 'forward-0-end': 12, 'backward-0-start': 12, 'backward-0-end': 14,
          'forward-1-start': 14, 'forward-1-end': 15, 'backward-1-start': 15, 'backward-1-end': 17 }) }] },
    // 1F1B with 4 microbatches on those times: (4 + 2 - 1) x 3 = 15.
    { id: 9, type: 'whatIf', overrides: { strategy: '1f1b', num_batches: 4 }, fitted: { num_devices: 2, num_stages: 2, num_batches: 2, p2p_latency: 0,
      p2p_mode: 'async', op_times: { forward: [1, 1], backward: [2, 2], backward_D: [1, 1], backward_W: [1, 1], overlapped_forward_backward: null } } },
  ] });
  await page.close();
  assert.deepEqual(pageErrors, []);

  const [strategies, ...rest] = replies;
  assert.equal(strategies.type, 'strategies', JSON.stringify(strategies));
  assert.ok(strategies.strategies.some((s) => s.name === 'zb1p'));
  assert.ok(strategies.configKeys.includes('op_times.backward_W'));
  assert.equal(strategies.defaultConfig.microbatch_group_size_per_vp_stage, 4);
  // The embedded conf/<group>/<name>.yaml files, parsed by the worker (yaml-config.js and the
  // site's vendor/yaml) and registered: one preset per file, each in a config group.
  assert.ok(Array.isArray(strategies.configGroups));
  const groupFiles = confFiles().filter((f) => f.includes('/'));
  assert.deepEqual(strategies.presets.map((p) => `${p.group}/${p.name}.yaml`).sort(), groupFiles);
  for (const p of strategies.presets) assert.ok(strategies.configGroups.includes(p.group), p.source);

  const [compute, transfer, result, bad] = rest;
  assert.deepEqual(compute, { id: 2, type: 'progress', phase: 'compute' });
  assert.deepEqual(transfer, { id: 2, type: 'progress', phase: 'transfer' });
  assert.deepEqual(result, {
    id: 2, type: 'result', ok: true, makespan: 33, num_ops: 64,
    start: ['Float64Array', 64, [0, 1, 2, 3, 10]], kind: ['Uint8Array', 64], activations: 'Int32Array',
  });
  assert.equal(bad.type, 'progress');  // id 3's compute; its result follows
  const badResult = replies.find((m) => m.id === 3 && m.type === 'result');
  assert.deepEqual(badResult.result, { ok: false, error: 'num_devices must be a whole number from 1 to 4096 (got -3)' });
  const exportReply = replies.find((m) => m.id === 4);
  assert.equal(exportReply.type, 'export');
  assert.equal(exportReply.ok, true, exportReply.error);
  assert.equal(JSON.parse(exportReply.text).makespan, 44);  // the default 1F1B with F = 2, B = 2: (8 + 4 - 1) x (2 + 2)
  const badFormat = replies.find((m) => m.id === 5);
  assert.ok(badFormat.heap_bytes >= 16 * 1024 * 1024, 'every final reply reports the heap size');
  assert.deepEqual({ ...badFormat, error: undefined, heap_bytes: undefined }, { id: 5, type: 'export', ok: false, error: undefined, text: '', heap_bytes: undefined });
  assert.match(badFormat.error, /^format must be one of: json, trace(, [a-z]+)* \(got 'pdf'\)$/);
  assert.deepEqual(replies.find((m) => m.id === 6), { id: 6, type: 'result', result: { ok: false, error: "unknown request type 'frobnicate' (simulate, simulateCsv, importTrace, whatIf, strategies or export)" } });
  // Measured traces: the TraceImport with its runs' columns transferred, and a what-if on fitted times.
  assert.deepEqual(replies.find((m) => m.id === 8 && m.type === 'result'),
    { id: 8, type: 'result', ok: true, format: 'megatron', measured: 9, replay: 9, start: 'Float64Array', fitted: [1, 1] });
  const whatIf = replies.find((m) => m.id === 9 && m.type === 'result');
  assert.equal(whatIf.makespan, 15, JSON.stringify(whatIf));
  assert.equal(whatIf.num_ops, 16);
  // Over its heap limit a request is refused before the core runs, with the limit in the message.
  const refused = replies.filter((m) => m.id === 7);
  assert.deepEqual(refused.map((m) => m.type), ['result'], 'no progress: nothing was computed');
  assert.match(refused[0].result.error, /^This run needs about 1 MB of memory in the browser, more than the 1 MB it may use here/);
});
