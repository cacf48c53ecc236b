// A tiny static file server for build/site (or the folder given as the first argument), with no
// dependencies. Usage: node scripts/serve.mjs [ROOT]; port from $PORT (default 8000), loopback only.
import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';

const root = path.resolve(process.argv[2] ?? 'build/site');
const port = Number(process.env.PORT || 8000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`serve: PORT must be a port number (got '${process.env.PORT}')`);
  process.exit(2);
}
// The IPv4 loopback by number: 'localhost' may resolve to ::1 only on some machines.
const host = '127.0.0.1';

// Browsers refuse ES modules and workers served with other types, and stream-compile WASM only
// when it comes as application/wasm.
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

function send(res, status, text) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text + '\n');
}

// The file a URL path names inside root, or null when it would leave root.
function resolveInRoot(urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const file = path.resolve(root, '.' + path.posix.normalize('/' + decoded));
  return file === root || file.startsWith(root + path.sep) ? file : null;
}

const server = createServer(async (req, res) => {
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed');
  const urlPath = new URL(req.url, 'http://localhost').pathname;
  let file = resolveInRoot(urlPath);
  if (!file) return send(res, 403, 'forbidden');
  try {
    let info = await stat(file);
    if (info.isDirectory()) {
      // Relative URLs in index.html resolve against the folder only with the trailing slash.
      if (!urlPath.endsWith('/')) {
        res.writeHead(301, { Location: urlPath + '/' });
        return res.end();
      }
      file = path.join(file, 'index.html');
      info = await stat(file);
    }
    res.writeHead(200, {
      'Content-Type': TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': info.size,
      'Cache-Control': 'no-cache',
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).pipe(res);
  } catch {
    send(res, 404, 'not found');
  }
});

server.listen(port, host, () => {
  console.log(`ppemu: serving ${root} at http://${host}:${server.address().port}/`);
});
