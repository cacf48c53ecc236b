// PyTorch schedule CSVs through the module: simulateSchedule() is the CLI's --schedule and
// exportRun(config, 'csv') its --format csv, with the same numbers and the same error words.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { assertSameRun, cliArgs, cliError, firstAccepted, ppemu, runCli } from './helpers.mjs';

const core = await ppemu();
const DATA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../core/data');
const DUALPIPEV = path.join(DATA, 'dualpipev_4rank_10mb.csv');

// The CLI's error for a file, without "ppemu: " and the "<path>: " it puts before the file's own words.
function cliFileError(file, stderr) {
  const error = cliError(stderr);
  assert.ok(error.startsWith(`${file}: `), error);
  return error.slice(file.length + 2);
}

test("simulateSchedule(PyTorch's DualPipeV file) equals the CLI's --schedule run, default and varied times", () => {
  const text = fs.readFileSync(DUALPIPEV, 'utf8');
  const variants = [
    {},
    { 'op_times.forward': [1, 1.5, 2, 1, 1.5, 2, 1, 1.5], 'op_times.backward_W': 0.5, 'op_times.overlapped_forward_backward': 2.5, p2p_latency: 0.25 },
  ];
  for (const config of variants) {
    const cli = runCli(['--schedule', DUALPIPEV, ...cliArgs(config), '--format', 'json']);
    assert.equal(cli.status, 0, cli.stderr);
    const result = core.simulateSchedule(text, JSON.stringify(config), 'auto');
    assertSameRun(result, JSON.parse(cli.stdout), `DualPipeV file ${JSON.stringify(config)}`);
  }
  // F = B = W = 1: 60 busy + 6 bubble on every rank (tests/core/pytorch_csv_test.cc works it out).
  const result = core.simulateSchedule(text, '{}', 'current');
  assert.equal(result.makespan, 66);
  assert.equal(result.strategy, 'pytorch_csv');
  assert.deepEqual([result.num_devices, result.num_stages, result.num_microbatches, result.num_chains], [4, 8, 10, 1]);
});

test("simulateSchedule() of a bad file returns ok:false with the CLI's words, naming row and column", () => {
  for (const name of ['bad_action.csv', 'deadlock.csv']) {
    const file = path.join(DATA, name);
    const cli = runCli(['--schedule', file]);
    assert.equal(cli.status, 2, cli.stdout);
    const r = core.simulateSchedule(fs.readFileSync(file, 'utf8'), '{}', 'auto');
    assert.deepEqual(r, { ok: false, error: cliFileError(file, cli.stderr) });
    assert.match(r.error, /row \d+, column \d+/);
  }
  assert.deepEqual(core.simulateSchedule('0F0,0B0\n', '{}', 'new'),
    { ok: false, error: "the CSV dialect must be auto, current or legacy (got 'new')" });
  assert.deepEqual(core.simulateSchedule('0F0,0B0\n', '{"p2p_latency": -1}', 'auto'),
    { ok: false, error: 'p2p_latency must be a number >= 0 (got -1)' });
});

test('simulateSchedule() reads the legacy dialect when told or when the file shows it', () => {
  // B then W of the same stage and microbatch: legacy split backward, 3 ops; read as current, B is a full backward.
  const legacy = core.simulateSchedule('0F0,0B0,0W0\n', '{}', 'auto');
  assert.equal(legacy.ok, true, legacy.error);
  assert.deepEqual(Array.from(legacy.ops.kind), [0, 1, 2]);
  const current = core.simulateSchedule('0F0,0B0,0W0\n', '{}', 'current');
  assert.equal(current.ok, false);
  assert.match(current.error, /both a full backward and a W/);
});

for (const { name } of core.strategies()) {
  test(`exportRun(${name} config, 'csv') equals the CLI's --format csv, and reads back to the same timeline`, () => {
    const { config } = firstAccepted(name);
    const cli = runCli([...cliArgs(config), '--format', 'csv']);
    const exported = core.exportRun(JSON.stringify(config), 'csv');
    if (cli.status !== 0) {
      // Two chains (DualPipe) cannot be written: the same refusal in both.
      assert.deepEqual(exported, { ok: false, error: cliError(cli.stderr) });
      assert.match(exported.error, /cannot be written as CSV/);
      return;
    }
    assert.equal(exported.ok, true, exported.error);
    assert.equal(exported.text, cli.stdout);
    const original = core.simulate(JSON.stringify(config));
    const again = core.simulateSchedule(exported.text, JSON.stringify(config), 'current');
    assert.equal(again.ok, true, again.error);
    assert.deepEqual(Array.from(again.ops.start), Array.from(original.ops.start));
    assert.deepEqual(Array.from(again.ops.kind), Array.from(original.ops.kind));
    assert.equal(again.makespan, original.makespan);
  });
}

test("exportSchedule() writes an imported file's run byte for byte as the CLI's --schedule --format does", () => {
  const text = fs.readFileSync(DUALPIPEV, 'utf8');
  const config = { 'op_times.backward_W': 0.5, p2p_latency: 0.25 };
  for (const format of ['json', 'trace', 'svg', 'csv']) {
    const cli = runCli(['--schedule', DUALPIPEV, ...cliArgs(config), '--format', format]);
    assert.equal(cli.status, 0, cli.stderr);
    const out = core.exportSchedule(text, JSON.stringify(config), 'auto', format);
    assert.equal(out.ok, true, out.error);
    assert.equal(out.text, cli.stdout, format);
  }
  assert.match(core.exportSchedule(text, '{}', 'auto', 'pdf').error, /format must be one of: json, trace, svg, csv/);
  assert.match(core.exportSchedule(text, '{}', 'nope', 'json').error, /auto/);
  assert.match(core.exportSchedule('0F0,0X0\n', '{}', 'auto', 'json').error, /row 1, column 2/);
});

test('limits() states the page budgets the module enforces', () => {
  const limits = core.limits();
  assert.equal(limits.max_ops, 2 ** 21);
  assert.equal(limits.export_max_ops, 2 ** 21);  // exports stream, so they share simulate's budget
  const over = { strategy: '1f1b', num_devices: 64, num_stages: 64, num_batches: Math.floor(limits.max_ops / (3 * 64)) + 1 };
  assert.match(core.simulate(JSON.stringify(over)).error, new RegExp(`limit of ${limits.max_ops}`));
});
