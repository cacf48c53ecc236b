// trace-runs.js against a fake engine: the views a measured trace becomes, the what-if requests
// that reach the worker, the key=value line, and what is imported once and reused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  computeTrace, fitRows, fittedLine, fittedSettings, newTrace, traceKey, traceName, traceOptions, whatIfOverrides,
} from '../../www/src/trace-runs.js';
import { commWaits } from '../../www/src/comm-waits.js';
import { inflatedName, isTraceDrop, isTraceName } from '../../www/src/trace-files.js';

const STRATEGIES = [
  { name: '1f1b', aliases: [], constraints: 'num_stages = num_devices' },
  { name: 'zbv', aliases: [], constraints: 'num_stages = 2 x num_devices; num_batches >= num_stages' },
];

const FITTED = {
  num_devices: 2, num_stages: 2, num_batches: 4, p2p_latency: 0.25, p2p_mode: 'sync',
  op_times: { forward: [1, 1.5], backward: [2, 3], backward_D: [1, 1.5], backward_W: [1, 1.5], overlapped_forward_backward: null },
};
const spread = (median, count = 4) => ({ median, min: median - 0.5, max: median + 0.5, count });
const REPORT = {
  ok: true, format: 'megatron', files: ['a.json', 'b.json'], origin_ms: 81234.5, notes: [],
  measured: { ok: true, strategy: 'measured', num_devices: 2, num_stages: 2, num_microbatches: 4, makespan: 20, bubble_ratio: 0.2, peak_activations: 2, devices: [] },
  replayRun: { ok: true, strategy: 'replay', num_devices: 2, makespan: 20 },
  fitted: FITTED,
  fit: { op_times: { forward: [spread(1), spread(1.5)], backward: [spread(2), spread(3)], backward_D: [spread(1, 0), spread(1.5, 0)],
    backward_W: [spread(1, 0), spread(1.5, 0)], overlapped_forward_backward: [spread(0, 0), spread(0, 0)] }, p2p_latency: spread(0.25), notes: [] },
  replay: { p2p_mode: 'sync', choice: 'sync fits better', devices: [], worst: [], causes: [] },
};

// Imports answer REPORT; a what-if's makespan is 30 - num_stages, zbv refuses 2 stages.
function fakeEngine() {
  const calls = [];
  return {
    calls,
    async importTrace(files, options) {
      calls.push(['importTrace', files.length, options]);
      return REPORT;
    },
    async whatIf(fitted, overrides) {
      calls.push(['whatIf', overrides]);
      if (overrides.strategy === 'zbv' && overrides.num_stages !== 4) return { ok: false, error: 'zbv needs num_stages = 2 x num_devices' };
      return { ok: true, strategy: overrides.strategy, makespan: 30 - (overrides.num_stages ?? 2), bubble_ratio: 0.1, peak_activations: 2, config: { ...fitted, ...overrides }, note: '' };
    },
  };
}

const files = [{ name: 'a.json', text: '{}' }, { name: 'b.json', text: '{}' }];

test('a new trace shows the measured run first; its options leave blank offsets out and name a bad one', () => {
  const t = newTrace(files, { format: 'megatron', offsets: { 0: '', 1: '0.5' }, id: 3 });
  assert.equal(t.view, 'measured');
  assert.equal(t.name, 'a.json + 1 more');
  assert.deepEqual(t.options, { format: 'megatron', offset_ms: { 1: 0.5 } });
  assert.equal(traceName([files[0]]), 'a.json');
  assert.equal(traceOptions('auto', { 2: 'soon' }).error, "the clock offset of rank 2 must be a number of ms (got 'soon')");
  // The key changes with what is shown, not with the settings.
  assert.notEqual(traceKey(t), traceKey({ ...t, view: 'replay' }));
  assert.equal(traceKey(t), traceKey({ ...t }));
});

test('the measured and replay views draw one and two runs; the import is done once', async () => {
  const engine = fakeEngine();
  const cache = {};
  const t = newTrace(files, { id: 1 });
  const measured = await computeTrace(engine, t, STRATEGIES, { cache });
  assert.equal(measured.shown.mode, 'trace');
  assert.deepEqual(measured.shown.runs.map((r) => r.result.strategy), ['measured']);
  assert.match(measured.shown.caption, /^Measured · a\.json \+ 1 more · 2 devices · 2 stages · 4 microbatches · megatron trace · ms$/);
  const replay = await computeTrace(engine, { ...t, view: 'replay' }, STRATEGIES, { cache });
  assert.deepEqual(replay.shown.runs.map((r) => r.result.strategy), ['measured', 'replay']);
  assert.match(replay.shown.note, /sync fits better/);
  assert.equal(engine.calls.filter((c) => c[0] === 'importTrace').length, 1);
  // New offsets are a new import.
  await computeTrace(engine, { ...t, options: { format: 'auto', offset_ms: { 1: 2 } } }, STRATEGIES, { cache });
  assert.deepEqual(engine.calls.at(-1), ['importTrace', 2, { format: 'auto', offset_ms: { 1: 2 } }]);
});

test('the what-if view ranks the strategies on the fitted times with the measured run, trying the stages compare mode would', async () => {
  const engine = fakeEngine();
  const t = { ...newTrace(files, { id: 1 }), view: 'whatif', whatIf: { strategies: ['zbv', '1f1b'], num_stages: null, num_batches: 8 } };
  const { shown } = await computeTrace(engine, t, STRATEGIES, { cache: {} });
  assert.equal(shown.mode, 'compare');
  // zbv: 2 x 2 devices = 4 stages first (accepted), 1f1b: 2 stages; num_batches passed to both.
  assert.deepEqual(engine.calls.filter((c) => c[0] === 'whatIf').map((c) => c[1]),
    [{ strategy: 'zbv', num_stages: 4, num_batches: 8 }, { strategy: '1f1b', num_stages: 2, num_batches: 8 }]);
  assert.deepEqual(shown.entries.map((e) => [e.strategy, e.result.makespan, e.rank]), [['measured', 20, 1], ['zbv', 26, 2], ['1f1b', 28, 3]]);
  assert.match(shown.entries[0].label, /fastest$/);
  // A stage count the user gave is the only one tried; a refusal stays in the ranking as a failed row.
  engine.calls.length = 0;
  const one = await computeTrace(engine, { ...t, whatIf: { strategies: ['zbv'], num_stages: 2, num_batches: null } }, STRATEGIES, { cache: {} });
  assert.deepEqual(engine.calls.filter((c) => c[0] === 'whatIf').map((c) => c[1]), [{ strategy: 'zbv', num_stages: 2 }]);
  assert.equal(one.shown.entries[1].result.ok, false);
  assert.equal(one.shown.entries[1].rank, null);
});

test('a refused import and a bad offset come back as errors', async () => {
  const engine = { async importTrace() { return { ok: false, error: 'b.json: forward-3-end comes before forward-3-start' }; } };
  assert.deepEqual(await computeTrace(engine, newTrace(files), STRATEGIES), { error: 'b.json: forward-3-end comes before forward-3-start' });
  const bad = newTrace(files, { offsets: { 0: 'x' } });
  assert.match((await computeTrace(engine, bad, STRATEGIES)).error, /rank 0/);
});

test('the fitted times as the CLI prints them, as settings, and as table rows', () => {
  assert.equal(fittedLine(FITTED), 'op_times.forward=[1,1.5] op_times.backward=[2,3] op_times.backward_D=[1,1.5] op_times.backward_W=[1,1.5] p2p_latency=0.25 p2p_mode=sync');
  assert.equal(fittedLine({ ...FITTED, op_times: { forward: [1 / 3] }, p2p_latency: 0 }), 'op_times.forward=[0.333333] p2p_latency=0 p2p_mode=sync');
  assert.deepEqual(fittedSettings(FITTED), {
    num_devices: 2, num_stages: 2, num_batches: 4, p2p_latency: 0.25, p2p_mode: 'sync',
    'op_times.forward': [1, 1.5], 'op_times.backward': [2, 3], 'op_times.backward_D': [1, 1.5], 'op_times.backward_W': [1, 1.5],
  });
  const rows = fitRows(REPORT.fit, FITTED);
  assert.equal(rows.length, 2);
  assert.equal(rows[1].cells[0].text, '1.5 [1–2] ×4');
  assert.equal(rows[1].cells[2].text, '1.5 (derived)');
  assert.equal(rows[1].cells[4].text, '–');
  assert.equal(whatIfOverrides('1f1b', 4, { num_batches: null }).num_batches, undefined);
});

test('comm waits list the actions that held their rank, and trace file names', () => {
  // The head-of-line case of tests/core/comms_csv_test.cc: rank 1 holds at 3RECV_F0 from 2 to 3.
  const comms = { device: [1, 1, 0], kind: [1, 1, 0], stage: [1, 3, 0], microbatch: [0, 0, 0], start: [0, 2, 1], end: [1, 3, 1] };
  assert.deepEqual(commWaits(comms), {
    total: 3,
    waits: [
      { device: 1, action: '1RECV_F0', kind: 'RECV_F', start: 0, end: 1, held: 1 },
      { device: 1, action: '3RECV_F0', kind: 'RECV_F', start: 2, end: 3, held: 1 },
    ],
  });
  assert.equal(inflatedName('rank0.json.gz'), 'rank0.json');
  assert.equal(isTraceName('event_times_PP4_VPP1_TPxCPxDP_rank_0_pp_rank_1_rank_1.json'), true);
  assert.equal(isTraceName('rank0.json.gz'), true);
  assert.equal(isTraceName('notes.txt'), false);
  // A drop on the chart: one CSV stays a schedule import; several files, a folder or JSON are traces.
  const drop = (names, dir = false) => ({ files: names.map((name) => ({ name })), items: [{ webkitGetAsEntry: () => ({ isDirectory: dir }) }] });
  assert.equal(isTraceDrop(drop(['zb1p.csv'])), false);
  assert.equal(isTraceDrop(drop(['a.csv', 'b.csv'])), true);
  assert.equal(isTraceDrop(drop(['rank0.json.gz'])), true);
  assert.equal(isTraceDrop(drop(['traces'], true)), true);
});

test('a what-if with other num_batches says the runs do different work', async () => {
  const t = { ...newTrace(files, { id: 1 }), view: 'whatif', whatIf: { strategies: ['1f1b'], num_stages: null, num_batches: 8 } };
  const { shown } = await computeTrace(fakeEngine(), t, STRATEGIES, { cache: {} });
  assert.match(shown.note, /They run 8 microbatches, the measured run 4: compare makespans per microbatch\.$/);
  const same = await computeTrace(fakeEngine(), { ...t, whatIf: { ...t.whatIf, num_batches: 4 } }, STRATEGIES, { cache: {} });
  assert.doesNotMatch(same.shown.note, /microbatches/);
});
