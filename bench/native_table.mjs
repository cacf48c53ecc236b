// Prints scripts/bench-native's table from Google Benchmark JSON files (one per heap mode).
// Usage: node bench/native_table.mjs REPS FOLDER HEAP...   (reads FOLDER/<heap>.json)
import fs from 'node:fs';

const [reps, folder, ...heaps] = process.argv.slice(2);
const steps = ['generate', 'emulate', 'metrics', 'core', 'simulate'];
const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const cell = (v) => (v?.length ? `${median(v).toFixed(1).padStart(6)} [${Math.min(...v).toFixed(1)}-${Math.max(...v).toFixed(1)}]` : '-');

for (const heap of heaps) {
  const runs = JSON.parse(fs.readFileSync(`${folder}/${heap}.json`, 'utf8')).benchmarks.filter((b) => b.run_type === 'iteration');
  const ns = new Map(); // "case|step" -> ns/op of each repetition
  const ops = new Map();
  const bytesPerOp = new Map();
  const cases = [];
  for (const b of runs) {
    const slash = b.name.indexOf('/');
    const step = b.name.slice(0, slash);
    const name = b.name.slice(slash + 1);
    if (!cases.includes(name)) cases.push(name);
    const key = `${name}|${step}`;
    if (!ns.has(key)) ns.set(key, []);
    ns.get(key).push(b.ns_per_op);
    ops.set(name, Math.trunc(b.ops));
    bytesPerOp.set(name, b.bytes_per_op);
  }
  console.log(`\n${heap} heap: ns per op, median [min-max] of ${reps} repetitions; core = generate+emulate+metrics, simulate = the public call`);
  const head = `${'case'.padEnd(34)} ${'ops'.padStart(9)} ${steps.map((s) => s.padStart(20)).join(' ')} ${'B/op'.padStart(6)}`;
  console.log(head);
  console.log('-'.repeat(head.length));
  for (const c of cases) {
    const cells = steps.map((s) => cell(ns.get(`${c}|${s}`)).padStart(20)).join(' ');
    console.log(`${c.padEnd(34)} ${String(ops.get(c)).padStart(9)} ${cells} ${bytesPerOp.get(c).toFixed(1).padStart(6)}`);
  }
  // A filter may leave out a step (e.g. 'simulate/'): each target line needs only its own.
  const timed = (step) => cases.filter((c) => ns.has(`${c}|${step}`));
  const big = timed('core').filter((c) => ops.get(c) >= 1_000_000);
  let line = 'targets: ';
  if (big.length) line += `core at ~1M ops ${Math.max(...big.map((c) => median(ns.get(`${c}|core`)))).toFixed(1)} ns/op (<= 30); `;
  if (timed('simulate').length) {
    const worstSim = Math.max(...timed('simulate').map((c) => median(ns.get(`${c}|simulate`))));
    line += `simulate ${worstSim.toFixed(1)} ns/op at worst (<= 50); `;
  }
  line += `timeline ${Math.max(...bytesPerOp.values()).toFixed(1)} bytes/op (<= 48)`;
  console.log(line);
}
