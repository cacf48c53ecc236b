// Accessibility (issue 9): the chart is a figure with a caption and a text alternative that
// links to the data table, each per-stage button names its op, a skip link leads to the chart,
// and hint and table text is at least 12 px.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { siteAndBrowser, openPage, waitText } from './harness.mjs';

const site = siteAndBrowser();
const README_1F1B = '#strategy=1f1b&num_devices=4&num_stages=4&num_batches=8';

test('the chart is a figure named by its caption, described by a summary that links to the table', async () => {
  const page = await openPage(site.browser, `${site.server.base}${README_1F1B}`);
  await waitText(page, 'makespan', /^33$/);
  const figure = page.getByRole('figure', { name: /1f1b · 4 devices/ });
  await figure.waitFor();
  const description = await figure.evaluate((el) => el.getAttribute('aria-describedby').split(' ')
    .map((id) => document.getElementById(id)?.textContent).join(' '));
  assert.match(description, /makespan 33/);
  assert.match(description, /bubble ratio 0\.2727/);
  const link = figure.getByRole('link', { name: /per-device table/ });
  assert.equal(await link.getAttribute('href'), '#devices');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('each per-stage button names its op', async () => {
  const page = await openPage(site.browser, `${site.server.base}${README_1F1B}`);
  await waitText(page, 'makespan', /^33$/);
  for (const name of ['F forward per stage', 'BW full backward per stage', 'B input backward per stage', 'W weight backward per stage']) {
    assert.equal(await page.getByRole('button', { name, exact: true }).count(), 1, name);
  }
  await page.close();
});

test('a skip link is the first stop of the keyboard and leads to the chart', async () => {
  const page = await openPage(site.browser, `${site.server.base}${README_1F1B}`);
  await waitText(page, 'makespan', /^33$/);
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => [document.activeElement.tagName, document.activeElement.textContent]);
  assert.deepEqual(focused, ['A', 'Skip to the chart']);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.closest('#chart-panel'));
  await page.close();
});

const smallText = (page) => page.evaluate(() => [...document.querySelectorAll('body *')]
  .filter((el) => !el.closest('svg') && el.checkVisibility() && [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()))
  .map((el) => [el.textContent.trim().slice(0, 30), parseFloat(getComputedStyle(el).fontSize)])
  .filter(([, px]) => px < 12));

test('hint and table text is at least 12 px', async () => {
  const page = await openPage(site.browser, `${site.server.base}${README_1F1B}&compare=1f1b,zbv`);
  await page.getByTestId('ranking').locator('tbody tr').nth(1).waitFor({ timeout: 30000 });
  assert.deepEqual(await smallText(page), []);
  await page.goto(`${site.server.base}${README_1F1B}`);
  await page.reload();
  await waitText(page, 'makespan', /^33$/);
  await page.getByRole('button', { name: 'F forward per stage' }).click();
  assert.deepEqual(await smallText(page), []);
  await page.close();
});
