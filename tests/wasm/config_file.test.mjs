// The page's config file panel, both ways, against the native CLI (www/src/config-file.js on the
// WASM module, as the panel uses them): the YAML "Download config" saves for a run shown runs
// under `build/ppemu --config FILE` and `--config-path DIR --config-name NAME` to the page's
// makespan, and loads back into the page to the same run; the original project's conf/ files and
// the broken corpus read in the page give the CLI's numbers and the CLI's file:line errors.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as YAML from 'yaml';

import { createYamlConfig } from '../../www/src/yaml-config.js';
import { createSchema } from '../../www/src/keys.js';
import { workerConfig } from '../../www/src/runs.js';
import { readConfigFile, fileError, pageConfigOf, notesOf, configDownloads } from '../../www/src/config-file.js';
import { ppemu, runCli } from './helpers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const hydra = path.resolve(here, '../core/data/hydra/conf');
const broken = path.resolve(here, '../data/yaml/broken');
const yaml = createYamlConfig(YAML);
const cli = (args) => runCli(args, { cwd: os.tmpdir() });

let loaded = null;
// The module with the conf/ presets registered the worker's way, and the page's schema.
async function page() {
  loaded ??= (async () => {
    const core = await ppemu();
    const read = yaml.confPresets(core.confFiles());
    assert.ok(read.ok, read.error);
    for (const p of read.presets) assert.ok(core.registerPreset(p.group, p.name, p.json, p.source, p.description).ok, p.source);
    return { core, schema: createSchema(core.configKeys(), core.defaultConfig()) };
  })();
  return loaded;
}

// What the panel does with a file: read it, have the core resolve it, take the page's keys.
async function loadFile(name, text) {
  const { core, schema } = await page();
  const read = readConfigFile(name, text, yaml.readYaml);
  if (!read.ok) return { error: read.error };
  const resolved = core.simulate(JSON.stringify(read.value ?? {}));
  if (!resolved.ok) return { error: fileError(name, resolved.error, read.lines) };
  return { config: pageConfigOf(read.value, resolved.config, schema), notes: notesOf(read.value, resolved.config), resolved };
}

function cliJson(args) {
  const r = cli([...args, '--format', 'json']);
  assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

// Page settings (dotted keys, as the link holds them) that "Download config" must round-trip.
const SHOWN = {
  defaults: {},
  per_stage_lists: { strategy: 'interleave', num_devices: 4, num_stages: 8, num_batches: 8, p2p_latency: 0.1,
    'op_times.forward': [0.5, 0.6, 0.7, 0.4, 0.5, 0.6, 0.7, 0.4], 'op_times.backward': 1.2, 'op_times.backward.3': 2.5 },
  zb_auto: { strategy: 'zb_auto', num_devices: 4, num_stages: 4, num_batches: 12, 'op_times.backward_W': [1, 0.5, 1, 2] },
  memory: { strategy: 'zb1p', num_devices: 4, num_stages: 4, num_batches: 8, 'op_memory.activation': [2, 1, 1, 1], 'op_memory.static': 10 },
  dualpipe_v: { strategy: 'dualpipe_v', num_devices: 4, num_stages: 8, num_batches: 10, 'op_times.overlapped_forward_backward': 2.5 },
};

test('Download config: the run shown as YAML runs under the CLI (--config and --config-name) to the page\'s makespan and loads back to the same run', async () => {
  const { core, schema } = await page();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ppemu-config-file-'));
  const projected = await loadFile('projected.yaml', 'defaults:\n  - _self_\n  - model: llama3_8b\n  - gpu: h100_sxm\nstrategy: interleave\nnum_devices: 4\nnum_stages: 8\nnum_batches: 8\n');
  assert.ok(projected.config, projected.error);
  const cases = { ...SHOWN, projected: projected.config };
  for (const [label, settings] of Object.entries(cases)) {
    const result = core.simulate(JSON.stringify(workerConfig({ ...schema.defaults, ...settings })));
    assert.ok(result.ok, `${label}: ${result.error}`);
    const { files } = configDownloads({ mode: 'single', result, label: result.strategy });
    assert.equal(files.length, 1);
    const [{ name, text }] = files;
    assert.match(name, /^ppemu-[a-z0-9_]+-p\d+-s\d+-m\d+\.yaml$/, label);
    fs.writeFileSync(path.join(dir, name), text);

    const byFile = cliJson(['--config', path.join(dir, name)]);
    const byName = cliJson(['--config-path', dir, '--config-name', name.replace(/\.yaml$/, '')]);
    assert.equal(byFile.makespan, result.makespan, `${label}: --config FILE.yaml`);
    assert.equal(byName.makespan, result.makespan, `${label}: --config-path DIR --config-name NAME`);
    assert.deepEqual(byName.config, result.config, `${label}: the CLI resolves the file to the page's config`);
    const job = cli(['--cfg', 'job', '--config', path.join(dir, name)]);
    assert.equal(job.stdout, text, `${label}: the file is what --cfg job prints for it`);

    const back = await loadFile(name, text);
    assert.ok(back.config, back.error);
    const again = core.simulate(JSON.stringify(workerConfig(back.config)));
    assert.equal(again.makespan, result.makespan, `${label}: loaded back into the page`);
    assert.deepEqual(again.config, result.config, `${label}: loaded back, the same resolved config`);
  }
  // The projection's own numbers, so the projected case is a projection (ms, from llama3_8b).
  assert.ok(projected.resolved.projection, 'the defaults list selects a model and a GPU');
  assert.ok(!('op_times.forward' in projected.config), 'the projection computes the op times; the page does not pin the defaults');
  assert.equal(projected.config['model.num_layers'], 32);
  assert.equal(projected.config['gpu.peak_tflops'], 989);
  const cliProjected = cliJson(['model=llama3_8b', 'gpu=h100_sxm', 'strategy=interleave', 'num_devices=4', 'num_stages=8', 'num_batches=8']);
  assert.equal(projected.resolved.makespan, cliProjected.makespan);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the original project\'s conf/config.yaml and model_A.yaml load in the page with the CLI\'s numbers; visualization_port is noted', async () => {
  const { core, schema } = await page();
  for (const name of ['config', 'model_A']) {
    const loadedFile = await loadFile(`${name}.yaml`, fs.readFileSync(path.join(hydra, `${name}.yaml`), 'utf8'));
    assert.ok(loadedFile.config, loadedFile.error);
    const run = core.simulate(JSON.stringify(workerConfig(loadedFile.config)));
    const native = cliJson(['--config-path', hydra, '--config-name', name]);
    assert.equal(run.makespan, native.makespan, name);
    assert.deepEqual(run.config, native.config, name);
    assert.ok(loadedFile.notes.some((n) => /^visualization_port is ignored/.test(n)), `${name}: ${loadedFile.notes}`);
    // null is the default: the group size stays "auto" in the page, following num_devices.
    assert.ok(!('microbatch_group_size_per_vp_stage' in loadedFile.config), name);
    // Nothing of the page's settings before survives: every key is the file's or a default.
    const text = fs.readFileSync(path.join(hydra, `${name}.yaml`), 'utf8');
    for (const k of Object.keys(loadedFile.config)) assert.ok(k in schema.defaults || text.includes(`${k.split('.').pop()}:`), `${name}: ${k}`);
  }
  // Hand-checked: model_A is 1F1B, 4 stages, 8 microbatches, F 0.8/1.2/1.5/0.9, B 1.6/2.4/3/1.8, p2p 0.1.
  const modelA = await loadFile('model_A.yaml', fs.readFileSync(path.join(hydra, 'model_A.yaml'), 'utf8'));
  assert.deepEqual(modelA.config['op_times.forward'], [0.8, 1.2, 1.5, 0.9]);
  assert.deepEqual(modelA.config['op_times.backward'], [1.6, 2.4, 3, 1.8]);
  assert.equal(modelA.config.p2p_latency, 0.1);
});

test('a broken file gives the CLI\'s error with its file name and line', async () => {
  const files = fs.readdirSync(broken).filter((f) => f.endsWith('.yaml')).sort();
  assert.ok(files.length >= 10);
  for (const name of files) {
    const text = fs.readFileSync(path.join(broken, name), 'utf8');
    const [, line, message] = /^# error(?: at line (\d+))?(?::? ?(.*))?$/m.exec(text.split('\n')[0]) ?? [];
    const got = await loadFile(name, text);
    assert.ok(got.error, `${name} must not load`);
    const native = cli(['--config', path.join(broken, name)]);
    assert.equal(native.status, 2, name);
    const cliLine = native.stderr.trim().replace(/^ppemu: .*?broken\//, '');
    if (line) assert.ok(got.error.startsWith(`${name}: line ${line}`), `${name}: ${got.error}`);
    else assert.ok(!/line \d/.test(got.error.slice(name.length + 2, name.length + 10)), `${name}: ${got.error}`);
    // Syntax errors are worded by each parser; config errors are the core's, word for word.
    if (message) assert.equal(got.error, cliLine, name);
  }
  const unknown = await loadFile('model_A.yaml', fs.readFileSync(path.join(hydra, 'model_A.yaml'), 'utf8').replace('  backward:', '  backwad:'));
  assert.equal(unknown.error, "model_A.yaml: line 16: unknown config key 'op_times.backwad'; did you mean 'op_times.backward'?");
  const json = await loadFile('run.json', '{"num_devices": 4,');
  assert.equal(json.error, 'run.json: the config is not valid JSON');
  const other = await loadFile('notes.txt', 'num_devices: 4');
  assert.match(other.error, /^notes\.txt: not a config file; expected a \.yaml, \.yml or \.json file$/);
});

test('a defaults list naming a group file the page does not have says the page has only the built-in presets', async () => {
  const got = await loadFile('mine.yaml', 'defaults:\n  - model: my_model\nnum_devices: 4\n');
  assert.match(got.error, /^mine\.yaml: line 1: defaults: unknown model preset 'my_model' \(presets: [^)]*\)\. The page/);
  assert.match(got.error, /The page has only ppemu's built-in presets: a model\/my_model\.yaml of your own is read by the command line/);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ppemu-config-file-'));
  fs.writeFileSync(path.join(dir, 'mine.yaml'), 'defaults:\n  - model: my_model\nnum_devices: 4\n');
  const native = cli(['--config', path.join(dir, 'mine.yaml')]);
  fs.rmSync(dir, { recursive: true, force: true });
  assert.equal(native.status, 2);
  assert.ok(got.error.startsWith(`${native.stderr.trim().replace(/^ppemu: .*\//, '')}. `), `${got.error}\n${native.stderr}`);
  const ok = await loadFile('ok.yaml', 'defaults:\n  - model: llama3_8b\n  - gpu: h100_sxm\nnum_devices: 4\n');
  assert.ok(ok.config, ok.error);
  assert.ok(ok.notes.some((n) => /^gpu: h100_sxm, model: llama3_8b are ppemu's built-in presets \(the command line would read a gpu\/h100_sxm\.yaml or model\/llama3_8b\.yaml in its config path first/.test(n)), ok.notes.join('\n'));
});

test('compare mode saves one config per compared run; an imported schedule saves none, saying why', async () => {
  const { core, schema } = await page();
  const entries = ['1f1b', 'zb1p'].map((strategy) => {
    const config = { ...schema.defaults, strategy };
    return { strategy, config, result: core.simulate(JSON.stringify(config)) };
  });
  entries.push({ strategy: 'interleave', result: { ok: false, error: 'x' } });
  const { files } = configDownloads({ mode: 'compare', entries });
  assert.deepEqual(files.map((f) => f.name), ['ppemu-1f1b-p4-s4-m8.yaml', 'ppemu-zb1p-p4-s4-m8.yaml']);
  assert.match(files[1].text, /^strategy: "zb1p"$/m);
  assert.match(configDownloads({ mode: 'csv', label: 'a.csv' }).error, /a\.csv, an imported schedule/);
  assert.match(configDownloads(null).error, /no run/);
});
