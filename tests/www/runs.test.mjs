// computeRuns against a fake engine: which configs reach the worker, in which order, and what
// a superseded run returns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeRuns, findStrategy, workerConfig, runLabel } from '../../www/src/runs.js';

const STRATEGIES = [
  { name: '1f1b', aliases: ['pipedream_flush'], constraints: 'num_stages = num_devices' },
  { name: 'interleave', aliases: [], constraints: 'num_stages a multiple of num_devices, at least 2 per device' },
  { name: 'zbv', aliases: [], constraints: 'num_stages = 2 x num_devices; num_batches >= num_stages' },
  { name: 'picky', aliases: [], constraints: 'no rule the page can read' },
];

// Accepts a config when `accept` says so; makespan is num_stages so tests can tell runs apart.
function fakeEngine(accept) {
  const calls = [];
  return {
    calls,
    async simulate(config) {
      calls.push(config);
      if (!accept(config)) return { ok: false, error: `${config.strategy} rejects num_stages=${config.num_stages}` };
      return { ok: true, strategy: config.strategy, makespan: 100 - config.num_stages, bubble_ratio: 0.1, peak_activations: 2 };
    },
  };
}

const base = { strategy: '1f1b', num_devices: 4, num_stages: 4, num_batches: 8, 'op_times.forward': 1, 'op_times.backward': 2 };

test('computeRuns in single mode sends the config as is', async () => {
  const engine = fakeEngine(() => true);
  const out = await computeRuns(engine, { config: base, compare: [] }, STRATEGIES);
  assert.equal(out.mode, 'single');
  assert.deepEqual(engine.calls, [base]);
});

test('computeRuns in compare mode picks stages from constraints and scales for the same model', async () => {
  const engine = fakeEngine(() => true);
  const out = await computeRuns(engine, { config: base, compare: ['zbv', '1f1b', 'pipedream_flush', 'interleave'], sameModel: true }, STRATEGIES);
  assert.equal(out.mode, 'compare');
  // Entries stay in the order picked; makespan 100 - num_stages ties zbv with interleave.
  assert.deepEqual(out.entries.map((e) => [e.strategy, e.numStages, e.factor, e.rank]),
    [['zbv', 8, 0.5, 1], ['1f1b', 4, 1, 3], ['1f1b', 4, 1, 3], ['interleave', 8, 0.5, 1]]);
  const zbv = engine.calls[0];
  assert.equal(zbv['op_times.forward'], 0.5);
  assert.equal(zbv['op_times.backward'], 1);
  assert.equal(out.entries[0].label, 'zbv · 8 stages · op times ×0.5 · fastest');
  assert.equal(out.entries[1].label, '1f1b · 4 stages');
});

test('computeRuns tries the next stage count when the core refuses one, and keeps the first error if all fail', async () => {
  const engine = fakeEngine((c) => c.strategy !== 'picky' || c.num_stages === 8);
  const out = await computeRuns(engine, { config: base, compare: ['picky'], sameModel: false }, STRATEGIES);
  assert.deepEqual(engine.calls.map((c) => c.num_stages), [4, 8]);
  assert.equal(out.entries[0].numStages, 8);
  assert.equal(engine.calls[1]['op_times.forward'], 1);

  const never = fakeEngine(() => false);
  const failed = await computeRuns(never, { config: base, compare: ['picky', 'nope'], sameModel: false }, STRATEGIES);
  assert.equal(failed.entries[0].result.error, 'picky rejects num_stages=4');
  assert.equal(failed.entries[0].rank, null);
  assert.match(failed.entries[1].result.error, /unknown strategy 'nope'/);
});

test('computeRuns returns null once the run is stale', async () => {
  let stale = false;
  const engine = fakeEngine(() => { stale = true; return true; });
  const out = await computeRuns(engine, { config: base, compare: ['1f1b', 'zbv'] }, STRATEGIES, { isStale: () => stale });
  assert.equal(out, null);
  assert.equal(engine.calls.length, 1);
  const cancelled = { async simulate() { return { ok: false, cancelled: true }; } };
  assert.equal(await computeRuns(cancelled, { config: base, compare: [] }, STRATEGIES), null);
});

test('findStrategy, workerConfig and runLabel', () => {
  assert.equal(findStrategy(STRATEGIES, 'pipedream_flush').name, '1f1b');
  assert.equal(findStrategy(STRATEGIES, 'x'), null);
  assert.deepEqual(workerConfig({ a: 1, b: undefined }), { a: 1 });
  assert.equal(runLabel('1f1b', 4, 1), '1f1b · 4 stages');
});
