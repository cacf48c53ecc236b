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

test('exportRun() has a tighter budget (2^19 estimated ops) than simulate() (2^21)', () => {
  // 1F1B 64 x 4096: 3 x 64 x 4096 = 786,432 estimated ops; a whole JSON document of it would
  // need over a gigabyte of heap at its peak.
  const config = JSON.stringify({ num_devices: 64, num_stages: 64, num_batches: 4096 });
  assert.equal(core.simulate(config).ok, true);
  assert.deepEqual(core.exportRun(config, 'json'), {
    ok: false,
    error: 'num_stages x num_batches = 262144 would make up to 786432 ops, more than the limit of 524288; use fewer stages or microbatches',
  });
});
