// Messages in the page's words (issue 9): no command-line wording, a stage that does not exist,
// one op-limit message under the field at fault with a value that would work, one message for a
// cleared field, an empty parameter name, a repeated compare list, dualpipe's even-devices rule
// under Devices, a zoom floor, and a double-click that removes the zoom from the link.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { siteAndBrowser, openPage, textOf, waitText } from './harness.mjs';

const site = siteAndBrowser();

// Every element whose own text mentions `re`, visible or not counted only when visible.
const visibleMentions = (page, re) => page.evaluate(([source, flags]) => {
  const re = new RegExp(source, flags);
  return [...document.querySelectorAll('body *')]
    .filter((el) => el.checkVisibility() && [...el.childNodes].some((n) => n.nodeType === 3 && re.test(n.textContent)))
    .map((el) => el.textContent.trim());
}, [re.source, re.flags]);

test('an unknown strategy is explained in the page\'s words, without command-line flags', async () => {
  const page = await openPage(site.browser, `${site.server.base}#strategy=zb1q`);
  const text = await waitText(page, 'field-error-strategy', /zb1q/);
  assert.match(text, /did you mean 'zb1p'\?/);
  assert.match(text, /Strategy menu/);
  const body = await page.evaluate(() => document.body.innerText);
  assert.doesNotMatch(body, /--[a-z]/);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a per-stage time for a stage that does not exist says so', async () => {
  const page = await openPage(site.browser, `${site.server.base}#num_stages=4&op_times.forward.7=3`);
  const text = await waitText(page, 'field-error-op_times.forward', /stage 7/);
  assert.match(text, /stage 7 does not exist.*stages 0–3/);
  assert.doesNotMatch(text, /gives 8 stage times/);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('over the op limit: one message, under Microbatches, with thousands separators and a value that works', async () => {
  const page = await openPage(site.browser, `${site.server.base}#num_devices=64&num_stages=64&num_batches=20000`);
  const text = await waitText(page, 'field-error-num_batches', /limit/);
  assert.match(text, /2,097,152/);
  assert.match(text, /try num_batches ≤ 10,922/);
  assert.equal(await page.getByTestId('field-error-num_stages').textContent(), '');
  // Every visible mention of the op limit (a field label may say 'limit' about something else).
  assert.deepEqual(await visibleMentions(page, /limit of [\d,]+ ops/), [text]);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a cleared field shows one message, not its own beside a stale error about the old value', async () => {
  const page = await openPage(site.browser, `${site.server.base}#strategy=1f1b&num_devices=4&num_stages=4&num_batches=8`);
  await waitText(page, 'makespan', /^33$/);
  const stages = page.getByRole('spinbutton', { name: /^Stages/ });
  await stages.fill('5');
  await page.getByTestId('field-error-num_stages').waitFor({ state: 'visible' });
  await stages.fill('');
  await stages.press('Tab');
  const text = await waitText(page, 'field-error-num_stages', /empty/);
  assert.deepEqual(await visibleMentions(page, /stage|empty/i).then((m) => m.filter((t) => /empty|5/.test(t) && !/^Stages/.test(t))), [text]);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a parameter with no name is named as such; a compare list repeating one strategy 40 times is reduced', async () => {
  let page = await openPage(site.browser, `${site.server.base}#=5&num_batches=8`);
  assert.match(await textOf(page, 'error'), /no name/);
  await page.close();
  page = await openPage(site.browser, `${site.server.base}#compare=${'zb1p,'.repeat(40)}`);
  const rows = page.getByTestId('ranking').locator('tbody tr');
  await rows.first().waitFor({ timeout: 30000 });
  assert.equal(await rows.count(), 1);
  assert.equal(await page.getByTestId('error').isVisible(), false);
  assert.match(page.url(), /compare=zb1p(&|$)/);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('dualpipe\'s "needs an even num_devices" sits under Devices even after editing Stages', async () => {
  const page = await openPage(site.browser, `${site.server.base}#strategy=dualpipe&num_devices=3&num_stages=3&num_batches=8`);
  await waitText(page, 'field-error-num_devices', /even/);
  await page.getByRole('spinbutton', { name: /^Stages/ }).fill('4');
  await page.waitForFunction(() => /num_stages=4/.test(location.hash));
  await page.waitForTimeout(500);
  assert.match(await textOf(page, 'field-error-num_devices'), /even num_devices/);
  assert.equal(await page.getByTestId('field-error-num_stages').textContent(), '');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('zoom stops at a floor, and a double-click reset removes the zoom from the link', async () => {
  const page = await openPage(site.browser, `${site.server.base}#strategy=1f1b&num_devices=4&num_stages=4&num_batches=8`);
  await waitText(page, 'makespan', /^33$/);
  const box = await page.getByTestId('timeline').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + 120);
  for (let i = 0; i < 60; i++) await page.mouse.wheel(0, -800);
  await page.waitForFunction(() => /view=/.test(location.hash));
  const view = await page.evaluate(() => window.ppemuApp.timeline.getView());
  // The shortest op is 1 unit: the deepest window shows a tenth of it, not nanoseconds' worth.
  assert.ok(view.t1 - view.t0 >= 0.1 - 1e-12, `window ${view.t1 - view.t0}`);
  await page.waitForTimeout(400);
  const hashView = /view=([^&]+)/.exec(page.url())[1].split(',').map(Number);
  assert.ok(Math.abs(hashView[0] - view.t0) < 1e-3 * (view.t1 - view.t0), `the link keeps the window: ${hashView} vs ${JSON.stringify(view)}`);
  await page.mouse.dblclick(box.x + box.width / 2, box.y + 120);
  await page.waitForFunction(() => !/view=/.test(location.hash));
  assert.deepEqual(page.problems, []);
  await page.close();
});
