// Serves build/site (or the folder given as the first argument) until interrupted.
// Usage: node scripts/serve.mjs [ROOT]; port from $PORT (default 8000), loopback only.
import path from 'node:path';
import { startServer, sitePolicy } from './static-server.mjs';

const root = path.resolve(process.argv[2] ?? 'build/site');
const port = Number(process.env.PORT || 8000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`serve: PORT must be a port number (got '${process.env.PORT}')`);
  process.exit(2);
}
try {
  // The site's own policy as a header too, so the worker runs under it as in the tests.
  const { base } = await startServer(root, { port, csp: await sitePolicy(root) });
  console.log(`ppemu: serving ${root} at ${base}`);
} catch (e) {
  console.error(`serve: cannot listen on port ${port}: ${e.message}`);
  process.exit(1);
}
