// Screenshots of the fixture page (light/dark, several cases, one with a hovered op) for a person to
// look at; not a test. Usage: node tests/timeline/screenshots.mjs [BASE_URL] [OUT_DIR]
// BASE_URL serves the repository root; by default this script serves it itself.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../scripts/static-server.mjs';
import { launchChromium } from '../chromium.mjs';

const server = process.argv[2] ? null : await startServer(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..'));
const base = process.argv[2] ?? server.base.replace(/\/$/, '');
const out = process.argv[3] ?? '/tmp/ppemu-timeline-shots';
mkdirSync(out, { recursive: true });
const browser = await launchChromium();
const shots = [
  { name: '1f1b-light', hash: 'case=1f1b' },
  { name: '1f1b-dark', hash: 'case=1f1b&theme=dark' },
  { name: 'compare-light', hash: 'case=compare' },
  { name: 'compare-dark-fit', hash: 'case=compare&theme=dark&height=520' },
  { name: 'overlap-hover', hash: 'case=overlap', hover: { run: 0, find: (r) => r.kind === 4 } },
  { name: 'split-hover-dark', hash: 'case=split&theme=dark', hover: { run: 0, find: (r) => r.kind === 1 && r.device === 1 } },
  { name: 'million', hash: 'case=million&height=700' },
];
for (const s of shots) {
  const page = await browser.newPage({ viewport: { width: 1100, height: 800 }, deviceScaleFactor: 2 });
  page.on('console', (m) => { if (m.type() === 'error') console.log(`[${s.name}] console: ${m.text()}`); });
  page.on('pageerror', (e) => console.log(`[${s.name}] page error: ${e.message}`));
  await page.goto(`${base}/tests/timeline/fixture.html#${s.hash}`);
  await page.waitForFunction(() => window.fixtureReady === true, null, { timeout: 60000 });
  if (s.hover) {
    const rect = await page.evaluate((src) => {
      const find = new Function(`return ${src}`)();
      const res = window.runs[0].result;
      const o = res.ops;
      for (let i = 0; i < o.start.length; i++) {
        if (find({ kind: o.kind[i], device: o.device[i], mb: o.microbatch[i] })) {
          const r = window.timeline.rectOf(0, i);
          if (r) return r;
        }
      }
      return null;
    }, s.hover.find.toString());
    if (rect) {
      const box = await page.getByTestId('timeline').boundingBox();
      await page.mouse.move(box.x + rect.x + rect.width / 2, box.y + rect.y + rect.height / 2);
      await page.waitForTimeout(100);
    }
  }
  await page.screenshot({ path: `${out}/${s.name}.png`, fullPage: true });
  await page.close();
  console.log(`${out}/${s.name}.png`);
}
await browser.close();
await server?.close();
