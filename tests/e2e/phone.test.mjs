// Phones and touch (issue 9): at 390×844 nothing widens the page, a pinch zooms the chart, a
// vertical swipe that starts on the chart scrolls the page, +/−/fit buttons zoom without a wheel,
// and the settings are reachable without scrolling past every table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { siteAndBrowser, openPage, openPhone, textOf, waitText } from './harness.mjs';

const site = siteAndBrowser();
const pageWidth = (page) => page.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth));

test('at 390×844 nothing widens the page: one run, a comparison, an import, the share line', async () => {
  for (const hash of [
    '#strategy=1f1b&num_devices=4&num_stages=4&num_batches=8',
    '#num_devices=4&num_stages=4&num_batches=8&compare=1f1b,zb1p,zbv,dualpipe_v,interleave_zb,1f1b_interleave_overlap&same_model=0',
    '#num_batches=999999999&num_device=3',
  ]) {
    const page = await openPhone(site.browser, `${site.server.base}${hash}`);
    await page.getByTestId('timeline').waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid=makespan], [data-testid=ranking], [data-testid=error]:not([hidden])'));
    await page.waitForTimeout(300);
    assert.ok(await pageWidth(page) <= 390, `${hash}: the page is ${await pageWidth(page)} px wide`);
    assert.deepEqual(page.problems, [], hash);
    await page.close();
  }
  const page = await openPhone(site.browser, site.server.base);
  await textOf(page, 'makespan');
  await page.locator('#csv-file').setInputFiles(fileURLToPath(new URL('../core/data/dualpipev_4rank_10mb.csv', import.meta.url)));
  await waitText(page, 'makespan', /^66$/);
  await page.getByRole('button', { name: 'Copy embed code' }).click();
  await page.locator('#share-out').waitFor();
  assert.ok(await pageWidth(page) <= 390, `with the share line the page is ${await pageWidth(page)} px wide`);
  await page.close();
});

// Touch points go through Chromium's input pipeline (CDP), so touch-action applies as on a phone.
async function touch(page, steps) {
  const cdp = await page.context().newCDPSession(page);
  for (const [type, touchPoints] of steps) await cdp.send('Input.dispatchTouchEvent', { type, touchPoints });
  await page.waitForTimeout(400);
}

test('a pinch zooms the chart around the fingers; a vertical swipe on the chart scrolls the page', async () => {
  const page = await openPhone(site.browser, `${site.server.base}#strategy=1f1b&num_devices=8&num_stages=8&num_batches=16`);
  await waitText(page, 'makespan', /^69$/);
  const box = await page.getByTestId('timeline-canvas').boundingBox();
  const x = box.x + box.width / 2;
  const y = box.y + 30;
  const pinch = [['touchStart', [{ id: 1, x: x - 20, y }, { id: 2, x: x + 20, y }]]];
  for (let i = 1; i <= 10; i++) pinch.push(['touchMove', [{ id: 1, x: x - 20 - 6 * i, y }, { id: 2, x: x + 20 + 6 * i, y }]]);
  pinch.push(['touchEnd', []]);
  await touch(page, pinch);
  const view = await page.evaluate(() => window.ppemuApp.timeline.getView());
  // Fingers 40 px apart moved to 160 px apart: a quarter of the window, around the same time.
  const span = view.t1 - view.t0;
  assert.ok(span > 69 / 4 * 0.8 && span < 69 / 4 * 1.25, `pinch gave a window of ${span} (${JSON.stringify(view)})`);
  await page.waitForFunction(() => /view=/.test(location.hash));

  const before = await page.evaluate(() => scrollY);
  const swipe = [['touchStart', [{ id: 3, x, y: y + 40 }]]];
  for (let i = 1; i <= 10; i++) swipe.push(['touchMove', [{ id: 3, x, y: y + 40 - 25 * i }]]);
  swipe.push(['touchEnd', []]);
  await touch(page, swipe);
  assert.ok(await page.evaluate(() => scrollY) > before + 50, 'the page did not scroll');
  assert.deepEqual(await page.evaluate(() => window.ppemuApp.timeline.getView()), view, 'a vertical swipe does not pan');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('zoom in, zoom out and fit buttons; fit removes the zoom from the link', async () => {
  const page = await openPage(site.browser, `${site.server.base}#strategy=1f1b&num_devices=4&num_stages=4&num_batches=8`);
  await waitText(page, 'makespan', /^33$/);
  await page.getByRole('button', { name: 'Zoom in' }).click();
  let view = await page.evaluate(() => window.ppemuApp.timeline.getView());
  assert.ok(view.t1 - view.t0 < 33 * 0.75, JSON.stringify(view));
  await page.waitForFunction(() => /view=/.test(location.hash));
  await page.getByRole('button', { name: 'Zoom out' }).click();
  view = await page.evaluate(() => window.ppemuApp.timeline.getView());
  assert.ok(view.t1 - view.t0 > 33 * 0.75, JSON.stringify(view));
  await page.getByRole('button', { name: 'Zoom in' }).click();
  await page.getByRole('button', { name: 'Fit' }).click();
  assert.deepEqual(await page.evaluate(() => window.ppemuApp.timeline.getView()), { t0: 0, t1: 33 });
  await page.waitForFunction(() => !/view=/.test(location.hash));
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('settings: a sidebar that scrolls on its own on wide screens, a collapsible panel above the chart on phones', async () => {
  const wide = await openPage(site.browser, `${site.server.base}#num_devices=32&num_stages=32&num_batches=64`, { width: 1280, height: 700 });
  await textOf(wide, 'makespan');
  const sidebar = await wide.evaluate(() => {
    const el = document.querySelector('.sidebar');
    const before = el.getBoundingClientRect().top;
    window.scrollTo(0, 2000);
    return { before, after: el.getBoundingClientRect().top, height: el.clientHeight, scrolls: el.scrollHeight > el.clientHeight, inner: innerHeight };
  });
  assert.ok(sidebar.scrolls, 'the sidebar has its own scroll');
  assert.ok(sidebar.height <= sidebar.inner, `the sidebar (${sidebar.height} px) fits the window (${sidebar.inner})`);
  assert.ok(sidebar.after >= 0, `the sidebar stays in view when the page scrolls (${JSON.stringify(sidebar)})`);
  await wide.close();

  const phone = await openPhone(site.browser, `${site.server.base}#strategy=1f1b&num_devices=4&num_stages=4&num_batches=8`);
  await waitText(phone, 'makespan', /^33$/);
  const toggle = phone.getByRole('button', { name: /^Settings/ });
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  const devices = phone.getByRole('spinbutton', { name: /^Devices/ });
  assert.equal(await devices.isVisible(), false);
  const toggleBox = await toggle.boundingBox();
  const chartBox = await phone.getByTestId('timeline').boundingBox();
  assert.ok(toggleBox.y < chartBox.y, 'the settings toggle sits above the chart');
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  assert.equal(await devices.isVisible(), true);
  await phone.getByRole('spinbutton', { name: /^Microbatches/ }).fill('4');
  await waitText(phone, 'makespan', /^21$/);
  assert.deepEqual(phone.problems, []);
  await phone.close();
});
