// A config file in the page, both ways, by the CLI's rules: a `.yaml`/`.yml`/`.json` file read into
// the page's settings (the core resolves it, defaults list and presets included, so the page
// loads what `build/ppemu --config FILE` would run), and the run shown written back as the YAML
// `--cfg job` prints. Errors read as the CLI's: `model_A.yaml: line 5: unknown config key ...`.
// Pure (no DOM, no worker): tests/www and tests/wasm drive it under Node; the panel
// (panels/config-file.js) does the file picking and the downloading.
import { flattenConfig, familyOf } from './keys.js';
import { lineOfKeyIn, toYaml } from './yaml-config.js';
import { fileName } from './export.js';

/** File names the panel takes; anything else is refused by name. */
export const CONFIG_FILE_RE = /\.(ya?ml|json)$/i;
// A config is a few kilobytes; a per-stage map of a 65,536-stage run is under 2 MB.
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

const VISUALIZATION_PORT_NOTE = 'visualization_port is ignored (it is the port of PP-Emulation\'s Dash server; this page is a static site and needs none)';

/**
 * Reads a file's text: {ok: true, value, lines} (value: what the core is given, null for an
 * empty file; lines: dotted key path -> line, none for JSON, as the CLI) or {ok: false, error}.
 * `readYaml` is yaml-config.js's, bound to the yaml package.
 */
export function readConfigFile(name, text, readYaml) {
  if (!CONFIG_FILE_RE.test(name)) return { ok: false, error: `${name}: not a config file; expected a .yaml, .yml or .json file` };
  if (/\.json$/i.test(name)) {
    try {
      return { ok: true, value: JSON.parse(text), lines: {} };
    } catch {
      return { ok: false, error: `${name}: the config is not valid JSON` };
    }
  }
  const doc = readYaml(text);
  if (!doc.ok) return { ok: false, error: `${name}: ${doc.error}` };
  return { ok: true, value: doc.value, lines: doc.lines };
}

/** A core error about a file's config, as the CLI words it: the file, the key's line, the error. */
export function fileError(name, error, lines) {
  const line = lineOfKeyIn(error, lines);
  let text = `${name}: ${line > 0 ? `line ${line}: ` : ''}${error}`;
  // The CLI would look for conf/<group>/<name>.yaml in its config path first; the page cannot.
  const preset = /unknown (\w+) preset '([^']+)'/.exec(error);
  if (preset) {
    text += `. The page has only ppemu's built-in presets: a ${preset[1]}/${preset[2]}.yaml of your own is read by the command line (from its config path), not here; put its keys in this file instead.`;
  }
  return text;
}

// Every dotted path a file sets to something (null is "the default", as the CLI reads it).
function givenPaths(value, prefix = '', out = []) {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return out;
  for (const [k, v] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v)) givenPaths(v, path, out);
    else if (v !== null && v !== undefined) out.push(path);
  }
  return out;
}

/**
 * The page's settings (dotted keys) for a file, from the config the core resolved it to (a
 * Result's `config`): a fresh set of keys, as a link gives, holding the keys every run has, the
 * keys the file sets (per-stage maps as lists) and every key of a preset its defaults list or a
 * `model:`/`gpu:` entry selects. Keys the core derives (microbatch_group_size_per_vp_stage) or
 * a projection computes (op_times.* with a model) stay unset unless the file sets them, so the
 * page runs what the CLI runs.
 */
export function pageConfigOf(value, resolved, schema) {
  const given = givenPaths(value);
  const choices = resolved?.choices ?? {};
  const groups = Object.keys(choices).filter((g) => typeof choices[g] === 'string');
  const out = {};
  for (const [k, v] of Object.entries(flattenConfig(resolved))) {
    if (!schema.has(k)) continue;
    const set = given.some((p) => p === k || p.startsWith(`${k}.`) || k.startsWith(`${p}.`));
    if (set || k in schema.defaults || groups.includes(familyOf(k))) out[k] = v;
  }
  return out;
}

/** What the page says beside a loaded file: ignored keys and the presets it took. */
export function notesOf(value, resolved) {
  const notes = [];
  if (value && typeof value === 'object' && !Array.isArray(value) && 'visualization_port' in value) notes.push(VISUALIZATION_PORT_NOTE);
  const choices = Object.entries(resolved?.choices ?? {}).filter(([, n]) => typeof n === 'string');
  if (choices.length) {
    notes.push(`${choices.map(([g, n]) => `${g}: ${n}`).join(', ')} ${choices.length > 1 ? 'are' : 'is'} ppemu's built-in `
      + `${choices.length > 1 ? 'presets' : 'preset'} (the command line would read a ${choices.map(([g, n]) => `${g}/${n}.yaml`).join(' or ')} `
      + 'in its config path first; the page sees only the built-in ones)');
  }
  return notes;
}

/**
 * The config files for what is shown: [{name, text}], each the resolved config of a run as
 * `--cfg job` writes it. Compare mode gives one file per compared run (each is one command line
 * of the CLI: its strategy, its num_stages and its scaled op times); an imported schedule has
 * none (its run is the CSV's, which a config cannot hold) and gives {error}.
 */
export function configDownloads(shown) {
  if (!shown) return { error: 'There is no run to save yet.' };
  if (shown.mode === 'csv') {
    return { error: `The chart shows ${shown.label}, an imported schedule: its op order is the file's, which a config cannot hold. Go back to the strategy to save a config.` };
  }
  const runs = shown.mode === 'compare' ? shown.entries.filter((e) => e.result.ok).map((e) => e.result) : [shown.result];
  return { files: runs.map((r) => ({ name: fileName(r.config, 'yaml'), text: toYaml(r.config) })) };
}
