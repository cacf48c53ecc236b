// Comparisons that cannot mislead (issue 9): compare mode and the examples run the same model by
// default, the ranking says by how much and how much work each run does, the winner is marked
// on the chart, and a comparison that is not same-model says so. Figures from build/ppemu:
// zbv 8 stages with op times × 0.5 has makespan 25.5 and busy 24 per device, like 1f1b's 24.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { siteAndBrowser, openPage, textOf, waitText, rankingTable } from './harness.mjs';

const site = siteAndBrowser();
const FOUR = '#num_devices=4&num_stages=4&num_batches=8&compare=1f1b,zb1p,zbv,dualpipe_v';

test('compare mode runs the same model by default: zbv first at 25.5, every run 24 of work per device', async () => {
  const page = await openPage(site.browser, `${site.server.base}${FOUR}`);
  const table = await rankingTable(page);
  assert.deepEqual(Object.fromEntries(Object.entries(table).map(([k, r]) => [k, r.rank])), { zbv: '1', zb1p: '2', dualpipe_v: '3', '1f1b': '4' });
  assert.equal(table.zbv.makespan, '25.5');
  for (const row of Object.values(table)) assert.equal(row.work, '24');
  // By how much: 33 / 25.5 = 1.294; and the other two bubble measures beside the bubble ratio.
  assert.equal(table['1f1b']['vs-best'], '+29.4%');
  assert.equal(table.zbv['vs-best'], 'best');
  assert.equal(table.zbv['bubble-over-ideal'], '0.0625');
  assert.equal(table.zbv['span-bubble'], '0');
  assert.equal(await page.getByRole('checkbox', { name: /^same model/ }).isChecked(), true);
  assert.equal(await page.getByTestId('compare-warning').isVisible(), false);
  // The winner is marked on the chart, in its group label.
  const labels = await page.getByTestId('timeline').locator('svg text').allTextContents();
  assert.ok(labels.some((t) => /^zbv\b.*fastest/.test(t)), labels.join(' | '));
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a comparison that is not same-model shows each run\'s work and warns', async () => {
  const page = await openPage(site.browser, `${site.server.base}${FOUR}&same_model=0`);
  const table = await rankingTable(page);
  assert.equal(table.zbv.makespan, '51');
  assert.equal(table.zbv.work, '48');
  assert.equal(table['1f1b'].work, '24');
  assert.match(await textOf(page, 'compare-warning'), /not the same model[\s\S]*24[\s\S]*48/);
  assert.equal(await page.getByRole('checkbox', { name: /^same model/ }).isChecked(), false);
  assert.match(page.url(), /same_model=0/);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the examples run the same model: Interleaved 1F1B does the 1F1B example\'s work per device', async () => {
  const page = await openPage(site.browser, `${site.server.base}#num_batches=3`);
  await textOf(page, 'makespan');
  await page.getByRole('button', { name: '1F1B', exact: true }).click();
  await waitText(page, 'makespan', /^33$/);
  assert.equal(await textOf(page, 'work-per-device'), '24');
  await page.getByRole('button', { name: 'Interleaved 1F1B' }).click();
  // (v m + p − 1)(F + B) with v = 2 and the op times halved: 19 × 1.5.
  await waitText(page, 'makespan', /^28\.5$/);
  assert.equal(await textOf(page, 'work-per-device'), '24');
  assert.match(page.url(), /strategy=interleave&num_devices=4&num_stages=8&num_batches=8&.*op_times\.forward=0\.5/);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the embed\'s caption and the ranking give the same (scaled) peak activations', async () => {
  const hash = '#num_devices=4&num_stages=4&num_batches=8&compare=1f1b,zbv';
  const page = await openPage(site.browser, `${site.server.base}${hash}`);
  const table = await rankingTable(page);
  // zbv holds 8 (microbatch, stage) pairs of half-size stages: 4 device shares.
  assert.match(table.zbv.peak, /(^|→ )4$/);
  await page.goto(`${site.server.base}embed.html${hash}`);
  assert.match(await textOf(page, 'summary-line'), /zbv[\s\S]*peak activations 4\b/);
  assert.deepEqual(page.problems, []);
  await page.close();
});
