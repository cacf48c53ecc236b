// "Find the best" (issue 11): the panel runs a search from its link in Web Workers, shows the
// progress, the partial ranking and a scatter with the Pareto front and the cap; Cancel stops
// it; a click on a point opens that configuration in the main view with the CLI's figures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { siteAndBrowser, openPage, waitText } from './harness.mjs';
import { cliArgs, runCli } from '../wasm/helpers.mjs';

const site = siteAndBrowser();

// Issue 9's strategies over stage counts and microbatches, with a cap: same model by default.
const SEARCH = '#num_devices=4&num_batches=8&search.strategies=1f1b,interleave,zb1p,zbv&search.memory_cap=6'
  + '&search.vary=num_stages,num_batches&search.vary.num_stages=1p,2p&search.vary.num_batches=4,8';
const CLI_SETTINGS = {
  num_devices: 4, num_batches: 8, strategies: '1f1b,interleave,zb1p,zbv', memory_cap: 6,
  vary: 'num_stages,num_batches', 'vary.num_stages': '1p,2p', 'vary.num_batches': '4,8',
};

function cliSearch(s) {
  const r = runCli(['--search', ...cliArgs(s), '--format', 'json']);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

const done = (page, state = 'done') => page.waitForSelector(`#search[data-state="${state}"]`, { timeout: 60000 });

test('the search runs from its link: the CLI ranking, a scatter with the front and the cap; a click opens the row with its figures', async () => {
  const cli = cliSearch(CLI_SETTINGS);
  const page = await openPage(site.browser, `${site.server.base}${SEARCH}`);
  await waitText(page, 'makespan', /\d/);
  // The settings came from the link.
  assert.equal(await page.locator('#search-cap').inputValue(), '6');
  assert.equal(await page.locator('#search-range-num_batches').inputValue(), '4,8');
  assert.equal(await page.getByRole('checkbox', { name: 'search: zbv' }).isChecked(), true);
  assert.equal(await page.getByRole('checkbox', { name: 'search: zb2p' }).isChecked(), false);
  await page.getByRole('button', { name: 'Find the best' }).click();
  await done(page);
  assert.match(await page.locator('#search-status').textContent(), new RegExp(`^Done: ${cli.count} configurations, ${cli.ran} ran`));
  // num_batches varies: the page says what the CLI says, that fewer microbatches is less work.
  assert.match(await page.locator('#search-batches-note').textContent(), /num_batches varies: a row with fewer microbatches does less work/);

  // The table: the CLI's first rows, in its order, with its times.
  const shown = await page.locator('#search-ranking tbody tr').evaluateAll((trs) => trs.map((tr) => ({
    index: Number(tr.dataset.index), time: tr.querySelector('[data-testid="search-time"]').textContent,
  })));
  assert.deepEqual(shown.map((r) => r.index), cli.rows.slice(0, shown.length).map((r) => r.index));
  assert.equal(shown[0].time, String(cli.rows[0].time));
  // zbv at 8 stages, same model (x 4/8): 25.5 at 8 microbatches, as compare mode shows it.
  assert.ok(cli.rows.some((r) => r.strategy === 'zbv' && r.values.num_batches === 8 && r.time === 25.5));

  // The scatter: one point per row that ran, the front's points marked, the cap as a line.
  const scatter = page.locator('#search-scatter svg');
  assert.equal(await scatter.locator('circle').count(), cli.ran);
  assert.equal(await scatter.locator('circle.pareto').count(), cli.rows.filter((r) => r.pareto).length);
  assert.equal(await scatter.locator('line.search-cap').count(), 1);
  assert.match(await scatter.locator('path.search-front').getAttribute('d'), /^M[\d.]+,[\d.]+/);

  // The best within the cap: a click on its point opens it in the main view with the CLI's figures.
  const best = cli.rows.find((r) => r.index === cli.best);
  await scatter.locator(`circle[data-index="${best.index}"]`).click();
  await waitText(page, 'makespan', new RegExp(`^${String(best.makespan).replace('.', '\\.')}$`));
  assert.equal(await page.getByTestId('peak-activations').first().textContent(), String(best.peak_activations));
  assert.match(page.url(), new RegExp(`strategy=${best.strategy}\\b`));
  for (const [k, v] of Object.entries(best.values)) assert.match(page.url(), new RegExp(`[#&]${k}=${v}(&|$)`));
  if (best.scale !== 1) assert.match(page.url(), /model_stages=4/);
  // The search settings stay in the link, and the opened row's link is the page's.
  assert.match(page.url(), /search\.memory_cap=6/);
  const href = await page.locator('#search-opened-link').getAttribute('href');
  assert.equal(href, new URL(page.url()).hash);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('while it runs: progress, a partial ranking; Cancel stops it and ranks what arrived', async () => {
  // 15 strategies x 8 chunk counts x 64 microbatch counts at 8 devices: long enough to cancel.
  const page = await openPage(site.browser, `${site.server.base}#num_devices=8&num_stages=8&search.vary=num_stages,num_batches&search.vary.num_batches=1p..64p`);
  await waitText(page, 'makespan', /\d/);
  await page.getByRole('button', { name: 'Find the best' }).click();
  await page.waitForFunction(() => /so far/.test(document.querySelector('#search-ranking caption')?.textContent ?? ''), null, { timeout: 60000 });
  const progress = await page.locator('#search-progress').evaluate((p) => ({ value: p.value, max: p.max }));
  assert.ok(progress.value > 0 && progress.value < progress.max, JSON.stringify(progress));
  assert.match(await page.locator('#search-status').textContent(), /of [\d,]+ configurations/);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await done(page, 'cancelled');
  const status = await page.locator('#search-status').textContent();
  const m = /^Cancelled after ([\d,]+) of ([\d,]+) configurations \(([\d,]+) ran\)/.exec(status);
  assert.ok(m, status);
  const arrived = Number(m[1].replace(/,/g, ''));
  assert.ok(arrived < Number(m[2].replace(/,/g, '')));
  assert.equal(await page.locator('#search-scatter circle').count(), Number(m[3].replace(/,/g, '')));
  assert.equal(await page.getByRole('button', { name: 'Find the best' }).isEnabled(), true);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a projected search: the cap in GiB, times in ms, no same-model scaling, the CLI rows', async () => {
  const base = {
    model: 'gpt3_175b', gpu: 'a100_80gb', num_devices: 8, num_stages: 24, 'parallel.tensor_model_parallel_size': 8,
    'train.global_batch_size': 64,
  };
  const GiB = 1024 ** 3;
  const cli = cliSearch({ ...base, strategies: '1f1b,interleave', 'vary.num_stages': '8,16,24', memory_cap: 80 * GiB });
  assert.equal(cli.model_stages, null);
  assert.deepEqual(cli.units, { time: 'ms', memory: 'bytes' });
  const hash = `#${Object.entries(base).map(([k, v]) => `${k}=${v}`).join('&')}`
    + '&search.strategies=1f1b,interleave&search.vary=num_stages&search.vary.num_stages=8,16,24&search.memory_cap=80';
  const page = await openPage(site.browser, `${site.server.base}${hash}`);
  await page.locator('#search-s-1f1b').waitFor({ timeout: 60000 });
  assert.equal(await page.locator('#search-cap-unit').textContent(), 'GiB (the run is projected)');
  await page.getByRole('button', { name: 'Find the best' }).click();
  await done(page);
  const shown = await page.locator('#search-ranking tbody tr').evaluateAll((trs) => trs.map((tr) => [
    Number(tr.dataset.index), tr.querySelector('[data-testid="search-time"]').textContent, tr.querySelector('[data-testid="search-peak"]').textContent,
  ]));
  const round4 = (n) => String(Math.round(n * 1e4) / 1e4);
  assert.deepEqual(shown, cli.rows.map((r) => [r.index, round4(r.time), round4(r.peak_memory / GiB)]));
  assert.ok(cli.rows.every((r) => r.scale === 1));
  // The best within 80 GiB is 1F1B (interleave is faster but over the cap).
  assert.equal(cli.rows.find((r) => r.index === cli.best).strategy, '1f1b');
  assert.match(await page.locator('#search-best').textContent(), /^Fastest within the cap: 1f1b num_stages=8 — time [\d.]+ ms, peak memory [\d.]+ GiB/);
  assert.deepEqual(page.problems, []);
  await page.close();
});
