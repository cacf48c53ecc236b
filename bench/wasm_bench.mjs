// Speed of the WASM module on issue 5's million-op runs, beside the native core on the same runs.
// Per case, ns per op as median [min-max] of REPEATS (default 5) measurements:
//   native warm/cold  simulate/<case> of bench/core_bench.cc (scripts/bench-native's numbers and
//                     heap modes: warm = freed memory stays in the process, as in a WASM heap)
//   wasm core         simulateCore(): the same run inside WASM, nothing copied out of the heap
//   wasm simulate()   what the page pays: JSON config in, Result with typed-array copies out
//   copies            median simulate() - median core: building the Result, mostly the copies
// and the ratios to native warm (issue 5: simulate() within 2x of native). The WASM calls come
// after a first call (its time is "first ms": baseline-compiled code, heap growth) and a warm-up
// call of each, and alternate core, simulate(), so both see the same machine.
//
// Usage: node bench/wasm_bench.mjs        (after scripts/build-site; PPEMU_SITE to point elsewhere)
//   REPEATS=9        more measurements per cell
//   NATIVE=0         WASM only; otherwise the native benchmark is brought up to date in build-bench/
//                    (configured by scripts/bench-native) or taken from BENCH_BIN
//   NODE_HEAP=warm   rerun this script with glibc keeping freed memory in Node too, as native warm
//                    does: the copies are new ArrayBuffers, and by default glibc maps big ones fresh
//                    from the kernel, paying a page fault per 4 KiB (~2 us each on this VM)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { loadPpemu } from '../wasm/load_node.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const site = path.resolve(repo, process.env.PPEMU_SITE || 'build/site');
const repeats = Math.max(1, Number(process.env.REPEATS) || 5);
// scripts/bench-native's warm heap: no mmap for blocks up to 32 MiB, never trim the heap top.
const WARM_TUNABLES = 'glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=17179869184';

if (process.env.NODE_HEAP === 'warm' && process.env.GLIBC_TUNABLES !== WARM_TUNABLES) {
  const child = spawnSync(process.execPath, process.argv.slice(1), {
    stdio: 'inherit',
    env: { ...process.env, GLIBC_TUNABLES: WARM_TUNABLES },
  });
  process.exit(child.status ?? 1);
}

const CASES = [
  { strategy: '1f1b', num_devices: 64, num_stages: 64, num_batches: 8192 },
  { strategy: 'interleave', num_devices: 64, num_stages: 256, num_batches: 2048 },  // 4 chunks per device
  { strategy: 'dualpipe_v', num_devices: 32, num_stages: 64, num_batches: 4096 },   // 2 stages of a V per device
];
// bench/core_bench.cc's name for a case.
const nativeName = (c) => `${c.strategy}/p${c.num_devices}/m${c.num_batches}/s${c.num_stages}`;

const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const cell = (v) => (v?.length ? `${median(v).toFixed(1)} [${Math.min(...v).toFixed(1)}-${Math.max(...v).toFixed(1)}]` : '-');
const ratio = (a, b) => (a?.length && b?.length ? `${(median(a) / median(b)).toFixed(2)}x` : '-');

function resultBytes(r) {
  let bytes = 0;
  for (const group of [r.stages, r.ops, r.activations, r.memory]) for (const column of Object.values(group)) bytes += column.byteLength;
  return bytes;
}

// The native benchmark binary, up to date, or a note saying why there is none.
function nativeBinary() {
  if (process.env.NATIVE === '0') return { note: 'native: skipped (NATIVE=0)' };
  if (process.env.BENCH_BIN) return { bin: path.resolve(process.env.BENCH_BIN) };
  const build = path.join(repo, 'build-bench');
  if (!fs.existsSync(path.join(build, 'CMakeCache.txt')))
    return { note: 'native: no build-bench/; run scripts/bench-native once to configure it (or set BENCH_BIN)' };
  const made = spawnSync('cmake', ['--build', build, '--target', 'ppemu_core_bench', '-j2'], { encoding: 'utf8' });
  if (made.status !== 0) return { note: `native: building build-bench failed:\n${made.stdout}${made.stderr}` };
  return { bin: path.join(build, 'ppemu_core_bench') };
}

// ns/op of every repetition of simulate/<case> under one heap mode.
function runNative(bin, c, tunables) {
  const filter = `^simulate/${nativeName(c)}$`;
  const r = spawnSync(
    bin,
    [`--benchmark_filter=${filter}`, `--benchmark_repetitions=${repeats}`, '--benchmark_min_time=0.2', '--benchmark_format=json'],
    { encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, GLIBC_TUNABLES: tunables } },
  );
  if (r.error || r.status !== 0) throw new Error(`${bin} failed: ${r.error?.message ?? r.stderr}`);
  return JSON.parse(r.stdout).benchmarks.filter((b) => b.run_type === 'iteration').map((b) => b.ns_per_op);
}

const native = nativeBinary();
const core = await loadPpemu(path.join(site, 'wasm'));
const registered = new Set(core.strategies().map((s) => s.name));
// case name -> {ops, first, core, simulate, warm, cold: [ns/op], mb} or {error}. Case by case, the
// native runs right after the WASM ones, so that both meet this noisy VM in the same mood.
const wasm = new Map();
for (const c of CASES) {
  if (!registered.has(c.strategy)) {
    wasm.set(nativeName(c), { error: 'not registered' });
    continue;
  }
  const config = JSON.stringify(c);
  // The first call is what a fresh page waits for: it also grows the heap and warms the JIT.
  let t0 = performance.now();
  let r = core.simulate(config);
  const first = performance.now() - t0;
  if (!r.ok) {
    wasm.set(nativeName(c), { error: r.error });
    continue;
  }
  const row = { ops: r.num_ops, first, core: [], simulate: [], mb: resultBytes(r) / 1e6 };
  r = null;
  // One untimed call of each: V8 compiles hot functions with its optimising tier in the background
  // and uses that code from a later call on.
  core.simulateCore(config);
  core.simulate(config);
  for (let i = 0; i < repeats; i++) {
    t0 = performance.now();
    const bare = core.simulateCore(config);
    row.core.push(((performance.now() - t0) * 1e6) / bare.num_ops);
    t0 = performance.now();
    r = core.simulate(config);
    row.simulate.push(((performance.now() - t0) * 1e6) / r.num_ops);
    r = null;
  }
  if (native.bin) {
    try {
      row.warm = runNative(native.bin, c, WARM_TUNABLES);
      row.cold = runNative(native.bin, c, '');
    } catch (e) {
      native.note = `native: ${e.message}`;
      native.bin = null;
    }
  }
  wasm.set(nativeName(c), row);
}

const rows = [['case', 'ops', 'native warm', 'native cold', 'wasm core', 'wasm simulate()', 'copies', 'core/native', 'simulate()/native', 'first ms', 'result MB']];
for (const c of CASES) {
  const name = nativeName(c);
  const w = wasm.get(name);
  const label = `${c.strategy} ${c.num_devices}x${c.num_batches} (${c.num_stages} stages)`;
  if (w.error) {
    rows.push([label, `error: ${w.error}`, ...Array(rows[0].length - 2).fill('')]);
    continue;
  }
  rows.push([
    label,
    String(w.ops),
    cell(w.warm),
    cell(w.cold),
    cell(w.core),
    cell(w.simulate),
    (median(w.simulate) - median(w.core)).toFixed(1),
    ratio(w.core, w.warm),
    ratio(w.simulate, w.warm),
    w.first.toFixed(0),
    w.mb.toFixed(1),
  ]);
}

const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
for (const row of rows) console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));
console.log(`ns/op, median [min-max] of ${repeats}; ratios against native warm; Node ${process.version}, ` +
            `Node heap ${process.env.GLIBC_TUNABLES === WARM_TUNABLES ? 'warm (NODE_HEAP=warm)' : "glibc's defaults (NODE_HEAP=warm to keep freed memory)"}`);
console.log(native.note ?? `native: ${path.relative(repo, native.bin) || native.bin}`);
