// The engine's thread: runs the WASM core so a million-op run never freezes the page.
// Message protocol in wasm/API.md. Start it as a module worker:
//   new Worker(new URL('./worker.js', import.meta.url), {type: 'module'})
import createPpemu from '../wasm/ppemu.js';

let instance = null;  // a promise of the module; dropped after a failure so the next request starts afresh
let queue = Promise.resolve();  // one request at a time, in arrival order

function ppemu() {
  instance ??= createPpemu();
  return instance;
}

function messageOf(e) {
  return String(e?.message ?? e);
}

// Every typed array of a result, by buffer: posting transfers them instead of copying.
function buffersOf(result) {
  const buffers = [];
  for (const group of [result.stages, result.ops, result.activations, result.memory]) {
    for (const column of Object.values(group ?? {})) {
      if (ArrayBuffer.isView(column)) buffers.push(column.buffer);
    }
  }
  return buffers;
}

async function handle(request) {
  const { id, type } = request;
  const core = await ppemu();
  const configJson = JSON.stringify(request.config ?? {});
  if (type === 'simulate') {
    self.postMessage({ id, type: 'progress', phase: 'compute' });
    const result = core.simulate(configJson);
    self.postMessage({ id, type: 'progress', phase: 'transfer' });
    self.postMessage({ id, type: 'result', result }, buffersOf(result));
  } else if (type === 'simulateCsv') {
    // A PyTorch schedule file: its text, how to read B, and the op times / latency to time it with.
    self.postMessage({ id, type: 'progress', phase: 'compute' });
    const result = core.simulateSchedule(String(request.csv ?? ''), configJson, String(request.dialect ?? 'auto'));
    self.postMessage({ id, type: 'progress', phase: 'transfer' });
    self.postMessage({ id, type: 'result', result }, buffersOf(result));
  } else if (type === 'strategies') {
    self.postMessage({
      id,
      type: 'strategies',
      strategies: core.strategies(),
      configKeys: core.configKeys(),
      defaultConfig: core.defaultConfig(),
    });
  } else if (type === 'export') {
    const { ok, error, text = '' } = core.exportRun(configJson, String(request.format));
    self.postMessage({ id, type: 'export', ok, error, text });
  } else {
    throw new Error(`unknown request type '${type}' (simulate, simulateCsv, strategies or export)`);
  }
}

function fail(request, e) {
  // A module that aborted (e.g. out of memory) is unusable: load a fresh one for the next request.
  instance = null;
  const error = messageOf(e);
  if (request?.type === 'export') self.postMessage({ id: request.id, type: 'export', ok: false, error, text: '' });
  else self.postMessage({ id: request?.id, type: 'result', result: { ok: false, error } });
}

self.onmessage = (event) => {
  const request = event.data;
  queue = queue.then(() => handle(request)).catch((e) => fail(request, e));
};
