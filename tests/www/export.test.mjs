// What leaves the page: the embed snippet (its height and its two-line sizing script) and one
// trace made of the compared runs' traces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { embedSnippet, embedHeightPx, mergeTraces, EMBED_FOOT_PX } from '../../www/src/export.js';

test('the embed snippet: escaped source, the height given, a script that trusts only the site\'s origin', () => {
  const s = embedSnippet('https://example.org/ppemu/#a=1&b="2"', { height: 233.2 });
  const [frame, line1, line2] = s.split('\n');
  assert.match(frame, /^<iframe src="https:\/\/example\.org\/ppemu\/embed\.html#a=1&amp;b=%222%22" [^>]*height="233"/);
  assert.match(line1, /^<script>addEventListener\("message",function\(e\)\{if\(e\.origin!=="https:\/\/example\.org"/);
  assert.match(line2, /f\.style\.height=e\.data\.height\+"px"\}\)\}\);<\/script>$/);
  assert.equal(embedHeightPx(234), 234 + EMBED_FOOT_PX);
});

test('mergeTraces gives each run its own process, named by its label', () => {
  const trace = (name) => JSON.stringify({ displayTimeUnit: 'ms', traceEvents: [
    { name: 'process_name', ph: 'M', pid: 0, args: { name } }, { name: 'F0', ph: 'X', pid: 0, tid: 0, ts: 0, dur: 1000 }] });
  const merged = JSON.parse(mergeTraces([trace('ppemu zbv'), trace('ppemu 1f1b')], ['zbv · 8 stages', '1f1b · 4 stages']));
  assert.deepEqual(merged.traceEvents.filter((e) => e.name === 'process_name').map((e) => [e.pid, e.args.name]),
    [[0, 'zbv · 8 stages'], [1, '1f1b · 4 stages']]);
  assert.deepEqual(merged.traceEvents.filter((e) => e.ph === 'X').map((e) => e.pid), [0, 1]);
});
