// The module's preset functions (wasm/API.md): confFiles carries the repository's conf/ files,
// registerPreset and presets round-trip what the worker registers from them, and a run that
// selects a registered preset matches the CLI, which reads the same files natively.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as YAML from 'yaml';

import { createYamlConfig } from '../../www/src/yaml-config.js';
import { cliArgs, ppemu, runCli } from './helpers.mjs';

const conf = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../conf');

function confOnDisk(dir = conf, prefix = '') {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const rel = prefix + e.name;
    if (e.isDirectory()) return confOnDisk(path.join(dir, e.name), `${rel}/`);
    return e.name.endsWith('.yaml') ? [{ path: rel, text: fs.readFileSync(path.join(dir, e.name), 'utf8') }] : [];
  }).sort((a, b) => (a.path < b.path ? -1 : 1));
}

test('confFiles() is the repository conf/ folder, path and text, as embedded at build time', async () => {
  const core = await ppemu();
  assert.deepEqual(core.confFiles(), confOnDisk());
});

test('registerPreset adds or replaces a preset that presets() lists with its keys; bad JSON is refused', async () => {
  const core = await ppemu();
  assert.deepEqual(core.registerPreset('model', 'test_tiny', '{"num_layers": 2}', 'test:tiny', 'a test model'), { ok: true, error: '' });
  assert.deepEqual(core.registerPreset('model', 'test_tiny', '{"num_layers": 3}', 'test:tiny', 'replaced'), { ok: true, error: '' });
  const mine = core.presets().filter((p) => p.name === 'test_tiny');
  assert.deepEqual(mine, [{ group: 'model', name: 'test_tiny', description: 'replaced', source: 'test:tiny', keys: { num_layers: 3 } }]);
  assert.deepEqual(core.registerPreset('model', 'broken', '[1]', 'test:broken', ''),
    { ok: false, error: 'test:broken: a model preset must be a mapping of keys (num_layers: 96, ...)' });
  assert.ok(Array.isArray(core.configGroups()));
});

test('the conf/ presets registered the worker\'s way give the CLI\'s run for each group choice', async () => {
  const core = await ppemu();
  const read = createYamlConfig(YAML).confPresets(core.confFiles());
  assert.ok(read.ok, read.error);
  for (const p of read.presets) assert.ok(core.registerPreset(p.group, p.name, p.json, p.source, p.description).ok, p.source);
  const groups = core.configGroups();
  for (const p of read.presets) {
    assert.ok(groups.includes(p.group), `${p.source}: ${p.group} is a config group (${groups.join(', ')})`);
    const listed = core.presets().find((q) => q.group === p.group && q.name === p.name);
    assert.deepEqual(listed.keys, JSON.parse(p.json), p.source);
  }
  // One choice per group, all at once: the same resolved config as the CLI's (run out of the
  // repository, so its files come from the binary, as the module's do).
  const choice = {};
  for (const g of groups) {
    const first = read.presets.find((p) => p.group === g);
    if (first) choice[g] = first.name;
  }
  if (!Object.keys(choice).length) return;  // no conf/ group files in this checkout
  const result = core.simulate(JSON.stringify(choice));
  const native = runCli([...cliArgs(choice), '--format', 'json'], { cwd: os.tmpdir() });
  // A defaults list selecting the same presets is the same run.
  const listed = core.simulate(JSON.stringify({ defaults: ['_self_', ...Object.entries(choice).map(([g, n]) => ({ [g]: n }))] }));
  assert.deepEqual({ ok: listed.ok, error: listed.error, config: listed.config }, { ok: result.ok, error: result.error, config: result.config });
  if (!result.ok) {
    assert.equal(native.status, 2);
    assert.equal(native.stderr, `ppemu: ${result.error}\n`);
  } else {
    assert.equal(native.status, 0, native.stderr);
    assert.deepEqual(result.config, JSON.parse(native.stdout).config);
  }
});
