// Bad configs come back as values ({ok: false, error}) with the CLI's own words.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { cliArgs, cliError, ppemu, runCli } from './helpers.mjs';

const core = await ppemu();

// Each config is given to simulate() as JSON and to the CLI as key=value arguments.
const BAD = [
  { num_device: 4 },                                         // unknown key, with a suggestion
  { 'op_times.forwrd': 1 },                                  // unknown op time
  { frobnicate: 1 },                                         // unknown key, no suggestion: lists all keys
  { num_devices: -3 },                                       // negative count
  { num_batches: 0 },
  { num_batches: 2.5 },                                      // not a whole number
  { 'op_times.forward': 0 },
  { 'op_times.forward': 'abc' },
  { 'op_times.forward': [1, 2, 3, 4, 5] },                   // more stage times than stages
  { 'op_times.backward': [1, 2, 3] },                        // fewer
  { 'op_times.forward.7': 2 },                               // one stage past the end
  { p2p_latency: -1 },
  { microbatch_group_size_per_vp_stage: 0 },
  { strategy: 'zb1' },                                       // unknown strategy, with a suggestion
  { strategy: 'interleave', num_stages: 6 },                 // strategy constraints
  { strategy: '1f1b', num_stages: 8 },
  { strategy: 'interleave', num_stages: 8, num_batches: 2 },
];

for (const config of BAD) {
  test(`simulate(${JSON.stringify(config)}) returns ok:false with the CLI's message`, () => {
    const cli = runCli(cliArgs(config));
    assert.equal(cli.status, 2, `the CLI should refuse ${JSON.stringify(config)}: ${cli.stdout}`);
    const r = core.simulate(JSON.stringify(config));
    assert.deepEqual(r, { ok: false, error: cliError(cli.stderr) });
  });
}

// JSON problems only arise from a file: the CLI reads it with --config and names the file first.
const BAD_JSON = ['{"num_devices": 4,', '', 'num_devices=4', '[4]', '"1f1b"', '{"op_times": 3}'];

for (const text of BAD_JSON) {
  test(`simulate(${JSON.stringify(text)}) returns ok:false with the CLI's --config message`, () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ppemu-')), 'bad.json');
    fs.writeFileSync(file, text);
    const cli = runCli(['--config', file]);
    assert.equal(cli.status, 2, cli.stdout);
    const message = cliError(cli.stderr);
    assert.ok(message.startsWith(`${file}: `), message);
    assert.deepEqual(core.simulate(text), { ok: false, error: message.slice(file.length + 2) });
  });
}

test('simulate() refuses a run over the WASM budget of 2^21 estimated ops, which the CLI accepts', () => {
  // 3 x 128 stages x 8192 microbatches = 3,145,728 estimated ops: under the CLI's 2^25, over 2^21.
  const r = core.simulate(JSON.stringify({ num_devices: 128, num_stages: 128, num_batches: 8192 }));
  assert.equal(r.ok, false);
  assert.equal(
    r.error,
    'num_stages x num_batches = 1048576 would make up to 3145728 ops, more than the limit of 2097152; use fewer stages or microbatches',
  );
});

test('simulate() accepts nested and dotted keys alike', () => {
  const nested = core.simulate('{"strategy": "zb1p", "op_times": {"forward": 2, "backward_W": [1, 1, 3, 1]}}');
  const dotted = core.simulate('{"strategy": "zb1p", "op_times.forward": 2, "op_times.backward_W.2": 3}');
  assert.equal(nested.ok, true, nested.error);
  assert.deepEqual(nested.config, dotted.config);
  assert.equal(nested.makespan, dotted.makespan);
  assert.deepEqual(nested.config.op_times.backward_W, [1, 1, 3, 1]);
});

test('exportRun() refuses an unknown format and bad configs as values', () => {
  // Formats join the list as the core gains them (svg, csv): json and trace come first.
  const unknown = core.exportRun('{}', 'pdf');
  assert.equal(unknown.ok, false);
  assert.match(unknown.error, /^format must be one of: json, trace(, [a-z]+)* \(got 'pdf'\)$/);
  const cli = runCli(cliArgs({ num_devices: -3 }));
  assert.deepEqual(core.exportRun('{"num_devices": -3}', 'json'), { ok: false, error: cliError(cli.stderr) });
});
