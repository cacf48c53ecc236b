// scripts/serve.mjs: the MIME types browsers insist on, and nothing outside the served folder.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const script = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../scripts/serve.mjs');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ppemu-serve-'));
const root = path.join(tmp, 'site');
let server;
let base;

before(async () => {
  fs.mkdirSync(path.join(root, 'wasm'), { recursive: true });
  fs.mkdirSync(path.join(root, 'src'));
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>ppemu</title>');
  fs.writeFileSync(path.join(root, 'src', 'worker.js'), 'export {};');
  fs.writeFileSync(path.join(root, 'style.css'), 'body {}');
  fs.writeFileSync(path.join(root, 'wasm', 'ppemu.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  fs.writeFileSync(path.join(tmp, 'secret.txt'), 'outside the root');
  fs.writeFileSync(path.join(tmp, 'site-secret.txt'), 'beside the root');

  server = spawn(process.execPath, [script, root], { env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
  base = await new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const url = out.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (url) resolve(url[0]);
    });
    server.on('exit', (code) => reject(new Error(`serve.mjs exited with ${code}: ${out}`)));
  });
});

after(() => {
  server?.kill();
  fs.rmSync(tmp, { recursive: true, force: true });
});

// fetch() would normalise '..' away: send the path exactly as an attacker would.
function get(urlPath) {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path: urlPath }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode, type: res.headers['content-type'], location: res.headers.location, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('serve.mjs answers with the MIME types module scripts and streaming WASM need', async () => {
  const cases = [
    ['/', 'text/html; charset=utf-8'],
    ['/index.html', 'text/html; charset=utf-8'],
    ['/src/worker.js', 'text/javascript; charset=utf-8'],
    ['/style.css', 'text/css; charset=utf-8'],
    ['/wasm/ppemu.wasm', 'application/wasm'],
  ];
  for (const [urlPath, type] of cases) {
    const r = await get(urlPath);
    assert.deepEqual([r.status, r.type], [200, type], urlPath);
  }
  assert.equal((await get('/wasm/ppemu.wasm')).body.length, 8);
});

test('serve.mjs redirects a folder without its slash, so relative URLs inside it resolve', async () => {
  const r = await get('/wasm');
  assert.deepEqual([r.status, r.location], [301, '/wasm/']);
});

test('serve.mjs never serves a file outside its root', async () => {
  for (const urlPath of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%2e%2e%2fsecret.txt',
    '/src/../../secret.txt', '/../site-secret.txt', '/%2e%2e/site-secret.txt', '/..%5csecret.txt', '/%00', '/%zz']) {
    const r = await get(urlPath);
    assert.ok(r.status === 404 || r.status === 403, `${urlPath}: ${r.status}`);
    assert.ok(!r.body.includes('the root'), `${urlPath} leaked ${r.body}`);
  }
  assert.equal((await get('/missing.js')).status, 404);
});
