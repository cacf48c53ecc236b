// One place for what every browser test needs: the built site served on a free loopback port,
// Debian's Chromium through playwright-core, and pages that
// record every uncaught exception and console error so a test can assert there were none.
import fs from 'node:fs';
import path from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startServer, sitePolicy } from '../../scripts/static-server.mjs';
import { launchChromium } from '../chromium.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const artifacts = path.join(repo, 'tests/e2e/artifacts');

/** build/site unless PPEMU_SITE names another built site. */
export function siteRoot() {
  const root = path.resolve(repo, process.env.PPEMU_SITE || 'build/site');
  for (const file of ['index.html', 'embed.html', 'src/main.js', 'src/timeline/index.js', 'wasm/ppemu.wasm', 'vendor/d3.min.js']) {
    if (!fs.existsSync(path.join(root, file))) {
      throw new Error(`${path.join(root, file)} is missing: build the site first (scripts/build-site)`);
    }
  }
  return root;
}

/**
 * Serves the built site on a free port, with its Content-Security-Policy also as a header (so
 * the worker runs under it); resolves {base, stop}. A site without a policy is refused: every
 * browser test runs with the policy in force.
 */
export async function serve(root = siteRoot()) {
  const csp = await sitePolicy(root);
  if (!csp) throw new Error(`${root}/index.html has no Content-Security-Policy <meta>`);
  const server = await startServer(root, { csp });
  return { base: server.base, stop: () => server.close() };
}

export const launch = launchChromium;

/**
 * The built site and one browser shared by every test of a file (node:test before/after hooks).
 * Returns an object whose `server` ({base, stop}) and `browser` are set once `before` has run.
 */
export function siteAndBrowser() {
  const shared = {};
  before(async () => {
    shared.server = await serve();
    shared.browser = await launch();
  });
  after(async () => {
    await shared.browser?.close();
    await shared.server?.stop();
  });
  return shared;
}

// Every frame reports policy violations as console errors, which watch() records as problems.
const REPORT_VIOLATIONS = `document.addEventListener('securitypolicyviolation', (e) =>
  console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber));`;

/** Records uncaught exceptions, console errors and CSP violations (page and workers) in page.problems. */
export async function watch(page) {
  page.problems = [];
  await page.addInitScript(REPORT_VIOLATIONS);
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') page.problems.push(`console error: ${m.text()}`);
  });
  page.on('worker', (w) => w.on('console', (m) => {
    if (m.type() === 'error') page.problems.push(`worker console error: ${m.text()}`);
  }));
  return page;
}

/** A page whose `problems` array collects uncaught exceptions, console errors and CSP violations. */
export async function openPage(browser, url, { width = 1280, height = 900 } = {}) {
  const page = await watch(await browser.newPage({ viewport: { width, height } }));
  await page.goto(url);
  return page;
}

/** Waits until the element's text is non-empty and returns it. */
export async function textOf(page, testid, { timeout = 30000 } = {}) {
  const locator = page.getByTestId(testid);
  await locator.first().waitFor({ state: 'visible', timeout });
  return (await locator.first().textContent()).trim();
}

export async function screenshot(page, name) {
  fs.mkdirSync(artifacts, { recursive: true });
  const file = path.join(artifacts, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** A phone: 390×844 CSS px, touch input, mobile viewport; records problems like openPage. */
export async function openPhone(browser, url, { width = 390, height = 844 } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });
  const page = await watch(await context.newPage());
  page.on('close', () => context.close().catch(() => {}));
  await page.goto(url);
  return page;
}

/** Clicks and collects `count` downloads: [{name, text}] in the order they arrived. */
export async function downloadsOf(page, click, count = 1, { timeout = 20000 } = {}) {
  const files = [];
  const arrived = new Promise((resolve) => {
    const onDownload = async (download) => {
      const slot = files.length;
      files.push(null);
      let text = '';
      for await (const chunk of await download.createReadStream()) text += chunk;
      files[slot] = { name: download.suggestedFilename(), text };
      if (files.length === count && files.every(Boolean)) {
        page.off('download', onDownload);
        resolve();
      }
    };
    page.on('download', onDownload);
  });
  await click();
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`expected ${count} download(s), got ${files.filter(Boolean).length} in ${timeout} ms`)), timeout);
  });
  try {
    await Promise.race([arrived, late]);
  } finally {
    clearTimeout(timer);
  }
  return files;
}

/** Waits until the element with this test id has text matching `re`; returns the text. */
export async function waitText(page, testid, re, { timeout = 30000 } = {}) {
  await page.waitForFunction(([id, source, flags]) => {
    const el = document.querySelector(`[data-testid="${id}"]`);
    return el && new RegExp(source, flags).test(el.textContent);
  }, [testid, re.source, re.flags], { timeout });
  return (await page.getByTestId(testid).first().textContent()).trim();
}

/** Cell texts of the ranking table, by strategy and column (td[data-col]). */
export async function rankingTable(page) {
  await page.getByTestId('ranking').locator('tbody tr').first().waitFor({ timeout: 30000 });
  return page.getByTestId('ranking').locator('tbody tr').evaluateAll((trs) => Object.fromEntries(trs.map((tr) => [
    tr.dataset.strategy,
    Object.fromEntries([...tr.querySelectorAll('[data-col]')].map((c) => [c.dataset.col, c.textContent.trim()])),
  ])));
}
