// How numbers and core messages reach the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fmt, pct, fieldForError, fieldsForError } from '../../www/src/format.js';
import { CONFIG_KEYS } from './schema-fixture.mjs';

test('fmt keeps at most 4 decimals and drops trailing zeros', () => {
  assert.equal(fmt(33), '33');
  assert.equal(fmt(0.2727272727), '0.2727');
  assert.equal(fmt(1.5), '1.5');
  assert.equal(fmt(-0.00001), '0');
  assert.equal(fmt(NaN), '–');
  assert.equal(fmt(undefined), '–');
  assert.equal(fmt(Infinity), '∞');
  assert.equal(fmt(123456789.5), '123456789.5');
});

test('pct shows one decimal', () => {
  assert.equal(pct(0.272727), '27.3%');
  assert.equal(pct(0), '0.0%');
  assert.equal(pct(null), '–');
});

const errors = [
  ['num_devices must be a whole number from 1 to 4096 (got -3)', 'num_devices'],
  ['op_times.backward_D gives no time for stage 3; a per-stage list or map must give all 4 stages', 'op_times.backward_D'],
  ['op_times.forward.3 is past the last stage', 'op_times.forward'],
  ['interleave needs at least two stages per device (got 4 stages on 4 devices); try num_stages=8, or strategy=1f1b', 'num_stages'],
  ["unknown strategy 'x'; known: 1f1b, zb1p", 'strategy'],
  ['the run would have 40000000 ops; at most 2000000 in the browser: lower num_batches or num_stages', 'num_batches'],
  ['', 'strategy'],
];
for (const [message, field] of errors) {
  test(`fieldForError(${JSON.stringify(message.slice(0, 30))}) is ${field}`, () => {
    assert.equal(fieldForError(message, null, CONFIG_KEYS), field);
  });
}

test('fieldForError prefers the field just edited when the message names it', () => {
  const limit = 'num_stages x num_batches = 1600000 would make up to 4800000 ops, more than the limit of 2097152';
  assert.deepEqual(fieldsForError(limit, CONFIG_KEYS), ['num_stages', 'num_batches']);
  assert.equal(fieldForError(limit, null, CONFIG_KEYS), 'num_stages');
  assert.equal(fieldForError(limit, 'num_batches', CONFIG_KEYS), 'num_batches');
  assert.equal(fieldForError(limit, 'num_devices', CONFIG_KEYS), 'num_stages');
});
