// Speed of the WASM module on issue 5's million-op runs, as the page sees it: one simulate() call,
// JSON config in, Result with typed-array copies out. The native figures come from
// scripts/bench-native (bench/core_bench.cc); this prints the WASM side only.
// Usage: node bench/wasm_bench.mjs   (after scripts/build-site; PPEMU_SITE, REPEATS=3 to change)
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { loadPpemu } from '../wasm/load_node.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const site = path.resolve(repo, process.env.PPEMU_SITE || 'build/site');
const repeats = Math.max(1, Number(process.env.REPEATS) || 3);

const CASES = [
  { strategy: '1f1b', num_devices: 64, num_stages: 64, num_batches: 8192 },
  { strategy: 'interleave', num_devices: 64, num_stages: 256, num_batches: 2048 },  // 4 chunks per device
  { strategy: 'dualpipe_v', num_devices: 32, num_stages: 64, num_batches: 4096 },   // 2 stages of a V per device
];

function resultBytes(r) {
  let bytes = 0;
  for (const group of [r.stages, r.ops, r.activations]) for (const column of Object.values(group)) bytes += column.byteLength;
  return bytes;
}

const core = await loadPpemu(path.join(site, 'wasm'));
const registered = new Set(core.strategies().map((s) => s.name));
const rows = [['case', 'ops', 'first ms', 'ms', 'ns/op', 'result MB']];
for (const c of CASES) {
  const name = `${c.strategy} ${c.num_devices}x${c.num_batches} (${c.num_stages} stages)`;
  if (!registered.has(c.strategy)) {
    rows.push([name, 'not registered', '', '', '', '']);
    continue;
  }
  const config = JSON.stringify(c);
  let best = Infinity;
  // The first call is what a fresh page waits for: it also grows the heap and warms the JIT.
  const t0 = performance.now();
  let r = core.simulate(config);
  const first = performance.now() - t0;
  for (let i = 0; i < repeats && r.ok; i++) {
    const t0 = performance.now();
    r = core.simulate(config);
    best = Math.min(best, performance.now() - t0);
  }
  if (!r.ok) {
    rows.push([name, `error: ${r.error}`, '', '', '', '']);
    continue;
  }
  rows.push([name, String(r.num_ops), first.toFixed(0), best.toFixed(0), ((best * 1e6) / r.num_ops).toFixed(0), (resultBytes(r) / 1e6).toFixed(1)]);
}

const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
for (const row of rows) console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));
console.log(`ms: best of ${repeats} after the first call; Node ${process.version}; ms is one whole simulate() call, copies out of the heap included`);
