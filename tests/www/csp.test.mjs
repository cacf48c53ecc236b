// The pages' Content-Security-Policy (issue 13): every page of the site has the same one, and it
// says what the README promises. The browser tests run with it in force (tests/e2e/harness.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';

const www = new URL('../../www/', import.meta.url);
const pages = fs.readdirSync(www).filter((f) => f.endsWith('.html'));

function policyOf(file) {
  const html = fs.readFileSync(new URL(file, www), 'utf8');
  const m = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html);
  assert.ok(m, `${file} has no Content-Security-Policy <meta>`);
  return Object.fromEntries(m[1].split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
}

test('every page carries the same policy: scripts from the site, WASM, no inline code, no HTML from strings', () => {
  assert.deepEqual(pages.sort(), ['embed.html', 'index.html']);
  const policy = policyOf('index.html');
  for (const file of pages) assert.deepEqual(policyOf(file), policy, file);
  assert.deepEqual(policy['script-src'], ["'self'", "'wasm-unsafe-eval'"]);
  assert.deepEqual(policy['object-src'], ["'none'"]);
  assert.deepEqual(policy['base-uri'], ["'none'"]);
  assert.deepEqual(policy['style-src'], ["'self'"]);
  assert.deepEqual(policy['require-trusted-types-for'], ["'script'"]);
  // One Trusted Types policy, for the worker's URL (engine.js); none that makes HTML.
  assert.deepEqual(policy['trusted-types'], ['ppemu-worker']);
  assert.ok(!('frame-ancestors' in policy), 'frame-ancestors is ignored in a <meta>; the README says so');
});

test('no page has inline script or inline event handlers', () => {
  for (const file of pages) {
    const html = fs.readFileSync(new URL(file, www), 'utf8');
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/i, `${file}: inline <script>`);
    assert.doesNotMatch(html, /\son[a-z]+\s*=/i, `${file}: inline event handler`);
    assert.doesNotMatch(html, /\sstyle\s*=/i, `${file}: style attribute`);
  }
});

test('no page module builds HTML from strings', () => {
  const dir = new URL('../../www/src/', import.meta.url);
  const files = fs.readdirSync(dir, { recursive: true }).filter((f) => f.endsWith('.js'));
  for (const f of files) {
    const code = fs.readFileSync(new URL(f, dir), 'utf8');
    assert.doesNotMatch(code, /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write|\.html\(|new Function|\beval\(/, f);
  }
});
