// The config keys and defaults as the core's WASM module reported them when these tests were
// written (configKeys(), defaultConfig()); tests/wasm/schema.test.mjs checks the page reads the
// module's live answer the same way, so the page's modules can be tested here without WASM.
import { createSchema } from '../../www/src/keys.js';

export const CONFIG_KEYS = [
  'strategy', 'num_devices', 'num_stages', 'num_batches', 'p2p_latency', 'microbatch_group_size_per_vp_stage',
  'op_times.forward', 'op_times.backward', 'op_times.backward_D', 'op_times.backward_W', 'op_times.overlapped_forward_backward',
];
export const DEFAULT_CONFIG = {
  microbatch_group_size_per_vp_stage: 4, num_batches: 8, num_devices: 4, num_stages: 4,
  op_times: { backward: 2, backward_D: 1, backward_W: 1, forward: 1, overlapped_forward_backward: null },
  p2p_latency: 0, strategy: '1f1b',
};
export const SCHEMA = createSchema(CONFIG_KEYS, DEFAULT_CONFIG);
