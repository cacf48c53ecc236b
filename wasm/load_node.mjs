// Loads the built module in Node (tests/wasm, bench). Emscripten 3.1.6's ES6 output cannot fetch
// its own .wasm under Node 20 and reads __dirname, which ES modules lack: hand it both.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** The module from `dir`/ppemu.js + ppemu.wasm (a build/site/wasm or build/wasm folder). */
export async function loadPpemu(dir) {
  const js = path.resolve(dir, 'ppemu.js');
  const wasm = path.resolve(dir, 'ppemu.wasm');
  if (!fs.existsSync(js) || !fs.existsSync(wasm)) {
    throw new Error(`no built module in ${dir}: run scripts/build-site first`);
  }
  globalThis.__dirname ??= path.dirname(js);
  const { default: createPpemu } = await import(pathToFileURL(js).href);
  return createPpemu({ wasmBinary: fs.readFileSync(wasm) });
}
