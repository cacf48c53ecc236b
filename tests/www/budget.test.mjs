// The worker's memory budget (issue 13): requests refused before they allocate, with the limit,
// and a worker replaced once its heap grew past the stated size.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { checkMemory, heapLimitBytes, RESTART_ABOVE_BYTES, HEAP_CEILING_BYTES } from '../../www/src/budget.js';
import { createEngine } from '../../www/src/engine.js';

const GiB = 1024 ** 3;

test('the heap limit: the module\'s 2 GiB ceiling, or a quarter of what the device reports', () => {
  assert.equal(heapLimitBytes(undefined), HEAP_CEILING_BYTES);
  assert.equal(heapLimitBytes(8), 2 * GiB);
  assert.equal(heapLimitBytes(2), 0.5 * GiB);
});

test('a request that fits passes; one that does not names its need, the limit and a setting that fits', () => {
  const trace = { type: 'export', format: 'trace', config: { strategy: 'zb1p', num_devices: 64, num_stages: 64, num_batches: 10922 } };
  assert.equal(checkMemory(trace, heapLimitBytes(8)), null);
  // 3 x 64 x 10922 = 2,097,024 ops x 420 bytes = 840 MiB > 512 MiB; 512 MiB / (420 x 192) = 6,657
  assert.equal(checkMemory(trace, heapLimitBytes(2), { deviceMemoryGiB: 2 }),
    'A trace export of this run needs about 840 MB of memory in the browser, more than the 512 MB it may use here '
    + '(a quarter of the 2 GB this device reports); try num_batches ≤ 6,657');
  // Defaults (4 stages x 8 microbatches): 96 ops x 100 bytes; not even one microbatch fits 1,000 bytes.
  assert.match(checkMemory({ type: 'simulate', config: {} }, 1000), /^This run needs about 1 MB .*\(the most a WebAssembly heap can grow to\); try fewer stages$/);
  assert.match(checkMemory({ type: 'simulateCsv', csv: 'x'.repeat(4e6), config: {} }, 1e6), /try a smaller file$/);
});

let workers = [];
class FakeWorker {
  constructor() {
    this.posted = [];
    this.terminated = false;
    workers.push(this);
  }
  postMessage(m) { this.posted.push(m); }
  terminate() { this.terminated = true; }
  reply(data) { this.onmessage({ data }); }
}
globalThis.Worker = FakeWorker;
beforeEach(() => { workers = []; });

test('a worker whose heap grew past the restart size is replaced once it is idle', async () => {
  const engine = createEngine();
  const a = engine.exportRun({ num_batches: 2730 }, 'trace');
  const b = engine.simulate({ num_batches: 8 });
  const [w] = workers;
  assert.ok(w.posted[0].heapLimit > 0, 'requests carry the heap limit');
  w.reply({ id: 1, type: 'export', ok: true, text: '{}', heap_bytes: RESTART_ABOVE_BYTES + 1 });
  await a;
  assert.equal(w.terminated, false, 'not while a request is still waiting');
  w.reply({ id: 2, type: 'result', result: { ok: true }, heap_bytes: RESTART_ABOVE_BYTES + 1 });
  await b;
  assert.equal(w.terminated, true);
  assert.equal(workers.length, 2, 'a fresh worker is started at once');
  assert.deepEqual({ ...engine.stats, heapBytes: undefined }, { workersStarted: 2, workersRecycled: 1, heapBytes: undefined });
  const c = engine.simulate({});
  workers[1].reply({ id: 3, type: 'result', result: { ok: true }, heap_bytes: 16 * 1024 * 1024 });
  await c;
  assert.equal(workers[1].terminated, false);
});
