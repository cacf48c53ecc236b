// Per-stage op times and compare mode's choices: stage counts, same-model scaling, ranking.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  effectiveStageTimes, hasPerStageTimes, resizeStageList, resizeConfigStages, resampleStageTimes, opTimesForRun,
} from '../../www/src/optimes.js';
import {
  stageCandidates, runConfig, rankRuns, sameModelFactor, peakShare, workPerDevice, vsBest, workMismatch,
} from '../../www/src/compare.js';

test('effectiveStageTimes merges a scalar or list with single-stage overrides', () => {
  assert.deepEqual(effectiveStageTimes({ 'op_times.forward': 1, 'op_times.forward.2': 5 }, 'op_times.forward', 4), [1, 1, 5, 1]);
  assert.deepEqual(effectiveStageTimes({ 'op_times.forward': [1, 2] }, 'op_times.forward', 3), [1, 2, undefined]);
  assert.deepEqual(effectiveStageTimes({ 'op_times.forward': [7] }, 'op_times.forward', 2), [7, 7]);
  assert.equal(effectiveStageTimes({}, 'op_times.overlapped_forward_backward', 4), null);
});

test('hasPerStageTimes is false for a uniform list and true for overrides', () => {
  assert.equal(hasPerStageTimes({ 'op_times.forward': [2, 2] }, 'op_times.forward'), false);
  assert.equal(hasPerStageTimes({ 'op_times.forward': [1, 2] }, 'op_times.forward'), true);
  assert.equal(hasPerStageTimes({ 'op_times.forward': 1, 'op_times.forward.0': 1 }, 'op_times.forward'), true);
});

test('resizeStageList repeats the last time and truncates', () => {
  assert.deepEqual(resizeStageList([1, 2], 4), [1, 2, 2, 2]);
  assert.deepEqual(resizeStageList([1, 2, 3], 2), [1, 2]);
  assert.deepEqual(resizeStageList([1], 0), []);
});

test('resizeConfigStages drops overrides past the new end and resizes lists', () => {
  const out = resizeConfigStages({ 'op_times.forward': [1, 2, 3, 4], 'op_times.backward.5': 9, 'op_times.backward.1': 3, num_stages: 4 }, 2);
  assert.deepEqual(out, { 'op_times.forward': [1, 2], 'op_times.backward.1': 3, num_stages: 4 });
});

test('resampleStageTimes splits and merges stages by their share of the model', () => {
  assert.deepEqual(resampleStageTimes([1, 3], 4), [1, 1, 3, 3]);
  assert.deepEqual(resampleStageTimes([1, 3, 5, 7], 2), [2, 6]);
  assert.deepEqual(resampleStageTimes([1, 3], 4, { sameModel: true, numDevices: 2 }), [0.5, 0.5, 1.5, 1.5]);
  assert.deepEqual(resampleStageTimes([3, 3, 3], 2), [3, 3]);
  // 3 stages onto 2: stage 0 covers all of stage 0 and half of stage 1.
  assert.deepEqual(resampleStageTimes([1, 4, 7], 2), [2, 6]);
});

test('opTimesForRun halves interleave\'s per-stage times on twice the stages under same model', () => {
  const config = { num_devices: 4, num_stages: 4, 'op_times.forward': 1, 'op_times.backward': 2 };
  assert.deepEqual(opTimesForRun(config, 4, 8, { sameModel: true, numDevices: 4 }), { 'op_times.forward': 0.5, 'op_times.backward': 1 });
  assert.deepEqual(opTimesForRun(config, 4, 8, { sameModel: false, numDevices: 4 }), { 'op_times.forward': 1, 'op_times.backward': 2 });
  const listed = { 'op_times.forward': [1, 2, 1, 2] };
  assert.deepEqual(opTimesForRun(listed, 4, 8, { sameModel: true, numDevices: 4 }), { 'op_times.forward': [0.5, 0.5, 1, 1, 0.5, 0.5, 1, 1] });
});

test('stageCandidates reads the strategy constraint line', () => {
  assert.deepEqual(stageCandidates('num_stages = num_devices', 4, 8), [4, 8]);
  assert.deepEqual(stageCandidates('num_stages = 2 x num_devices; num_batches >= num_stages', 4, 4), [8, 4]);
  assert.deepEqual(stageCandidates('num_stages a multiple of num_devices, at least 2 per device; ...', 4, 4), [8, 4]);
  assert.deepEqual(stageCandidates('num_stages a multiple of num_devices, at least 2 per device', 4, 12), [12, 8, 4]);
  assert.deepEqual(stageCandidates('num_stages a multiple of num_devices (1 per device is allowed)', 2, 2), [4, 2]);
  assert.deepEqual(stageCandidates('', 3, 3), [3, 6]);
});

test('runConfig swaps strategy and stages and scales times by num_devices / num_stages', () => {
  const config = { strategy: '1f1b', num_devices: 4, num_stages: 4, num_batches: 8, 'op_times.forward': 1, 'op_times.backward': 2 };
  assert.deepEqual(runConfig(config, 'interleave', 8, { sameModel: true }), {
    strategy: 'interleave', num_devices: 4, num_stages: 8, num_batches: 8, 'op_times.forward': 0.5, 'op_times.backward': 1,
  });
  assert.equal(sameModelFactor(4, 8), 0.5);
  assert.equal(sameModelFactor(4, 4), 1);
});

test('rankRuns orders by makespan, then bubble, then memory; failures last', () => {
  const r = (makespan, bubble_ratio, peak_activations) => ({ ok: true, makespan, bubble_ratio, peak_activations });
  const ranked = rankRuns([
    { strategy: 'a', result: r(33, 0.27, 4) },
    { strategy: 'bad', result: { ok: false, error: 'no' } },
    { strategy: 'b', result: r(30, 0.2, 7) },
    { strategy: 'c', result: r(30, 0.2, 4) },
    { strategy: 'd', result: r(30, 0.2, 4) },
  ]);
  assert.deepEqual(ranked.map((e) => [e.strategy, e.rank]), [['c', 1], ['d', 1], ['b', 3], ['a', 4], ['bad', null]]);
});

test('rankRuns compares memory in device shares under same model', () => {
  const r = (peak_activations) => ({ ok: true, makespan: 30, bubble_ratio: 0.2, peak_activations });
  // 11 half-size chunks hold less than 6 whole stages.
  const ranked = rankRuns([{ strategy: 'whole', result: r(6), factor: 1 }, { strategy: 'halves', result: r(11), factor: 0.5 }]);
  assert.deepEqual(ranked.map((e) => e.strategy), ['halves', 'whole']);
  assert.equal(peakShare(ranked[0]), 5.5);
});

test('work per device, "vs best" and the not-same-model check', () => {
  const run = (busy) => ({ ok: true, devices: busy.map((b) => ({ busy: b })) });
  assert.equal(workPerDevice(run([24, 24, 23])), 24);
  // 1f1b 33 against zbv 25.5 (same model): 33 / 25.5 = 1.2941
  assert.equal(vsBest(33, 25.5), '+29.4%');
  assert.equal(vsBest(25.5, 25.5), 'best');
  assert.equal(workMismatch([{ strategy: 'a', result: run([24]) }, { strategy: 'b', result: run([24]) }]), null);
  assert.deepEqual(workMismatch([{ strategy: 'a', numStages: 4, result: run([24]) }, { strategy: 'b', numStages: 8, result: run([48]) },
    { strategy: 'c', result: { ok: false } }]).map((m) => m.work), [24, 48]);
});

test('the examples run the same model: each does 1f1b 4 x 8 work per device (24 with F = 1, B = 2)', async () => {
  const { PRESETS } = await import('../../www/src/presets.js');
  for (const p of PRESETS) {
    const factor = sameModelFactor(p.config.num_devices, p.config.num_stages);
    assert.equal(p.config['op_times.forward'] ?? 1, factor, p.label);
    assert.equal(p.config['op_times.backward'] ?? 2, 2 * factor, p.label);
  }
});
