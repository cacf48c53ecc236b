// The worker's memory: how much WASM heap a request will need, the most the browser can give it,
// and when a worker has grown so large that it should be replaced. A WASM heap never shrinks, so
// one large export would otherwise hold its memory for the life of the tab. Pure: tests/www.

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/**
 * Peak heap per estimated op (3 x num_stages x num_batches) of each request, measured by
 * `node bench/worker_memory.mjs` on zb1p 64 devices (README, Performance) and rounded up:
 * simulate 86-92 (103-111 when re-measured with the exports below), json 469-475, trace 408-413,
 * svg 96-103, csv 115-124. json and trace stream their text into one string (no JSON tree since
 * issue 13; through the DOM they took 1055 and 1483).
 */
export const BYTES_PER_OP = { simulate: 100, json: 480, trace: 420, svg: 110, csv: 130 };
/** The module's heap ceiling (-sMAXIMUM_MEMORY=2GB in wasm/CMakeLists.txt): past it a run aborts. */
export const HEAP_CEILING_BYTES = 2 * GiB;
/**
 * A worker whose heap grew past this is replaced once it is idle: the largest simulate within
 * the op budget stays under it (172-207 MiB), a large export does not (up to 816-939 MiB).
 */
export const RESTART_ABOVE_BYTES = 256 * MiB;
// An import's ops: each action is at least three characters and a separator.
const CSV_CHARS_PER_OP = 4;

/**
 * The heap a request may use: the module's ceiling, and on a device that reports its memory
 * (navigator.deviceMemory, in GB, Chrome rounds it down and caps it at 8) a quarter of that,
 * leaving the rest to the tab and everything else the device runs.
 */
export function heapLimitBytes(deviceMemoryGiB) {
  const device = Number(deviceMemoryGiB) > 0 ? (Number(deviceMemoryGiB) * GiB) / 4 : Infinity;
  return Math.min(HEAP_CEILING_BYTES, device);
}

function countOf(config, key, fallback) {
  const v = config?.[key];
  return Number.isSafeInteger(v) && v > 0 ? v : fallback;
}

const mb = (bytes) => `${Math.ceil(bytes / MiB).toLocaleString('en-US')} MB`;

/**
 * null when the request fits, else the one-line refusal with the limit and a setting that fits.
 * request: the worker message ({type, config, format?, csv?}); limitBytes: heapLimitBytes().
 */
export function checkMemory(request, limitBytes, { deviceMemoryGiB } = {}) {
  const kind = request.type === 'export' ? String(request.format) : 'simulate';
  const perOp = BYTES_PER_OP[kind] ?? BYTES_PER_OP.simulate;
  const csv = typeof request.csv === 'string' ? request.csv : null;
  // The core's defaults apply to keys a request leaves out (4 stages, 8 microbatches).
  const stages = countOf(request.config, 'num_stages', 4);
  const batches = countOf(request.config, 'num_batches', 8);
  const ops = csv !== null ? Math.ceil(csv.length / CSV_CHARS_PER_OP) : 3 * stages * batches;
  const need = ops * perOp;
  if (need <= limitBytes) return null;
  const why = limitBytes < HEAP_CEILING_BYTES && deviceMemoryGiB
    ? `a quarter of the ${deviceMemoryGiB} GB this device reports`
    : 'the most a WebAssembly heap can grow to';
  const what = request.type === 'export' ? `A ${kind} export of this run` : 'This run';
  let hint = '';
  if (csv === null) {
    const fits = Math.floor(limitBytes / (perOp * 3 * stages));
    hint = fits >= 1 ? `; try num_batches ≤ ${fits.toLocaleString('en-US')}` : '; try fewer stages';
  } else {
    hint = '; try a smaller file';
  }
  return `${what} needs about ${mb(need)} of memory in the browser, more than the ${mb(limitBytes)} it may use here (${why})${hint}`;
}
