// The store under Node with a fake location/history: the link follows the state, a hash the page
// did not write is read as a fresh scenario, and the change event names what changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createStore } from '../../www/src/store.js';
import { SCHEMA } from './schema-fixture.mjs';

const STRATEGIES = [{ name: '1f1b', aliases: ['pipedream_flush'] }, { name: 'zb1p', aliases: [] }];

function fakeWindow(hash = '') {
  const listeners = {};
  const win = {
    location: { hash, pathname: '/', search: '' },
    entries: [hash],
    history: {
      replaceState(_, __, url) {
        win.location.hash = url.startsWith('#') ? url : '';
        win.entries[win.entries.length - 1] = win.location.hash;
      },
      pushState(_, __, url) {
        win.location.hash = url.startsWith('#') ? url : '';
        win.entries.push(win.location.hash);
      },
    },
    addEventListener(type, fn) { (listeners[type] ??= []).push(fn); },
    removeEventListener() {},
    navigate(next) {
      win.location.hash = next;
      for (const fn of listeners.hashchange ?? []) fn();
    },
  };
  return win;
}

function ready(win) {
  const store = createStore({ win });
  store.update({ schema: SCHEMA, strategies: STRATEGIES }, { history: 'none' });
  return store;
}

test('loadHash reads the link over the defaults, resolves aliases and rewrites the link canonically', () => {
  const win = fakeWindow('#num_batches=6&strategy=pipedream_flush&bogus=1');
  const store = ready(win);
  const seen = [];
  store.subscribe((changed, meta) => seen.push([[...changed].sort(), meta.source]));
  store.loadHash(win.location.hash);
  assert.equal(store.state.config.strategy, '1f1b');
  assert.equal(store.state.config.num_batches, 6);
  assert.equal(store.state.config.num_devices, 4);
  assert.deepEqual(store.state.linkMessages.map((m) => m.param), ['bogus']);
  assert.match(win.location.hash, /^#strategy=1f1b&num_devices=4&num_stages=4&num_batches=6&/);
  assert.equal(seen.length, 1);
  assert.ok(seen[0][0].includes('config') && seen[0][0].includes('linkMessages'));
  assert.equal(seen[0][1], 'link');
});

test('an edit rewrites the link and clears the link\'s messages; a hash written by the page is not read back', () => {
  const win = fakeWindow('#nope=1');
  const store = ready(win);
  store.listen();
  store.loadHash(win.location.hash);
  assert.equal(store.state.linkMessages.length, 1);
  const loads = store.state.linkLoad;
  store.edit({ config: { ...store.state.config, num_batches: 9 } }, { source: 'test' });
  assert.match(win.location.hash, /num_batches=9/);
  assert.deepEqual(store.state.linkMessages, []);
  win.navigate(win.location.hash);
  assert.equal(store.state.linkLoad, loads, 'the page\'s own hash is not a new scenario');
  win.navigate('#num_batches=3');
  assert.equal(store.state.linkLoad, loads + 1);
  assert.equal(store.state.config.num_batches, 3);
});

test('an update that changes nothing emits nothing', () => {
  const store = ready(fakeWindow());
  let n = 0;
  store.subscribe(() => n++);
  store.update({ notice: '' });
  assert.equal(n, 0);
  store.update({ notice: 'x' });
  assert.equal(n, 1);
});

test('a committed change gets a history entry; a field edit\'s keystrokes and its commit share one', () => {
  const win = fakeWindow('#num_batches=8');
  const store = ready(win);
  store.loadHash(win.location.hash);
  assert.equal(win.entries.length, 1);
  const set = (n, meta) => store.edit({ config: { ...store.state.config, num_batches: n } }, meta);
  set(1, { commit: false, key: 'num_batches' });
  set(12, { commit: false, key: 'num_batches' });
  set(12, { commit: true, key: 'num_batches' });
  assert.equal(win.entries.length, 2);
  store.edit({ config: { ...store.state.config, strategy: 'zb1p' } }, { commit: true, key: 'strategy' });
  assert.equal(win.entries.length, 3);
  assert.match(win.entries[1], /num_batches=12/);
  assert.doesNotMatch(win.entries[1], /zb1p/);
  store.update({ view: { t0: 1, t1: 2 } }, { history: 'replace' });
  assert.equal(win.entries.length, 3);
});

test('measured trace files are not part of the link: showing them leaves the hash alone, a link read drops them', () => {
  const win = fakeWindow('#strategy=zb1p');
  const store = ready(win);
  store.listen();
  store.loadHash(win.location.hash);
  const hash = win.location.hash;
  const entries = win.entries.length;
  store.edit({ trace: { id: 1, name: 'rank0.json', files: [{ name: 'rank0.json', text: '{}' }] } }, { source: 'traces' });
  assert.equal(win.location.hash, hash);
  assert.equal(win.entries.length, entries);
  win.navigate('#strategy=1f1b');
  assert.equal(store.state.trace, null);
  assert.equal(store.state.config.strategy, '1f1b');
});
