// Exports follow what is on screen (issue 9): compare mode exports the compared runs (never the
// Settings strategy they hide), an imported schedule exports JSON and trace too, and the chart's
// SVG/PNG carry a title line naming the run for slides.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { siteAndBrowser, openPage, textOf, waitText, downloadsOf } from './harness.mjs';

const site = siteAndBrowser();
const button = (page, name) => page.getByRole('button', { name, exact: true });

test('in compare mode JSON, trace and CSV export the compared runs, not the Settings strategy', async () => {
  // 1f1b cannot run 8 stages on 4 devices: exporting the hidden Settings strategy would fail.
  const page = await openPage(site.browser, `${site.server.base}#strategy=1f1b&num_devices=4&num_stages=8&num_batches=8&compare=zbv,dualpipe_v`);
  await page.getByTestId('ranking').locator('tbody tr').nth(1).waitFor({ timeout: 30000 });
  const json = await downloadsOf(page, () => button(page, 'JSON').click(), 2);
  assert.deepEqual(json.map((f) => f.name).sort(), ['ppemu-dualpipe_v-p4-s8-m8.json', 'ppemu-zbv-p4-s8-m8.json']);
  const byStrategy = Object.fromEntries(json.map((f) => JSON.parse(f.text)).map((r) => [r.config.strategy, r]));
  // Same model: op times × 4/8, as the ranking shows them.
  assert.equal(byStrategy.zbv.makespan, 25.5);
  assert.equal(byStrategy.dualpipe_v.makespan, 27);
  assert.equal(byStrategy.zbv.config.op_times.forward, 0.5);

  const [trace] = await downloadsOf(page, () => button(page, 'Trace').click(), 1);
  assert.equal(trace.name, 'ppemu-compare-zbv-dualpipe_v-p4-m8.trace.json');
  const events = JSON.parse(trace.text).traceEvents;
  const processes = events.filter((e) => e.name === 'process_name').map((e) => [e.pid, e.args.name]);
  assert.equal(processes.length, 2);
  assert.match(processes[0][1], /^zbv/);
  assert.match(processes[1][1], /^dualpipe_v/);
  assert.notEqual(processes[0][0], processes[1][0]);
  for (const pid of [processes[0][0], processes[1][0]]) assert.ok(events.some((e) => e.ph === 'X' && e.pid === pid));

  const csv = await downloadsOf(page, () => button(page, 'CSV').click(), 2);
  assert.deepEqual(csv.map((f) => f.name).sort(), ['ppemu-dualpipe_v-p4-s8-m8.csv', 'ppemu-zbv-p4-s8-m8.csv']);
  assert.equal(await page.getByTestId('error').isVisible(), false);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('an imported schedule exports JSON and a trace', async () => {
  const data = fileURLToPath(new URL('../core/data/', import.meta.url));
  const page = await openPage(site.browser, site.server.base);
  await textOf(page, 'makespan');
  await page.locator('#csv-file').setInputFiles(`${data}dualpipev_4rank_10mb.csv`);
  await waitText(page, 'makespan', /^66$/);
  const [json] = await downloadsOf(page, () => button(page, 'JSON').click(), 1);
  assert.equal(json.name, 'ppemu-dualpipev_4rank_10mb.json');
  const run = JSON.parse(json.text);
  assert.equal(run.makespan, 66);
  assert.equal(run.config.strategy, 'pytorch_csv');
  const [trace] = await downloadsOf(page, () => button(page, 'Trace').click(), 1);
  assert.equal(trace.name, 'ppemu-dualpipev_4rank_10mb.trace.json');
  assert.ok(JSON.parse(trace.text).traceEvents.some((e) => e.ph === 'X'));
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the SVG and PNG carry a title line: strategy, settings and the headline figures', async () => {
  const page = await openPage(site.browser, `${site.server.base}#strategy=1f1b&num_devices=4&num_stages=4&num_batches=8`);
  await waitText(page, 'makespan', /^33$/);
  const [svg] = await downloadsOf(page, () => button(page, 'SVG').click(), 1);
  const title = /<text[^>]*class="title"[^>]*>([^<]*)<\/text>/.exec(svg.text);
  assert.ok(title, 'no title line in the SVG');
  assert.match(title[1], /1f1b · 4 devices · 4 stages · 8 microbatches/);
  assert.match(title[1], /makespan 33 · bubble ratio 0\.2727/);
  const size = await page.evaluate(async () => {
    const png = await window.ppemuApp.timeline.toPNG(1, { title: 'x' });
    const bmp = await createImageBitmap(png);
    return [bmp.width, bmp.height];
  });
  const svgHeight = Number(/<svg[^>]*height="([\d.]+)"/.exec(svg.text)[1]);
  assert.equal(size[1], Math.round(svgHeight));
  assert.deepEqual(page.problems, []);
  await page.close();
});
