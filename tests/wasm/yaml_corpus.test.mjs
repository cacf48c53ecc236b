// tests/data/yaml/ read the page's way (www/src/yaml-config.js on the npm package yaml, then the
// WASM module) against the same expectations the native reader meets in
// tests/core/yaml_corpus_test.cc, and against the native CLI itself: the same resolved config,
// the same --cfg job text, the same error line.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as YAML from 'yaml';

import { createYamlConfig, lineOfKeyIn, toYaml } from '../../www/src/yaml-config.js';
import { ppemu, runCli } from './helpers.mjs';

const corpus = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../data/yaml');
const { readYaml } = createYamlConfig(YAML);
const yamlFiles = (folder) => fs.readdirSync(path.join(corpus, folder)).filter((f) => f.endsWith('.yaml')).sort();
const read = (folder, name) => fs.readFileSync(path.join(corpus, folder, name), 'utf8');
// Out of the repository, so no conf/config.yaml of the working directory joins in.
const cli = (args) => runCli(args, { cwd: os.tmpdir() });

// `expected`'s keys with their values, found in `actual` (objects key by key): keys the core
// gains later need no change to the corpus.
function assertCovers(actual, expected, label) {
  if (expected === null || typeof expected !== 'object' || Array.isArray(expected)) {
    assert.deepEqual(actual, expected, label);
    return;
  }
  for (const [k, v] of Object.entries(expected)) assertCovers(actual?.[k], v, `${label}: ${k}`);
}

// A document as the page hands it to the core: an empty one is an empty mapping.
const configJson = (doc) => (doc.json === 'null' ? '{}' : doc.json);

test('every good corpus file gives its expected resolved config, and --cfg job writes what toYaml writes', async () => {
  const core = await ppemu();
  const files = yamlFiles('good');
  assert.ok(files.length >= 5, 'the corpus has good files');
  for (const name of files) {
    const doc = readYaml(read('good', name));
    assert.ok(doc.ok, `${name}: ${doc.error}`);
    const result = core.simulate(configJson(doc));
    assert.ok(result.ok, `${name}: ${result.error}`);
    const expected = JSON.parse(read('good', name.replace(/\.yaml$/, '.json')));
    assertCovers(result.config, expected, name);
    // The whole resolved config, every key, as the CLI resolves the same file.
    const json = cli(['--format', 'json', '--config', path.join(corpus, 'good', name)]);
    assert.equal(json.status, 0, `${name}: ${json.stderr}`);
    assert.deepEqual(result.config, JSON.parse(json.stdout).config, `${name}: the CLI's config`);

    const written = toYaml(result.config);
    const native = cli(['--cfg', 'job', '--config', path.join(corpus, 'good', name)]);
    assert.equal(native.status, 0, `${name}: ${native.stderr}`);
    assert.equal(written, native.stdout, `${name}: toYaml and --cfg job write the same bytes`);

    // Written and read back: the same run.
    const back = readYaml(written);
    assert.ok(back.ok, `${name} written: ${back.error}`);
    assert.deepEqual(core.simulate(back.json).config, result.config, `${name} read back`);
  }
});

test('every broken corpus file fails at the line its first line names, in JS and in the CLI', async () => {
  const core = await ppemu();
  const files = yamlFiles('broken');
  assert.ok(files.length >= 10, 'the corpus has broken files');
  for (const name of files) {
    const text = read('broken', name);
    const header = /^# error(?: at line ([0-9]+))?(?:: (.*))?$/.exec(text.split('\n')[0]);
    assert.ok(header, `${name}: first line '# error at line N: message'`);
    const line = header[1] ? Number(header[1]) : 0;
    const message = header[2];

    let error;
    let errorLine = 0;
    const doc = readYaml(text);
    if (!doc.ok) {
      const at = /^line ([0-9]+), column [0-9]+: (.*)$/.exec(doc.error);
      errorLine = at ? Number(at[1]) : 0;
      error = at ? at[2] : doc.error;
    } else {
      const result = core.simulate(configJson(doc));
      assert.equal(result.ok, false, `${name} should fail`);
      error = result.error;
      errorLine = lineOfKeyIn(error, doc.lines);
    }
    assert.equal(errorLine, line, `${name}: ${error}`);
    if (message) assert.equal(error, message, name);

    // The CLI names the file and the same line.
    const file = path.join(corpus, 'broken', name);
    const native = cli(['--config', file]);
    assert.equal(native.status, 2, `${name}: ${native.stderr}`);
    const expectedStart = `ppemu: ${file}: ${line ? `line ${line}` : ''}`;
    assert.ok(native.stderr.startsWith(expectedStart), `${name}: ${native.stderr} should start with ${expectedStart}`);
    assert.equal(native.stderr.split('\n').length, 2, `${name}: one stderr line`);
  }
});

test('lineOfKeyIn takes the first key the message names, the longest at one place', () => {
  const lines = { op_times: 2, 'op_times.backward': 3, 'op_times.backwad': 4, num_stages: 5, num_devices: 6, 'op_times.forward': 7 };
  assert.equal(lineOfKeyIn("unknown config key 'op_times.backwad'; did you mean 'op_times.backward'?", lines), 4);
  assert.equal(lineOfKeyIn('interleave needs num_stages to be a multiple of num_devices', lines), 5);
  assert.equal(lineOfKeyIn('op_times.forward.3 must be a number > 0 (got -1)', lines), 7);
  assert.equal(lineOfKeyIn('xnum_stages is not a key here', lines), 0);
  assert.equal(lineOfKeyIn('nothing named', lines), 0);
});

test('a YAML error names its line and column; the readers refuse what the native reader refuses', () => {
  assert.equal(readYaml('a: 1\na: 2\n').error, "line 2, column 1: duplicate key 'a'");
  assert.equal(readYaml('0: a\n"0": b\n').error, "line 2, column 1: duplicate key '0'");
  assert.equal(readYaml('a: 1\n---\nb: 2\n').error, 'the file holds 2 YAML documents; a config is one');
  assert.deepEqual(readYaml('a: .inf\nb: 0x10\nc: "8"\nd: yes\ne:\n').value, { a: '.inf', b: 16, c: '8', d: 'yes', e: null });
  assert.equal(readYaml('').json, 'null');
});
