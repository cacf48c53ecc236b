// Text from strangers stays text (issue 13): markup fed through the link (keys and values), every
// text field, a file's name and a file's contents creates no element and runs nothing, and the
// page's Content-Security-Policy reports no violation. The harness turns any violation into a
// problem; the first test shows it does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { siteAndBrowser, openPage, textOf, waitText } from './harness.mjs';

const site = siteAndBrowser();
const MARKUP = [
  '<img src=x onerror="window.__pwned=1">',
  '"><svg onload=window.__pwned=2>',
  '<script>window.__pwned=3</script>',
  "'><iframe src=javascript:window.__pwned=4>",
];

// Every element markup could have made: the page itself makes none of these after it has
// loaded, and none of its elements has an on* attribute. Watched from DOMContentLoaded (what a
// link or file says is shown only after the worker has answered), and checked again at the end.
const SUSPECT = `(el) => /^(IMG|SCRIPT|IFRAME|OBJECT|EMBED)$/.test(el.tagName) || [...el.attributes].some((a) => /^on/i.test(a.name))`;
const WATCH = `
  window.__made = [];
  window.__suspect = ${SUSPECT};
  document.addEventListener('DOMContentLoaded', () => new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) {
      if (n.nodeType !== 1) continue;
      for (const el of [n, ...n.querySelectorAll('*')]) if (window.__suspect(el)) window.__made.push(el.outerHTML.slice(0, 80));
    }
  }).observe(document, { childList: true, subtree: true }));`;

async function open(url) {
  const page = await openPage(site.browser, 'about:blank');
  await page.addInitScript(WATCH);
  await page.goto(url);
  return page;
}

async function clean(page, where) {
  const state = await page.evaluate(() => {
    const present = [...document.querySelectorAll('*')].filter(window.__suspect).map((el) => el.outerHTML.slice(0, 80));
    return { pwned: window.__pwned ?? null, made: window.__made, present };
  });
  // The page's own two classic/module scripts are the only script elements there may be.
  const own = ['<script src="vendor/d3.min.js"></script>', '<script type="module" src="src/main.js"></script>'];
  assert.deepEqual({ ...state, present: state.present.filter((t) => !own.includes(t)) }, { pwned: null, made: [], present: [] }, where);
  assert.deepEqual(page.problems, [], where);
}

test('the harness reports a policy violation as a problem', async () => {
  const page = await open(`${site.server.base}#num_batches=8`);
  await textOf(page, 'makespan');
  await page.evaluate(() => document.body.setAttribute('style', 'color: red'));
  await page.waitForFunction(() => true);
  await page.waitForTimeout(200);
  assert.ok(page.problems.some((p) => /CSP violation: style-src/.test(p)), page.problems.join('\n'));
  await page.close();
});

test('markup in the link: in every key and value it is shown as text', async () => {
  for (const m of MARKUP) {
    const e = encodeURIComponent(m);
    const page = await open(`${site.server.base}#strategy=${e}&${e}=1&num_batches=${e}&compare=zb1p,${e}&view=${e}&theme=${e}&op_times.forward=[1,${e}]`);
    const text = await textOf(page, 'error');
    assert.ok(text.includes(m.slice(0, 12)), `the message quotes the markup as text: ${text}`);
    await page.getByRole('spinbutton', { name: /^Devices/ }).waitFor();
    await clean(page, m);
    await page.close();
  }
});

test('markup typed into every text field is refused as text', async () => {
  const page = await open(`${site.server.base}#strategy=1f1b&num_devices=4&num_stages=4&num_batches=8`);
  await waitText(page, 'makespan', /^33$/);
  const fields = page.locator('#controls input[type=text]');
  const n = await fields.count();
  assert.ok(n >= 5, `${n} text fields`);
  for (const m of MARKUP) {
    for (let i = 0; i < n; i++) {
      await fields.nth(i).fill(m);
      await fields.nth(i).press('Tab');
    }
    await page.waitForTimeout(300);
    assert.match(await page.locator('#controls').textContent(), /expected/);
  }
  assert.equal(await textOf(page, 'makespan'), '33');
  await clean(page, 'fields');
  await page.close();
});

test('markup in a file\'s name and contents reaches the page only as text', async () => {
  const page = await open(`${site.server.base}#strategy=1f1b&num_devices=4&num_stages=4&num_batches=8`);
  await waitText(page, 'makespan', /^33$/);
  for (const m of MARKUP) {
    await page.locator('#csv-file').setInputFiles({
      name: `${m}.csv`, mimeType: 'text/csv', buffer: Buffer.from(`0F0,${m}\n1F0,1I0\n`),
    });
    const text = await waitText(page, 'error', new RegExp(m.slice(0, 4).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    assert.match(text, /row 1, column 2/);
  }
  await clean(page, 'files');
  await page.close();
});
