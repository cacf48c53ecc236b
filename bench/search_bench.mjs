// Speed of the search through the WASM module in Node: issue 11's size, 14 strategies x 8 chunk
// counts x 16 microbatch counts at 8 devices (1,792 configurations), and every registered
// strategy on the same grid. Each is run
//   - in one module instance, the way one worker runs its slices (searchRows over slices of SLICE
//     configurations, then searchRank), and
//   - by a pool of worker_threads (WORKERS, default os.availableParallelism()), each with its own
//     module, taking slices from a queue: the shape of the page's Web Worker pool;
// and beside them the native CLI's --search on the same settings (one process, json to /dev/null).
// Prints configurations per second (skipped ones included: they cost a constraint check) and ran
// per second, medians of REPEATS (default 5) after one warm-up, and the CPU time of the one-instance
// run (process.cpuUsage), which a machine busy with other work does not inflate the way it does
// wall time.
//
// Usage: node bench/search_bench.mjs   (after scripts/build-site; PPEMU_SITE, PPEMU_CLI to point elsewhere)
//   REPEATS=9 WORKERS=4 SLICE=16
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

import { loadPpemu } from '../wasm/load_node.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const site = path.resolve(repo, process.env.PPEMU_SITE || 'build/site');

if (!isMainThread) {
  // A pool worker: one module, slices in, rows out.
  const core = await loadPpemu(path.join(site, 'wasm'));
  parentPort.on('message', ({ begin, end }) => {
    const r = core.searchRows(workerData.settings, begin, end);
    parentPort.postMessage(r.ok ? { rows: r.rows } : { error: r.error });
  });
  parentPort.postMessage({ ready: true });
} else {
  await main();
}

async function main() {
  const repeats = Math.max(1, Number(process.env.REPEATS) || 5);
  const slice = Math.max(1, Number(process.env.SLICE) || 32);
  const threads = Math.max(1, Number(process.env.WORKERS) || os.availableParallelism());
  const cli = path.resolve(repo, process.env.PPEMU_CLI || 'build/ppemu');
  const core = await loadPpemu(path.join(site, 'wasm'));

  const all = core.strategies().map((s) => s.name);
  const issue14 = all.filter((n) => n !== 'zb_auto');  // the 14 schedules issue 11 counted
  const grid = { num_devices: 8, vary: 'num_stages,num_batches' };  // 1p..8p stages, 1p..16p microbatches
  const cases = [
    { label: `issue size: ${issue14.length} strategies x 8 x 16`, settings: { ...grid, strategies: issue14.join(',') } },
    { label: `all ${all.length} strategies x 8 x 16`, settings: { ...grid, strategies: 'all' } },
  ];

  const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
  const pool = await startPool(threads);

  console.log(`search benchmark: Node ${process.versions.node}, ${os.cpus().length} CPUs, ${threads} pool workers, slices of ${slice}, median of ${repeats}\n`);
  console.log(`load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} (wall times stretch when it exceeds the CPUs)\n`);
  console.log('| search | configurations | ran | one instance ms | CPU ms | configs/s | ran/s | pool ms | configs/s | native CLI ms |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const { label, settings } of cases) {
    const text = JSON.stringify(settings);
    const plan = core.searchPlan(text);
    if (!plan.ok) throw new Error(plan.error);
    let ran = 0;
    const one = [], many = [], cpu = [];
    for (let k = 0; k <= repeats; k++) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const rows = [];
      for (let begin = 0; begin < plan.count; begin += slice) {
        const r = core.searchRows(text, begin, Math.min(plan.count, begin + slice));
        if (!r.ok) throw new Error(r.error);
        rows.push(...r.rows);
      }
      const ranked = core.searchRank(text, JSON.stringify(rows));
      if (!ranked.ok) throw new Error(ranked.error);
      const t1 = performance.now();
      const c1 = process.cpuUsage(c0);
      const pooled = await pool.run(text, plan.count, slice);
      const ranked2 = core.searchRank(text, JSON.stringify(pooled));
      const t2 = performance.now();
      if (ranked2.ranking.length !== ranked.ranking.length) throw new Error('the pool ranked a different set');
      ran = ranked.ranking.length;
      if (k > 0) one.push(t1 - t0), many.push(t2 - t1), cpu.push((c1.user + c1.system) / 1000);  // the first round warms up
    }
    const native = nativeMs(cli, settings, repeats);
    const perSec = (n, ms) => Math.round((n / ms) * 1000).toLocaleString('en-US');
    console.log(`| ${label} | ${plan.count} | ${ran} | ${median(one).toFixed(0)} | ${median(cpu).toFixed(0)} | ${perSec(plan.count, median(one))} | ` +
                `${perSec(ran, median(one))} | ${median(many).toFixed(0)} | ${perSec(plan.count, median(many))} | ${native} |`);
  }
  await pool.close();
}

// worker_threads, each with its own module, fed slices from one queue.
async function startPool(n) {
  const file = fileURLToPath(import.meta.url);
  let settings = '';
  let workers = [];
  const spawn = async (text) => {
    await Promise.all(workers.map((w) => w.terminate()));
    workers = await Promise.all(Array.from({ length: n }, () => new Promise((resolve, reject) => {
      const w = new Worker(file, { workerData: { settings: text } });
      w.once('message', () => resolve(w));
      w.once('error', reject);
    })));
    settings = text;
  };
  return {
    async run(text, count, slice) {
      if (text !== settings) await spawn(text);
      const queue = [];
      for (let begin = 0; begin < count; begin += slice) queue.push([begin, Math.min(count, begin + slice)]);
      const rows = [];
      await Promise.all(workers.map((w) => new Promise((resolve, reject) => {
        const next = () => {
          const job = queue.shift();
          if (!job) return resolve();
          w.once('message', (m) => {
            if (m.error) return reject(new Error(m.error));
            rows.push(...m.rows);
            next();
          });
          w.postMessage({ begin: job[0], end: job[1] });
        };
        next();
      })));
      return rows;
    },
    close: () => Promise.all(workers.map((w) => w.terminate())),
  };
}

function nativeMs(cli, settings, repeats) {
  if (!fs.existsSync(cli)) return 'no build/ppemu';
  const args = ['--search', ...Object.entries(settings).map(([k, v]) => `${k}=${v}`), '--format', 'json', '-o', '/dev/null'];
  const times = [];
  for (let k = 0; k <= repeats; k++) {
    const t0 = performance.now();
    const r = spawnSync(cli, args);
    if (r.status !== 0) return `failed: ${r.stderr}`;
    if (k > 0) times.push(performance.now() - t0);
  }
  return [...times].sort((a, b) => a - b)[times.length >> 1].toFixed(0);
}
