// Embeds that fit (issue 9): the snippet's height comes from the rows it will show, so a fourth
// compared run is not cut off and a 4-device run leaves no empty band; embed.html tells its host
// page how tall it wants to be, and the snippet's two-line script applies that.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { siteAndBrowser, openPage, textOf } from './harness.mjs';

const site = siteAndBrowser();

async function snippetFor(hash) {
  const page = await openPage(site.browser, `${site.server.base}${hash}`);
  await page.waitForFunction(() => document.querySelector('[data-testid=makespan], [data-testid=ranking]'));
  await page.getByRole('button', { name: 'Copy embed code' }).click();
  const snippet = await page.locator('#share-out').inputValue();
  assert.deepEqual(page.problems, []);
  await page.close();
  return snippet;
}

// A blog post: a 640 px column holding the snippet. Served from the site's origin: Chromium
// blocks a public (about:blank) page from framing loopback.
async function host(html, name) {
  const page = await site.browser.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(e.message));
  await page.route(`${site.server.base}${name}`, (route) => route.fulfill({
    contentType: 'text/html', body: `<!doctype html><body style="margin:0"><main style="width:640px">${html}</main><p>after</p></body>`,
  }));
  await page.goto(`${site.server.base}${name}`);
  return page;
}

const frameHeight = (page) => page.locator('iframe').evaluate((f) => f.getBoundingClientRect().height);

test('the snippet is as tall as its rows: four compared runs all show, a 4-device run leaves no empty band', async () => {
  const four = await snippetFor('#num_devices=4&num_stages=4&num_batches=8&compare=1f1b,zb1p,zbv,dualpipe_v');
  const height = Number(/height="(\d+)"/.exec(four)[1]);
  const iframeOnly = four.slice(0, four.indexOf('</iframe>') + '</iframe>'.length);
  let page = await host(iframeOnly, 'host-four.html');
  let frame = page.frameLocator('iframe');
  await frame.getByTestId('summary-line').filter({ hasText: 'fastest' }).waitFor({ timeout: 30000 });
  assert.equal(await frameHeight(page), height);
  const last = await frame.locator('body').evaluate(() => {
    const tl = window.ppemuApp.timeline;
    const run = 3;
    // Device 3's first op of the fourth run, drawn at the preferred bar height (rows not squeezed).
    const offsets = window.ppemuApp.state.shown.entries.filter((e) => e.result.ok)[run].result.ops.device_offset;
    return { rect: tl.rectOf(run, offsets[3]), chart: document.querySelector('#chart').getBoundingClientRect().height };
  });
  assert.ok(last.rect, 'the fourth run\'s last device is not visible');
  assert.equal(last.rect.height, 24, 'rows were squeezed to fit');
  assert.ok(last.rect.y + last.rect.height <= last.chart, JSON.stringify(last));
  await page.close();

  const single = await snippetFor('#strategy=1f1b&num_devices=4&num_stages=4&num_batches=8');
  page = await host(single.slice(0, single.indexOf('</iframe>') + 9), 'host-single.html');
  frame = page.frameLocator('iframe');
  await frame.getByTestId('summary-line').filter({ hasText: 'makespan 33' }).waitFor({ timeout: 30000 });
  const gap = await frame.locator('body').evaluate(() => {
    const tl = window.ppemuApp.timeline;
    const offsets = window.ppemuApp.state.shown.result.ops.device_offset;
    const r = tl.rectOf(0, offsets[3]);
    return document.querySelector('#chart').getBoundingClientRect().height - (r.y + r.height);
  });
  // Under the last bar: its activation strip (13 px), half a row gap and the bottom pad.
  assert.ok(gap >= 0 && gap <= 30, `${gap} px under the last row`);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('embed.html posts its height and the snippet\'s script sizes the frame with it', async () => {
  const snippet = await snippetFor('#num_devices=4&num_stages=4&num_batches=8&compare=1f1b,zbv');
  const height = Number(/height="(\d+)"/.exec(snippet)[1]);
  assert.match(snippet, /<\/iframe>\n<script>[^\n]+\n[^\n]+<\/script>$/, 'a two-line script after the frame');
  const page = await host(snippet.replace(/height="\d+"/, 'height="120"'), 'host-resize.html');
  await page.frameLocator('iframe').getByTestId('summary-line').filter({ hasText: 'fastest' }).waitFor({ timeout: 30000 });
  await page.waitForFunction((h) => Math.abs(document.querySelector('iframe').getBoundingClientRect().height - h) <= 1, height);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the embed shows its messages and still reports a height for a broken link', async () => {
  const page = await openPage(site.browser, `${site.server.base}embed.html#num_devices=-3`, { width: 600, height: 300 });
  assert.match(await textOf(page, 'error'), /num_devices/);
  assert.deepEqual(page.problems, []);
  await page.close();
});
