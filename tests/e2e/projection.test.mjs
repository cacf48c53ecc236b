// The projection in the page (issue 8's "Page" bullet): the issue's command opened as a link shows
// the CLI's iteration time, MFU and peak memory, in ms and GiB (axis, hover, figures, SVG); the
// Model and hardware panel's presets write the link; a projected comparison ranks by iteration
// time without any same-model scaling; the memory chart draws the capacity line and flags a
// device that does not fit; "abstract units" gives back today's figures. Numbers come from
// build/ppemu --format json, run here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { siteAndBrowser, openPage, openPhone, textOf, waitText, rankingTable } from './harness.mjs';
import { runCli } from '../wasm/helpers.mjs';
import { ms, gib, percent } from '../../www/src/projection.js';
import { fmt } from '../../www/src/format.js';

const site = siteAndBrowser();

const ISSUE = ['model=gpt3_175b', 'gpu=a100_80gb', 'num_devices=8', 'num_stages=24', 'strategy=interleave', 'parallel.tensor_model_parallel_size=8',
  'train.micro_batch_size=1', 'train.global_batch_size=64', 'train.recompute_granularity=full'];
const linkOf = (words) => `#${words.join('&')}`;
const replaced = (words, changes) => {
  const out = words.filter((w) => !Object.keys(changes).includes(w.split('=')[0]));
  return [...out, ...Object.entries(changes).map(([k, v]) => `${k}=${v}`)];
};

function cli(words) {
  const r = runCli([...words, '--format', 'json']);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

const shownResult = (page) => page.evaluate(() => {
  const r = window.ppemuApp.state.shown?.result;
  return r ? { projection: r.projection, makespan: r.makespan, devices: r.devices.map((d) => d.memory_gib) } : null;
});

test('the issue\'s command as a link: the CLI\'s iteration time, MFU and peak memory, in ms and GiB everywhere', async () => {
  const json = cli(ISSUE);
  const p = json.projection;
  const page = await openPage(site.browser, `${site.server.base}${linkOf(ISSUE)}`);
  assert.equal(await textOf(page, 'iteration-time'), `${ms(p.breakdown.iteration_time_ms)} ms`);
  assert.equal(await textOf(page, 'mfu'), percent(p.mfu));
  assert.equal(await textOf(page, 'mfu-other'), `(${percent(p.mfu_full_attention)} without halving causal attention)`);
  assert.equal(await textOf(page, 'peak-memory'), `${gib(p.peak_memory_gib)} GiB`);
  assert.equal(await textOf(page, 'tflops-per-gpu'), p.tflops_per_gpu.toFixed(1));
  assert.equal(await textOf(page, 'fits'), 'yes');
  // The whole object, not only what the card rounds: the worker's run is the CLI's.
  const shown = await shownResult(page);
  assert.deepEqual(shown.projection, p);
  assert.deepEqual(shown.devices, json.devices.map((d) => d.memory_gib));
  // Ms on the figures, the axis, the hover and the standalone SVG.
  assert.equal(await textOf(page, 'makespan'), `${fmt(json.makespan)} ms`);
  assert.match(await page.locator('#chart-summary').textContent(), new RegExp(`iteration ${ms(p.breakdown.iteration_time_ms)} ms · MFU ${percent(p.mfu)}`));
  const axis = await page.getByTestId('timeline').locator('svg text').allTextContents();
  assert.ok(axis.includes('time (ms)'), axis.slice(0, 12).join(' | '));
  const box = await page.evaluate(() => window.ppemuApp.timeline.rectOf(0, 0));
  const chart = await page.getByTestId('timeline').boundingBox();
  await page.mouse.move(chart.x + box.x + box.width / 2, chart.y + box.y + box.height / 2);
  assert.match(await textOf(page, 'tooltip'), /start\s*[\d.]+ ms[\s\S]*duration\s*[\d.]+ ms/);
  assert.match(await page.evaluate(() => window.ppemuApp.timeline.toSVG()), />time \(ms\)</);
  // The breakdown and every stage's F/B/W, as the CLI computes them.
  const breakdown = await page.getByTestId('projection-breakdown').locator('td').allTextContents();
  assert.deepEqual(breakdown, [p.devices[p.breakdown.critical_device].end_ms, p.breakdown.grad_reduce_exposed_ms, p.breakdown.optimizer_step_ms,
    p.breakdown.iteration_time_ms].map((v) => `${ms(v)} ms`));
  const forward = await page.getByTestId('projection-stages').locator('td[data-col=forward]').allTextContents();
  assert.deepEqual(forward, p.stages.map((s) => ms(s.forward_ms)));
  // Memory: a capacity line per device at gpu.memory_gib, every device's peak in the table.
  assert.equal(await page.locator('[data-testid^=memory-capacity-]').count(), 8);
  const peaks = await page.getByTestId('memory-table').locator('td[data-col=peak]').allTextContents();
  assert.deepEqual(peaks, json.devices.map((d) => gib(d.memory_gib.peak)));
  assert.match(await textOf(page, 'memory-fits'), new RegExp(`${gib(p.peak_memory_gib)} of 80.00 GiB`));
  assert.equal(await page.locator('[data-testid^=memory-oom-span-]').count(), 0);
  // The settings panel leaves the projection's keys to the Model and hardware panel: no field twice.
  for (const name of ['model', 'gpu', 'model.num_layers', 'train.global_batch_size', 'parallel.tensor_model_parallel_size']) {
    assert.equal(await page.locator(`[name="${name}"]`).count(), 1, name);
  }
  assert.equal(await page.locator('#f-model').inputValue(), 'gpt3_175b');
  assert.equal(await page.locator('#f-train-recompute_granularity').inputValue(), 'full', 'a name shows as typed');
  // Settings' fields of what the projection computes say what it computed.
  assert.equal(await page.locator('#f-num_batches').getAttribute('placeholder'), 'projected: 64');
  assert.equal(await page.locator('#f-op_times-forward').getAttribute('placeholder'),
    `projected ${ms(Math.min(...p.stages.map((s) => s.forward_ms)))} ms–${ms(Math.max(...p.stages.map((s) => s.forward_ms)))} ms`);
  assert.equal(await page.locator('#f-model-num_layers').getAttribute('placeholder'), '96');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('picking presets in the panel writes the link and projects; a typed model key wins over the preset', async () => {
  const page = await openPage(site.browser, `${site.server.base}#strategy=1f1b&num_devices=4&num_stages=4&num_batches=8`);
  await waitText(page, 'makespan', /^33$/);
  assert.equal(await page.getByTestId('abstract-units').isVisible(), false);
  await page.locator('#f-model').selectOption('llama3_8b');
  await page.waitForFunction(() => /model=llama3_8b/.test(location.hash));
  // A model without a GPU: the core's one line, under the GPU picker.
  assert.match(await textOf(page, 'field-error-gpu'), /needs a GPU: give gpu=NAME/);
  await page.locator('#f-gpu').selectOption('h100_sxm');
  await page.waitForFunction(() => /model=llama3_8b&gpu=h100_sxm&/.test(location.hash));
  const words = ['model=llama3_8b', 'gpu=h100_sxm', 'strategy=1f1b', 'num_devices=4', 'num_stages=4', 'num_batches=8'];
  const json = cli(words);
  assert.equal(await textOf(page, 'iteration-time'), `${ms(json.projection.breakdown.iteration_time_ms)} ms`);
  // The projection computes the op times: the defaults are no longer in the link (they would win).
  assert.doesNotMatch(page.url(), /op_times|p2p_latency/);
  assert.equal(await page.locator('#f-model-num_layers').getAttribute('placeholder'), '32');
  await page.locator('details.projection-more > summary').click();
  await page.locator('#f-model-num_layers').fill('16');
  await page.locator('#f-model-num_layers').press('Enter');
  await page.waitForFunction(() => /model\.num_layers=16/.test(location.hash));
  const custom = cli([...words, 'model.num_layers=16']);
  await waitText(page, 'iteration-time', new RegExp(`^${ms(custom.projection.breakdown.iteration_time_ms).replace('.', '\\.')} ms$`));
  const shown = await shownResult(page);
  assert.deepEqual(shown.projection, custom.projection);
  // A field of the panel's open part: the global batch size decides the microbatches.
  await page.locator('#f-train-global_batch_size').fill('32');
  await page.locator('#f-train-global_batch_size').press('Enter');
  await page.waitForFunction(() => /train\.global_batch_size=32/.test(location.hash) && !/num_batches=/.test(location.hash));
  await waitText(page, 'chart-caption', /32 microbatches/);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a projected comparison ranks by iteration time, with peak memory beside it and no op time scaled', async () => {
  const page = await openPage(site.browser, `${site.server.base}${linkOf([...ISSUE, 'compare=1f1b,interleave,zbv'])}`);
  const table = await rankingTable(page);
  const expected = {
    '1f1b': cli(replaced(ISSUE, { strategy: '1f1b', num_stages: 8 })),
    interleave: cli(ISSUE),
    zbv: cli(replaced(ISSUE, { strategy: 'zbv', num_stages: 16 })),
  };
  for (const [name, json] of Object.entries(expected)) {
    assert.equal(table[name].iteration, ms(json.projection.breakdown.iteration_time_ms), name);
    assert.equal(table[name]['peak-memory'], gib(json.projection.peak_memory_gib), name);
    assert.equal(table[name].factor, undefined, `${name}: no op time factor column`);
  }
  const order = Object.entries(expected).sort(([, a], [, b]) => a.projection.breakdown.iteration_time_ms - b.projection.breakdown.iteration_time_ms)
    .map(([name]) => name);
  assert.deepEqual(order.map((name) => table[name].rank), ['1', '2', '3']);
  assert.equal(table[order[0]]['vs-best'], 'best');
  assert.match(await page.getByTestId('ranking').locator('caption').textContent(), /by projected iteration time[\s\S]*no op time is scaled/);
  assert.match(await textOf(page, 'chart-caption'), /projected gpt3_175b on a100_80gb, 64 GPUs \(the same model: no op-time scaling\)/);
  assert.equal(await page.getByTestId('compare-warning').count(), 0);
  const labels = await page.getByTestId('timeline').locator('svg text').allTextContents();
  assert.ok(!labels.some((t) => /×/.test(t)), labels.join(' | '));
  assert.ok(labels.includes('time (ms)'));
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a run that does not fit: the devices over gpu.memory_gib are flagged and their spans marked', async () => {
  // 52 GiB given over the preset's 80 (a key given wins): the first devices, which hold the most
  // activations, no longer fit; the last ones still do.
  const words = [...ISSUE, 'gpu.memory_gib=52'];
  const json = cli(words);
  const over = json.projection.devices.filter((d) => !d.fits).map((d) => d.device);
  assert.ok(over.length > 0 && over.length < 8, `devices over 40 GiB: ${over}`);
  const page = await openPage(site.browser, `${site.server.base}${linkOf(words)}`);
  assert.equal(await textOf(page, 'fits'), 'NO: out of memory');
  assert.match(await textOf(page, 'memory-oom'), new RegExp(`^Out of memory: device ${over[0]} peaks at ${gib(json.devices[over[0]].memory_gib.peak)} GiB`));
  assert.equal(await page.locator('[data-testid^=memory-capacity-]').count(), 8);
  // The capacity line sits at 52 GiB of each row's scale: below the top of the row, above its base.
  const line = await page.getByTestId(`memory-capacity-${over[0]}`).evaluate((l) => [Number(l.getAttribute('y1')), Number(l.getAttribute('y2'))]);
  assert.ok(line[0] > 0 && line[0] === line[1], String(line));
  for (let d = 0; d < 8; d++) {
    const spans = await page.locator(`[data-testid=memory-oom-span-${d}]`).count();
    assert.equal(spans > 0, over.includes(d), `device ${d}: ${spans} spans over capacity`);
  }
  const fits = await page.getByTestId('memory-table').locator('td[data-col=fits]').allTextContents();
  assert.deepEqual(fits, json.projection.devices.map((d) => (d.fits ? 'yes' : 'NO: out of memory')));
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('"abstract units" drops the projection and gives back the figures of the link without it', async () => {
  const abstract = ['strategy=interleave', 'num_devices=8', 'num_stages=24'];
  const json = cli(abstract);
  const page = await openPage(site.browser, `${site.server.base}${linkOf(ISSUE)}`);
  await textOf(page, 'iteration-time');
  await page.getByTestId('abstract-units').click();
  await waitText(page, 'makespan', new RegExp(`^${fmt(json.makespan)}$`));
  assert.doesNotMatch(page.url(), /model|gpu|parallel\.|train\./);
  assert.equal(await textOf(page, 'bubble-ratio'), fmt(json.bubble_ratio));
  assert.equal(await page.getByTestId('projection-card').isVisible(), false);
  assert.equal(await page.locator('#memory-panel').isVisible(), false);
  const axis = await page.getByTestId('timeline').locator('svg text').allTextContents();
  assert.ok(axis.includes('time') && !axis.includes('time (ms)'));
  assert.match(await textOf(page, 'projection-mode'), /^Abstract units/);
  // Back returns to the projection, as for any committed change.
  await page.goBack();
  await waitText(page, 'makespan', / ms$/);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('on a phone the projection card, the memory chart and a projected ranking do not widen the page', async () => {
  for (const [extra, testid] of [['', 'iteration-time'], ['&compare=1f1b,interleave,zbv', 'ranking']]) {
    const page = await openPhone(site.browser, `${site.server.base}${linkOf(ISSUE)}${extra}`);
    await page.getByTestId(testid).first().waitFor({ timeout: 30000 });
    assert.deepEqual(await page.evaluate(() => [document.documentElement.scrollWidth, innerWidth]), [390, 390], extra || 'one run');
    assert.deepEqual(page.problems, []);
    await page.close();
  }
});
