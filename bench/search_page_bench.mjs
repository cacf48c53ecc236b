// "Find the best" in headless Chromium: issue 11's target, 14 strategies x 8 chunk counts x 16
// microbatch counts at 8 devices (1,792 configurations) in under 2 s. Opens the built site with
// the search in its link, clicks the panel's button and times, inside the page, from the click
// to the finished ranking and scatter (#search[data-state="done"]). The first search also starts
// the page's search workers (one per navigator.hardwareConcurrency, each compiling the module);
// later ones reuse them, as a visitor's second search does. Prints figures; not a test.
//
// Usage: node bench/search_page_bench.mjs   (after scripts/build-site)   REPEATS=5 PPEMU_SITE=...
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { startServer, sitePolicy } from '../scripts/static-server.mjs';
import { launchChromium } from '../tests/chromium.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const site = path.resolve(repo, process.env.PPEMU_SITE || 'build/site');
const repeats = Math.max(1, Number(process.env.REPEATS) || 5);

// CPU seconds of a process's descendants (/proc, Linux): the browser's own CPU time, which
// other work on a busy machine does not inflate the way it stretches wall time.
function treeCpuSeconds(root) {
  const parent = new Map();
  const cpu = new Map();
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(pid), Number(f[1]));
      cpu.set(Number(pid), (Number(f[11]) + Number(f[12])) / 100);  // utime + stime, in USER_HZ (100 on Linux)
    } catch { /* gone meanwhile */ }
  }
  let sum = 0;
  for (const [pid, seconds] of cpu) {
    if (pid === root) continue;
    for (let p = parent.get(pid); p; p = parent.get(p)) if (p === root) { sum += seconds; break; }
  }
  return sum;
}

const csp = await sitePolicy(site);
const server = await startServer(site, { csp });
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (e) => console.error(`pageerror: ${e.message}`));
  // The 14 schedules issue 11 counted: every registered one but zb_auto, which came later.
  const url = `${server.base}#num_devices=8&num_stages=8&search.strategies=ALL14&search.vary=num_stages,num_batches`;
  await page.goto(`${server.base}#num_devices=8`);
  await page.waitForFunction(() => window.ppemuApp?.state?.strategies?.length > 0, null, { timeout: 60000 });
  const names = await page.evaluate(() => window.ppemuApp.state.strategies.map((s) => s.name).filter((n) => n !== 'zb_auto'));
  await page.goto(url.replace('ALL14', names.join(',')));
  await page.reload();
  await page.waitForSelector('[data-testid="makespan"]', { timeout: 60000 });
  const workers = await page.evaluate(() => navigator.hardwareConcurrency);

  const once = () => page.evaluate(() => new Promise((resolve) => {
    const section = document.querySelector('#search');
    delete section.dataset.state;
    const t0 = performance.now();
    const watch = new MutationObserver(() => {
      if (section.dataset.state === 'done') {
        watch.disconnect();
        resolve({ ms: performance.now() - t0, status: document.querySelector('#search-status').textContent });
      }
    });
    watch.observe(section, { attributes: true, attributeFilter: ['data-state'] });
    document.querySelector('#search-run').click();
  }));

  const pid = process.pid;  // Chromium and its renderer, GPU and utility processes are this script's descendants
  const cold = await once();
  const warm = [];
  const cpu = [];
  for (let k = 0; k < repeats; k++) {
    const c0 = pid ? treeCpuSeconds(pid) : 0;
    warm.push((await once()).ms);
    if (pid) cpu.push((treeCpuSeconds(pid) - c0) * 1000);
  }
  warm.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  console.log(`search in the page: Chromium headless, ${os.cpus().length} CPUs, ${workers} search workers (navigator.hardwareConcurrency)`);
  console.log(`load average before: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  console.log(`${cold.status}`);
  console.log('| search | first (starts the workers) | later: median | min | max | Chromium CPU per search (all processes), median |');
  console.log('|---|---|---|---|---|---|');
  console.log(`| ${names.length} strategies x 8 chunk counts x 16 microbatch counts, 8 devices | ${cold.ms.toFixed(0)} ms | ` +
              `${warm[warm.length >> 1].toFixed(0)} ms | ${warm[0].toFixed(0)} ms | ${warm.at(-1).toFixed(0)} ms | ` +
              `${cpu.length ? `${cpu[cpu.length >> 1].toFixed(0)} ms` : 'n/a'} |`);
  console.log(`load average after: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
} finally {
  await browser.close();
  await server.close();
}
