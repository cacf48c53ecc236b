// The page as a visitor uses it, in headless Chromium on the built site: the default chart and
// its figures, a control edit reaching the URL, a shared link reproducing the numbers, the embed
// view, garbage links, hovering a bar, and compare mode. One browser for the whole file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { siteAndBrowser, openPage, textOf, screenshot } from './harness.mjs';

const site = siteAndBrowser();

const README_1F1B = '#strategy=1f1b&num_devices=4&num_stages=4&num_batches=8&op_times.forward=1&op_times.backward=2';

async function chartDrawn(page) {
  await page.getByTestId('timeline-canvas').first().waitFor({ state: 'visible', timeout: 30000 });
  // The canvas has ink: some pixel differs from the first (background) pixel.
  return page.evaluate(() => {
    const canvas = document.querySelector('[data-testid="timeline-canvas"]');
    const ctx = canvas.getContext('2d');
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    for (let i = 4; i < data.length; i += 4) {
      if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2]) return true;
    }
    return false;
  });
}

test('the README 1F1B link draws its chart and shows makespan 33', async () => {
  const page = await openPage(site.browser, `${site.server.base}${README_1F1B}`);
  assert.equal(await textOf(page, 'makespan'), '33');
  assert.equal(await textOf(page, 'bubble-ratio'), '0.2727');
  assert.ok(await chartDrawn(page), 'the timeline canvas is blank');
  assert.equal(await page.getByTestId('devices').locator('tbody tr').count(), 4);
  // All four closed forms of 1F1B hold at p2p_latency 0 and agree with the emulation.
  assert.equal(await page.getByTestId('formula').count(), 4);
  assert.equal(await page.getByTestId('formula-not-holds').count(), 0);
  assert.equal(await page.getByTestId('error').isVisible(), false);
  await screenshot(page, 'app-1f1b');
  assert.deepEqual(page.problems, []);
  await page.close();

  // No hash at all: the core's defaults are that same README example, and the link fills in.
  const bare = await openPage(site.browser, site.server.base);
  assert.equal(await textOf(bare, 'makespan'), '33');
  assert.match(bare.url(), /#strategy=1f1b&num_devices=4&num_stages=4&num_batches=8&/);
  assert.deepEqual(bare.problems, []);
  await bare.close();
});

test('a control edit updates chart, figures and URL, and the URL reopens the same numbers', async () => {
  const page = await openPage(site.browser, `${site.server.base}${README_1F1B}`);
  assert.equal(await textOf(page, 'makespan'), '33');
  await page.getByRole('spinbutton', { name: /^Microbatches/ }).fill('4');
  // (m + p - 1)(F + B) = 7 x 3
  await page.waitForFunction(() => document.querySelector('[data-testid="makespan"]')?.textContent === '21');
  const url = page.url();
  assert.match(url, /num_batches=4(&|$)/);
  await page.getByRole('textbox', { name: /^F forward/ }).fill('[1,2,1,2]');
  await page.waitForFunction(() => /op_times\.forward=\[1,2,1,2\]/.test(location.hash));
  // The hash is written from the settings, the figures from the run: wait for both.
  await page.waitForFunction(() => document.querySelector('[data-testid="makespan"]')?.textContent !== '21');
  const makespan = await textOf(page, 'makespan');
  const shared = page.url();
  await page.close();

  const fresh = await openPage(site.browser, shared.replace('strategy=1f1b', 'strategy=pipedream_flush'));
  assert.equal(await textOf(fresh, 'makespan'), makespan);
  assert.equal(await fresh.getByRole('spinbutton', { name: /^Microbatches/ }).inputValue(), '4');
  // The alias reads as its registry name, in the menu and in the rewritten link.
  assert.equal(await fresh.getByRole('combobox', { name: /^Strategy/ }).inputValue(), '1f1b');
  assert.match(fresh.url(), /#strategy=1f1b&/);
  assert.equal(await fresh.getByRole('textbox', { name: /^F forward/ }).inputValue(), '[1,2,1,2]');
  assert.deepEqual(fresh.problems, []);
  await fresh.close();
});

test('a value the core rejects is named beside its field and the last chart stays', async () => {
  const page = await openPage(site.browser, `${site.server.base}${README_1F1B}`);
  assert.equal(await textOf(page, 'makespan'), '33');
  await page.getByRole('spinbutton', { name: /^Stages/ }).fill('5');
  const fieldError = page.getByTestId('field-error-num_stages');
  await fieldError.waitFor({ state: 'visible' });
  assert.match(await fieldError.textContent(), /num_stages|stage/);
  // Said once, beside the field: the message box above the chart does not repeat it.
  assert.equal(await page.getByTestId('error').isVisible(), false);
  assert.equal(await textOf(page, 'makespan'), '33');
  assert.ok(await chartDrawn(page));
  // Text that is not a number never reaches the core; the field and the message area say why.
  const forward = page.getByRole('textbox', { name: /^F forward/ });
  await forward.fill('fast');
  await forward.press('Tab');
  assert.match(await page.getByTestId('field-error-op_times.forward').textContent(), /expected a number/);
  assert.match(page.url(), /op_times\.forward=1&/);
  await forward.fill('1');
  await page.getByRole('spinbutton', { name: /^Stages/ }).fill('4');
  await page.getByTestId('stale-note').waitFor({ state: 'hidden' });
  assert.equal(await page.getByTestId('error').isVisible(), false);
  assert.equal(await page.getByTestId('field-error-num_stages').textContent(), '');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('garbage links show a message naming the parameter and throw nothing', async () => {
  for (const [hash, word] of [
    ['#num_devices=-3', /num_devices/],
    ['#strategy=<script>alert(1)</script>', /strategy/],
    ['#num_device=4&op_times.forward=[1,x]&view=9,1', /num_device[^s][\s\S]*op_times\.forward[\s\S]*view/],
    ['#%E0%A4%A=1&compare=nope', /URL encoding[\s\S]*nope/],
  ]) {
    const page = await openPage(site.browser, `${site.server.base}${hash}`);
    // The link's own problems show above the chart; a value the core rejects, under its field.
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=error], [data-testid^=field-error-]')]
      .some((el) => el.checkVisibility() && el.textContent.trim()));
    const text = await page.evaluate(() => [...document.querySelectorAll('[data-testid=error], [data-testid^=field-error-]')]
      .filter((el) => el.checkVisibility()).map((el) => el.textContent).join('\n'));
    assert.match(text, word, `${hash}: ${text}`);
    // The page still works: controls are there and no script from the link ran.
    await page.getByRole('spinbutton', { name: /^Devices/ }).waitFor();
    assert.equal(await page.evaluate(() => document.querySelector('script:not([src])')), null);
    assert.deepEqual(page.problems, [], hash);
    await page.close();
  }
});

test('hovering a bar shows its tooltip', async () => {
  const page = await openPage(site.browser, `${site.server.base}${README_1F1B}`);
  assert.equal(await textOf(page, 'makespan'), '33');
  const box = await page.getByTestId('timeline').boundingBox();
  // Row 0 is device 0's first op: F of microbatch 0.
  const rect = await page.evaluate(() => window.ppemuApp.timeline.rectOf(0, 0));
  assert.ok(rect, 'rectOf(0, 0) is null');
  await page.mouse.move(box.x + rect.x + rect.width / 2, box.y + rect.y + rect.height / 2);
  const tooltip = page.getByTestId('tooltip');
  await tooltip.waitFor({ state: 'visible' });
  assert.match(await tooltip.textContent(), /F/);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('compare mode stacks strategies and ranks them', async () => {
  const page = await openPage(site.browser, `${site.server.base}${README_1F1B}&compare=1f1b,zb1p,interleave&same_model=1&theme=dark`);
  const rows = page.getByTestId('ranking').locator('tbody tr');
  await rows.nth(2).waitFor({ timeout: 30000 });
  const table = await rows.evaluateAll((trs) => trs.map((tr) => Object.fromEntries(
    [...tr.querySelectorAll('[data-col]')].map((c) => [c.dataset.col, c.textContent.trim()]))));
  const byName = Object.fromEntries(table.map((r) => [r.strategy, r]));
  assert.deepEqual(Object.keys(byName).sort(), ['1f1b', 'interleave', 'zb1p']);
  // Interleave needs 2 chunks per device: 8 stages, op times x 4/8 under "same model".
  assert.deepEqual([byName.interleave.stages, byName.interleave.factor], ['8', '×0.5']);
  assert.deepEqual([byName['1f1b'].stages, byName['1f1b'].factor, byName['1f1b'].makespan], ['4', '×1', '33']);
  const makespans = table.map((r) => Number(r.makespan));
  assert.deepEqual(makespans, [...makespans].sort((a, b) => a - b), 'ranking is not by makespan');
  assert.equal(table[0].rank, '1');
  assert.ok(await chartDrawn(page));
  await screenshot(page, 'app-compare-dark');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the embed view draws the chart and one line of figures with a link back', async () => {
  const page = await openPage(site.browser, `${site.server.base}embed.html${README_1F1B}`, { width: 700, height: 320 });
  assert.match(await textOf(page, 'summary-line'), /makespan 33\b/);
  assert.ok(await chartDrawn(page));
  const box = await page.getByTestId('timeline').boundingBox();
  assert.ok(box.width > 650 && box.height > 200, `chart does not fill the frame: ${JSON.stringify(box)}`);
  const back = await page.getByRole('link', { name: /open in ppemu/ }).getAttribute('href');
  assert.equal(back, `./${README_1F1B}`);
  await screenshot(page, 'embed-1f1b');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a large run shows progress, a newer setting cancels it, and the op limit is explained', async () => {
  const page = await openPage(site.browser, `${site.server.base}#strategy=v_half&num_devices=128&num_stages=256&num_batches=8`);
  assert.equal(await textOf(page, 'makespan'), '546');
  const batches = page.getByRole('spinbutton', { name: /^Microbatches/ });
  // V-Half on 128 devices x 2048 microbatches: 1.6M ops whose order takes the core most of a
  // second natively (its squeeze grows as p^3), so the run is long enough to be seen and cut.
  await batches.fill('2048');
  await page.getByTestId('progress').waitFor({ state: 'visible', timeout: 10000 });
  // The page stays responsive while the worker computes: this edit lands and wins.
  await batches.fill('9');
  await page.waitForFunction(() => document.querySelector('[data-testid="makespan"]')?.textContent === '551', null, { timeout: 20000 });
  await page.getByTestId('progress').waitFor({ state: 'hidden' });
  // The superseded run must not come back later and replace the chart.
  await page.waitForTimeout(1500);
  assert.equal(await textOf(page, 'makespan'), '551');
  assert.match(page.url(), /num_batches=9(&|$)/);

  await batches.fill('200000');
  await page.getByTestId('field-error-num_batches').waitFor({ state: 'visible' });
  assert.match(await page.getByTestId('field-error-num_batches').textContent(), /limit/);
  assert.equal(await textOf(page, 'makespan'), '551');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('theme, zoom window and exports: the link keeps them and the buttons download files', async () => {
  const page = await openPage(site.browser, `${site.server.base}${README_1F1B}&view=2,10`);
  assert.equal(await textOf(page, 'makespan'), '33');
  const view = await page.evaluate(() => window.ppemuApp.timeline.getView());
  assert.ok(Math.abs(view.t0 - 2) < 1e-9 && Math.abs(view.t1 - 10) < 1e-9, JSON.stringify(view));
  await page.getByRole('button', { name: 'Dark theme' }).click();
  await page.waitForFunction(() => location.hash.includes('theme=dark') && location.hash.includes('view=2,10'));
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  // Zooming with the wheel writes the new window to the link; a settings change keeps it.
  const box = await page.getByTestId('timeline').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, 300);
  await page.waitForFunction(() => /view=[\d.]+,[\d.]+/.test(location.hash) && !location.hash.includes('view=2,10'));
  const zoomed = await page.evaluate(() => window.ppemuApp.timeline.getView());
  assert.ok(zoomed.t1 - zoomed.t0 > 8, `wheel down zooms out: ${JSON.stringify(zoomed)}`);
  await page.getByRole('spinbutton', { name: /^Microbatches/ }).fill('9');
  await page.waitForFunction(() => document.querySelector('[data-testid="makespan"]')?.textContent === '36');
  assert.match(page.url(), /num_batches=9&.*view=[\d.]+,[\d.]+/);

  const saved = async (name) => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name, exact: true }).click()]);
    const stream = await download.createReadStream();
    let text = '';
    for await (const chunk of stream) text += chunk;
    return { name: download.suggestedFilename(), text };
  };
  const json = await saved('JSON');
  assert.equal(json.name, 'ppemu-1f1b-p4-s4-m9.json');
  assert.equal(JSON.parse(json.text).makespan, 36);
  const svg = await saved('SVG');
  assert.match(svg.text, /<svg[\s>]/);
  const trace = await saved('Trace');
  assert.ok(JSON.parse(trace.text));
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('copy embed code gives an iframe that draws the chart in a host page, and ?embed=1 goes to the embed view', async () => {
  const page = await openPage(site.browser, `${site.server.base}${README_1F1B}`);
  assert.equal(await textOf(page, 'makespan'), '33');
  await page.getByRole('button', { name: 'Copy embed code' }).click();
  const snippet = await page.locator('#share-out').inputValue();
  assert.match(snippet, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/embed\.html#strategy=1f1b&amp;num_devices=4/);
  await page.getByRole('button', { name: 'Copy link' }).click();
  await page.waitForFunction(() => document.querySelector('#share-out').value === location.href);
  await page.getByTestId('share-status').filter({ hasText: /copied|Ctrl\+C/ }).waitFor();

  // A blog post: a column 640 px wide; the frame takes the column's width.
  // Served from the site's origin: Chromium blocks a public (about:blank) page from framing loopback.
  const host = await site.browser.newPage();
  host.problems = [];
  host.on('pageerror', (e) => host.problems.push(e.message));
  await host.route(`${site.server.base}host-page.html`, (route) => route.fulfill({
    contentType: 'text/html', body: `<!doctype html><main style="width:640px">${snippet}</main>`,
  }));
  await host.goto(`${site.server.base}host-page.html`);
  const frame = host.frameLocator('iframe');
  await frame.getByTestId('summary-line').filter({ hasText: 'makespan 33' }).waitFor({ timeout: 30000 });
  const box = await frame.getByTestId('timeline').boundingBox();
  assert.ok(box.width > 600 && box.width <= 640, `chart width ${box.width} in a 640 px column`);
  assert.deepEqual(host.problems, []);
  await host.close();

  await page.goto(`${site.server.base}?embed=1${README_1F1B}`);
  await page.waitForURL(/embed\.html#strategy=1f1b/);
  assert.match(await textOf(page, 'summary-line'), /makespan 33\b/);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a preset loads its README example and the per-stage table edits one stage', async () => {
  const page = await openPage(site.browser, `${site.server.base}#num_batches=3&theme=dark`);
  await textOf(page, 'makespan');
  await page.getByRole('button', { name: 'Interleaved 1F1B' }).click();
  await page.waitForFunction(() => location.hash.startsWith('#strategy=interleave&num_devices=4&num_stages=8&num_batches=8&'));
  assert.equal(await page.getByRole('combobox', { name: /^Strategy/ }).inputValue(), 'interleave');
  // (v m + p - 1)(F + B) with v = 2 and the example's halved op times (same model): 19 x 1.5
  await page.waitForFunction(() => document.querySelector('[data-testid="makespan"]')?.textContent === '28.5');
  await page.getByRole('button', { name: 'per stage' }).first().click();
  const cell = page.getByRole('group', { name: 'F forward per stage' }).getByLabel('stage 2', { exact: true });
  await cell.fill('3');
  await cell.press('Tab');
  await page.waitForFunction(() => location.hash.includes('op_times.forward=[0.5,0.5,3,0.5,0.5,0.5,0.5,0.5]'));
  assert.equal(await page.getByRole('textbox', { name: /^F forward/ }).inputValue(), '[0.5,0.5,3,0.5,0.5,0.5,0.5,0.5]');
  await page.waitForFunction(() => document.querySelector('[data-testid="makespan"]')?.textContent !== '28.5');
  // Unequal stages break the published form's assumptions: the page says so instead of a number.
  assert.ok(await page.getByTestId('formula-not-holds').count() >= 1);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a PyTorch schedule CSV is emulated like a strategy, a broken one names its row and column, and CSV export writes one', async () => {
  const data = fileURLToPath(new URL('../core/data/', import.meta.url));
  const page = await openPage(site.browser, `${site.server.base}${README_1F1B}`);
  assert.equal(await textOf(page, 'makespan'), '33');
  const linkBefore = page.url();

  // PyTorch's own DualPipeV file: 4 ranks, 8 stages, 10 microbatches, F = 1, I = W = 1, OV = F + B.
  await page.locator('#csv-file').setInputFiles(`${data}dualpipev_4rank_10mb.csv`);
  await page.waitForFunction(() => document.querySelector('[data-testid="makespan"]')?.textContent === '66', null, { timeout: 30000 });
  assert.match(await page.locator('#import-status').textContent(), /dualpipev_4rank_10mb\.csv/);
  assert.match(await textOf(page, 'mode-note'), /imported schedule dualpipev_4rank_10mb\.csv/);
  assert.ok(await chartDrawn(page));
  assert.equal(page.url(), linkBefore, 'a file is not part of the link');
  // An imported schedule exports like any run (exports.test.mjs checks the files).
  assert.equal(await page.getByRole('button', { name: 'JSON', exact: true }).isDisabled(), false);
  await screenshot(page, 'app-csv-dualpipev');

  await page.locator('#csv-file').setInputFiles(`${data}bad_action.csv`);
  assert.match(await textOf(page, 'error'), /row 2, column 4/);
  assert.equal(await textOf(page, 'makespan'), '66');
  assert.equal(await page.getByTestId('stale-note').isVisible(), true);

  await page.getByRole('button', { name: 'back to the strategy' }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid="makespan"]')?.textContent === '33');
  await page.getByTestId('error').waitFor({ state: 'hidden' });

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'CSV', exact: true }).click()]);
  let text = '';
  for await (const chunk of await download.createReadStream()) text += chunk;
  assert.equal(download.suggestedFilename(), 'ppemu-1f1b-p4-s4-m8.csv');
  assert.match(text, /^0F0,0F1,0F2,0F3,0B0,0F4/);
  assert.deepEqual(page.problems, []);
  await page.close();
});
