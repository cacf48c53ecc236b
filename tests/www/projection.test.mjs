// The page's side of the projection (www/src/projection.js) and what it changes in the link,
// compare mode and the ranking: a projected config sends no default op times (they would beat the
// projected ones), a preset pick keeps the user's keys, "abstract units" puts the defaults back,
// projected runs are never scaled by "same model" and rank by iteration time, and the memory step
// function reads as GiB against the capacity.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isProjectedConfig, isProjectionKey, isDerivedKey, linkDefaults, selectPreset, dropProjectedDefaults, abstractConfig,
  memorySteps, overCapacitySpans, devicesOverCapacity, timeUnitOf, sharedTimeUnit, headlineFigures, breakdownRows,
  ms, gib, countShort, percent, GIB,
} from '../../www/src/projection.js';
import { createSchema } from '../../www/src/keys.js';
import { parseHash, serializeHash } from '../../www/src/state.js';
import { rankRuns, workMismatch } from '../../www/src/compare.js';
import { computeRuns } from '../../www/src/runs.js';
import { createStore } from '../../www/src/store.js';
import { CONFIG_KEYS, DEFAULT_CONFIG } from './schema-fixture.mjs';

const PROJECTION_KEYS = ['model.num_layers', 'model.hidden_size', 'gpu.memory_gib', 'parallel.tensor_model_parallel_size',
  'train.micro_batch_size', 'train.global_batch_size', 'train.recompute_granularity'];
// The core lists the projection's groups first (core/src/config/groups.inc); configGroups() names the selections.
const SCHEMA = createSchema([...PROJECTION_KEYS, ...CONFIG_KEYS], DEFAULT_CONFIG, ['model', 'gpu']);
const DEFAULTS = SCHEMA.defaults;
const ISSUE_LINK = '#model=gpt3_175b&gpu=a100_80gb&num_devices=8&num_stages=24&strategy=interleave&parallel.tensor_model_parallel_size=8'
  + '&train.micro_batch_size=1&train.global_batch_size=64&train.recompute_granularity=full';

test('the config groups are link keys, first, each a preset name', () => {
  assert.deepEqual(SCHEMA.keys.slice(0, 3), ['model', 'gpu', 'model.num_layers']);
  assert.equal(SCHEMA.kind('model'), 'word');
  assert.equal(SCHEMA.optional('model'), true);
  const { state, messages } = parseHash(ISSUE_LINK, SCHEMA);
  assert.deepEqual(messages, []);
  assert.equal(state.config.model, 'gpt3_175b');
  assert.equal(state.config['train.recompute_granularity'], 'full');
  assert.equal(serializeHash(state, SCHEMA), '#model=gpt3_175b&gpu=a100_80gb&parallel.tensor_model_parallel_size=8&train.micro_batch_size=1'
    + '&train.global_batch_size=64&train.recompute_granularity=full&strategy=interleave&num_devices=8&num_stages=24');
  assert.match(parseHash('#model=<b>', SCHEMA).messages[0].message, /expected a name/);
});

test('which keys and configs are the projection\'s', () => {
  assert.equal(isProjectedConfig({ model: 'gpt3_175b' }), true);
  assert.equal(isProjectedConfig({ 'model.num_layers': 4 }), true, 'a custom model needs no preset');
  assert.equal(isProjectedConfig({ gpu: 'h100_sxm', 'op_times.forward': 1 }), false, 'a GPU alone projects nothing');
  assert.equal(isProjectedConfig({ model: undefined }), false);
  for (const k of ['model', 'gpu', 'gpu.memory_gib', 'parallel.sequence_parallel', 'train.precision']) assert.equal(isProjectionKey(k), true, k);
  for (const k of ['strategy', 'num_batches', 'op_times.forward']) assert.equal(isProjectionKey(k), false, k);
  for (const k of ['op_times.forward', 'op_times.forward.3', 'op_memory.static', 'p2p_latency']) assert.equal(isDerivedKey(k), true, k);
  assert.equal(isDerivedKey('num_stages'), false);
});

test('a projected link takes no default op time, latency or (with a global batch) num_batches', () => {
  const plain = linkDefaults(DEFAULTS, { num_batches: 3 });
  assert.deepEqual(plain, DEFAULTS);
  const projected = linkDefaults(DEFAULTS, { model: 'gpt3_175b', 'train.global_batch_size': 64 });
  assert.deepEqual(Object.keys(projected).sort(), ['num_devices', 'num_stages', 'strategy']);
  // Without a global batch size the default microbatch count still applies.
  assert.equal(linkDefaults(DEFAULTS, { model: 'gpt3_175b' }).num_batches, 8);
});

test('picking a preset keeps the user\'s keys and drops only the defaults the projection computes', () => {
  const abstract = { ...DEFAULTS, 'op_times.forward': 3, 'train.global_batch_size': 64 };
  const picked = selectPreset(abstract, 'model', 'llama3_70b', DEFAULTS);
  assert.equal(picked.model, 'llama3_70b');
  assert.equal(picked['op_times.forward'], 3, 'a time the user set wins over the projection, as in the CLI');
  for (const k of ['op_times.backward', 'op_times.backward_D', 'op_times.backward_W', 'p2p_latency', 'num_batches']) assert.equal(k in picked, false, k);
  assert.equal(picked.num_devices, 4);
  const again = selectPreset({ ...picked, 'model.num_layers': 40 }, 'model', 'gpt3_175b', DEFAULTS);
  assert.equal(again.model, 'gpt3_175b');
  assert.equal(again['model.num_layers'], 40, 'model.* given win over the preset');
  const none = selectPreset(again, 'model', '', DEFAULTS);
  assert.equal('model' in none, false);
  assert.equal(none['model.num_layers'], 40, 'still a custom model');
  assert.deepEqual(dropProjectedDefaults({ ...DEFAULTS }, DEFAULTS), DEFAULTS, 'an abstract config keeps its defaults');
});

test('abstract units drop every projection key and put the defaults back', () => {
  const projected = { model: 'gpt3_175b', gpu: 'a100_80gb', 'model.num_layers': 40, 'parallel.tensor_model_parallel_size': 8,
    'train.global_batch_size': 64, strategy: 'interleave', num_devices: 8, num_stages: 24, 'op_times.forward': 3 };
  assert.deepEqual(abstractConfig(projected, DEFAULTS), {
    strategy: 'interleave', num_devices: 8, num_stages: 24, 'op_times.forward': 3,
    num_batches: 8, p2p_latency: 0, 'op_times.backward': 2, 'op_times.backward_D': 1, 'op_times.backward_W': 1,
  });
});

// Device 0 holds 40 GiB of weights and state, then two activations of 30 GiB: over 80 GiB from 2 to 3 ms.
const MEMORY_RUN = {
  ok: true, makespan: 5, num_devices: 2,
  memory: {
    offset: Uint32Array.from([0, 4, 6]),
    time: Float64Array.from([0, 1, 2, 3, 0, 1]),
    used: Float64Array.from([40, 70, 100, 40, 10, 10].map((g) => g * GIB)),
  },
  projection: { time_unit: 'ms', memory_capacity_gib: 80, devices: [{ device: 0, fits: false }, { device: 1, fits: true }] },
};

test('the memory step function in GiB, the spans over capacity and the devices flagged', () => {
  const steps = memorySteps(MEMORY_RUN, 0);
  assert.deepEqual(steps, [{ t0: 0, t1: 1, gib: 40 }, { t0: 1, t1: 2, gib: 70 }, { t0: 2, t1: 3, gib: 100 }, { t0: 3, t1: 5, gib: 40 }]);
  assert.deepEqual(overCapacitySpans(steps, 80), [{ t0: 2, t1: 3 }]);
  assert.deepEqual(overCapacitySpans(steps, 100), [], 'at the capacity is not over it');
  // Equal neighbours merge; the last step lasts to the makespan.
  assert.deepEqual(memorySteps(MEMORY_RUN, 1), [{ t0: 0, t1: 5, gib: 10 }]);
  // Merging sub-pixel steps keeps the largest value, so a peak never disappears from the chart.
  assert.deepEqual(memorySteps(MEMORY_RUN, 0, { minSpan: 2.5 }), [{ t0: 0, t1: 3, gib: 100 }, { t0: 3, t1: 5, gib: 40 }]);
  assert.deepEqual(memorySteps(MEMORY_RUN, 2), []);
  assert.deepEqual(devicesOverCapacity(MEMORY_RUN), [0]);
  assert.equal(timeUnitOf(MEMORY_RUN), 'ms');
  assert.equal(timeUnitOf({ ok: true, makespan: 33 }), '');
  assert.equal(sharedTimeUnit([MEMORY_RUN, { ok: true }]), '', 'a projected and an abstract run share no unit');
});

// The issue's GPT-3 run as build/ppemu --format json gives it (figures rounded as the CLI prints them).
const GPT3 = {
  time_unit: 'ms', num_gpus: 64, global_batch_size: 64, tokens_per_iteration: 131072, tokens_per_s: 7569.374646137543,
  tflops_per_gpu: 125.59809432166544, tflops_per_gpu_full_attention: 127.31250027287828, hardware_tflops_per_gpu: 169.60118040279494,
  mfu: 0.40255799462072256, mfu_full_attention: 0.40805288548999447, hfu: 0.5435935269320351,
  peak_memory_gib: 53.50314712524414, memory_capacity_gib: 80, fits: true, iteration_time_s: 17.316093617704954,
  breakdown: { critical_device: 0, makespan_ms: 17233.903474610655, grad_reduce_exposed_ms: 13.981013333333333,
    optimizer_step_ms: 68.20912976096552, param_gather_ms: 0, iteration_time_ms: 17316.093617704955 },
  devices: [{ device: 0, end_ms: 17233.903474610655, fits: true }],
};

test('the projection card\'s figures: both causal conventions, and a breakdown that adds up', () => {
  const figures = Object.fromEntries(headlineFigures(GPT3).map((f) => [f.testid, f]));
  assert.equal(figures['iteration-time'].value, '17316.09 ms');
  assert.equal(figures['tokens-per-s'].value, '7,569');
  assert.equal(figures['tflops-per-gpu'].value, '125.6');
  assert.equal(figures['tflops-per-gpu'].extra, '(127.3 without halving)');
  assert.equal(figures.mfu.value, '40.3%');
  assert.equal(figures.mfu.extra, '(40.8% without halving causal attention)');
  assert.equal(figures['peak-memory'].value, '53.50 GiB');
  assert.equal(figures.fits.value, 'yes');
  assert.equal(headlineFigures({ ...GPT3, mfu_full_attention: GPT3.mfu }).find((f) => f.testid === 'mfu').extra, '', 'one convention when they agree');
  const rows = breakdownRows(GPT3);
  assert.deepEqual(rows.map(([, v]) => v), [17233.903474610655, 13.981013333333333, 68.20912976096552, 17316.093617704955]);
  assert.ok(Math.abs(rows[0][1] + rows[1][1] + rows[2][1] - rows[3][1]) < 1e-9);
  assert.equal(ms(17316.093617704955), '17316.09');
  assert.equal(ms(0.5054674051282051), '0.5055');
  assert.equal(gib(53.50314712524414), '53.50');
  assert.equal(countShort(174604259328), '174.6B');
  assert.equal(countShort(1010030592), '1B');
  assert.equal(percent(0.40255799462072256), '40.3%');
});

const projectedRun = (strategy, makespanMs, iterationMs, peakGib) => ({
  strategy, result: { ok: true, makespan: makespanMs, bubble_ratio: 0.1, peak_activations: 9,
    projection: { peak_memory_gib: peakGib, fits: peakGib <= 80, iteration_time_s: iterationMs / 1e3, breakdown: { iteration_time_ms: iterationMs } } },
});

test('projected runs rank by iteration time, then peak memory, and are never "not the same model"', () => {
  // b finishes its schedule first but hides less of the reduction: the iteration decides.
  const ranked = rankRuns([projectedRun('a', 100, 120, 50), projectedRun('b', 95, 125, 40), projectedRun('c', 100, 120, 45)]);
  assert.deepEqual(ranked.map((e) => [e.strategy, e.rank]), [['c', 1], ['a', 2], ['b', 3]]);
  const differentWork = [projectedRun('a', 100, 120, 50), projectedRun('b', 95, 125, 40)];
  differentWork[0].result.devices = [{ busy: 80 }];
  differentWork[1].result.devices = [{ busy: 90 }];
  assert.equal(workMismatch(differentWork), null);
});

test('compare mode scales no op time of a projected run, whatever "same model" says', async () => {
  const calls = [];
  const engine = { async simulate(config) { calls.push(config); return { ok: true, strategy: config.strategy, makespan: 1, bubble_ratio: 0, peak_activations: 1 }; } };
  const strategies = [{ name: '1f1b', constraints: 'num_stages = num_devices' }, { name: 'zbv', constraints: 'num_stages = 2 x num_devices' }];
  const config = { model: 'gpt3_175b', gpu: 'a100_80gb', strategy: '1f1b', num_devices: 4, num_stages: 4, 'op_times.forward': 3 };
  const out = await computeRuns(engine, { config, compare: ['1f1b', 'zbv'], sameModel: true }, strategies);
  assert.deepEqual(out.entries.map((e) => [e.strategy, e.numStages, e.factor]), [['1f1b', 4, 1], ['zbv', 8, 1]]);
  assert.deepEqual(calls.map((c) => c['op_times.forward']), [3, 3], 'a given time is resampled, never scaled');
  assert.ok(out.entries.every((e) => !/×/.test(e.label)));
  // The same config without a model is scaled as before (× num_devices / num_stages).
  calls.length = 0;
  const { model, gpu, ...abstract } = config;
  await computeRuns(engine, { config: abstract, compare: ['1f1b', 'zbv'], sameModel: true }, strategies);
  assert.deepEqual(calls.map((c) => c['op_times.forward']), [3, 1.5]);
});

test('the store reads a projected link without the default op times, and writes it back as given', () => {
  const win = {
    location: { hash: ISSUE_LINK, pathname: '/', search: '' },
    history: { replaceState(_, __, url) { win.location.hash = url; }, pushState(_, __, url) { win.location.hash = url; } },
    addEventListener() {}, removeEventListener() {},
  };
  const store = createStore({ win });
  store.update({ schema: SCHEMA, strategies: [{ name: 'interleave', aliases: [] }] }, { history: 'none' });
  store.loadHash(win.location.hash);
  const { config } = store.state;
  for (const k of ['op_times.forward', 'p2p_latency', 'num_batches']) assert.equal(k in config, false, k);
  assert.equal(config.num_devices, 8);
  assert.doesNotMatch(win.location.hash, /op_times|p2p_latency|num_batches/);
  store.loadHash('#num_devices=8');
  assert.equal(store.state.config['op_times.forward'], 1, 'without a model the defaults apply as before');
});
