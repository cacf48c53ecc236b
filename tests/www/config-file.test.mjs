// www/src/config-file.js without WASM: which keys of a resolved config become the page's settings,
// and how a file's errors read. tests/wasm/config_file.test.mjs runs the same functions on the
// module against the CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as YAML from 'yaml';

import { createSchema } from '../../www/src/keys.js';
import { createYamlConfig } from '../../www/src/yaml-config.js';
import { readConfigFile, fileError, pageConfigOf, notesOf, configDownloads } from '../../www/src/config-file.js';
import { CONFIG_KEYS, DEFAULT_CONFIG } from './schema-fixture.mjs';

const schema = createSchema([...CONFIG_KEYS, 'model.num_layers', 'gpu.peak_tflops'], DEFAULT_CONFIG);
const { readYaml } = createYamlConfig(YAML);

test('a file\'s keys over the keys every run has; null and derived keys stay auto; per-stage maps arrive as lists', () => {
  const file = readConfigFile('model_A.yaml', 'num_devices: 2\nnum_stages: 2\nvisualization_port: 8050\nmicrobatch_group_size_per_vp_stage: null\nop_times:\n  forward:\n    0: 0.8\n    1: 1.2\n', readYaml);
  assert.ok(file.ok);
  assert.equal(file.lines['op_times.forward.1'], 8);
  // As the core resolves it: the group size derived from num_devices, the map a list.
  const resolved = { ...DEFAULT_CONFIG, num_devices: 2, num_stages: 2, microbatch_group_size_per_vp_stage: 2,
    op_times: { ...DEFAULT_CONFIG.op_times, forward: [0.8, 1.2] } };
  assert.deepEqual(pageConfigOf(file.value, resolved, schema), {
    strategy: '1f1b', num_devices: 2, num_stages: 2, num_batches: 8, p2p_latency: 0,
    'op_times.forward': [0.8, 1.2], 'op_times.backward': 2, 'op_times.backward_D': 1, 'op_times.backward_W': 1,
  });
  assert.deepEqual(notesOf(file.value, resolved), [
    'visualization_port is ignored (it is the port of PP-Emulation\'s Dash server; this page is a static site and needs none)']);
});

test('a preset selection brings its group\'s keys; keys a projection computes are not pinned to the defaults', () => {
  const value = { defaults: ['_self_', { model: 'tiny' }], num_devices: 4 };
  // A projected run's config omits op_times and p2p_latency the user did not give (wasm/API.md).
  const resolved = { choices: { model: 'tiny' }, model: { num_layers: 2 }, gpu: { peak_tflops: 989 }, num_devices: 4, num_stages: 4, num_batches: 8, strategy: '1f1b' };
  assert.deepEqual(pageConfigOf(value, resolved, schema), { 'model.num_layers': 2, strategy: '1f1b', num_devices: 4, num_stages: 4, num_batches: 8 });
  assert.match(notesOf(value, resolved)[0], /^model: tiny is ppemu's built-in preset \(the command line would read a model\/tiny\.yaml/);
});

test('errors name the file and, for a key, its line; JSON errors have no line, as the CLI\'s', () => {
  const file = readConfigFile('a.yaml', 'num_devices: 4\nop_times:\n  backwad: 1\n', readYaml);
  assert.equal(fileError('a.yaml', "unknown config key 'op_times.backwad'; did you mean 'op_times.backward'?", file.lines),
    "a.yaml: line 3: unknown config key 'op_times.backwad'; did you mean 'op_times.backward'?");
  assert.equal(fileError('b.json', 'num_devices must be an integer >= 1 (got 0)', {}), 'b.json: num_devices must be an integer >= 1 (got 0)');
  assert.match(readConfigFile('c.yaml', 'a: [1, 2\n', readYaml).error, /^c\.yaml: line \d+, column \d+: /);
  assert.deepEqual(readConfigFile('d.json', '{"num_devices": 4}', readYaml), { ok: true, value: { num_devices: 4 }, lines: {} });
  assert.equal(readConfigFile('e.csv', '', readYaml).error, 'e.csv: not a config file; expected a .yaml, .yml or .json file');
  assert.deepEqual(readConfigFile('empty.yml', '', readYaml), { ok: true, value: null, lines: {} });
});

test('Download config names each file as the exports do and writes --cfg job\'s YAML', () => {
  const result = { ok: true, config: { strategy: 'zb1p', num_devices: 4, num_stages: 4, num_batches: 8, op_times: { forward: [1, 2, 1, 2] } } };
  const { files } = configDownloads({ mode: 'single', result });
  assert.deepEqual(files, [{ name: 'ppemu-zb1p-p4-s4-m8.yaml',
    text: 'num_batches: 8\nnum_devices: 4\nnum_stages: 4\nop_times:\n  forward: [1, 2, 1, 2]\nstrategy: "zb1p"\n' }]);
});
