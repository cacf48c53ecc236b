// The page learns the config keys from the module (configKeys, defaultConfig): every key gets a
// kind, the defaults read back through the page's own parser to the same values, and the link
// the page writes for them is one the CLI accepts with the same resolved config.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ppemu, runCli } from './helpers.mjs';
import { createSchema } from '../../www/src/keys.js';
import { parseHash, serializeHash } from '../../www/src/state.js';

test('the module\'s keys and defaults make a schema the page parser round-trips', async () => {
  const core = await ppemu();
  const keys = core.configKeys();
  const schema = createSchema(keys, core.defaultConfig());
  assert.deepEqual(schema.keys, keys);
  for (const key of keys) assert.ok(schema.kind(key), `${key} has a kind`);
  const hash = serializeHash({ config: schema.defaults, compare: [] }, schema);
  const back = parseHash(hash, schema);
  assert.deepEqual(back.messages, []);
  assert.deepEqual(back.state.config, schema.defaults);
  // The same keys on the CLI's command line run the defaults: the JSON config is the module's.
  const args = hash.slice(1).split('&').map(decodeURIComponent);
  const cli = runCli([...args, '--format', 'json']);
  assert.equal(cli.status, 0, cli.stderr);
  assert.deepEqual(JSON.parse(cli.stdout).config, core.defaultConfig());
});
