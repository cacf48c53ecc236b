// Shared by tests/wasm/*.test.mjs: the native CLI is the reference the WASM module must match.
// PPEMU_CLI (default build/ppemu) and PPEMU_SITE (default build/site) locate the two builds.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { loadPpemu } from '../../wasm/load_node.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = path.resolve(repo, process.env.PPEMU_CLI || 'build/ppemu');
export const SITE = path.resolve(repo, process.env.PPEMU_SITE || 'build/site');

let loading = null;
/** The module from the built site, loaded once per test file. */
export function ppemu() {
  loading ??= loadPpemu(path.join(SITE, 'wasm'));
  return loading;
}

/** CLI arguments for a config object with dotted keys: strategy bare, the rest as JSON text. */
export function cliArgs(config) {
  return Object.entries(config).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
}

/** Runs the native CLI: {status, stdout, stderr}. */
export function runCli(args) {
  if (!fs.existsSync(CLI)) {
    throw new Error(`no native CLI at ${CLI}: cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build -j2 --target ppemu`);
  }
  const r = spawnSync(CLI, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The CLI's one-line error without "ppemu: " and the newline, as simulate() reports it. */
export function cliError(stderr) {
  assert.match(stderr, /^ppemu: [^\n]+\n$/, `CLI stderr should be one 'ppemu: ' line, got ${JSON.stringify(stderr)}`);
  return stderr.slice('ppemu: '.length, -1);
}

const KINDS = ['F', 'B', 'W', 'BW', 'OV'];  // the Uint8Array codes of wasm/API.md

// The CLI's JSON (one object per op) as the columns the WASM Result carries.
function cliColumns(json) {
  const num_devices = json.config.num_devices;
  const device_offset = new Array(num_devices + 1).fill(0);
  for (const op of json.ops) device_offset[op.device + 1] += 1;
  for (let d = 0; d < num_devices; d++) device_offset[d + 1] += device_offset[d];
  const column = (f) => json.ops.map(f);
  return {
    device_offset,
    device: column((o) => o.device),
    stage: column((o) => o.stage),
    microbatch: column((o) => o.microbatch),
    kind: column((o) => KINDS.indexOf(o.kind)),
    stage2: column((o) => o.backward_stage ?? -1),
    microbatch2: column((o) => o.backward_microbatch ?? -1),
    start: column((o) => o.start),
    end: column((o) => o.end),
  };
}

const COLUMN_TYPES = {
  device_offset: Uint32Array, device: Int32Array, stage: Int32Array, microbatch: Int32Array, kind: Uint8Array,
  stage2: Int32Array, microbatch2: Int32Array, start: Float64Array, end: Float64Array,
};

/** Asserts that a simulate() Result holds exactly the numbers of the CLI's --format json. */
export function assertSameRun(result, json, label) {
  assert.equal(result.ok, true, `${label}: simulate failed: ${result.error}`);
  assert.equal(result.error, '', label);
  assert.deepEqual(result.config, json.config, `${label}: config`);
  assert.equal(result.strategy, json.config.strategy, `${label}: strategy`);
  assert.equal(result.num_devices, json.config.num_devices, `${label}: num_devices`);
  assert.equal(result.num_microbatches, json.config.num_batches, `${label}: num_microbatches`);
  assert.equal(result.num_chains, json.num_chains, `${label}: num_chains`);
  for (const key of ['makespan', 'total_busy', 'bubble_ratio', 'bubble_over_ideal', 'span_bubble_ratio', 'peak_activations', 'peak_memory']) {
    assert.equal(result[key], json[key], `${label}: ${key}`);
  }
  assert.deepEqual(result.devices, json.devices, `${label}: devices`);
  assert.deepEqual(result.formulas, json.formulas, `${label}: formulas`);

  assert.equal(result.num_stages, json.stages.length, `${label}: num_stages`);
  assert.ok(result.stages.device instanceof Int32Array && result.stages.chunk instanceof Int32Array, `${label}: stage column types`);
  assert.deepEqual(Array.from(result.stages.device), json.stages.map((s) => s.device), `${label}: stages.device`);
  assert.deepEqual(Array.from(result.stages.chunk), json.stages.map((s) => s.chunk), `${label}: stages.chunk`);

  assert.equal(result.num_ops, json.ops.length, `${label}: num_ops`);
  const expected = cliColumns(json);
  for (const [name, type] of Object.entries(COLUMN_TYPES)) {
    assert.ok(result.ops[name] instanceof type, `${label}: ops.${name} should be a ${type.name}`);
    assert.deepEqual(Array.from(result.ops[name]), expected[name], `${label}: ops.${name}`);
  }
  // The CLI names each op's chunk; the Result leaves it to stages.chunk[op.stage].
  assert.deepEqual(Array.from(result.ops.stage, (s) => result.stages.chunk[s]), json.ops.map((o) => o.chunk), `${label}: chunk of ops`);

  const a = result.activations;
  assert.ok(a.offset instanceof Uint32Array && a.time instanceof Float64Array && a.count instanceof Int32Array, `${label}: activation types`);
  assert.equal(a.offset.length, json.activations.length + 1, `${label}: activations.offset length`);
  json.activations.forEach((series, d) => {
    assert.deepEqual(Array.from(a.time.subarray(a.offset[d], a.offset[d + 1])), series.time, `${label}: activations time, device ${d}`);
    assert.deepEqual(Array.from(a.count.subarray(a.offset[d], a.offset[d + 1])), series.count, `${label}: activations count, device ${d}`);
  });

  const m = result.memory;
  assert.ok(m.offset instanceof Uint32Array && m.time instanceof Float64Array && m.used instanceof Float64Array, `${label}: memory types`);
  assert.equal(m.offset.length, json.memory.length + 1, `${label}: memory.offset length`);
  json.memory.forEach((series, d) => {
    assert.deepEqual(Array.from(m.time.subarray(m.offset[d], m.offset[d + 1])), series.time, `${label}: memory time, device ${d}`);
    assert.deepEqual(Array.from(m.used.subarray(m.offset[d], m.offset[d + 1])), series.used, `${label}: memory used, device ${d}`);
  });
}

// Per-stage op times that differ by stage, a link latency and split/overlapped backward times:
// exercises every part of the cost model on top of the default unit times.
function costVariant(numStages) {
  return {
    'op_times.forward': Array.from({ length: numStages }, (_, s) => 1 + 0.5 * (s % 3)),
    'op_times.backward': 2.5,
    'op_times.backward_D': 1.25,
    'op_times.backward_W': 0.75,
    'op_times.overlapped_forward_backward': 2.75,
    p2p_latency: 0.25,
    'op_memory.activation': Array.from({ length: numStages }, (_, s) => 2 + (s % 2)),
    'op_memory.after_B': 0.5,
    'op_memory.static': 3,
  };
}

/**
 * For one strategy, a grid of (devices, stages per device, microbatches), with default and
 * varied op times: {config, cli} for each, cli being the CLI's outcome. Strategies constrain the
 * shape differently; the grid is wide enough that each registered one accepts some and refuses some.
 */
export function strategyGrid(strategy) {
  const cases = [];
  for (const p of [2, 3, 4]) {
    for (const perDevice of [1, 2, 3]) {
      for (const m of new Set([1, 3, p, 2 * p, 2 * p + 1, 4 * p])) {
        const shape = { strategy, num_devices: p, num_stages: perDevice * p, num_batches: m };
        for (const config of [shape, { ...shape, ...costVariant(shape.num_stages) }]) {
          const cli = runCli([...cliArgs(config), '--format', 'json']);
          cases.push({ config, cli });
        }
      }
    }
  }
  return cases;
}

/** The first grid config of `strategy` the CLI accepts, with the CLI's JSON. */
export function firstAccepted(strategy) {
  for (const p of [4, 2, 3]) {
    for (const perDevice of [1, 2]) {
      const config = { strategy, num_devices: p, num_stages: perDevice * p, num_batches: 4 * p };
      const cli = runCli([...cliArgs(config), '--format', 'json']);
      if (cli.status === 0) return { config, cli };
    }
  }
  throw new Error(`no small config found that the CLI accepts for ${strategy}; extend firstAccepted`);
}
