// The engine's thread: runs the WASM core so a million-op run never freezes the page.
// Message protocol in wasm/API.md. Start it as a module worker:
//   new Worker(new URL('./worker.js', import.meta.url), {type: 'module'})
import createPpemu from '../wasm/ppemu.js';
import * as YAML from '../vendor/yaml/index.js';
import { createYamlConfig } from './yaml-config.js';
import { checkMemory, heapLimitBytes } from './budget.js';

// A policy violation here never reaches the page's listeners: say it where tests and people look.
self.addEventListener('securitypolicyviolation', (e) => {
  console.error(`CSP violation in the worker: ${e.violatedDirective} blocked ${e.blockedURI || 'inline code'}`);
});

let instance = null;  // a promise of the module; dropped after a failure so the next request starts afresh
let queue = Promise.resolve();  // one request at a time, in arrival order

// conf/<group>/<name>.yaml, embedded in the module, parsed here and registered as presets (the
// CLI does the same natively), so `model=NAME` and defaults lists select the same files.
function withPresets(core) {
  const read = createYamlConfig(YAML).confPresets(core.confFiles());
  if (!read.ok) throw new Error(read.error);
  for (const p of read.presets) {
    const st = core.registerPreset(p.group, p.name, p.json, p.source, p.description);
    if (!st.ok) throw new Error(st.error);
  }
  return core;
}

function ppemu() {
  instance ??= createPpemu().then(withPresets);
  return instance;
}

function messageOf(e) {
  return String(e?.message ?? e);
}

// Every typed array of a result, by buffer: posting transfers them instead of copying.
function buffersOf(result) {
  const buffers = [];
  if (!result) return buffers;
  for (const group of [result.stages, result.ops, result.activations, result.memory, result.comms]) {
    for (const column of Object.values(group ?? {})) {
      if (ArrayBuffer.isView(column)) buffers.push(column.buffer);
    }
  }
  return buffers;
}

// Before the core allocates anything: a request that would outgrow the heap it may use is
// refused with the limit, instead of aborting the module half way (budget.js).
function refusal(request) {
  if (!['simulate', 'simulateCsv', 'export', 'whatIf'].includes(request.type)) return null;
  const deviceMemoryGiB = request.deviceMemory ?? self.navigator?.deviceMemory;
  const limit = Number(request.heapLimit) > 0 ? Number(request.heapLimit) : heapLimitBytes(deviceMemoryGiB);
  // A what-if runs the fitted counts unless its overrides change them.
  const checked = request.type === 'whatIf' ? { type: 'simulate', config: { ...request.fitted, ...request.overrides } } : request;
  return checkMemory(checked, limit, { deviceMemoryGiB });
}

async function handle(request) {
  const { id, type } = request;
  const core = await ppemu();
  // Every final reply says how big the heap is now; the engine replaces a worker that grew large.
  const heap = () => core.HEAPU8?.length ?? 0;
  const tooBig = refusal(request);
  if (tooBig) {
    if (type === 'export') self.postMessage({ id, type: 'export', ok: false, error: tooBig, text: '', heap_bytes: heap() });
    else self.postMessage({ id, type: 'result', result: { ok: false, error: tooBig }, heap_bytes: heap() });
    return;
  }
  const configJson = JSON.stringify(request.config ?? {});
  if (type === 'simulate') {
    self.postMessage({ id, type: 'progress', phase: 'compute' });
    const result = core.simulate(configJson);
    self.postMessage({ id, type: 'progress', phase: 'transfer' });
    self.postMessage({ id, type: 'result', result, heap_bytes: heap() }, buffersOf(result));
  } else if (type === 'simulateCsv') {
    // A PyTorch schedule file: its text, how to read B, and the op times / latency to time it with.
    self.postMessage({ id, type: 'progress', phase: 'compute' });
    const result = core.simulateSchedule(String(request.csv ?? ''), configJson, String(request.dialect ?? 'auto'));
    self.postMessage({ id, type: 'progress', phase: 'transfer' });
    self.postMessage({ id, type: 'result', result, heap_bytes: heap() }, buffersOf(result));
  } else if (type === 'importTrace') {
    // Measured traces (already inflated by the page): the measured run, the fit, the replay.
    self.postMessage({ id, type: 'progress', phase: 'compute' });
    const result = core.importTrace(Array.isArray(request.files) ? request.files : [], JSON.stringify(request.options ?? {}));
    self.postMessage({ id, type: 'progress', phase: 'transfer' });
    self.postMessage({ id, type: 'result', result, heap_bytes: heap() }, [...new Set([...buffersOf(result.measured), ...buffersOf(result.replayRun)])]);
  } else if (type === 'whatIf') {
    // A strategy on the fitted times of an imported trace (`fitted` is the TraceImport's).
    self.postMessage({ id, type: 'progress', phase: 'compute' });
    const result = core.whatIf(JSON.stringify(request.fitted ?? {}), JSON.stringify(request.overrides ?? {}));
    self.postMessage({ id, type: 'progress', phase: 'transfer' });
    self.postMessage({ id, type: 'result', result, heap_bytes: heap() }, buffersOf(result));
  } else if (type === 'strategies') {
    self.postMessage({
      id,
      type: 'strategies',
      strategies: core.strategies(),
      configKeys: core.configKeys(),
      defaultConfig: core.defaultConfig(),
      configGroups: core.configGroups(),
      presets: core.presets(),
      limits: core.limits(),
      heap_bytes: heap(),
    });
  } else if (type === 'export') {
    // With `csv`, an imported schedule's run (the file decides the order, the config the times).
    const { ok, error, text = '' } = request.csv === undefined
      ? core.exportRun(configJson, String(request.format))
      : core.exportSchedule(String(request.csv), configJson, String(request.dialect ?? 'auto'), String(request.format));
    self.postMessage({ id, type: 'export', ok, error, text, heap_bytes: heap() });
  } else {
    throw new Error(`unknown request type '${type}' (simulate, simulateCsv, importTrace, whatIf, strategies or export)`);
  }
}

function fail(request, e) {
  // A module that aborted (e.g. out of memory) is unusable: load a fresh one for the next request.
  instance = null;
  const error = messageOf(e);
  if (request?.type === 'export') self.postMessage({ id: request.id, type: 'export', ok: false, error, text: '' });
  else self.postMessage({ id: request?.id, type: 'result', result: { ok: false, error } });
}

// Compile the module as soon as the worker starts: a worker the engine starts in advance (after
// replacing one that grew large) is then ready when the next request comes.
ppemu().catch(() => { instance = null; });

self.onmessage = (event) => {
  const request = event.data;
  queue = queue.then(() => handle(request)).catch((e) => fail(request, e));
};
