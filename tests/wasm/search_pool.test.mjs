// The page's search pool (www/src/search-pool.js) with three module instances standing in for
// its Web Workers (each answering on a later turn, in a different order every slice, as busy
// workers do): its final ranking is the CLI's `--search --format json` row for row, its partial
// rankings are the core's rule on what had arrived, and cancelling stops dealing slices.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import path from 'node:path';

import { cliArgs, runCli, SITE } from './helpers.mjs';
import { loadPpemu } from '../../wasm/load_node.mjs';
import { answerSearch, runSearch, rankedRows, searchSettings, frontLine } from '../../www/src/search-pool.js';

const cores = await Promise.all([0, 1, 2].map(() => loadPpemu(path.join(SITE, 'wasm'))));

// A worker whose replies come back after `delay(k)` turns of the event loop.
function moduleWorker(core, delay) {
  let k = 0;
  return {
    calls: [],
    call(request) {
      this.calls.push(request.op);
      const turns = delay(k++);
      return new Promise((resolve) => {
        const step = (n) => (n <= 0 ? resolve(answerSearch(core, request)) : setImmediate(() => step(n - 1)));
        step(turns);
      });
    },
  };
}
const pool = () => cores.map((core, w) => moduleWorker(core, (k) => (k * 7 + w * 3) % 5));

// Issue 9's comparison grown into a search: stage counts differ, so same_model scales rows.
const search = { memory_cap: '6', vary: 'num_stages,num_batches', 'vary.num_batches': '4..16:4' };
const settings = searchSettings({ num_devices: 4, 'op_times.backward_W': 0.5, p2p_latency: 0.1 }, search);

function cliSearch(s) {
  const r = runCli(['--search', ...cliArgs(s), '--format', 'json']);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test('searchSettings: the base config, the search keys as text, same_model, a cap in GiB turned into bytes', () => {
  assert.deepEqual(settings, {
    num_devices: 4, 'op_times.backward_W': 0.5, p2p_latency: 0.1,
    memory_cap: 6, vary: 'num_stages,num_batches', 'vary.num_batches': '4..16:4', same_model: '1',
  });
  const projected = searchSettings({ model: 'gpt3_175b' }, { memory_cap: '80', strategies: '' }, { sameModel: false, capBytesPerUnit: 1024 ** 3 });
  assert.deepEqual(projected, { model: 'gpt3_175b', memory_cap: 80 * 1024 ** 3, same_model: '0' });
});

test('the pool ranks like the CLI, row for row, and every partial ranking is the core rule on what had arrived', async () => {
  const cli = cliSearch(settings);
  const partials = [];
  let clock = 0;
  const workers = pool();
  const r = await runSearch({
    workers, settings, slice: 5, rankEveryMs: 3, now: () => clock++,
    onRanking: (p) => partials.push(p),
  });
  assert.equal(r.ok, true, r.error);
  assert.equal(r.cancelled, false);
  assert.equal(r.rows.length, cli.count);
  assert.equal(r.best, cli.best);
  assert.deepEqual(rankedRows(r.rows, r.ranking), cli.rows);
  assert.deepEqual(r.rows.filter((x) => !x.ran).sort((a, b) => a.index - b.index), cli.skipped_rows);
  // Every worker took slices, and same_model scaled the multi-stage rows (issue 9: x 4 / num_stages).
  for (const w of workers) assert.ok(w.calls.filter((op) => op === 'rows').length > 0);
  assert.ok(cli.rows.some((x) => x.scale === 0.5) && cli.rows.some((x) => x.scale === 1));
  assert.equal(cli.model_stages, 4);

  // Partial rankings came while rows were still arriving, each a ranking of fewer rows than the last.
  assert.ok(partials.length >= 2, `${partials.length} partial rankings`);
  const sizes = partials.map((p) => p.ranking.length);
  assert.ok(sizes[0] < cli.ran);
  assert.deepEqual(sizes, [...sizes].sort((a, b) => a - b));
  assert.deepEqual(partials.at(-1).ranking, r.ranking);
  // Each partial ranking orders its rows by time, then peak memory, then index (the stated rule).
  const byIndex = new Map(r.rows.map((x) => [x.index, x]));
  for (const p of partials) {
    const got = p.ranking.map((k) => byIndex.get(k.index));
    const sorted = [...got].sort((a, b) => a.time - b.time || a.peak_memory - b.peak_memory || a.index - b.index);
    assert.deepEqual(got.map((x) => x.index), sorted.map((x) => x.index));
  }
  // The front drawn is the rows marked pareto, lightest first, each faster than the one before.
  const front = frontLine(rankedRows(r.rows, r.ranking));
  assert.ok(front.length >= 2);
  for (let i = 1; i < front.length; i++) {
    assert.ok(front[i].peak_memory >= front[i - 1].peak_memory);
    assert.ok(front[i].time <= front[i - 1].time);
  }
});

test('cancelling stops dealing slices; the rows that arrived are ranked', async () => {
  let slices = 0;
  const r = await runSearch({
    workers: pool(), settings, slice: 4, rankEveryMs: Infinity,
    isCancelled: () => slices >= 3,
    onRows: () => { slices++; },
  });
  assert.equal(r.ok, true, r.error);
  assert.equal(r.cancelled, true);
  assert.ok(r.rows.length < r.plan.count);
  // At most the three workers' slices in flight when it was cancelled.
  assert.ok(r.rows.length <= 4 * (3 + 2), `${r.rows.length} rows`);
  assert.equal(r.ranking.length, r.rows.filter((x) => x.ran).length);
});

test('bad settings come back as the core error from the plan, before any slice', async () => {
  const workers = pool();
  const r = await runSearch({ workers, settings: { ...settings, vary: 'p2p_latency' } });
  assert.equal(r.ok, false);
  assert.match(r.error, /^vary lists 'p2p_latency', which has no default range/);
  assert.deepEqual(workers.flatMap((w) => w.calls), ['plan']);
});

test('targetSliceMs sizes each slice to take about that long, and the ranking stays the CLI one', async () => {
  const cli = cliSearch(settings);
  // A clock in which a slice of n configurations takes 10 n ms: 40 ms slices are 4 configurations.
  let clock = 0;
  const workers = pool().map((w) => ({
    sizes: [],
    call(request) {
      if (request.op === 'rows') {
        this.sizes.push(request.end - request.begin);
        clock += 10 * (request.end - request.begin);
      }
      return w.call(request);
    },
  }));
  const r = await runSearch({ workers, settings, slice: 16, targetSliceMs: 40, rankEveryMs: Infinity, now: () => clock });
  assert.equal(r.ok, true, r.error);
  assert.deepEqual(rankedRows(r.rows, r.ranking), cli.rows);
  for (const w of workers) {
    assert.equal(w.sizes[0], 16);
    // Later slices shrink towards 4 (other workers' slices advance the shared clock too, so not exactly 4).
    assert.ok(w.sizes.slice(1).every((n) => n >= 1 && n <= 64), w.sizes.join(','));
    assert.ok(Math.min(...w.sizes.slice(1)) < 16, w.sizes.join(','));
  }
});
