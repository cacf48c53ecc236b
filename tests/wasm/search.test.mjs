// The search in WASM, run the way the page's worker pool will run it (several module instances,
// slices in any order, ranking whatever has arrived), gives the CLI's --search rows exactly.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { cliArgs, cliError, runCli, SITE } from './helpers.mjs';
import { loadPpemu } from '../../wasm/load_node.mjs';
import path from 'node:path';

// Three instances stand in for three workers: each has its own heap, as in the browser.
const workers = await Promise.all([0, 1, 2].map(() => loadPpemu(path.join(SITE, 'wasm'))));

const settings = {
  num_devices: 4,
  'op_times.backward_W': 0.5,
  p2p_latency: 0.1,
  memory_cap: 6,
  vary: 'num_stages,num_batches',
  'vary.num_batches': '4..16:4',
  'vary.zb_memory_limit': '1,2',  // read by zb_auto only: the other strategies repeat their first value
};

function cliSearch(s) {
  const r = runCli(['--search', ...cliArgs(s), '--format', 'json']);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

// A deterministic shuffle, so a failure reproduces.
function shuffled(items, seed) {
  const out = [...items];
  let x = seed;
  for (let i = out.length - 1; i > 0; i--) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

// The pool: slices of 7 configurations, dealt to the workers in a shuffled order.
function runPool(s) {
  const text = JSON.stringify(s);
  const plan = workers[0].searchPlan(text);
  assert.equal(plan.ok, true, plan.error);
  const slices = [];
  for (let begin = 0; begin < plan.count; begin += 7) slices.push([begin, Math.min(plan.count, begin + 7)]);
  const rows = [];
  shuffled(slices, 7).forEach(([begin, end], k) => {
    const r = workers[k % workers.length].searchRows(text, begin, end);
    assert.equal(r.ok, true, r.error);
    rows.push(...r.rows);
  });
  return { plan, rows };
}

test('searchPlan enumerates what the CLI enumerates: count, strategies, vary values, the keys', () => {
  const cli = cliSearch(settings);
  const plan = workers[0].searchPlan(JSON.stringify(settings));
  assert.equal(plan.ok, true, plan.error);
  assert.equal(plan.count, cli.count);
  assert.deepEqual(plan.keys, cli.search);
  assert.deepEqual(plan.strategies, Object.keys(cli.skipped_by_strategy));
  assert.deepEqual(plan.vary, [
    { key: 'num_stages', values: ['1p', '2p', '3p', '4p', '5p', '6p', '7p', '8p'] },
    { key: 'num_batches', values: ['4', '8', '12', '16'] },
    { key: 'zb_memory_limit', values: ['1', '2'] },
  ]);
  assert.equal(plan.memory_cap, 6);
});

test('a pool of workers running slices in any order, then searchRank, gives the CLI ranking row for row', () => {
  const cli = cliSearch(settings);
  const { rows } = runPool(settings);
  assert.equal(rows.length, cli.count);
  const ran = rows.filter((r) => r.ran);
  assert.equal(ran.length, cli.ran);
  const ranked = workers[1].searchRank(JSON.stringify(settings), JSON.stringify(shuffled(rows, 3)));
  assert.equal(ranked.ok, true, ranked.error);
  assert.equal(ranked.best, cli.best);
  const byIndex = new Map(rows.map((r) => [r.index, r]));
  // The ranking and the per-row figures: what the CLI's rows hold, exactly.
  assert.deepEqual(ranked.ranking.map((r) => r.index), cli.rows.map((r) => r.index));
  for (const [k, r] of ranked.ranking.entries()) {
    const expected = cli.rows[k];
    assert.deepEqual({ ...byIndex.get(r.index), rank: r.rank, pareto: r.pareto, over_cap: r.over_cap }, expected);
  }
  // Skipped rows and their reasons too.
  assert.deepEqual(rows.filter((r) => !r.ran).sort((a, b) => a.index - b.index), cli.skipped_rows);
  assert.ok(cli.rows.some((r) => r.pareto) && cli.rows.some((r) => r.over_cap) && cli.skipped > 0 && cli.duplicates > 0);
  assert.equal(cli.ran + cli.skipped + cli.duplicates, cli.count);
});

// The rule of wasm/API.md, written out in JS as the page may: searchRank must agree with it on
// any partial set of rows.
function rankByRule(rows, cap) {
  const ran = rows.filter((r) => r.ran);
  ran.sort((a, b) => a.time - b.time || a.peak_memory - b.peak_memory || a.index - b.index);
  return ran.map((r, k) => ({
    index: r.index,
    rank: k + 1,
    pareto: !ran.some((q) => q.time <= r.time && q.peak_memory <= r.peak_memory && (q.time < r.time || q.peak_memory < r.peak_memory)),
    over_cap: cap !== null && r.peak_memory > cap,
  }));
}

test('searchRank ranks partial results by the stated rule', () => {
  const { rows } = runPool(settings);
  for (const [seed, size] of [[1, 5], [2, 20], [3, 60], [4, rows.length]]) {
    const part = shuffled(rows, seed).slice(0, size);
    const ranked = workers[2].searchRank(JSON.stringify(settings), JSON.stringify(part));
    assert.equal(ranked.ok, true, ranked.error);
    const expected = rankByRule(part, settings.memory_cap);
    assert.deepEqual(ranked.ranking, expected, `subset ${seed}`);
    const within = expected.find((r) => !r.over_cap);
    assert.equal(ranked.best, within ? within.index : null);
  }
});

test('searchConfig gives the configuration a row stands for: simulate() reproduces its figures', () => {
  const { rows } = runPool(settings);
  for (const row of rows.filter((r) => r.ran).slice(0, 12)) {
    const c = workers[0].searchConfig(JSON.stringify(settings), row.index);
    assert.equal(c.ok, true, c.error);
    assert.equal(c.overrides.strategy, row.strategy);
    for (const [key, value] of Object.entries(row.values)) assert.equal(Number(c.overrides[key]), value);
    const run = workers[0].simulate(JSON.stringify(c.config));
    assert.equal(run.ok, true, run.error);
    assert.equal(run.makespan, row.makespan);
    assert.equal(run.peak_memory, row.peak_memory);
    assert.equal(run.num_ops, row.num_ops);
  }
});

test('bad settings fail with the CLI words, and slices outside the plan are refused', () => {
  for (const bad of [{ vary: 'p2p_latency' }, { 'vary.num_batches': '8..4' }, { strategies: 'zb1' }, { memory_cap: -1 }]) {
    const r = runCli(['--search', ...cliArgs(bad)]);
    assert.equal(r.status, 2);
    const plan = workers[0].searchPlan(JSON.stringify(bad));
    assert.equal(plan.ok, false);
    assert.equal(plan.error, cliError(r.stderr));
  }
  const text = JSON.stringify(settings);
  assert.equal(workers[0].searchRows(text, 0, 1e9).ok, false);
  assert.equal(workers[0].searchRows(text, 3, 2).ok, false);
  assert.equal(workers[0].searchRank(text, '[{"ran": true}]').ok, false);
  assert.equal(workers[0].searchConfig(text, -1).ok, false);
});
