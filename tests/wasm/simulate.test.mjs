// simulate() in WASM gives exactly the native CLI's numbers, for every registered strategy.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { assertSameRun, cliError, ppemu, strategyGrid } from './helpers.mjs';

const core = await ppemu();

test('simulate() reproduces the makespans the CLI contract states (PP-Emulation README runs)', () => {
  // 1F1B: (m + p - 1)(F + B) = 11 x 3; interleave: v = 2 chunks of half the time; ZB-H1 with F=B=W=1.
  const cases = [
    [{ strategy: '1f1b', num_devices: 4, num_stages: 4, num_batches: 8 }, 33],
    [{ strategy: 'interleave', num_devices: 4, num_stages: 8, num_batches: 8 }, 57],
    [{ strategy: 'zb1p', num_devices: 4, num_stages: 4, num_batches: 8 }, 27],
    [{ 'op_times.forward': 0.5, 'op_times.backward': 1.0, num_batches: 6 }, 13.5],
  ];
  for (const [config, makespan] of cases) {
    const r = core.simulate(JSON.stringify(config));
    assert.equal(r.ok, true, r.error);
    assert.equal(r.makespan, makespan, JSON.stringify(config));
  }
});

test('simulate({}) runs the defaults: 1f1b, 4 devices, 8 microbatches, 2 x 4 x 8 ops', () => {
  const r = core.simulate('{}');
  assert.equal(r.strategy, '1f1b');
  assert.equal(r.num_ops, 64);
  assert.equal(r.ops.device_offset.length, 5);
  assert.deepEqual(Array.from(r.ops.device_offset), [0, 16, 32, 48, 64]);
});

test('simulateCore() runs what simulate() runs, without the columns: same op count, makespan and refusals', () => {
  const configs = [
    { strategy: 'interleave', num_devices: 4, num_stages: 8, num_batches: 8, p2p_latency: 0.25 },
    { strategy: 'dualpipe_v', num_devices: 4, num_stages: 8, num_batches: 16 },
    { strategy: '1f1b', num_devices: 4, num_stages: 5 },                     // refused: one stage per device
    { strategy: '1f1b', num_devices: 64, num_stages: 64, num_batches: 20000 }, // refused: over the op budget
  ];
  for (const config of configs) {
    const full = core.simulate(JSON.stringify(config));
    const bare = core.simulateCore(JSON.stringify(config));
    assert.deepEqual(Object.keys(bare).sort(), full.ok ? ['error', 'makespan', 'num_ops', 'ok'] : ['error', 'ok']);
    assert.equal(bare.ok, full.ok, JSON.stringify(config));
    assert.equal(bare.error, full.error);
    if (full.ok) {
      assert.equal(bare.num_ops, full.num_ops);
      assert.equal(bare.makespan, full.makespan);
    }
  }
});

const names = core.strategies().map((s) => s.name);

test('strategies() lists the registry with aliases, descriptions and constraints', () => {
  assert.ok(names.length >= 5, `only ${names.length} strategies`);
  for (const name of ['gpipe', '1f1b', 'interleave', 'zb1p', '1f1b_overlap']) assert.ok(names.includes(name), name);
  for (const s of core.strategies()) {
    assert.ok(Array.isArray(s.aliases) && s.aliases.every((a) => typeof a === 'string'), s.name);
    assert.ok(s.description.length > 0 && s.constraints.length > 0, s.name);
  }
  assert.deepEqual(core.strategies().find((s) => s.name === '1f1b').aliases, ['pipedream_flush']);
});

for (const name of names) {
  test(`simulate() matches the CLI's --format json over a grid of ${name} configs, and its refusals word for word`, () => {
    let accepted = 0;
    let refused = 0;
    for (const { config, cli } of strategyGrid(name)) {
      const label = JSON.stringify(config);
      const r = core.simulate(JSON.stringify(config));
      if (cli.status === 0) {
        assertSameRun(r, JSON.parse(cli.stdout), label);
        accepted += 1;
      } else {
        assert.equal(cli.status, 2, `${label}: CLI exit ${cli.status}: ${cli.stderr}`);
        assert.deepEqual({ ok: r.ok, error: r.error }, { ok: false, error: cliError(cli.stderr) }, label);
        refused += 1;
      }
    }
    assert.ok(accepted >= 2, `${name}: the CLI accepted only ${accepted} grid configs; widen strategyGrid in helpers.mjs`);
    assert.ok(accepted + refused > 0);
  });
}
