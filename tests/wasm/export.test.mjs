// exportRun() writes the very documents the CLI writes with --format json, trace, svg and csv.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { cliArgs, firstAccepted, ppemu, runCli } from './helpers.mjs';

const core = await ppemu();

for (const { name } of core.strategies()) {
  test(`exportRun(${name} config, json | trace | svg | csv) equals the CLI's output byte for byte`, () => {
    const { config, cli } = firstAccepted(name);
    const json = core.exportRun(JSON.stringify(config), 'json');
    assert.equal(json.ok, true, json.error);
    assert.equal(json.error, '');
    assert.equal(json.text, cli.stdout);
    const doc = JSON.parse(json.text);
    assert.equal(doc.config.strategy, name);
    assert.equal(doc.ops.length, core.simulate(JSON.stringify(config)).num_ops);

    const trace = core.exportRun(JSON.stringify(config), 'trace');
    assert.ok(Array.isArray(JSON.parse(trace.text).traceEvents));
    // The CLI refuses some (csv of DualPipe's two chains); the module must refuse them alike.
    for (const format of ['trace', 'svg', 'csv']) {
      const doc = core.exportRun(JSON.stringify(config), format);
      const out = runCli([...cliArgs(config), '--format', format]);
      if (out.status === 0) {
        assert.equal(doc.ok, true, `${format}: ${doc.error}`);
        assert.equal(doc.text, out.stdout, format);
      } else {
        assert.equal(doc.ok, false, format);
        assert.equal(`ppemu: ${doc.error}\n`, out.stderr, format);
      }
    }
  });
}

test('exportRun() has the budget of simulate() (2^21 estimated ops), since exports stream', () => {
  // 1F1B 64 x 10923: 3 x 64 x 10923 = 2,097,216 estimated ops, just over 2^21 = 2,097,152; both
  // refuse it in the same words. (Through the DOM, exports had 2^19 and refused 64 x 4096.)
  const over = JSON.stringify({ num_devices: 64, num_stages: 64, num_batches: 10923 });
  const error = 'num_stages x num_batches = 699072 would make up to 2097216 ops, more than the limit of 2097152; use fewer stages or microbatches';
  assert.deepEqual(core.simulate(over), { ok: false, error });
  assert.deepEqual(core.exportRun(over, 'json'), { ok: false, error });
  assert.equal(core.limits().export_max_ops, core.limits().max_ops);
});
