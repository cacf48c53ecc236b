// The Config file panel in the browser, the site's CSP in force (issue 10's Page section): the
// original project's conf/config.yaml and model_A.yaml dropped on the panel give the CLI's
// figures and one link entry, a broken file shows its name and line and changes nothing, and
// "Download config" saves a YAML file that loads back (here and in the CLI) to the same figures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { siteAndBrowser, openPage, textOf, waitText, downloadsOf } from './harness.mjs';
import { runCli } from '../wasm/helpers.mjs';
import { fmt } from '../../www/src/format.js';

const site = siteAndBrowser();
const here = path.dirname(fileURLToPath(import.meta.url));
const hydra = path.resolve(here, '../core/data/hydra/conf');
const broken = path.resolve(here, '../data/yaml/broken');

// The CLI's run of a file: {makespan, bubble_ratio, peak_activations}, as the page formats them.
function cliFigures(args) {
  const r = runCli([...args, '--format', 'json'], { cwd: here });
  assert.equal(r.status, 0, r.stderr);
  const run = JSON.parse(r.stdout);
  return { makespan: fmt(run.makespan), bubble: fmt(run.bubble_ratio), peak: fmt(run.peak_activations) };
}

async function pageFigures(page) {
  return { makespan: await textOf(page, 'makespan'), bubble: await textOf(page, 'bubble-ratio').then((t) => t.split(' ')[0]), peak: await textOf(page, 'peak-activations') };
}

// A file dropped on the panel, as a browser delivers it: dragover, then drop with a DataTransfer.
async function drop(page, name, text) {
  await page.evaluate(([fileName, body]) => {
    const zone = document.getElementById('config-drop');
    const data = new DataTransfer();
    data.items.add(new File([body], fileName, { type: 'application/yaml' }));
    zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  }, [name, text]);
}

const read = (file) => fs.readFileSync(file, 'utf8');

test('conf/config.yaml and model_A.yaml dropped on the page give the CLI\'s figures, as a fresh scenario with one history entry', async () => {
  const page = await openPage(site.browser, `${site.server.base}#strategy=zb1p&num_devices=2&num_stages=2&num_batches=3&compare=1f1b,zb1p`);
  await page.getByTestId('ranking').locator('tbody tr').first().waitFor({ timeout: 30000 });
  const historyBefore = await page.evaluate(() => history.length);

  await drop(page, 'config.yaml', read(path.join(hydra, 'config.yaml')));
  await waitText(page, 'config-file-status', /Loaded config\.yaml/);
  const config = cliFigures(['--config-path', hydra, '--config-name', 'config']);
  await waitText(page, 'makespan', new RegExp(`^${config.makespan.replace('.', '\\.')}$`));
  assert.deepEqual(await pageFigures(page), config);
  // Nothing of the comparison before stays; visualization_port is noted, as the CLI notes it.
  assert.doesNotMatch(page.url(), /compare=/);
  assert.match(await textOf(page, 'config-file-status'), /visualization_port is ignored/);
  // The file's keys (null is "auto", left out) over the defaults, as a pasted link would give.
  const params = new URLSearchParams(new URL(page.url()).hash.slice(1));
  for (const [k, v] of [['strategy', '1f1b'], ['num_devices', '4'], ['num_stages', '4'], ['num_batches', '8'], ['p2p_latency', '0'], ['op_times.overlapped_forward_backward', '3']]) {
    assert.equal(params.get(k), v, k);
  }
  assert.equal(params.has('microbatch_group_size_per_vp_stage'), false);
  assert.equal(params.has('visualization_port'), false);
  assert.equal(await page.evaluate(() => history.length), historyBefore + 1, 'one history entry');

  await drop(page, 'model_A.yaml', read(path.join(hydra, 'model_A.yaml')));
  await waitText(page, 'config-file-status', /Loaded model_A\.yaml/);
  const modelA = cliFigures(['--config-path', hydra, '--config-name', 'model_A']);
  await waitText(page, 'makespan', new RegExp(`^${modelA.makespan.replace('.', '\\.')}$`));
  assert.deepEqual(await pageFigures(page), modelA);
  assert.match(page.url(), /op_times\.forward=\[0\.8,1\.2,1\.5,0\.9\]/);
  assert.match(page.url(), /p2p_latency=0\.1/);
  // config.yaml's overlapped_forward_backward is not model_A's: the file's keys, not a merge.
  assert.doesNotMatch(page.url(), /overlapped_forward_backward/);

  // Back returns to config.yaml's settings, as after any committed change.
  await page.goBack();
  await waitText(page, 'makespan', new RegExp(`^${config.makespan.replace('.', '\\.')}$`));

  // A defaults list selecting the built-in presets: the CLI's projection, in ms.
  const projected = 'defaults:\n  - _self_\n  - model: llama3_8b\n  - gpu: h100_sxm\nstrategy: interleave\nnum_devices: 4\nnum_stages: 8\nnum_batches: 8\n';
  await drop(page, 'llama.yaml', projected);
  await waitText(page, 'config-file-status', /Loaded llama\.yaml.*model: llama3_8b are ppemu's built-in presets/);
  const cli = cliFigures(['model=llama3_8b', 'gpu=h100_sxm', 'strategy=interleave', 'num_devices=4', 'num_stages=8', 'num_batches=8']);
  // Projected figures are in ms, and say so.
  await waitText(page, 'makespan', new RegExp(`^${cli.makespan.replace('.', '\\.')} ms$`));
  assert.match(page.url(), /model\.num_layers=32&/);
  assert.doesNotMatch(page.url(), /op_times\./, 'the projection computes the op times');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a broken config shows its file name and line and leaves the settings as they were; the picker takes files too', async () => {
  const page = await openPage(site.browser, `${site.server.base}#strategy=1f1b&num_devices=4&num_stages=4&num_batches=8`);
  assert.equal(await textOf(page, 'makespan'), '33');
  const link = page.url();

  await page.locator('#config-file').setInputFiles(path.join(broken, 'unknown_key.yaml'));
  assert.equal(await waitText(page, 'error', /unknown_key/),
    "unknown_key.yaml: line 5: unknown config key 'op_times.backwad'; did you mean 'op_times.backward'?");
  await drop(page, 'missing_stage.yaml', read(path.join(broken, 'missing_stage.yaml')));
  await waitText(page, 'error', /^missing_stage\.yaml: line 4: op_times\.forward gives no time for stage 3/);
  await drop(page, 'tab_indent.yaml', read(path.join(broken, 'tab_indent.yaml')));
  await waitText(page, 'error', /^tab_indent\.yaml: line 3, column \d+: /);
  assert.match(await textOf(page, 'config-file-status'), /^Not loaded: tab_indent\.yaml: line 3/);
  assert.equal(page.url(), link, 'a file that does not load changes nothing');
  assert.equal(await textOf(page, 'makespan'), '33');

  // A defaults list selecting a group file the page cannot see says so.
  await drop(page, 'mine.yaml', 'defaults:\n  - model: my_model\nnum_devices: 4\n');
  await waitText(page, 'error', /^mine\.yaml: line 1: defaults: unknown model preset 'my_model'.*\. The page has only ppemu's built-in presets/);
  // A stranger's file name and keys are text, never markup.
  await drop(page, '<img src=x onerror=window.__pwned=1>.yaml', '"<img src=x onerror=window.__pwned=2>": 1\n');
  await waitText(page, 'error', /^<img src=x onerror=window\.__pwned=1>\.yaml: line 1: unknown config key '<img/);
  assert.equal(await page.evaluate(() => [window.__pwned ?? null, document.querySelectorAll('img').length]).then(JSON.stringify), '[null,0]');
  assert.equal(page.url(), link);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('Download config saves the run shown as YAML that loads back (page and CLI) to the same figures; compare mode saves one per run', async () => {
  const hash = '#strategy=interleave&num_devices=4&num_stages=8&num_batches=8&p2p_latency=0.25&op_times.forward=[0.5,0.6,0.7,0.4,0.5,0.6,0.7,0.4]&op_times.backward.3=2.5';
  const page = await openPage(site.browser, `${site.server.base}${hash}`);
  const before = await pageFigures(page);
  const [file] = await downloadsOf(page, () => page.getByRole('button', { name: 'Download config' }).click(), 1);
  assert.equal(file.name, 'ppemu-interleave-p4-s8-m8.yaml');
  assert.match(file.text, /^strategy: "interleave"$/m);

  // The CLI, from a conf/ folder with --config-name, and from the file itself.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ppemu-config-e2e-'));
  fs.writeFileSync(path.join(dir, file.name), file.text);
  assert.deepEqual(cliFigures(['--config-path', dir, '--config-name', 'ppemu-interleave-p4-s8-m8']), before);
  assert.deepEqual(cliFigures(['--config', path.join(dir, file.name)]), before);
  fs.rmSync(dir, { recursive: true, force: true });

  // Loaded back into a page started elsewhere: the same figures.
  await page.goto(`${site.server.base}#strategy=zb1p&num_devices=2&num_stages=2&num_batches=4`);
  await waitText(page, 'makespan', /./);
  await drop(page, file.name, file.text);
  await waitText(page, 'config-file-status', /Loaded ppemu-interleave/);
  await waitText(page, 'makespan', new RegExp(`^${before.makespan.replace('.', '\\.')}$`));
  assert.deepEqual(await pageFigures(page), before);

  // Compare mode: one file per compared run, each that run's own config.
  await page.goto(`${site.server.base}#num_devices=4&num_stages=4&num_batches=8&compare=1f1b,zbv`);
  await page.getByTestId('ranking').locator('tbody tr').nth(1).waitFor({ timeout: 30000 });
  const files = await downloadsOf(page, () => page.getByRole('button', { name: 'Download config' }).click(), 2);
  assert.deepEqual(files.map((f) => f.name).sort(), ['ppemu-1f1b-p4-s4-m8.yaml', 'ppemu-zbv-p4-s8-m8.yaml']);
  // Same model: zbv runs 8 stages at half the per-stage times, and its file says so.
  assert.match(files.find((f) => f.name.includes('zbv')).text, /^ {2}forward: 0\.5$/m);
  assert.deepEqual(page.problems, []);
  await page.close();
});
