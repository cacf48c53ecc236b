// Measured traces on the page (issue 12), in headless Chromium on the built site with its CSP:
// Megatron timer dumps picked as a folder → the measured timeline, the fitted times, the replay
// table and a what-if with zb1p, every figure the CLI's (`build/ppemu --trace DIR ...`); a
// gzipped PyTorch-profiler set inflated in the page; a broken file named in its one-line error;
// and the comms CSV head-of-line case of tests/core/comms_csv_test.cc through the schedule import.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { siteAndBrowser, openPage, textOf, waitText, rankingTable, screenshot } from './harness.mjs';
import { fmt } from '../../www/src/format.js';

const site = siteAndBrowser();
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.resolve(repo, process.env.PPEMU_CLI || 'build/ppemu');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ppemu-e2e-traces-'));
const BASE_LINK = '#strategy=1f1b&num_devices=4&num_stages=4&num_batches=8&op_times.forward=1&op_times.backward=2';

function cli(args) {
  const r = spawnSync(CLI, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.error) throw r.error;
  return r;
}
function cliJson(args) {
  const r = cli([...args, '--format', 'json']);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

// Megatron-LM timer dumps of an emulated run (tests/wasm/traces.test.mjs writes them the same
// way), times in ms from a wall-clock origin; `late` delays each device's last op so the replay
// has something to explain.
function megatronDumps(json, dir, late = 0) {
  fs.mkdirSync(dir, { recursive: true });
  const p = json.config.num_devices;
  const v = json.stages.length / p;
  const dumps = Array.from({ length: p }, () => ({ iteration: 3 }));
  const last = new Map(json.ops.map((op, i) => [op.device, i]));
  json.ops.forEach((op, i) => {
    const shift = last.get(op.device) === i ? late : 0;
    const stem = `${op.kind === 'F' ? 'forward' : 'backward'}-${v > 1 ? `${Math.floor(op.stage / p)}-` : ''}${op.microbatch}`;
    dumps[op.device][`${stem}-start`] = 81234.5 + op.start + shift;
    dumps[op.device][`${stem}-end`] = 81234.5 + op.end + shift;
  });
  return dumps.map((dump, r) => {
    const name = path.join(dir, `event_times_PP${p}_VPP${v}_TPxCPxDP_rank_0_pp_rank_${r}_rank_${r}.json`);
    fs.writeFileSync(name, JSON.stringify(dump));
    return name;
  });
}

// One rank of a run as a torch.profiler trace: PP: ranges among kernels, times in µs.
function pytorchProfile(json, d) {
  const action = (op) => ({ F: `${op.stage}F${op.microbatch}`, B: `${op.stage}I${op.microbatch}`, W: `${op.stage}W${op.microbatch}`, BW: `${op.stage}B${op.microbatch}` })[op.kind];
  const events = [];
  for (const op of json.ops.filter((o) => o.device === d)) {
    const ts = 1.7e12 + op.start * 1000;
    events.push({ ph: 'X', cat: 'user_annotation', name: `PP:${action(op)}`, pid: 1, tid: 1, ts, dur: (op.end - op.start) * 1000 });
    events.push({ ph: 'X', cat: 'kernel', name: 'sm90_xmma_gemm', pid: 0, tid: 7, ts: ts + 2, dur: 5, args: { stream: 7 } });
  }
  return JSON.stringify({ schemaVersion: 1, distributedInfo: { rank: d, world_size: json.config.num_devices }, traceEvents: events });
}

// The key=value words the CLI's summary prints under "fitted config, key=value".
function cliFittedLine(dir, extra = []) {
  const out = cli(['--trace', dir, ...extra]).stdout.split('\n');
  const at = out.findIndex((l) => l.startsWith('fitted config, key=value'));
  const words = [];
  for (let i = at + 1; out[i]?.startsWith('  '); i++) words.push(out[i].trim());
  return words.join(' ');
}

async function cells(page, testid) {
  return page.getByTestId(testid).locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent.trim())));
}

test('Megatron timer dumps: measured timeline, fitted times, replay table and a zb1p what-if, all the CLI\'s figures', async () => {
  const dir = path.join(tmp, 'megatron');
  megatronDumps(cliJson(['strategy=1f1b', 'num_devices=4', 'num_stages=4', 'num_batches=8', 'op_times.forward=[1,1.5,1,2]',
    'op_times.backward=[2,3,2,4]', 'p2p_latency=0.25']), dir, 0.5);
  fs.writeFileSync(path.join(dir, 'README.txt'), 'not a trace: a folder is read for *.json and *.json.gz');
  const ref = cliJson(['--trace', dir, 'strategy=zb1p']);

  const page = await openPage(site.browser, `${site.server.base}${BASE_LINK}`);
  assert.equal(await textOf(page, 'makespan'), '33');
  const linkBefore = page.url();
  await page.locator('#trace-folder').setInputFiles(dir);
  await waitText(page, 'trace-name', /^Showing event_times_PP4_VPP1_TPxCPxDP_rank_0_pp_rank_0_rank_0\.json \+ 3 more: 4 devices, megatron trace/);
  // The measured run, drawn and measured like an emulated one.
  assert.match(await textOf(page, 'chart-caption'), /^Measured · .* · 4 devices · 4 stages · 8 microbatches · megatron trace · ms/);
  assert.equal(await textOf(page, 'makespan'), fmt(ref.measured.makespan));
  assert.equal(await textOf(page, 'bubble-ratio'), fmt(ref.measured.bubble_ratio));
  assert.deepEqual((await cells(page, 'devices')).map((r) => [r[1], r[2]]), ref.measured.devices.map((d) => [fmt(d.busy), fmt(d.idle)]));
  assert.match(await textOf(page, 'mode-note'), /measured trace .* \(times in ms/);
  assert.equal(page.url(), linkBefore, 'trace files are not part of the link');

  // Fitted times: medians with their spread per stage, and the CLI's key=value line word for word.
  const fit = await cells(page, 'trace-fit');
  assert.deepEqual(fit.map((r) => r[1]), ref.fit.op_times.forward.map((s) => `${fmt(s.median)} [${fmt(s.min)}–${fmt(s.max)}] ×${s.count}`));
  // Megatron times the full backward only: B and W are derived as half of it, and say so.
  assert.deepEqual(fit.map((r) => r[3]), ref.fitted.op_times.backward_D.map((t) => `${fmt(t)} (derived)`));
  assert.equal(await textOf(page, 'trace-fitted-line'), cliFittedLine(dir));

  // Replay: both runs on one axis, the error table and the mode the replay chose.
  await page.getByRole('button', { name: 'Measured vs replay' }).click();
  await waitText(page, 'chart-caption', /^Measured vs replay/);
  assert.equal(await page.evaluate(() => window.ppemuApp.state.shown.runs.length), 2);
  assert.deepEqual(await cells(page, 'trace-replay'), ref.replay.devices.map((d) => [String(d.device),
    ...['end', 'busy', 'idle'].flatMap((q) => [fmt(d[`measured_${q}`]), fmt(d[`replay_${q}`]), (d[`${q}_error`] > 0 ? '+' : '') + fmt(d[`${q}_error`])])]));
  assert.equal(await textOf(page, 'trace-replay-choice'), ref.replay.choice);
  assert.match(ref.replay.choice, new RegExp(`^p2p_mode=${ref.replay.p2p_mode} fits better`));
  assert.deepEqual((await cells(page, 'trace-worst')).map((r) => r[1]), ref.replay.worst.map((o) => o.op));
  assert.equal(await page.getByTestId('trace-causes').locator('li').count(), ref.replay.causes.length);
  await screenshot(page, 'traces-megatron-replay');

  // What-if: zb1p on the fitted times, ranked with the measured run on the same axis.
  await page.getByRole('button', { name: 'What-if' }).click();
  await page.locator('#trace-whatif-zb1p').check();
  const table = await rankingTable(page);
  assert.equal(table.zb1p.makespan, fmt(ref.what_if.makespan));
  assert.equal(table.measured.makespan, fmt(ref.measured.makespan));
  assert.equal(table.zb1p['bubble-ratio'].split(' ')[0], fmt(ref.what_if.bubble_ratio));
  assert.match(await textOf(page, 'chart-caption'), /^What-if on the fitted times of .*: zb1p against measured/);
  await screenshot(page, 'traces-megatron-whatif');

  // The fitted times into the settings: the link now holds them, and 1f1b on them is the CLI's.
  await page.getByRole('button', { name: 'Use the fitted times in the settings' }).click();
  await page.waitForFunction(() => location.hash.includes('op_times.forward=['));
  const fitted = ref.fitted;
  const words = cliFittedLine(dir).split(' ');
  const oneF1b = cliJson(['strategy=1f1b', `num_devices=${fitted.num_devices}`, `num_stages=${fitted.num_stages}`, `num_batches=${fitted.num_batches}`, ...words]);
  await page.waitForFunction((m) => document.querySelector('[data-testid="makespan"]')?.textContent === m, fmt(oneF1b.makespan));
  assert.equal(await page.locator('#trace-report').isHidden(), true);
  // The trace is one click away, and an example (like any settings edit) goes back to the strategy.
  await page.getByRole('button', { name: /^Show event_times_.* again$/ }).click();
  await waitText(page, 'trace-name', /^Showing event_times_/);
  await waitText(page, 'chart-caption', /^What-if on the fitted times/);
  assert.equal((await rankingTable(page)).zb1p.makespan, fmt(ref.what_if.makespan));
  await page.getByRole('button', { name: '1F1B', exact: true }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid="makespan"]')?.textContent === '33');
  assert.equal(await page.locator('#trace-report').isHidden(), true);
  assert.doesNotMatch(await textOf(page, 'chart-caption'), /Measured|What-if/);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a gzipped PyTorch profiler set dropped on the chart is inflated in the page and imports as the CLI reads it', async () => {
  const json = cliJson(['strategy=zb1p', 'op_times.forward=[1,1.25,1.5,1.75]', 'op_times.backward_W=0.5', 'p2p_latency=0.125']);
  const dir = path.join(tmp, 'profiles');
  fs.mkdirSync(dir);
  const names = [0, 1, 2, 3].map((d) => {
    const name = path.join(dir, `rank${d}.json.gz`);
    fs.writeFileSync(name, zlib.gzipSync(pytorchProfile(json, d)));
    return name;
  });
  const ref = cliJson(['--trace', dir, 'trace.offset_ms.2=0.5']);
  const page = await openPage(site.browser, `${site.server.base}${BASE_LINK}`);
  await textOf(page, 'makespan');
  // Dropped on the chart: the schedule import hands trace files to the traces panel.
  await page.evaluate((gz) => {
    const dt = new DataTransfer();
    for (const { name, base64 } of gz) dt.items.add(new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], name));
    const chart = document.getElementById('chart');
    chart.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    chart.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, names.map((n) => ({ name: path.basename(n), base64: fs.readFileSync(n).toString('base64') })));
  await waitText(page, 'trace-name', /^Showing rank0\.json \+ 3 more: 4 devices, pytorch trace/);
  // A skewed rank: its offset field re-imports with the same offset the CLI was given.
  await page.getByLabel('rank 2 clock offset (ms)').fill('0.5');
  await page.getByLabel('rank 2 clock offset (ms)').press('Enter');
  await page.waitForFunction((m) => document.querySelector('[data-testid="makespan"]')?.textContent === m, fmt(ref.measured.makespan));
  assert.equal(await textOf(page, 'trace-fitted-line'), cliFittedLine(dir, ['trace.offset_ms.2=0.5']));
  assert.deepEqual(await page.evaluate(() => window.ppemuApp.state.shown.trace.report.fitted), ref.fitted);
  // A link read afresh (pasted, Back) shows the link's settings: files are not part of it.
  await page.evaluate(() => { location.hash = '#strategy=1f1b&num_devices=4&num_stages=4&num_batches=8'; });
  await page.waitForFunction(() => document.querySelector('[data-testid="makespan"]')?.textContent === '33');
  assert.equal(await page.locator('#trace-report').isHidden(), true);
  assert.equal(await page.locator('#trace-status').isHidden(), true);
  assert.doesNotMatch(await textOf(page, 'chart-caption'), /Measured/);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a broken trace file shows its one-line error naming the file; a fake .gz is refused before the module', async () => {
  const json = cliJson(['strategy=1f1b', 'num_devices=2', 'num_stages=2', 'num_batches=2']);
  const dir = path.join(tmp, 'broken');
  fs.mkdirSync(dir);
  const good = path.join(dir, 'rank0.json');
  fs.writeFileSync(good, pytorchProfile(json, 0));
  const cut = path.join(dir, 'rank1.json');
  const text = pytorchProfile(json, 1);
  fs.writeFileSync(cut, text.slice(0, text.length / 2));
  const r = cli(['--trace', good, cut]);
  assert.equal(r.status, 2);
  const page = await openPage(site.browser, `${site.server.base}${BASE_LINK}`);
  assert.equal(await textOf(page, 'makespan'), '33');
  // Dropped on the panel's zone, as a visitor would.
  await page.evaluate(async ([a, b]) => {
    const dt = new DataTransfer();
    dt.items.add(new File([a.text], a.name));
    dt.items.add(new File([b.text], b.name));
    const zone = document.getElementById('trace-drop');
    zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, [{ name: 'rank0.json', text: fs.readFileSync(good, 'utf8') }, { name: 'rank1.json', text: fs.readFileSync(cut, 'utf8') }]);
  const message = await waitText(page, 'error', /rank1\.json/);
  assert.equal(message, r.stderr.replace(/^ppemu: /, '').trim().replace(path.join(dir, 'rank1.json'), 'rank1.json'));
  assert.equal(message.includes('\n'), false);
  assert.match(await textOf(page, 'trace-name'), /could not be shown/);
  // The chart still shows what ran before, marked as such.
  assert.equal(await textOf(page, 'makespan'), '33');

  const fake = path.join(tmp, 'rank0.json.gz');
  fs.writeFileSync(fake, '{"traceEvents": []}');
  await page.locator('#trace-files').setInputFiles(fake);
  await waitText(page, 'error', /rank0\.json\.gz is not a valid gzip file/);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a comms CSV dropped as a schedule times its RECV waits: the head-of-line bubble of comms_csv_test.cc', async () => {
  // Two ranks, four stages interleaved, F 1, BW 2, no latency; rank 1 posts 3RECV_F0 early.
  const rank0 = '0F0,0SEND_F0,0F1,0SEND_F1,2RECV_F0,2F0,2SEND_F0,2RECV_F1,2F1,2SEND_F1,2B0,2B1,0B0,0B1\n';
  const late = '1RECV_F0,1F0,1SEND_F0,1RECV_F1,1F1,1SEND_F1,3RECV_F0,3F0,3B0,3RECV_F1,3F1,3B1,1B0,1B1\n';
  const early = '1RECV_F0,1F0,1SEND_F0,3RECV_F0,1RECV_F1,1F1,1SEND_F1,3F0,3B0,3RECV_F1,3F1,3B1,1B0,1B1\n';
  const lateFile = path.join(tmp, 'late_comms.csv');
  const earlyFile = path.join(tmp, 'early_comms.csv');
  fs.writeFileSync(lateFile, rank0 + late);
  fs.writeFileSync(earlyFile, rank0 + early);
  const page = await openPage(site.browser, `${site.server.base}#strategy=1f1b&num_devices=2&num_stages=2&num_batches=2&op_times.forward=1&op_times.backward=2&p2p_latency=0`);
  await textOf(page, 'makespan');
  await page.locator('#csv-file').setInputFiles(lateFile);
  await page.waitForFunction(() => document.querySelector('[data-testid="makespan"]')?.textContent === '15');
  await page.locator('#csv-file').setInputFiles(earlyFile);
  await page.waitForFunction(() => document.querySelector('[data-testid="makespan"]')?.textContent === '16');
  // Rank 1's second compute op (1F1) waits behind the early RECV until 3: it idles from 2 to 3.
  const rank1 = await page.evaluate(() => {
    const { ops } = window.ppemuApp.state.shown.result;
    const at = ops.device_offset[1];
    return [ops.end[at], ops.start[at + 1]];
  });
  assert.deepEqual(rank1, [2, 3]);
  const waits = await cells(page, 'comm-waits');
  assert.ok(waits.some((r) => r[0] === '1' && r[1] === '3RECV_F0' && r[2] === '2' && r[3] === '3' && r[4] === '1'), JSON.stringify(waits));
  await screenshot(page, 'traces-comms-csv');
  assert.deepEqual(page.problems, []);
  await page.close();
});
