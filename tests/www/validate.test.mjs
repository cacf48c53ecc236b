// The page's own checks and words (issue 9): a strategy it does not know, a stage that does not
// exist, the op budget with separators and a value that works, the field a message belongs to,
// and core messages without command-line flags.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkSettings } from '../../www/src/validate.js';
import { fieldForError, inPageWords, count } from '../../www/src/format.js';
import { CONFIG_KEYS } from './schema-fixture.mjs';

const STRATEGIES = [{ name: '1f1b', aliases: ['pipedream_flush'] }, { name: 'zb1p', aliases: ['zb_h1'] }];
const base = { strategy: '1f1b', num_devices: 4, num_stages: 4, num_batches: 8 };
const check = (config, extra = {}) => checkSettings({ config: { ...base, ...config }, compare: [], strategies: STRATEGIES,
  limits: { max_ops: 2097152 }, lastEdited: null, ...extra });

test('settings the page can judge pass, and each problem names its field', () => {
  assert.equal(check({}), null);
  assert.equal(check({ strategy: 'pipedream_flush' }), null);
  assert.deepEqual(check({ strategy: 'zb1q' }), {
    field: 'strategy', message: "'zb1q' is not a strategy ppemu knows; did you mean 'zb1p'? The Strategy menu lists them all.",
  });
  assert.equal(check({ strategy: 'zb1q' }, { compare: ['zb1p'] }), null, 'compare mode does not run the menu\'s strategy');
  assert.deepEqual(check({ 'op_times.forward.7': 3 }), {
    field: 'op_times.forward', message: 'op_times.forward.7 sets stage 7, but stage 7 does not exist: num_stages is 4 (stages 0–3)',
  });
});

test('the op budget: 3 x stages x microbatches, the field just edited, a value that fits', () => {
  // 2,097,152 / (3 x 64) = 10,922.67
  const over = check({ num_stages: 64, num_devices: 64, num_batches: 20000 });
  assert.equal(over.field, 'num_batches');
  assert.equal(over.message, '64 stages × 20,000 microbatches make up to 3,840,000 ops, over the page\'s limit of 2,097,152 ops; try num_batches ≤ 10,922');
  const stages = check({ num_stages: 64, num_devices: 64, num_batches: 20000 }, { lastEdited: 'num_stages' });
  assert.equal(stages.field, 'num_stages');
  assert.match(stages.message, /try num_stages ≤ 34$/);
  assert.equal(check({ num_stages: 64, num_devices: 64, num_batches: 10922 }), null);
});

test('a message\'s field is the one its first part names, not one its suggestion names', () => {
  const dualpipe = 'dualpipe needs an even num_devices (got 3): the two directions meet between the two middle devices; try num_devices=4 and num_stages=4';
  assert.equal(fieldForError(dualpipe, 'num_stages', CONFIG_KEYS), 'num_devices');
  const interleave = 'interleave needs at least two stages per device (got 4 stages on 4 devices); try num_stages=8, or strategy=1f1b';
  assert.equal(fieldForError(interleave, null, CONFIG_KEYS), 'num_stages');
});

test('core messages lose their command-line wording; counts get separators', () => {
  assert.equal(inPageWords("unknown strategy 'x' (--list-strategies lists them)"), "unknown strategy 'x'; the Strategy menu lists them all");
  assert.equal(inPageWords('bad value (see --help)'), 'bad value');
  assert.equal(count(2097152), '2,097,152');
});
