// The original PP-Emulation README's four example command lines, one click each.
export const PRESETS = [
  { label: '1F1B', title: 'strategy=1f1b num_devices=4 num_stages=4 num_batches=8',
    config: { strategy: '1f1b', num_devices: 4, num_stages: 4, num_batches: 8 } },
  { label: 'Interleaved 1F1B', title: 'strategy=interleave num_devices=4 num_stages=8 num_batches=8',
    config: { strategy: 'interleave', num_devices: 4, num_stages: 8, num_batches: 8 } },
  { label: 'ZB-1P', title: 'strategy=zb1p num_devices=4 num_stages=4 num_batches=8',
    config: { strategy: 'zb1p', num_devices: 4, num_stages: 4, num_batches: 8 } },
  { label: '1F1B batch overlap', title: 'strategy=1f1b_overlap num_devices=4 num_stages=4 num_batches=8',
    config: { strategy: '1f1b_overlap', num_devices: 4, num_stages: 4, num_batches: 8 } },
];
