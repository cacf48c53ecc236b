// www/src/yaml-config.js on its own: the writer's bytes (the same as core/yaml/yaml_write.cc's,
// whose Catch2 test checks the same strings), the embedded presets' reading and refusals. The
// corpus shared with the native reader is tests/wasm/yaml_corpus.test.mjs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as YAML from 'yaml';

import { createYamlConfig, toYaml } from '../../www/src/yaml-config.js';

const { readYaml, confPresets } = createYamlConfig(YAML);

test('toYaml writes numbers as JavaScript does, the bytes json_to_yaml writes natively', () => {
  const numbers = { a: 0.1, b: 1e21, c: 1e-7, d: 1.5e-7, e: 0.000001, f: -2.5, g: 100.0, h: 1 / 3, i: 123456789012345680000, j: -0, k: 7 };
  assert.equal(toYaml(numbers),
    'a: 0.1\nb: 1e+21\nc: 1e-7\nd: 1.5e-7\ne: 0.000001\nf: -2.5\ng: 100\nh: 0.3333333333333333\ni: 123456789012345680000\nj: 0\nk: 7\n');
  const json = '{"choices":{"model":"x"},"empty":{},"list":[1,2.5,"a b",null,true,[1],{"k":1}],"n":null,'
    + '"nested":{"deep":{"x":"1f1b"}},"null":1,"odd key":"q\\"uote","s":"0x10"}';
  const yaml = toYaml(JSON.parse(json));
  assert.equal(yaml, 'choices:\n  model: "x"\nempty: {}\nlist: [1, 2.5, "a b", null, true, [1], {k: 1}]\nn: null\nnested:\n  deep:\n'
    + '    x: "1f1b"\n"null": 1\n"odd key": "q\\"uote"\ns: "0x10"\n');
  assert.deepEqual(readYaml(yaml).value, JSON.parse(json));
  assert.equal(toYaml([1, 2]), '[1, 2]\n');
});

test('confPresets reads conf/<group>/<name>.yaml, skips primary configs and names a broken file', () => {
  const read = confPresets([
    { path: 'config.yaml', text: 'num_devices: 4\n' },
    { path: 'model/tiny.yaml', text: '# A tiny model\nnum_layers: 2\nhidden_size: 64\n' },
    { path: 'gpu/x.yaml', text: 'peak_tflops: 10\n' },
  ]);
  assert.ok(read.ok, read.error);
  assert.deepEqual(read.presets, [
    { group: 'model', name: 'tiny', json: '{"num_layers":2,"hidden_size":64}', source: 'conf/model/tiny.yaml', description: 'A tiny model' },
    { group: 'gpu', name: 'x', json: '{"peak_tflops":10}', source: 'conf/gpu/x.yaml', description: '' },
  ]);
  assert.deepEqual(confPresets([{ path: 'model/bad.yaml', text: 'a: 1\na: 2\n' }]),
    { ok: false, error: "conf/model/bad.yaml: line 2, column 1: duplicate key 'a'" });
  assert.deepEqual(confPresets([{ path: 'model/list.yaml', text: '- 1\n' }]),
    { ok: false, error: 'conf/model/list.yaml: a model preset must be a mapping of model.* keys (num_layers: 96, ...)' });
});
