import test from 'node:test';
import assert from 'node:assert/strict';
import { dependencies, prevStage, nextStage } from '../../www/src/timeline/deps.js';
import { prepareRun, rowsOfMicrobatch, deviceOfRow } from '../../www/src/timeline/run-data.js';
import { make1F1B, make1F1BOverlap, emulate } from './fixture-data.mjs';

const KINDS = ['F', 'B', 'W', 'BW', 'OV'];
function find(run, kind, stage, mb) {
  for (let i = 0; i < run.start.length; i++) {
    if (KINDS[run.kind[i]] === kind && run.stage[i] === stage && run.microbatch[i] === mb) return i;
  }
  throw new Error(`no ${kind}(${stage},${mb})`);
}
const name = (run, i) => `${KINDS[run.kind[i]]}(${run.stage[i]},${run.microbatch[i]})`;
const depNames = (run, i) => dependencies(run, i).map((d) => `${name(run, d.from)}:${d.fromHalf}->${d.toHalf}`).sort();

test('prevStage/nextStage stop at the ends of each chain', () => {
  assert.deepEqual([0, 1, 2, 3].map((s) => prevStage(s, 2)), [-1, 0, -1, 2]);
  assert.deepEqual([0, 1, 2, 3].map((s) => nextStage(s, 2)), [1, -1, 3, -1]);
});

test('dependencies in 1F1B: F needs the previous stage, BW its F and the next stage\'s BW', () => {
  const run = prepareRun(make1F1B(), '', 1);
  assert.deepEqual(depNames(run, find(run, 'F', 0, 2)), []);
  assert.deepEqual(depNames(run, find(run, 'F', 2, 5)), ['F(1,5):all->all']);
  assert.deepEqual(depNames(run, find(run, 'BW', 1, 3)), ['BW(2,3):all->all', 'F(1,3):all->all']);
  assert.deepEqual(depNames(run, find(run, 'BW', 3, 0)), ['F(3,0):all->all'], 'last stage: only its forward');
});

test('dependencies of W is its B; of B as for BW', () => {
  const run = prepareRun(make1F1B(4, 8, { F: 1, B: 1, W: 1 }, { split: true }), '', 1);
  assert.deepEqual(depNames(run, find(run, 'W', 2, 4)), ['B(2,4):all->all']);
  assert.deepEqual(depNames(run, find(run, 'B', 2, 4)), ['B(3,4):all->all', 'F(2,4):all->all']);
});

test('dependencies of an OV op are both halves\' needs, pointing at the right halves', () => {
  const run = prepareRun(make1F1BOverlap(), '', 1);
  // Device 1 runs F(1, 3+i) & BW(1, i): take the first one, F(1,3) & BW(1,0).
  const ov = find(run, 'OV', 1, 3);
  assert.equal(run.microbatch2[ov], 0);
  const deps = dependencies(run, ov).map((d) => `${name(run, d.from)}:${d.fromHalf}->${d.toHalf}`).sort();
  // F(0,3) is a plain F; BW(2,0) is the backward half of device 2's OV F(2,2)&BW(2,0); F(1,0) is plain.
  assert.deepEqual(deps, ['F(0,3):all->F', 'F(1,0):all->B', 'OV(2,2):B->B']);
});

test('dependencies follow chains: the first stage of chain 1 has no forward input', () => {
  // Two chains of two stages on two devices (a DualPipe in miniature): mb 0 visits 0→1, mb 1 visits 2→3.
  const result = emulate({
    strategy: 'chains', numDevices: 2, numStages: 4, numMicrobatches: 2, numChains: 2,
    stageDevice: [0, 1, 1, 0], times: { F: 1, BW: 2 },
    order(b) {
      b.push(0, 0, 0, 0); b.push(0, 0, 3, 1); b.push(0, 3, 3, 1); b.push(0, 3, 0, 0); b.endDevice(0);
      b.push(1, 0, 2, 1); b.push(1, 0, 1, 0); b.push(1, 3, 1, 0); b.push(1, 3, 2, 1); b.endDevice(1);
    },
  });
  const run = prepareRun(result, '', 2);
  assert.deepEqual(depNames(run, find(run, 'F', 2, 1)), []);
  assert.deepEqual(depNames(run, find(run, 'F', 3, 1)), ['F(2,1):all->all']);
  assert.deepEqual(depNames(run, find(run, 'BW', 3, 1)), ['F(3,1):all->all']);
  assert.deepEqual(depNames(run, find(run, 'BW', 1, 0)), ['F(1,0):all->all'], 'stage 1 ends chain 0: stage 2 is not next');
  assert.deepEqual(depNames(run, find(run, 'BW', 2, 1)), ['BW(3,1):all->all', 'F(2,1):all->all']);
});

test('rowsOfMicrobatch lists the whole chain of a microbatch, OV ops under both microbatches', () => {
  const run = prepareRun(make1F1BOverlap(), '', 1);
  const rows = [...rowsOfMicrobatch(run, 0)];
  // Microbatch 0: 4 forwards and 4 full backwards (some inside OV ops).
  assert.equal(rows.length, 8);
  for (const r of rows) assert.ok(run.microbatch[r] === 0 || run.microbatch2[r] === 0);
  assert.equal(rowsOfMicrobatch(run, 99).length, 0);
  assert.deepEqual(rows.map((r) => deviceOfRow(run, r)).sort(), [0, 0, 1, 1, 2, 2, 3, 3]);
});
