// Projected runs in WASM: simulate() carries the CLI JSON's `projection` object and each device's
// memory in GiB, number for number, and refuses bad projection inputs with the CLI's words.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { assertSameRun, cliArgs, cliError, ppemu, runCli } from './helpers.mjs';

const core = await ppemu();

// A custom model and GPU by their keys alone (the page's presets are the same keys).
const model = {
  'model.num_layers': 8, 'model.hidden_size': 1024, 'model.num_attention_heads': 16, 'model.num_query_groups': 4,
  'model.ffn_hidden_size': 2816, 'model.vocab_size': 32000, 'model.seq_length': 2048, 'model.swiglu': true,
  'model.normalization': 'RMSNorm', 'model.add_bias_linear': false, 'model.position_embedding_type': 'rope',
  'gpu.peak_tflops': 989, 'gpu.memory_gib': 79.6, 'gpu.hbm_tbps': 3.35, 'gpu.intra_node_gbps': 450,
  'gpu.inter_node_gbps': 50, 'gpu.gpus_per_node': 8,
};

const cases = [
  { ...model, strategy: '1f1b', num_devices: 4, num_stages: 4, 'train.global_batch_size': 16 },
  { ...model, strategy: 'interleave', num_devices: 4, num_stages: 8, 'parallel.tensor_model_parallel_size': 2, 'parallel.sequence_parallel': true,
    'parallel.data_parallel_size': 2, 'train.global_batch_size': 32, 'train.recompute_granularity': 'selective' },
  { ...model, strategy: 'zbv', num_devices: 2, num_stages: 4, 'parallel.use_distributed_optimizer': true, 'parallel.data_parallel_size': 4,
    'parallel.overlap_grad_reduce': true, 'train.micro_batch_size': 2, 'train.global_batch_size': 64 },
  { ...model, strategy: 'dualpipe', num_devices: 4, num_stages: 4, num_batches: 8, 'train.recompute_granularity': 'full',
    'parallel.pipeline_model_parallel_layout': 'Et|t*3|t*3|tL' },
  { ...model, 'model.num_experts': 8, 'model.moe_router_topk': 2, 'model.moe_ffn_hidden_size': 512, strategy: '1f1b_overlap',
    num_devices: 2, num_stages: 2, 'parallel.expert_model_parallel_size': 4, 'parallel.data_parallel_size': 4, num_batches: 4 },
];

test('simulate() of a projected run equals the CLI: every op, memory in bytes, the projection object and memory_gib', () => {
  for (const config of cases) {
    const label = JSON.stringify(config);
    const cli = runCli([...cliArgs(config), '--format', 'json']);
    assert.equal(cli.status, 0, `${label}: ${cli.stderr}`);
    const json = JSON.parse(cli.stdout);
    const r = core.simulate(JSON.stringify(config));
    assertSameRun(r, json, label);
    assert.deepEqual(r.projection, json.projection, `${label}: projection`);
    assert.equal(r.projection.time_unit, 'ms');
    assert.ok(r.projection.iteration_time_s > 0 && r.projection.mfu > 0 && r.projection.mfu < 1, label);
    r.devices.forEach((d, i) => assert.deepEqual(d.memory_gib, r.projection.devices[i].memory_gib, `${label}: device ${i}`));
    assert.equal(r.projection.peak_memory_gib, Math.max(...r.devices.map((d) => d.memory_gib.peak)), label);
    assert.equal(r.projection.stages.length, config.num_stages, label);
  }
});

test('an abstract run has no projection object', () => {
  const r = core.simulate(JSON.stringify({ strategy: '1f1b' }));
  assert.equal(r.ok, true);
  assert.equal(r.projection, undefined);
  assert.equal(r.devices[0].memory_gib, undefined);
});

test('bad projection inputs fail with the CLI error, word for word', () => {
  const bad = [
    { ...model, 'parallel.tensor_model_parallel_size': 3 },
    { ...model, 'train.global_batch_size': 10, 'parallel.data_parallel_size': 4 },
    { ...model, 'model.moe_router_topk': 2 },
    { ...model, 'parallel.pipeline_model_parallel_layout': [2, 2, 2, 1] },
    { 'gpu.peak_tflops': 989 },
  ];
  for (const config of bad) {
    const cli = runCli(cliArgs(config));
    assert.equal(cli.status, 2, JSON.stringify(config));
    const r = core.simulate(JSON.stringify(config));
    assert.deepEqual({ ok: r.ok, error: r.error }, { ok: false, error: cliError(cli.stderr) }, JSON.stringify(config));
  }
});
