// Results are copies owned by JS: a later run that grows the WASM heap must not disturb them.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { assertSameRun, cliArgs, ppemu, runCli } from './helpers.mjs';

const core = await ppemu();
const INITIAL_HEAP = 16 * 1024 * 1024;  // Emscripten's default INITIAL_MEMORY

function columnBytes(result) {
  let bytes = 0;
  for (const group of [result.stages, result.ops, result.activations, result.memory])
    for (const column of Object.values(group)) bytes += column.byteLength;
  return bytes;
}

test('a small result keeps its numbers after a run that needs a bigger heap', () => {
  const small = { strategy: 'zb1p', num_devices: 4, num_stages: 4, num_batches: 8, p2p_latency: 0.5 };
  const before = core.simulate(JSON.stringify(small));
  assert.equal(before.ok, true, before.error);

  // 1F1B, p = 16, m = 16384: 2 x 16 x 16384 = 524,288 ops. Its columns alone outgrow the initial heap.
  const big = core.simulate(JSON.stringify({ strategy: '1f1b', num_devices: 16, num_stages: 16, num_batches: 16384 }));
  assert.equal(big.ok, true, big.error);
  assert.equal(big.num_ops, 524288);
  assert.equal(big.makespan, (16384 + 16 - 1) * 3);  // (m + p - 1)(F + B)
  assert.ok(columnBytes(big) > INITIAL_HEAP, `${columnBytes(big)} bytes should exceed the initial heap`);

  const cli = runCli([...cliArgs(small), '--format', 'json']);
  assert.equal(cli.status, 0, cli.stderr);
  assertSameRun(before, JSON.parse(cli.stdout), 'small run after the big one');
});
