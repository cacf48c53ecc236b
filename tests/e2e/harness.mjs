// One place for what every browser test needs: the built site served on a free loopback port,
// Debian's Chromium through playwright-core, and pages that
// record every uncaught exception and console error so a test can assert there were none.
import fs from 'node:fs';
import path from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../scripts/static-server.mjs';
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

/** Serves the built site on a free port; resolves {base, stop}. */
export async function serve(root = siteRoot()) {
  const server = await startServer(root);
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

/** A page whose `problems` array collects uncaught exceptions and console errors. */
export async function openPage(browser, url, { width = 1280, height = 900 } = {}) {
  const page = await browser.newPage({ viewport: { width, height } });
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') page.problems.push(`console error: ${m.text()}`);
  });
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
