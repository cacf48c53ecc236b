// The original PP-Emulation README's four example command lines, one click each. They run the
// same model: op times are per stage, so the interleaved example, which cuts the model into
// 8 stages on 4 devices, gets the 4-stage examples' times × 4/8 (compare.js sameModelFactor).
// Otherwise it would do twice the work per device (busy 48 against 24) and rank last for it.
const HALF = { 'op_times.forward': 0.5, 'op_times.backward': 1, 'op_times.backward_D': 0.5, 'op_times.backward_W': 0.5 };

export const PRESETS = [
  { label: '1F1B', title: 'strategy=1f1b num_devices=4 num_stages=4 num_batches=8',
    config: { strategy: '1f1b', num_devices: 4, num_stages: 4, num_batches: 8 } },
  { label: 'Interleaved 1F1B',
    title: 'strategy=interleave num_devices=4 num_stages=8 num_batches=8, op times halved: the same model as the 4-stage examples',
    config: { strategy: 'interleave', num_devices: 4, num_stages: 8, num_batches: 8, ...HALF } },
  { label: 'ZB-1P', title: 'strategy=zb1p num_devices=4 num_stages=4 num_batches=8',
    config: { strategy: 'zb1p', num_devices: 4, num_stages: 4, num_batches: 8 } },
  { label: '1F1B batch overlap', title: 'strategy=1f1b_overlap num_devices=4 num_stages=4 num_batches=8',
    config: { strategy: '1f1b_overlap', num_devices: 4, num_stages: 4, num_batches: 8 } },
];
