// Bounded worker memory (issue 13): a WASM heap never shrinks, so a worker that grew past the
// restart size (256 MiB, www/src/budget.js) during a large export is replaced by a fresh one;
// and a request that would outgrow what the browser may give it is refused before it allocates,
// with the limit in the message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { siteAndBrowser, openPage, waitText, downloadsOf } from './harness.mjs';

const site = siteAndBrowser();
const MiB = 1024 * 1024;

test('after an export that grew the heap past 256 MiB the worker is replaced and the next run starts small', { timeout: 180000 }, async () => {
  // zb1p 64 x 4096: 786,432 estimated ops; a streamed trace export peaks near 413 bytes each
  // (bench/worker_memory.mjs), about 310 MiB.
  const page = await openPage(site.browser, `${site.server.base}#strategy=zb1p&num_devices=64&num_stages=64&num_batches=4096`);
  await waitText(page, 'makespan', /\d/, { timeout: 60000 });
  const before = await page.evaluate(() => window.ppemuApp.engine.stats);
  assert.ok(before.heapBytes < 256 * MiB, JSON.stringify(before));
  const [trace] = await downloadsOf(page, () => page.getByRole('button', { name: 'Trace', exact: true }).click(), 1, { timeout: 120000 });
  assert.ok(trace.text.length > 10 * MiB);
  const after = await page.evaluate(() => window.ppemuApp.engine.stats);
  assert.equal(after.workersRecycled, before.workersRecycled + 1, JSON.stringify(after));
  assert.ok(after.heapBytes > 256 * MiB, 'the export did grow the heap past the restart size');
  await page.getByRole('spinbutton', { name: /^Microbatches/ }).fill('8');
  await page.waitForFunction(() => /num_batches=8(&|$)/.test(location.hash));
  await page.waitForFunction(() => window.ppemuApp.engine.stats.heapBytes < 64 * 1024 * 1024, null, { timeout: 30000 });
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('on a device reporting 2 GB, an export that needs more than a quarter of it is refused with the limit', async () => {
  const page = await openPage(site.browser, 'about:blank');
  await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'deviceMemory', { get: () => 2 }));
  await page.goto(`${site.server.base}#strategy=zb1p&num_devices=64&num_stages=64&num_batches=10922`);
  await waitText(page, 'makespan', /\d/, { timeout: 60000 });
  const started = await page.evaluate(() => window.ppemuApp.engine.stats.heapBytes);
  await page.getByRole('button', { name: 'Trace', exact: true }).click();
  const text = await waitText(page, 'error', /memory/);
  assert.match(text, /needs about 840 MB .* more than the 512 MB it may use here \(a quarter of the 2 GB this device reports\); try num_batches ≤ 6,657/);
  // Refused before allocating: the worker's heap did not grow.
  assert.equal(await page.evaluate(() => window.ppemuApp.engine.stats.heapBytes), started);
  assert.deepEqual(page.problems, []);
  await page.close();
});
