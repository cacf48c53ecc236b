// A static file server with no dependencies, for the built site: scripts/serve.mjs runs it as a
// command, and the browser tests and the page benchmark start one inside their own process
// (so it dies with them) on a free loopback port.
import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

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
function resolveInRoot(root, urlPath) {
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

/**
 * The Content-Security-Policy of the site's pages: the content of the <meta http-equiv> in
 * ROOT/index.html, or null when there is none.
 */
export async function sitePolicy(root) {
  try {
    const html = await readFile(path.join(root, 'index.html'), 'utf8');
    const m = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html);
    return m ? m[1] : null;
  } catch {
    return null;
  }
}

function handler(root, csp) {
  // 'no-cache': a rebuilt site must not be mixed with stale modules from the browser's cache.
  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed');
    const urlPath = new URL(req.url, 'http://localhost').pathname;
    let file = resolveInRoot(root, urlPath);
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
        // A page's <meta> policy does not reach its workers, which take theirs from their own
        // response: sending the site's policy as a header puts the WASM worker under it too.
        ...(csp ? { 'Content-Security-Policy': csp } : {}),
      });
      if (req.method === 'HEAD') return res.end();
      createReadStream(file).pipe(res);
    } catch {
      send(res, 404, 'not found');
    }
  };
}

/**
 * Serves `root` on `host`:`port` (0 = a free port). Resolves {base: 'http://HOST:PORT/', close()}.
 * The IPv4 loopback by number by default: 'localhost' may resolve to ::1 only on some machines.
 * csp: a Content-Security-Policy header for every response (sitePolicy(root) for the site).
 */
export function startServer(root, { port = 0, host = '127.0.0.1', csp = null } = {}) {
  const absolute = path.resolve(root);
  const server = createServer(handler(absolute, csp));
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(port, host, () => resolve({
      base: `http://${host}:${server.address().port}/`,
      close: () => new Promise((done) => { server.closeAllConnections(); server.close(done); }),
    }));
  });
}
