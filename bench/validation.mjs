// Prints the projection's validation table: each published Megatron-LM run of
// bench/validation/runs.json beside ppemu's projection of the same configuration (the native
// CLI's --format json), the error of each, and the mean and max error of the tuning rows, the
// check rows, and all of them, for time and for memory separately.
//   node bench/validation.mjs                 # needs build/ppemu (PPEMU_CLI to use another)
//   node bench/validation.mjs --markdown      # the README's table
//   node bench/validation.mjs --tune          # search the efficiencies that fit the tuning rows best
// --tune walks gpu.matmul_efficiency and gpu.hbm_efficiency one at a time in
// steps of 0.01 (coordinate descent from the current defaults) while the mean |error| of the
// tuning rows falls, and prints the result; core/src/projection/efficiency.h holds what it found.
// The link efficiencies are not fitted (efficiency.h says where they come from).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.resolve(repo, process.env.PPEMU_CLI || 'build/ppemu');
const markdown = process.argv.includes('--markdown');
const { rows } = JSON.parse(fs.readFileSync(path.join(repo, 'bench/validation/runs.json'), 'utf8'));

if (!fs.existsSync(cli)) {
  console.error(`validation: no CLI at ${cli}; build it: cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build -j2`);
  process.exit(2);
}

// "projection.devices.0.memory_gib.weights+gradients+optimizer": a path, the last step may add
// fields; "a/b" divides two paths.
function pick(json, metric) {
  if (metric.includes('/')) {
    const [top, bottom] = metric.split('/');
    return pick(json, top) / pick(json, bottom);
  }
  const steps = metric.split('.');
  const last = steps.pop();
  let v = json;
  for (const s of steps) v = v?.[s];
  return last.split('+').reduce((sum, field) => sum + v[field], 0);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ppemu-validation-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));
function evaluate(set, extra = {}) {
  return set.map((row, i) => {
    const file = path.join(tmp, `${i}.json`);
    fs.writeFileSync(file, JSON.stringify({ ...row.config, ...extra }));
    const r = spawnSync(cli, ['--config', file, '--format', 'json'], { encoding: 'utf8', maxBuffer: 1 << 30 });
    if (r.status !== 0) throw new Error(`${row.name}: ppemu exit ${r.status}: ${r.stderr}`);
    const projected = pick(JSON.parse(r.stdout), row.metric);
    return { ...row, projected, error: (projected - row.published) / row.published };
  });
}
const meanError = (set) => set.reduce((sum, r) => sum + Math.abs(r.error), 0) / set.length;

if (process.argv.includes('--tune')) {
  // Only the A100 rows: the efficiencies are the A100 preset's (and the defaults).
  const tuning = rows.filter((r) => r.tune);
  const keys = ['gpu.matmul_efficiency', 'gpu.hbm_efficiency'];
  const start = JSON.parse(spawnSync(cli, ['model=gpt_1p7b', 'gpu=a100_80gb', 'num_devices=1', 'num_stages=1', '--format', 'json'], { encoding: 'utf8' }).stdout).config.gpu;
  const point = Object.fromEntries(keys.map((k) => [k, start[k.slice(4)]]));
  const cost = (p) => meanError(evaluate(tuning, p));
  let best = cost(point);
  for (let improved = true; improved;) {
    improved = false;
    for (const k of keys) {
      for (const step of [0.01, -0.01]) {
        for (;;) {
          const next = { ...point, [k]: Math.round((point[k] + step) * 100) / 100 };
          if (next[k] <= 0 || next[k] > 1) break;
          const c = cost(next);
          if (c >= best) break;
          best = c;
          point[k] = next[k];
          improved = true;
          console.error(`  ${JSON.stringify(point)}: mean |error| ${(100 * best).toFixed(2)}%`);
        }
      }
    }
  }
  console.log(`best on ${tuning.length} tuning rows: ${JSON.stringify(point)}, mean |error| ${(100 * best).toFixed(2)}%`);
  process.exit(0);
}

const results = evaluate(rows);

const pct = (x) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}%`;
const num = (x) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(4));
function summary(label, set) {
  if (set.length === 0) return null;
  const abs = set.map((r) => Math.abs(r.error));
  return { label, n: set.length, mean: abs.reduce((a, b) => a + b, 0) / abs.length, max: Math.max(...abs) };
}

const lines = [];
if (markdown) {
  lines.push('| run | metric | published | ppemu | error | role |', '|---|---|---|---|---|---|');
  for (const r of results) lines.push(`| ${r.name} | ${r.unit} | ${num(r.published)} | ${num(r.projected)} | ${pct(r.error)} | ${r.tune ? 'tuned' : 'check'} |`);
} else {
  for (const r of results) {
    lines.push(`${r.tune ? 'tune ' : 'check'} ${r.name.padEnd(62)} ${r.unit.padEnd(18)} ${num(r.published).padStart(8)} ${num(r.projected).padStart(8)} ${pct(r.error).padStart(7)}`);
  }
}
lines.push('');
for (const kind of ['time', 'memory']) {
  const set = results.filter((r) => (r.kind || 'time') === kind);
  for (const s of [summary(`${kind}, tuning rows`, set.filter((r) => r.tune)), summary(`${kind}, check rows`, set.filter((r) => !r.tune)), summary(`${kind}, all rows`, set)]) {
    if (s) lines.push(`${markdown ? '- ' : ''}${s.label} (${s.n}): mean |error| ${(100 * s.mean).toFixed(1)}%, max ${(100 * s.max).toFixed(1)}%`);
  }
}
lines.push('', 'Sources:');
for (const source of [...new Set(results.map((r) => r.source))]) lines.push(`${markdown ? '- ' : '  '}${source}`);
console.log(lines.join('\n'));
