// URL-hash state: a table of good links and of garbage, as strangers would send them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseHash, serializeHash, parseOpTime, parseConfigValue, setConfigValue, flattenConfig, splitStageKey, suggestKey, searchSettingProblem,
} from '../../www/src/state.js';
import { SCHEMA } from './schema-fixture.mjs';

const good = [
  ['', {}, {}],
  ['#', {}, {}],
  ['#strategy=zb1p&num_devices=4&op_times.forward=1.5', { strategy: 'zb1p', num_devices: 4, 'op_times.forward': 1.5 }, {}],
  ['strategy=1f1b', { strategy: '1f1b' }, {}],
  ['#op_times.forward=[1,2,1,2]', { 'op_times.forward': [1, 2, 1, 2] }, {}],
  ['#op_times.forward=%5B1%2C2%5D', { 'op_times.forward': [1, 2] }, {}],
  ['#op_times.forward.3=2', { 'op_times.forward.3': 2 }, {}],
  ['#op_times.backward_D=.5&p2p_latency=1e-1', { 'op_times.backward_D': 0.5, p2p_latency: 0.1 }, {}],
  ['#microbatch_group_size_per_vp_stage=auto', {}, {}],
  ['#microbatch_group_size_per_vp_stage=8', { microbatch_group_size_per_vp_stage: 8 }, {}],
  ['#num_devices=-3', { num_devices: -3 }, {}], // a range error is the core's to report, with its message
  ['#compare=1f1b,zb1p&same_model=1', {}, { compare: ['1f1b', 'zb1p'], sameModel: true }],
  ['#compare=1f1b,zb1p&same_model=0', {}, { compare: ['1f1b', 'zb1p'], sameModel: false }],
  ['#compare=1f1b,1f1b,', {}, { compare: ['1f1b'] }],
  ['#view=0.5,12&theme=dark', {}, { view: { t0: 0.5, t1: 12 }, theme: 'dark' }],
  ['#&&strategy=gpipe&&', { strategy: 'gpipe' }, {}],
];

for (const [hash, config, app] of good) {
  test(`parseHash(${JSON.stringify(hash)}, SCHEMA) reads every part without a message`, () => {
    const { state, messages } = parseHash(hash, SCHEMA);
    assert.deepEqual(messages, []);
    assert.deepEqual(state.config, config);
    assert.deepEqual(state.compare, app.compare ?? []);
    assert.equal(state.sameModel, app.sameModel ?? null);
    assert.deepEqual(state.view, app.view ?? null);
    assert.equal(state.theme, app.theme ?? null);
  });
}

// [hash, the parameter the message must name, a word the message must contain, config kept]
const garbage = [
  ['#strategy=<script>', 'strategy', 'strategy name', {}],
  ['#strategy=%3Cscript%3Ealert(1)%3C%2Fscript%3E', 'strategy', 'strategy name', {}],
  ['#num_devices=abc', 'num_devices', 'number', {}],
  ['#num_devices=', 'num_devices', 'number', {}],
  ['#num_devices=1e999', 'num_devices', 'number', {}],
  ['#num_devices=0x10', 'num_devices', 'number', {}],
  ['#num_devices=NaN&num_batches=8', 'num_devices', 'number', { num_batches: 8 }],
  ['#op_times.forward=[1,x]', 'op_times.forward', "'x'", {}],
  ['#op_times.forward=[]', 'op_times.forward', 'at least one', {}],
  ['#op_times.forward=[1,2', 'op_times.forward', 'list', {}],
  ['#op_times.forward.3=[1]', 'op_times.forward.3', 'stage 3', {}],
  ['#op_times.forward.99999999=1', 'op_times.forward.99999999', 'not a known', {}],
  ['#op_times.bogus=1', 'op_times.bogus', 'not a known', {}],
  ['#num_device=4', 'num_device', 'num_devices', {}],
  ['#foo=1&strategy=zb1p', 'foo', 'not a known', { strategy: 'zb1p' }],
  ['#num_batches', 'num_batches', 'no value', {}],
  ['#num_batches=%E0%A4%A', 'num_batches', 'URL encoding', {}],
  ['#%E0%A4%A=1', '%E0%A4%A', 'URL encoding', {}],
  ['#compare=1f1b,<b>', 'compare', 'strategy name', {}],
  ['#same_model=yes', 'same_model', '1 or 0', {}],
  ['#view=5,1', 'view', 't0 < t1', {}],
  ['#view=a,b', 'view', 't0 < t1', {}],
  ['#view=1', 'view', 't0 < t1', {}],
  ['#theme=pink', 'theme', 'light or dark', {}],
  ['#num_batches=4&num_batches=6', 'num_batches', 'more than once', { num_batches: 6 }],
];

for (const [hash, param, word, config] of garbage) {
  test(`parseHash(${JSON.stringify(hash)}, SCHEMA) names ${param} in a message and keeps the rest`, () => {
    const { state, messages } = parseHash(hash, SCHEMA);
    const m = messages.find((x) => x.param === param);
    assert.ok(m, `no message for ${param}: ${JSON.stringify(messages)}`);
    assert.ok(m.message.includes(word), `message "${m.message}" lacks "${word}"`);
    assert.deepEqual(state.config, config);
  });
}

test('parseHash of non-strings and huge inputs returns messages, never throws', () => {
  for (const input of [undefined, null, 42, {}, '#'.repeat(300000), '=&=&=', '#=1', '#%', '#a=%']) {
    const { state, messages } = parseHash(input, SCHEMA);
    assert.equal(typeof state, 'object');
    assert.ok(Array.isArray(messages));
  }
  assert.equal(parseHash('#' + 'x'.repeat(300000), SCHEMA).messages.length, 1);
});

test('parseHash shortens a very long parameter name in its message', () => {
  const { messages } = parseHash(`#${'a'.repeat(500)}=1`, SCHEMA);
  assert.equal(messages.length, 1);
  assert.ok(messages[0].param.length <= 41);
});

test('serializeHash writes the CLI key order and reads back to the same state', () => {
  const state = {
    config: {
      'op_times.forward.3': 2, 'op_times.forward': [1, 2, 1, 2], num_batches: 8, strategy: 'zb1p',
      'op_times.backward.1': 4, 'op_times.backward': 2,
    },
    compare: ['1f1b', 'interleave'], sameModel: false, view: { t0: 1.25, t1: 30 }, theme: 'dark',
    search: { 'vary.num_batches': '1p..8p', vary: 'num_stages,num_batches', memory_cap: '6', strategies: 'zb1p,zbv' },
  };
  const hash = serializeHash(state, SCHEMA);
  assert.equal(hash, '#strategy=zb1p&num_batches=8&op_times.forward=[1,2,1,2]&op_times.backward=2'
    + '&op_times.forward.3=2&op_times.backward.1=4&compare=1f1b,interleave&same_model=0'
    + '&search.strategies=zb1p,zbv&search.memory_cap=6&search.vary=num_stages,num_batches&search.vary.num_batches=1p..8p'
    + '&view=1.25,30&theme=dark');
  const back = parseHash(hash, SCHEMA);
  assert.deepEqual(back.messages, []);
  assert.deepEqual(back.state, state);
});

test('serializeHash rounds the view to 6 significant digits', () => {
  assert.equal(serializeHash({ config: {}, view: { t0: 1 / 3, t1: 20.123456789 } }, SCHEMA), '#view=0.333333,20.1235');
});

test('parseOpTime accepts numbers and lists, and names the bad element', () => {
  assert.deepEqual(parseOpTime(' 2 '), { value: 2 });
  assert.deepEqual(parseOpTime('[1, 2.5 ,3]'), { value: [1, 2.5, 3] });
  assert.match(parseOpTime('[1,,3]').error, /'' in the list/);
  assert.match(parseOpTime('two').error, /expected a number/);
});

test('parseConfigValue leaves ranges to the core but checks syntax', () => {
  assert.deepEqual(parseConfigValue('num_stages', '0', SCHEMA), { value: 0 });
  assert.deepEqual(parseConfigValue('microbatch_group_size_per_vp_stage', '', SCHEMA), { value: undefined });
  assert.ok(parseConfigValue('strategy', 'a b', SCHEMA).error);
  assert.ok(parseConfigValue('nope', '1', SCHEMA).error);
});

test('setConfigValue drops single-stage overrides when the whole key is set', () => {
  const config = { 'op_times.forward': 1, 'op_times.forward.2': 3, 'op_times.backward.2': 5 };
  setConfigValue(config, 'op_times.forward', [1, 1, 1, 1]);
  assert.deepEqual(config, { 'op_times.forward': [1, 1, 1, 1], 'op_times.backward.2': 5 });
  setConfigValue(config, 'microbatch_group_size_per_vp_stage', undefined);
  assert.ok(!('microbatch_group_size_per_vp_stage' in config));
});

test('flattenConfig turns the CLI JSON shape into dotted keys and drops unset values', () => {
  assert.deepEqual(
    flattenConfig({ strategy: '1f1b', num_devices: 4, op_times: { forward: 1, backward: [2, 3], overlapped_forward_backward: null } }),
    { strategy: '1f1b', num_devices: 4, 'op_times.forward': 1, 'op_times.backward': [2, 3] },
  );
  assert.deepEqual(flattenConfig(null), {});
});

test('splitStageKey and suggestKey', () => {
  assert.deepEqual(splitStageKey('op_times.backward_W.7', SCHEMA), { key: 'op_times.backward_W', stage: 7 });
  assert.equal(splitStageKey('op_times.nope.1', SCHEMA), null);
  assert.equal(splitStageKey('num_devices.1', SCHEMA), null);
  assert.equal(suggestKey('num_batch', SCHEMA), 'num_batches');
  assert.equal(suggestKey('zzzzzzzzzzzz', SCHEMA), '');
});

test('parseHash reads search.KEY settings and names the ones it cannot use', () => {
  const { state, messages } = parseHash('#search.vary.num_stages=1p..8p:2&search.memory_cap=12.5&search.bogus=1&search.vary=<b>', SCHEMA);
  assert.deepEqual(state.search, { 'vary.num_stages': '1p..8p:2', memory_cap: '12.5' });
  assert.deepEqual(messages.map((m) => m.param), ['search.bogus', 'search.vary']);
  assert.match(messages[0].message, /^is not a search setting \(search.strategies, search.memory_cap, search.vary, search.vary.KEY\)$/);
  assert.match(messages[1].message, /is not a search value/);
});

test('searchSettingProblem is what the link would refuse, so the panel never writes a link that does not read back', () => {
  assert.equal(searchSettingProblem('vary.num_batches', '8..64:8'), '');
  assert.equal(searchSettingProblem('memory_cap', '12.5'), '');
  assert.match(searchSettingProblem('memory_cap', '<img src=x>'), /is not a search value/);
  assert.match(searchSettingProblem('colour', 'red'), /^is not a search setting/);
});
