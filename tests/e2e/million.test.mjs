// A shared link to a million-op run: the page computes it in its worker, draws it, and shows the
// same figures the native CLI prints for the same keys (correctness only; speed is bench/'s job).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { siteAndBrowser, openPage, textOf } from './harness.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.resolve(repo, process.env.PPEMU_CLI || 'build/ppemu');
// 64 devices x 8192 microbatches of 1F1B: 1,048,576 ops.
const KEYS = ['strategy=1f1b', 'num_devices=64', 'num_stages=64', 'num_batches=8192'];

const site = siteAndBrowser();

// The CLI summary's figures: "makespan 24765", "bubble_ratio 0.00763...", and the device table.
function cliFigures() {
  const text = execFileSync(CLI, KEYS, { encoding: 'utf8' });
  const figure = (name) => Number(text.match(new RegExp(`^${name} +(\\S+)`, 'm'))[1]);
  const devices = [...text.matchAll(/^ +(\d+) +(\S+) +(\S+) +\S+ +\S+ +(\d+) +\d+$/gm)].map((m) => ({
    device: Number(m[1]), busy: Number(m[2]), idle: Number(m[3]), peak: Number(m[4]),
  }));
  return { makespan: figure('makespan'), bubble: figure('bubble_ratio'), peak: figure('peak_activations'), devices };
}

test('a 1M-op link draws its chart and shows the native CLI\'s figures', { timeout: 120000 }, async () => {
  const cli = cliFigures();
  assert.equal(cli.makespan, (8192 + 63) * 3);  // (m+p-1)(F+Bf): the CLI itself is right
  assert.equal(cli.devices.length, 64);

  const page = await openPage(site.browser, `${site.server.base}#${KEYS.join('&')}`);
  assert.equal(Number(await textOf(page, 'makespan', { timeout: 90000 })), cli.makespan);
  assert.ok(Math.abs(Number(await textOf(page, 'bubble-ratio')) - cli.bubble) < 1e-4);
  assert.equal(Number(await textOf(page, 'peak-activations')), cli.peak);
  // Per device: busy, idle and peak of every row, as the CLI's table has them.
  const rows = await page.getByTestId('devices').locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('th, td')].map((td) => td.textContent.trim())));
  assert.equal(rows.length, 64);
  for (const d of cli.devices) {
    const [device, busy, idle, , , peak] = rows[d.device];
    assert.deepEqual([Number(device), Number(busy), Number(idle), Number(peak)], [d.device, d.busy, d.idle, d.peak]);
  }
  // Drawn: the canvas has ink (zoomed out, each row is one merged busy span).
  await page.getByTestId('timeline-canvas').first().waitFor({ state: 'visible' });
  const inked = await page.evaluate(() => {
    const canvas = document.querySelector('[data-testid="timeline-canvas"]');
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    for (let i = 4; i < data.length; i += 4) if (data[i] !== data[0] || data[i + 1] !== data[1]) return true;
    return false;
  });
  assert.ok(inked, 'the timeline canvas is blank');
  assert.deepEqual(page.problems, []);
  await page.close();
});
