// The page's side of the worker protocol (wasm/API.md): one request at a time per worker, ids
// matched to promises, and cancellation. A newer setting must not wait behind a long run, and a
// run cannot be interrupted inside WASM, so cancelling a run that has gone on for a while
// terminates the worker and starts a fresh one; requests that were not cancelled (e.g. an export)
// are sent again to the new worker. A run younger than RESTART_AFTER_MS is only dropped: a fresh
// worker compiles the module again (~300 ms), far longer than a small run takes to finish.
// Promises always resolve (never reject): failures come back as {ok: false, error}, so callers
// cannot leak an unhandled rejection to the console.
// A WASM heap never shrinks: a worker whose heap grew past RESTART_ABOVE_BYTES (a large export)
// is replaced by a fresh one as soon as it is idle, so the tab does not keep that memory.
import { RESTART_ABOVE_BYTES, heapLimitBytes } from './budget.js';

const RESTART_AFTER_MS = 100;

// The site's policy requires Trusted Types: a worker's URL must come from a policy. This one
// admits only worker.js of this site, so nothing else can be started as script.
let workerUrlPolicy = null;
function trustedWorkerUrl(url) {
  const tt = globalThis.trustedTypes;
  if (!tt?.createPolicy) return url;
  workerUrlPolicy ??= tt.createPolicy('ppemu-worker', {
    createScriptURL(text) {
      const u = new URL(text, globalThis.location.href);
      if (u.origin !== globalThis.location.origin || !u.pathname.endsWith('/src/worker.js')) {
        throw new TypeError(`not the site's worker script: ${text}`);
      }
      return u.href;
    },
  });
  return workerUrlPolicy.createScriptURL(String(url));
}

export function createEngine({ workerUrl = new URL('./worker.js', import.meta.url), onWorkerError, now = () => performance.now() } = {}) {
  let worker = null;
  let nextId = 1;
  const pending = new Map(); // id -> {message, resolve, cancellable, onProgress, sentAt}
  const stats = { workersStarted: 0, workersRecycled: 0, heapBytes: 0 };
  let grown = false; // the current worker's heap passed RESTART_ABOVE_BYTES
  // The heap a request may use here, from the memory the page's device reports; sent with each
  // request (the worker refuses bigger ones and names the figure).
  const deviceMemory = globalThis.navigator?.deviceMemory;
  const heapLimit = heapLimitBytes(deviceMemory);

  function start() {
    worker = new Worker(trustedWorkerUrl(workerUrl), { type: 'module' });
    stats.workersStarted++;
    grown = false;
    worker.onmessage = (event) => {
      const reply = event.data || {};
      if (reply.type !== 'progress' && Number.isFinite(reply.heap_bytes)) {
        stats.heapBytes = reply.heap_bytes;
        if (reply.heap_bytes > RESTART_ABOVE_BYTES) grown = true;
      }
      const entry = pending.get(reply.id);
      if (entry) {
        if (reply.type === 'progress') {
          entry.onProgress?.(reply.phase);
          return;
        }
        pending.delete(reply.id);
        entry.resolve(reply);
      }
      if (grown && pending.size === 0) recycle();
    };
    // A worker that fails to load (or dies) reports here; every waiting request learns why. The
    // next request starts a fresh worker; restarting here would loop on a worker that cannot load.
    worker.onerror = (event) => {
      event.preventDefault();
      const error = `the emulator worker failed: ${event.message || 'it could not load (is wasm/ppemu.js served?)'}`;
      worker.terminate();
      worker = null;
      failAll(error);
      onWorkerError?.(error);
    };
    worker.onmessageerror = () => failAll('the emulator worker sent a reply the page could not read');
  }

  function failAll(error) {
    for (const [id, entry] of pending) {
      pending.delete(id);
      entry.resolve({ id, type: 'error', ok: false, error, result: { ok: false, error } });
    }
  }

  function restart() {
    worker?.terminate();
    start();
    for (const [id, entry] of pending) worker.postMessage({ ...entry.message, id });
  }

  // A fresh worker in place of an idle one that grew large; it compiles the module at once.
  function recycle() {
    stats.workersRecycled++;
    worker.terminate();
    start();
  }

  function request(message, { cancellable = false, onProgress } = {}) {
    if (!worker) start();
    const id = nextId++;
    const sent = message.type === 'strategies' ? message : { ...message, heapLimit, deviceMemory };
    return new Promise((resolve) => {
      pending.set(id, { message: sent, resolve, cancellable, onProgress, sentAt: now() });
      worker.postMessage({ ...sent, id });
    });
  }

  return {
    /** {strategies, configKeys, defaultConfig, limits} or {error}. */
    async strategies() {
      const reply = await request({ type: 'strategies' });
      if (reply.type !== 'strategies') return { error: reply.error || reply.result?.error || 'no strategies from the worker' };
      return reply;
    },
    /** Result object (wasm/API.md); {ok:false, cancelled:true} when a newer run replaced it. */
    async simulate(config, { onProgress } = {}) {
      const reply = await request({ type: 'simulate', config }, { cancellable: true, onProgress });
      return reply.result || { ok: false, error: reply.error || 'no result from the worker' };
    },
    async simulateCsv(csv, config, dialect = 'auto', { onProgress } = {}) {
      const reply = await request({ type: 'simulateCsv', csv, dialect, config }, { cancellable: true, onProgress });
      return reply.result || { ok: false, error: reply.error || 'no result from the worker' };
    },
    /**
     * TraceImport (wasm/API.md) of measured trace files [{name, text}] (.gz already inflated);
     * options {format, offset_ms}. Cancellable like a run: a newer choice replaces it.
     */
    async importTrace(files, options = {}, { onProgress } = {}) {
      const reply = await request({ type: 'importTrace', files, options }, { cancellable: true, onProgress });
      return reply.result || { ok: false, error: reply.error || 'no result from the worker' };
    },
    /** Result & {note}: a strategy (overrides.strategy) on an imported trace's fitted times. */
    async whatIf(fitted, overrides, { onProgress } = {}) {
      const reply = await request({ type: 'whatIf', fitted, overrides }, { cancellable: true, onProgress });
      return reply.result || { ok: false, error: reply.error || 'no result from the worker' };
    },
    /** {ok, error, text}; with csv, the imported schedule's run instead of the config's strategy. */
    async exportRun(config, format, { csv, dialect = 'auto' } = {}) {
      const reply = await request(csv === undefined ? { type: 'export', config, format } : { type: 'export', config, format, csv, dialect });
      return { ok: Boolean(reply.ok), error: reply.error || (reply.ok ? '' : 'export failed'), text: reply.text || '' };
    },
    /** Drops every cancellable request in flight; a worker busy with a long run is replaced. */
    cancel() {
      const cancelled = [...pending].filter(([, e]) => e.cancellable);
      if (!cancelled.length) return;
      const t = now();
      const long = cancelled.some(([, e]) => t - e.sentAt >= RESTART_AFTER_MS);
      for (const [id, entry] of cancelled) {
        pending.delete(id);
        entry.resolve({ id, type: 'result', result: { ok: false, cancelled: true, error: 'cancelled by a newer setting' } });
      }
      // The worker still answers a dropped request; onmessage ignores ids no longer pending.
      if (long) restart();
    },
    get busy() {
      return pending.size > 0;
    },
    /** {workersStarted, workersRecycled, heapBytes}: the heap size the last reply reported. */
    get stats() {
      return { ...stats };
    },
    destroy() {
      failAll('the page closed the emulator');
      worker?.terminate();
      worker = null;
    },
  };
}
