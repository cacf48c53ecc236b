// State that never contradicts itself (issue 9): one source of truth for what is shown, a broken
// link opened in the same tab behaves like a fresh load, the chart names what it shows and says
// when the settings have not run, Stop leaves only settings that ran in the link, Back undoes a
// committed change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { siteAndBrowser, openPage, textOf, waitText } from './harness.mjs';

const site = siteAndBrowser();
const README_1F1B = '#strategy=1f1b&num_devices=4&num_stages=4&num_batches=8';
const data = fileURLToPath(new URL('../core/data/', import.meta.url));

test('a failed import after a good one: the sidebar and the chart name the same file', async () => {
  const page = await openPage(site.browser, `${site.server.base}${README_1F1B}`);
  await waitText(page, 'makespan', /^33$/);
  await page.locator('#csv-file').setInputFiles(`${data}dualpipev_4rank_10mb.csv`);
  await waitText(page, 'makespan', /^66$/);
  await page.locator('#csv-file').setInputFiles(`${data}bad_action.csv`);
  assert.match(await textOf(page, 'error'), /bad_action\.csv[\s\S]*row 2, column 4/);
  assert.match(await page.locator('#import-status').textContent(), /dualpipev_4rank_10mb\.csv/);
  assert.doesNotMatch(await page.locator('#import-status').textContent(), /bad_action/);
  assert.match(await textOf(page, 'chart-caption'), /dualpipev_4rank_10mb\.csv/);
  assert.equal(await textOf(page, 'makespan'), '66');
  assert.deepEqual(page.problems, []);
  await page.close();
});

async function pageSays(page) {
  return page.evaluate(() => ({
    empty: document.querySelector('#chart-empty')?.hidden === false ? document.querySelector('#chart-empty').textContent.trim() : null,
    note: document.querySelector('[data-testid=mode-note]')?.hidden ? '' : document.querySelector('[data-testid=mode-note]').textContent,
    ranking: document.querySelector('#compare-metrics')?.hidden === false,
    figures: Boolean(document.querySelector('[data-testid=makespan]')),
    title: document.title,
  }));
}

test('a broken link opened by a hash change shows what a fresh load of it shows', async () => {
  const broken = '#num_devices=-3';
  const fresh = await openPage(site.browser, `${site.server.base}${broken}`);
  await waitText(fresh, 'field-error-num_devices', /num_devices/);
  await fresh.locator('#chart-empty').waitFor();
  const expected = await pageSays(fresh);
  await fresh.close();
  assert.match(expected.empty, /No chart yet/);

  const page = await openPage(site.browser, `${site.server.base}#num_devices=4&num_stages=4&num_batches=8&compare=1f1b,zb1p`);
  await page.getByTestId('ranking').locator('tbody tr').nth(1).waitFor({ timeout: 30000 });
  await page.evaluate((h) => { location.hash = h; }, broken);
  await page.locator('#chart-empty').waitFor();
  await waitText(page, 'field-error-num_devices', /num_devices/);
  assert.deepEqual(await pageSays(page), expected);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the chart caption names the run and says "not yet run" while the settings differ from it', async () => {
  const page = await openPage(site.browser, `${site.server.base}${README_1F1B}`);
  await waitText(page, 'makespan', /^33$/);
  assert.match(await textOf(page, 'chart-caption'), /^1f1b · 4 devices · 4 stages · 8 microbatches/);
  await page.getByRole('spinbutton', { name: /^Stages/ }).fill('5');
  await page.getByTestId('field-error-num_stages').waitFor({ state: 'visible' });
  assert.match(await textOf(page, 'chart-caption'), /1f1b · 4 devices · 4 stages · 8 microbatches[\s\S]*not yet run/);
  await page.getByRole('spinbutton', { name: /^Stages/ }).fill('4');
  await waitText(page, 'chart-caption', /^(?![\s\S]*not yet run)/);
  await page.getByRole('checkbox', { name: 'zbv', exact: true }).check();
  await page.getByRole('checkbox', { name: '1f1b', exact: true }).check();
  assert.match(await waitText(page, 'chart-caption', /compar/i), /zbv[\s\S]*1f1b[\s\S]*4 devices[\s\S]*8 microbatches[\s\S]*same model/);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('after Stop the link holds only settings that ran', async () => {
  const page = await openPage(site.browser, `${site.server.base}#strategy=v_half&num_devices=128&num_stages=256&num_batches=8`);
  await waitText(page, 'makespan', /^546$/);
  const batches = page.getByRole('spinbutton', { name: /^Microbatches/ });
  // V-Half on 128 devices × 2048 microbatches takes the core most of a second (see app.test.mjs).
  await batches.fill('2048');
  await page.getByTestId('progress').waitFor({ state: 'visible', timeout: 10000 });
  await page.getByRole('button', { name: 'stop' }).click();
  await page.getByTestId('progress').waitFor({ state: 'hidden' });
  await page.waitForFunction(() => /num_batches=8(&|$)/.test(location.hash));
  assert.equal(await batches.inputValue(), '8');
  assert.match(await textOf(page, 'error'), /Stopped/);
  assert.equal(await textOf(page, 'makespan'), '546');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('Back undoes committed changes, one field edit at a time, not keystroke by keystroke', async () => {
  const page = await openPage(site.browser, `${site.server.base}${README_1F1B}`);
  await waitText(page, 'makespan', /^33$/);
  const start = await page.evaluate(() => history.length);
  const batches = page.getByRole('spinbutton', { name: /^Microbatches/ });
  await batches.click();
  await batches.press('Control+a');
  await page.keyboard.type('12', { delay: 30 });
  await batches.press('Tab');
  await waitText(page, 'makespan', /^45$/);
  await page.getByRole('combobox', { name: /^Strategy/ }).selectOption('zb1p');
  await page.waitForFunction(() => /strategy=zb1p/.test(location.hash));
  await waitText(page, 'makespan', /^(?!45$)/);
  assert.equal(await page.evaluate(() => history.length), start + 2);
  await page.goBack();
  await waitText(page, 'makespan', /^45$/);
  assert.equal(await page.getByRole('combobox', { name: /^Strategy/ }).inputValue(), '1f1b');
  assert.equal(await batches.inputValue(), '12');
  await page.goBack();
  await waitText(page, 'makespan', /^33$/);
  assert.equal(await batches.inputValue(), '8');
  await page.goForward();
  await waitText(page, 'makespan', /^45$/);
  assert.deepEqual(page.problems, []);
  await page.close();
});
