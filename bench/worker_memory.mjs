// How much WASM heap each kind of worker request needs, per estimated op (3 x num_stages x
// num_batches, the core's budget estimate), measured on a fresh module per case: the heap only
// grows, so its size after one call is that call's peak (plus the grow step's slack). These are
// the figures behind www/src/budget.js (BYTES_PER_OP) and the worker's restart size.
//
// Usage: node bench/worker_memory.mjs   (after scripts/build-site; PPEMU_SITE to point elsewhere)
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPpemu } from '../wasm/load_node.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const site = path.resolve(repo, process.env.PPEMU_SITE || 'build/site');
const MiB = 1024 * 1024;

// zb1p splits every backward, so it makes the full 3 ops per (stage, microbatch): the worst case.
const CASES = [
  ['simulate', 64, 10922, (m, c) => m.simulate(c)],
  ['simulate', 64, 4096, (m, c) => m.simulate(c)],
  ['export json', 64, 10922, (m, c) => m.exportRun(c, 'json')],
  ['export trace', 64, 10922, (m, c) => m.exportRun(c, 'trace')],
  ['export json', 64, 2730, (m, c) => m.exportRun(c, 'json')],
  ['export trace', 64, 2730, (m, c) => m.exportRun(c, 'trace')],
  ['export svg', 64, 10922, (m, c) => m.exportRun(c, 'svg')],
  ['export csv', 64, 10922, (m, c) => m.exportRun(c, 'csv')],
];

console.log('| request | run | estimated ops | heap before | heap after | bytes / estimated op |');
console.log('|---|---|---|---|---|---|');
for (const [kind, p, m, call] of CASES) {
  const core = await loadPpemu(path.join(site, 'wasm'));
  const before = core.HEAPU8.length;
  const config = JSON.stringify({ strategy: 'zb1p', num_devices: p, num_stages: p, num_batches: m });
  const out = call(core, config);
  if (!out.ok) throw new Error(`${kind}: ${out.error}`);
  const after = core.HEAPU8.length;
  const ops = 3 * p * m;
  console.log(`| ${kind} | zb1p ${p} x ${m} | ${ops.toLocaleString('en-US')} | ${(before / MiB).toFixed(0)} MiB | ${(after / MiB).toFixed(0)} MiB | ${Math.round(after / ops)} |`);
}
