// Debian's Chromium driven by playwright-core, for every browser test and the page benchmark.
// Playwright cannot download its own browser here, and without the background-networking flags
// Chromium keeps trying hosts this machine's closed network refuses.
import fs from 'node:fs';

export const CHROMIUM = process.env.PPEMU_CHROMIUM || '/usr/bin/chromium';

const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic'];

/** A reason to skip browser tests, or false when Chromium is there. */
export const chromiumMissing = fs.existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (set PPEMU_CHROMIUM)`;

/** Launches Chromium headless; playwright-core is loaded only by callers that need a browser. */
export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
}
