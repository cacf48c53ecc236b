// Measured traces through the module: importTrace() is the CLI's --trace and whatIf() its
// strategy=... on the fitted times, with the same numbers and the same error words.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import zlib from 'node:zlib';

import { loadPpemu } from '../../wasm/load_node.mjs';
import { SITE, assertSameRun, cliError, ppemu, runCli } from './helpers.mjs';

const core = await ppemu();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ppemu-traces-'));

// A run of the CLI as its JSON.
function cliRun(args) {
  const r = runCli([...args, '--format', 'json']);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

// Megatron-LM timer dumps of a run (forward and full backward only), one file per pipeline rank,
// times in ms from an arbitrary wall-clock origin.
function megatronDumps(json, dir) {
  fs.mkdirSync(dir, { recursive: true });
  const p = json.config.num_devices;
  const v = json.stages.length / p;
  const dumps = Array.from({ length: p }, () => ({ iteration: 3 }));
  for (const op of json.ops) {
    const stem = `${op.kind === 'F' ? 'forward' : 'backward'}-${v > 1 ? `${Math.floor(op.stage / p)}-` : ''}${op.microbatch}`;
    dumps[op.device][`${stem}-start`] = 81234.5 + op.start;
    dumps[op.device][`${stem}-end`] = 81234.5 + op.end;
  }
  return dumps.map((dump, r) => {
    const name = path.join(dir, `event_times_PP${p}_VPP${v}_TPxCPxDP_rank_0_pp_rank_${r}_rank_${r}.json`);
    fs.writeFileSync(name, JSON.stringify(dump));
    return { name, text: JSON.stringify(dump) };
  });
}

// One rank of a run as a torch.profiler trace: PP: ranges among kernels, times in µs.
function pytorchProfile(json, d) {
  const action = (op) => ({ F: `${op.stage}F${op.microbatch}`, B: `${op.stage}I${op.microbatch}`, W: `${op.stage}W${op.microbatch}`,
    BW: `${op.stage}B${op.microbatch}` })[op.kind];
  const events = [];
  for (const op of json.ops.filter((o) => o.device === d)) {
    const ts = 1.7e12 + op.start * 1000;
    events.push({ ph: 'X', cat: 'user_annotation', name: `PP:${action(op)}`, pid: 1, tid: 1, ts, dur: (op.end - op.start) * 1000 });
    events.push({ ph: 'X', cat: 'kernel', name: 'sm90_xmma_gemm', pid: 0, tid: 7, ts: ts + 2, dur: 5, args: { stream: 7 } });
  }
  return JSON.stringify({ schemaVersion: 1, distributedInfo: { rank: d, world_size: json.config.num_devices }, traceEvents: events });
}

function assertSameImport(wasm, cli, label) {
  assert.equal(wasm.ok, true, `${label}: ${wasm.error}`);
  assert.equal(wasm.format, cli.format, `${label}: format`);
  assert.deepEqual(wasm.files, cli.files, `${label}: files`);
  assert.equal(wasm.origin_ms, cli.origin_ms, `${label}: origin_ms`);
  assert.deepEqual(wasm.notes, cli.notes, `${label}: notes`);
  assertSameRun(wasm.measured, cli.measured, `${label}: measured`);
  assert.deepEqual(wasm.fitted, cli.fitted, `${label}: fitted`);
  assert.deepEqual(wasm.fit, cli.fit, `${label}: fit`);
  assert.deepEqual(wasm.replay, cli.replay, `${label}: replay`);
  assert.equal(wasm.replayRun.makespan, cli.replay.makespan, `${label}: replayRun`);
  assert.equal(wasm.replayRun.strategy, 'replay', `${label}: replayRun strategy`);
  assert.equal(wasm.measured.strategy, 'measured', `${label}: measured strategy`);
}

test('importTrace(Megatron dumps, VPP 1 and 2) equals the CLI --trace report: measured run, fitted config, fit, replay', () => {
  const runs = [
    ['strategy=1f1b', 'num_devices=4', 'num_stages=4', 'num_batches=8', 'op_times.forward=[1,1.5,1,2]', 'op_times.backward=[2,3,2,4]', 'p2p_latency=0.25'],
    ['strategy=interleave', 'num_devices=4', 'num_stages=8', 'num_batches=8', 'p2p_latency=0.5', 'p2p_mode=sync'],
  ];
  runs.forEach((args, i) => {
    const dir = path.join(tmp, `megatron${i}`);
    const files = megatronDumps(cliRun(args), dir);
    const cli = cliRun(['--trace', dir]);
    const wasm = core.importTrace(files, '{}');
    assertSameImport(wasm, cli, args.join(' '));
    assert.equal(wasm.fitted.p2p_latency, i === 0 ? 0.25 : 0.5);
    // The second run was emulated with sync sends: the replay picks that mode and has no error.
    assert.equal(wasm.replay.p2p_mode, i === 0 ? 'async' : 'sync');
    assert.equal(wasm.replay.makespan_error, 0);
  });
});

test('importTrace(PyTorch profiler traces, gzipped one inflated by the page) equals the CLI, offsets included', () => {
  const json = cliRun(['strategy=zb1p', 'op_times.forward=[1,1.25,1.5,1.75]', 'op_times.backward_W=0.5', 'p2p_latency=0.125']);
  const dir = path.join(tmp, 'profiles');
  fs.mkdirSync(dir);
  const files = [0, 1, 2, 3].map((d) => ({ name: path.join(dir, `rank${d}.json`), text: pytorchProfile(json, d) }));
  for (const f of files.slice(1)) fs.writeFileSync(f.name, f.text);
  // The CLI inflates rank0.json.gz itself; in the browser DecompressionStream('gzip') does, as zlib here.
  fs.writeFileSync(`${files[0].name}.gz`, zlib.gzipSync(files[0].text));
  const cli = cliRun(['--trace', dir, 'trace.offset_ms.2=0.5']);
  const wasm = core.importTrace(files, JSON.stringify({ offset_ms: { 2: 0.5 } }));
  assertSameImport(wasm, cli, 'zb1p profiles');
  assert.deepEqual(wasm.fitted.op_times.forward, [1, 1.25, 1.5, 1.75]);
  // A gzip handed to the module is refused with what to do.
  const gz = core.importTrace([{ name: 'rank0.json.gz', text: String.fromCharCode(0x1f, 0x8b, 8, 0) }], '{}');
  assert.equal(gz.ok, false);
  assert.match(gz.error, /rank0\.json\.gz is gzip-compressed; decompress it first .*DecompressionStream\('gzip'\)/);
});

test("importTrace(ppemu's own trace) round-trips an exported run; whatIf equals the CLI's what-if, stage count changed", () => {
  const config = { strategy: 'zb1p', 'op_times.forward': [1, 1.5, 1.25, 2], p2p_latency: 0.25 };
  const exported = core.exportRun(JSON.stringify(config), 'trace');
  assert.equal(exported.ok, true, exported.error);
  const file = path.join(tmp, 'zb1p.trace.json');
  fs.writeFileSync(file, exported.text);
  const wasm = core.importTrace([{ name: file, text: exported.text }], '{"format": "ppemu"}');
  assertSameImport(wasm, cliRun(['--trace', file, '--trace-format', 'ppemu']), 'ppemu trace');
  assert.equal(wasm.measured.makespan, core.simulate(JSON.stringify(config)).makespan);

  for (const overrides of [{ strategy: 'zbv', num_stages: 8 }, { strategy: '1f1b', num_batches: 16 }]) {
    const cli = cliRun(['--trace', file, ...Object.entries(overrides).map(([k, v]) => `${k}=${v}`)]);
    const result = core.whatIf(JSON.stringify(wasm.fitted), JSON.stringify(overrides));
    const { note, ...whatIfJson } = cli.what_if;
    assertSameRun(result, whatIfJson, `whatIf ${JSON.stringify(overrides)}`);
    assert.equal(result.note, note);
  }
  assert.deepEqual(core.whatIf(JSON.stringify(wasm.fitted), '{"num_batches": 4}'), {
    ok: false,
    error: 'a what-if on the fitted times needs a strategy in its overrides (the measured order has no strategy to re-run with other settings)',
  });
});

test('importTrace reads a 50 MB profiler trace in a fresh module: the CLI\'s figures, and the heap grows by at most twice the text', async () => {
  // The page hands the module a dropped file's whole text; a long profile is mostly kernel events.
  const json = cliRun(['strategy=1f1b', 'num_devices=1', 'num_stages=1', 'num_batches=64']);
  const doc = JSON.parse(pytorchProfile(json, 0));
  const kernel = { ph: 'X', cat: 'kernel', name: 'void at::native::vectorized_elementwise_kernel<4, at::native::FillFunctor<float>>',
    pid: 0, tid: 7, ts: 1700000000000.5, dur: 1.25, args: { stream: 7, correlation: 12345 } };
  const filler = JSON.stringify(kernel);
  const copies = Math.ceil((50 << 20) / (filler.length + 1));
  const text = JSON.stringify(doc).replace('"traceEvents":[', `"traceEvents":[${`${filler},`.repeat(copies)}`);
  assert.ok(text.length > 50 << 20);
  const file = path.join(tmp, 'rank0.json');
  fs.writeFileSync(file, text);
  const cli = cliRun(['--trace', file]);

  const fresh = await loadPpemu(path.join(SITE, 'wasm'));
  const before = fresh.HEAPU8.length;
  const wasm = fresh.importTrace([{ name: file, text }], '{}');
  assertSameImport(wasm, cli, '50 MB profile');
  assert.equal(wasm.measured.num_ops, 128);
  // The text itself must be in the heap once (UTF-8 copy); the parse keeps only the PP: ranges.
  const grown = fresh.HEAPU8.length - before;
  assert.ok(grown <= 2 * text.length, `the heap grew by ${grown} bytes for ${text.length} bytes of text`);
});

test('importTrace refuses broken files in the CLI words', () => {
  const json = cliRun(['strategy=1f1b', 'num_devices=2', 'num_stages=2', 'num_batches=2']);
  const cut = path.join(tmp, 'cut.json');
  const text = pytorchProfile(json, 0);
  fs.writeFileSync(cut, text.slice(0, text.length / 2));
  const overlap = path.join(tmp, 'rank1.json');
  const events = JSON.parse(pytorchProfile(json, 1));
  events.traceEvents.find((e) => e.name === 'PP:1F1').ts -= 500;
  fs.writeFileSync(overlap, JSON.stringify(events));
  const rank0 = path.join(tmp, 'rank0.json');
  fs.writeFileSync(rank0, pytorchProfile(json, 0));
  for (const names of [[cut], [rank0, overlap], [overlap]]) {
    const cli = runCli(['--trace', ...names]);
    assert.equal(cli.status, 2, cli.stdout);
    const wasm = core.importTrace(names.map((name) => ({ name, text: fs.readFileSync(name, 'utf8') })), '{}');
    assert.deepEqual(wasm, { ok: false, error: cliError(cli.stderr) }, names.join(' '));
  }
  assert.equal(core.importTrace('not an array', '{}').error, 'importTrace takes an array of {name, text}');
  assert.equal(core.importTrace([{ name: 'a.json', text: 42 }], '{}').error,
    'file 0 must be {name: string, text: string} (decompress .gz files first)');
  assert.equal(core.importTrace([{ name: 'a.json', text: '{}' }], '{"format": "nsys"}').error,
    "the trace format must be auto, pytorch, megatron or ppemu (got 'nsys')");
});

test('simulateSchedule(a comms CSV) equals the CLI, the communication actions and their times included', () => {
  const csv = '0F0,0SEND_F0,0F1,0SEND_F1,2RECV_F0,2F0,2SEND_F0,2RECV_F1,2F1,2SEND_F1,2B0,2B1,0B0,0B1\n' +
    '1RECV_F0,1F0,1SEND_F0,3RECV_F0,1RECV_F1,1F1,1SEND_F1,3F0,3B0,3RECV_F1,3F1,3B1,1B0,1B1\n';
  const file = path.join(tmp, 'early_recv_comms.csv');
  fs.writeFileSync(file, csv);
  const gpipe = '0F0,0SEND_F0,0F1,0SEND_F1,0RECV_B0,0B0,0RECV_B1,0B1\n1RECV_F0,1F0,1RECV_F1,1F1,1B0,1SEND_B0,1B1,1SEND_B1\n';
  const gpipeFile = path.join(tmp, 'gpipe_comms.csv');
  fs.writeFileSync(gpipeFile, gpipe);
  for (const [text, name, config, offsets] of [[csv, file, {}, [0, 6, 12]], [gpipe, gpipeFile, { p2p_latency: 1, p2p_mode: 'sync' }, [0, 4, 8]]]) {
    const cli = cliRun(['--schedule', name, ...Object.entries(config).map(([k, v]) => `${k}=${v}`)]);
    const result = core.simulateSchedule(text, JSON.stringify(config), 'auto');
    assertSameRun(result, cli, `comms CSV ${JSON.stringify(config)}`);
    const kinds = ['SEND_F', 'RECV_F', 'SEND_B', 'RECV_B'];
    assert.deepEqual(Array.from(result.comms.kind, (k) => kinds[k]), cli.comms.map((c) => c.kind));
    assert.deepEqual(Array.from(result.comms.device), cli.comms.map((c) => c.device));
    assert.deepEqual(Array.from(result.comms.stage), cli.comms.map((c) => c.stage));
    assert.deepEqual(Array.from(result.comms.start), cli.comms.map((c) => c.start));
    assert.deepEqual(Array.from(result.comms.end), cli.comms.map((c) => c.end));
    assert.deepEqual(Array.from(result.comms.offset), offsets);
  }
  // The head-of-line bubble (tests/core/comms_csv_test.cc): makespan 16, against 15 for the compute-only order.
  assert.equal(core.simulateSchedule(csv, '{}', 'auto').makespan, 16);
  assert.equal(core.simulate(JSON.stringify({ strategy: '1f1b' })).comms, null);
});
