import test from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';

// Every renderer module parses and links, including the DOM-facing ones that the other Node
// tests never import: a syntax slip there would otherwise surface only in a browser.
test('every timeline module loads in Node with d3 provided as the page provides it', async () => {
  globalThis.d3 = await import('d3');
  const dir = new URL('../../www/src/timeline/', import.meta.url);
  const files = readdirSync(dir).filter((f) => f.endsWith('.js'));
  assert.ok(files.includes('index.js'));
  for (const f of files) {
    const mod = await import(new URL(f, dir));
    assert.ok(Object.keys(mod).length > 0, `${f} exports something`);
  }
  const { createTimeline } = await import(new URL('index.js', dir));
  assert.equal(typeof createTimeline, 'function');
});
