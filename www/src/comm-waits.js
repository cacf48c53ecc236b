// Which communication actions of a comms-CSV run held their rank, from a Result's `comms`
// columns (wasm/API.md): start is when the rank reached the action, end when it passed it. Pure:
// tests/www/comm-waits.test.mjs.

export const COMM_KINDS = ['SEND_F', 'RECV_F', 'SEND_B', 'RECV_B'];

/** {total, waits: [{device, action, kind, start, end, held}]}: actions with end > start, in device then time order. */
export function commWaits(comms) {
  const total = comms.device.length;
  const waits = [];
  for (let i = 0; i < total; i++) {
    const held = comms.end[i] - comms.start[i];
    if (!(held > 0)) continue;
    const kind = COMM_KINDS[comms.kind[i]] ?? `kind ${comms.kind[i]}`;
    waits.push({ device: comms.device[i], action: `${comms.stage[i]}${kind}${comms.microbatch[i]}`, kind, start: comms.start[i], end: comms.end[i], held });
  }
  waits.sort((a, b) => a.device - b.device || a.start - b.start);
  return { total, waits };
}
