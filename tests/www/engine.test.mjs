// The worker client with a scripted fake Worker: replies matched by id, progress, cancelling a
// long run (terminate, new worker, non-cancellable requests sent again) or a young one (dropped,
// same worker), and a worker that fails.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine } from '../../www/src/engine.js';

let workers = [];
class FakeWorker {
  constructor(url, options) {
    this.url = url;
    this.options = options;
    this.posted = [];
    this.terminated = false;
    workers.push(this);
  }
  postMessage(message) {
    this.posted.push(message);
  }
  terminate() {
    this.terminated = true;
  }
  reply(data) {
    this.onmessage({ data });
  }
}
globalThis.Worker = FakeWorker;
beforeEach(() => {
  workers = [];
});

const tick = () => new Promise((resolve) => setImmediate(resolve));

test('simulate resolves with the result whose id matches, after progress', async () => {
  const engine = createEngine();
  const phases = [];
  const a = engine.simulate({ num_devices: 4 }, { onProgress: (p) => phases.push(p) });
  const b = engine.simulate({ num_devices: 8 });
  const [w] = workers;
  assert.equal(w.options.type, 'module');
  assert.deepEqual(w.posted.map((m) => [m.id, m.type, m.config.num_devices]), [[1, 'simulate', 4], [2, 'simulate', 8]]);
  w.reply({ id: 1, type: 'progress', phase: 'compute' });
  w.reply({ id: 2, type: 'result', result: { ok: true, makespan: 2 } });
  w.reply({ id: 1, type: 'result', result: { ok: true, makespan: 1 } });
  assert.deepEqual(await a, { ok: true, makespan: 1 });
  assert.deepEqual(await b, { ok: true, makespan: 2 });
  assert.deepEqual(phases, ['compute']);
  assert.equal(engine.busy, false);
});

test('cancel resolves a long run as cancelled, replaces the worker and re-sends an export', async () => {
  let clock = 0;
  const engine = createEngine({ now: () => clock });
  const run = engine.simulate({ num_batches: 100000 });
  const exported = engine.exportRun({ num_batches: 8 }, 'json');
  clock = 100;
  engine.cancel();
  assert.deepEqual(await run, { ok: false, cancelled: true, error: 'cancelled by a newer setting' });
  assert.equal(workers.length, 2);
  assert.equal(workers[0].terminated, true);
  assert.deepEqual(workers[1].posted.map((m) => [m.id, m.type, m.format]), [[2, 'export', 'json']]);
  // A late reply from the old worker is ignored; the new one answers the export.
  workers[0].onmessage({ data: { id: 1, type: 'result', result: { ok: true } } });
  workers[1].reply({ id: 2, type: 'export', ok: true, error: '', text: '{}' });
  assert.deepEqual(await exported, { ok: true, error: '', text: '{}' });
});

test('cancel drops a run younger than 100 ms but keeps the worker (a new one would recompile the module)', async () => {
  let clock = 0;
  const engine = createEngine({ now: () => clock });
  const young = engine.simulate({ num_batches: 8 });
  clock = 99;
  engine.cancel();
  assert.deepEqual(await young, { ok: false, cancelled: true, error: 'cancelled by a newer setting' });
  const next = engine.simulate({ num_batches: 9 });
  assert.equal(workers.length, 1);
  assert.equal(workers[0].terminated, false);
  // The dropped run's late reply is ignored; the next one is answered by the same worker.
  workers[0].reply({ id: 1, type: 'result', result: { ok: true, makespan: 1 } });
  workers[0].reply({ id: 2, type: 'result', result: { ok: true, makespan: 2 } });
  assert.deepEqual(await next, { ok: true, makespan: 2 });
});

test('cancel with nothing cancellable in flight keeps the worker', async () => {
  const engine = createEngine();
  const s = engine.strategies();
  engine.cancel();
  assert.equal(workers.length, 1);
  workers[0].reply({ id: 1, type: 'strategies', strategies: [], configKeys: [], defaultConfig: {} });
  assert.deepEqual((await s).strategies, []);
});

test('a worker that fails answers every waiting request with the reason, once', async () => {
  const errors = [];
  const engine = createEngine({ onWorkerError: (e) => errors.push(e) });
  const s = engine.strategies();
  const r = engine.simulate({});
  let prevented = false;
  workers[0].onerror({ message: 'bad wasm', preventDefault: () => { prevented = true; } });
  assert.match((await s).error, /bad wasm/);
  assert.match((await r).error, /bad wasm/);
  assert.ok(prevented);
  assert.equal(errors.length, 1);
  // No restart loop: a new worker starts only for the next request.
  await tick();
  assert.equal(workers.length, 1);
  engine.simulate({});
  assert.equal(workers.length, 2);
});

test('strategies turns an error reply into {error}', async () => {
  const engine = createEngine();
  const s = engine.strategies();
  workers[0].reply({ id: 1, type: 'result', result: { ok: false, error: 'module aborted' } });
  assert.deepEqual(await s, { error: 'module aborted' });
});

test('importTrace and whatIf are requests of their own, answered by id and cancellable like a run', async () => {
  let clock = 0;
  const engine = createEngine({ now: () => clock });
  const files = [{ name: 'rank0.json', text: '{}' }];
  const imported = engine.importTrace(files, { format: 'pytorch', offset_ms: { 1: 0.5 } });
  const whatIf = engine.whatIf({ num_devices: 4 }, { strategy: 'zb1p' });
  const [w] = workers;
  assert.deepEqual(w.posted.map((m) => [m.id, m.type]), [[1, 'importTrace'], [2, 'whatIf']]);
  assert.deepEqual(w.posted[0].files, files);
  assert.deepEqual(w.posted[0].options, { format: 'pytorch', offset_ms: { 1: 0.5 } });
  assert.deepEqual([w.posted[1].fitted, w.posted[1].overrides], [{ num_devices: 4 }, { strategy: 'zb1p' }]);
  w.reply({ id: 1, type: 'result', result: { ok: false, error: 'rank0.json: no PP: ranges' } });
  assert.deepEqual(await imported, { ok: false, error: 'rank0.json: no PP: ranges' });
  clock = 1;
  engine.cancel();
  assert.deepEqual(await whatIf, { ok: false, cancelled: true, error: 'cancelled by a newer setting' });
});
