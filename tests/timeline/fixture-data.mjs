// Result-shaped objects (wasm/API.md) built in plain JS, so the renderer can be developed and
// tested without the WASM module: a tiny emulator (an op starts when its device is free and its
// dependencies have ended) over hand-written op orders. Runs in Node and in the browser.

const KIND = { F: 0, B: 1, W: 2, BW: 3, OV: 4 };

/** Growable op columns in device order. */
class Builder {
  constructor(numDevices) {
    this.numDevices = numDevices;
    this.cap = 1024;
    this.n = 0;
    this.cols = this.alloc(this.cap);
    this.deviceOffset = new Uint32Array(numDevices + 1);
  }
  alloc(cap) {
    return {
      device: new Int32Array(cap), stage: new Int32Array(cap), microbatch: new Int32Array(cap),
      kind: new Uint8Array(cap), stage2: new Int32Array(cap), microbatch2: new Int32Array(cap),
    };
  }
  push(device, kind, stage, mb, stage2 = -1, mb2 = -1) {
    if (this.n === this.cap) {
      const grown = this.alloc(this.cap * 2);
      for (const k of Object.keys(grown)) grown[k].set(this.cols[k]);
      this.cols = grown;
      this.cap *= 2;
    }
    const c = this.cols;
    const i = this.n++;
    c.device[i] = device; c.kind[i] = kind; c.stage[i] = stage; c.microbatch[i] = mb;
    c.stage2[i] = stage2; c.microbatch2[i] = mb2;
  }
  endDevice(d) {
    this.deviceOffset[d + 1] = this.n;
  }
}

/**
 * Times every op of an ordered schedule. order(builder) pushes each device's ops in execution
 * order (devices in turn, calling endDevice). stageDevice: device of each stage.
 * times: {F, B, W, BW, OV}. Returns a Result object as the WASM module would.
 */
export function emulate({ strategy, numDevices, numStages, numMicrobatches, numChains = 1, stageDevice, order, times }) {
  const b = new Builder(numDevices);
  order(b);
  const n = b.n;
  const c = b.cols;
  const S = numStages;
  const M = numMicrobatches;
  const L = S / numChains;
  const fEnd = new Float64Array(S * M).fill(NaN);
  const bEnd = new Float64Array(S * M).fill(NaN); // input gradient ready: B, BW or OV's backward half
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  const dur = [times.F, times.B ?? 1, times.W ?? 1, times.BW ?? 2, times.OV ?? times.F + (times.BW ?? 2)];
  const ptr = Array.from({ length: numDevices }, (_, d) => b.deviceOffset[d]);
  const free = new Float64Array(numDevices);
  const prev = (s) => (s % L === 0 ? -1 : s - 1);
  const next = (s) => ((s + 1) % L === 0 ? -1 : s + 1);
  // Time at which a half's inputs are ready, or NaN if some are not done yet.
  const fReady = (s, m) => (prev(s) < 0 ? 0 : fEnd[prev(s) * M + m]);
  const bReady = (s, m) => {
    const nx = next(s);
    return Math.max(fEnd[s * M + m], nx < 0 ? 0 : bEnd[nx * M + m]);
  };
  let done = 0;
  let progress = true;
  while (progress) {
    progress = false;
    for (let d = 0; d < numDevices; d++) {
      while (ptr[d] < b.deviceOffset[d + 1]) {
        const i = ptr[d];
        const s = c.stage[i];
        const m = c.microbatch[i];
        let ready;
        switch (c.kind[i]) {
          case KIND.F: ready = fReady(s, m); break;
          case KIND.B: case KIND.BW: ready = bReady(s, m); break;
          case KIND.W: ready = bEnd[s * M + m]; break;
          default: ready = Math.max(fReady(s, m), bReady(c.stage2[i], c.microbatch2[i]));
        }
        if (Number.isNaN(ready)) break;
        start[i] = Math.max(ready, free[d]);
        end[i] = start[i] + dur[c.kind[i]];
        free[d] = end[i];
        if (c.kind[i] === KIND.F || c.kind[i] === KIND.OV) fEnd[s * M + m] = end[i];
        if (c.kind[i] === KIND.B || c.kind[i] === KIND.BW) bEnd[s * M + m] = end[i];
        if (c.kind[i] === KIND.OV) bEnd[c.stage2[i] * M + c.microbatch2[i]] = end[i];
        ptr[d]++;
        done++;
        progress = true;
      }
    }
  }
  if (done !== n) throw new Error(`fixture schedule deadlocks after ${done} of ${n} ops`);

  let makespan = 0;
  for (let i = 0; i < n; i++) makespan = Math.max(makespan, end[i]);
  const activations = activationSeries(b, start, end, numDevices);
  const chunk = new Int32Array(S);
  const seen = new Map();
  for (let s = 0; s < S; s++) {
    const d = stageDevice[s];
    chunk[s] = seen.get(d) ?? 0;
    seen.set(d, chunk[s] + 1);
  }
  let totalBusy = 0;
  for (let i = 0; i < n; i++) totalBusy += end[i] - start[i];
  return {
    ok: true,
    error: '',
    config: { strategy, num_devices: numDevices, num_stages: S, num_batches: M },
    strategy,
    num_devices: numDevices,
    num_stages: S,
    num_microbatches: M,
    num_chains: numChains,
    num_ops: n,
    makespan,
    total_busy: totalBusy,
    bubble_ratio: 1 - totalBusy / (numDevices * makespan),
    peak_activations: activations.peak,
    devices: [],
    stages: { device: Int32Array.from(stageDevice), chunk },
    ops: {
      device_offset: b.deviceOffset,
      device: c.device.slice(0, n), stage: c.stage.slice(0, n), microbatch: c.microbatch.slice(0, n),
      kind: c.kind.slice(0, n), stage2: c.stage2.slice(0, n), microbatch2: c.microbatch2.slice(0, n),
      start, end,
    },
    activations: { offset: activations.offset, time: activations.time, count: activations.count },
    formulas: [],
  };
}

// Activations held per device: +1 when a forward (half) starts, -1 when the (stage, microbatch)'s
// last backward ends (W if the backward is split, else B/BW/OV's backward half).
function activationSeries(b, start, end, numDevices) {
  const c = b.cols;
  const offset = new Uint32Array(numDevices + 1);
  const times = [];
  const counts = [];
  let peak = 0;
  for (let d = 0; d < numDevices; d++) {
    const lo = b.deviceOffset[d];
    const hi = b.deviceOffset[d + 1];
    const split = new Set();
    for (let i = lo; i < hi; i++) if (c.kind[i] === KIND.W) split.add(`${c.stage[i]}:${c.microbatch[i]}`);
    const ev = [];
    for (let i = lo; i < hi; i++) {
      const k = c.kind[i];
      if (k === KIND.F || k === KIND.OV) ev.push([start[i], 1]);
      if (k === KIND.W) ev.push([end[i], -1]);
      if ((k === KIND.B || k === KIND.BW) && !split.has(`${c.stage[i]}:${c.microbatch[i]}`)) ev.push([end[i], -1]);
      if (k === KIND.OV) ev.push([end[i], -1]);
    }
    ev.sort((x, y) => x[0] - y[0]);
    let cur = 0;
    times.push(0);
    counts.push(0);
    for (const [t, delta] of ev) {
      cur += delta;
      if (times[times.length - 1] === t) counts[counts.length - 1] = cur;
      else { times.push(t); counts.push(cur); }
      peak = Math.max(peak, cur);
    }
    offset[d + 1] = times.length;
  }
  return { offset, time: Float64Array.from(times), count: Int32Array.from(counts), peak };
}

const linear = (p) => Array.from({ length: p }, (_, s) => s);

/** 1F1B: warm-up forwards, one forward / one full backward, cool-down backwards. */
export function make1F1B(p = 4, m = 8, times = { F: 1, BW: 2 }, { split = false } = {}) {
  return emulate({
    strategy: split ? '1f1b-split' : '1f1b', numDevices: p, numStages: p, numMicrobatches: m, stageDevice: linear(p), times,
    order(b) {
      const bwd = (d, i) => {
        if (split) { b.push(d, KIND.B, d, i); b.push(d, KIND.W, d, i); } else b.push(d, KIND.BW, d, i);
      };
      for (let d = 0; d < p; d++) {
        const w = Math.min(p - d - 1, m);
        for (let i = 0; i < w; i++) b.push(d, KIND.F, d, i);
        for (let i = 0; i < m - w; i++) { b.push(d, KIND.F, d, w + i); bwd(d, i); }
        for (let i = m - w; i < m; i++) bwd(d, i);
        b.endDevice(d);
      }
    },
  });
}

/** 1F1B whose steady state runs F(i + w) and BW(i) as one overlapped op; one extra warm-up forward. */
export function make1F1BOverlap(p = 4, m = 8, times = { F: 1, BW: 2, OV: 2.5 }) {
  return emulate({
    strategy: '1f1b-overlap', numDevices: p, numStages: p, numMicrobatches: m, stageDevice: linear(p), times,
    order(b) {
      for (let d = 0; d < p; d++) {
        const w = Math.min(p - d, m);
        for (let i = 0; i < w; i++) b.push(d, KIND.F, d, i);
        for (let i = 0; i < m - w; i++) b.push(d, KIND.OV, d, w + i, d, i);
        for (let i = m - w; i < m; i++) b.push(d, KIND.BW, d, i);
        b.endDevice(d);
      }
    },
  });
}

/** Looped BFS over v chunks per device: stage s on device s mod p; all forwards, then backwards in reverse. */
export function makeLoopedBFS(p = 4, v = 2, m = 8, times = { F: 1, BW: 2 }) {
  const S = p * v;
  return emulate({
    strategy: 'looped-bfs', numDevices: p, numStages: S, numMicrobatches: m, stageDevice: Array.from({ length: S }, (_, s) => s % p), times,
    order(b) {
      for (let d = 0; d < p; d++) {
        for (let c = 0; c < v; c++) for (let i = 0; i < m; i++) b.push(d, KIND.F, c * p + d, i);
        for (let c = v - 1; c >= 0; c--) for (let i = 0; i < m; i++) b.push(d, KIND.BW, c * p + d, i);
        b.endDevice(d);
      }
    },
  });
}

/** The synthetic performance case: 1F1B on 64 devices with 8192 microbatches = 1,048,576 ops. */
export function makeMillion() {
  return make1F1B(64, 8192, { F: 1, BW: 2 });
}

/** Converts the native CLI's `--format json` output to the Result shape (for fixtures from real strategies). */
export function fromCliJson(j) {
  const kinds = { F: 0, B: 1, W: 2, BW: 3, OV: 4 };
  const numDevices = j.config.num_devices;
  const ops = [...j.ops].sort((a, b) => a.device - b.device); // stable: keeps each device's order
  const n = ops.length;
  const device_offset = new Uint32Array(numDevices + 1);
  for (const o of ops) device_offset[o.device + 1]++;
  for (let d = 0; d < numDevices; d++) device_offset[d + 1] += device_offset[d];
  const col = (T, f) => T.from(ops, f);
  const stages = j.stages;
  const act = j.activations;
  const aOff = new Uint32Array(numDevices + 1);
  act.forEach((a) => { aOff[a.device + 1] = a.time.length; });
  for (let d = 0; d < numDevices; d++) aOff[d + 1] += aOff[d];
  return {
    ok: true, error: '', config: j.config, strategy: j.config.strategy,
    num_devices: numDevices, num_stages: j.config.num_stages, num_microbatches: j.config.num_batches,
    num_chains: j.num_chains ?? 1, num_ops: n, makespan: j.makespan, total_busy: j.total_busy,
    bubble_ratio: j.bubble_ratio, peak_activations: j.peak_activations, devices: j.devices,
    stages: { device: Int32Array.from(stages, (s) => s.device), chunk: Int32Array.from(stages, (s) => s.chunk) },
    ops: {
      device_offset,
      device: col(Int32Array, (o) => o.device), stage: col(Int32Array, (o) => o.stage), microbatch: col(Int32Array, (o) => o.microbatch),
      kind: col(Uint8Array, (o) => kinds[o.kind]),
      stage2: col(Int32Array, (o) => o.backward_stage ?? -1), microbatch2: col(Int32Array, (o) => o.backward_microbatch ?? -1),
      start: col(Float64Array, (o) => o.start), end: col(Float64Array, (o) => o.end),
    },
    activations: {
      offset: aOff,
      time: Float64Array.from(act.flatMap((a) => a.time)),
      count: Int32Array.from(act.flatMap((a) => a.count)),
    },
    formulas: j.formulas ?? [],
  };
}
