// YAML configs in JS, by the native reader's rules (core/yaml/yaml_json.cc), so a file gives the
// page and the CLI the same JSON for the core: YAML 1.2's core schema resolved from each plain
// scalar's own text, quoted scalars strings, mapping keys their text, duplicate keys an error, one
// document, errors "line L, column C: ...". tests/data/yaml/ is the corpus both sides must agree on.
//
// The parser is the npm package `yaml` (eemeli), passed in so that the module runs wherever its
// caller found it: the worker imports the site's vendor/yaml/index.js, Node tests import 'yaml'.

const NULL = /^(~|null|Null|NULL|)$/;
const TRUE = /^(true|True|TRUE)$/;
const FALSE = /^(false|False|FALSE)$/;
const INT = /^[-+]?[0-9]+$/;
const OCT = /^0o[0-7]+$/;
const HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const INT64_MAX = 2n ** 63n - 1n;
const STR_TAG = 'tag:yaml.org,2002:str';

// A config nests a few levels; deeper input is refused, as natively (kMaxDepth).
const MAX_DEPTH = 64;
const TOO_DEEP = 'nested more than 64 levels deep; a config needs a few';

class Failure extends Error {
  constructor(offset, message) {
    super(message);
    this.offset = offset;
  }
}

// YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution), as plain_scalar().
function plainScalar(s) {
  if (NULL.test(s)) return null;
  if (TRUE.test(s)) return true;
  if (FALSE.test(s)) return false;
  if (INT.test(s)) return Number(s);
  for (const [re, prefix] of [[OCT, '0o'], [HEX, '0x']]) {
    if (!re.test(s)) continue;
    const big = BigInt(prefix + s.slice(2));
    return big > INT64_MAX ? s : Number(big);  // beyond 64 bits it stays a word
  }
  if (FLOAT.test(s)) {
    const x = Number(s);
    return Number.isFinite(x) ? x : s;  // 1e400 stays a word, as .inf does: JSON has no infinity
  }
  return s;
}

/**
 * Binds the reader to the `yaml` package's module object.
 * @returns {{readYaml(text: string): {ok: true, json: string, value: any, lines: Object<string, number>} | {ok: false, error: string},
 *            confPresets(files: Array<{path: string, text: string}>): {ok: true, presets: Array<{group, name, json, source, description}>} | {ok: false, error: string}}}
 */
export function createYamlConfig(YAML) {
  // `at.lines` gets the line of every mapping key and list item by dotted path, as read_yaml's.
  function convert(node, path, at, depth = 0) {
    if (depth > MAX_DEPTH) throw new Failure(node?.range?.[0] ?? 0, TOO_DEEP);
    const child = (name) => (path === '' ? name : `${path}.${name}`);
    if (YAML.isAlias(node)) {
      const target = node.resolve(at.doc);
      if (!target) throw new Failure(node.range[0], 'the referenced anchor is not defined');
      return convert(target, path, at, depth);
    }
    if (node == null) return null;
    if (YAML.isScalar(node)) {
      // An explicit !!str, or a quoted or block scalar without a tag, is a string; every other
      // scalar (plain, or tagged otherwise) resolves from its text, as yaml-cpp's Tag() tells.
      if (node.tag === STR_TAG) return String(node.source);
      if (!node.tag && node.type !== 'PLAIN') return String(node.source);
      return plainScalar(String(node.source));
    }
    if (YAML.isSeq(node)) {
      return node.items.map((item, i) => {
        at.lines[child(String(i))] ??= at.lineOf(item?.range?.[0]);
        return convert(item, child(String(i)), at, depth + 1);
      });
    }
    if (YAML.isMap(node)) {
      const out = {};
      const seen = new Set();
      for (const pair of node.items) {
        let key = pair.key;
        if (YAML.isAlias(key)) key = key.resolve(at.doc) ?? key;
        const offset = key?.range?.[0] ?? pair.value?.range?.[0] ?? node.range[0];
        if (key == null || (YAML.isScalar(key) && key.type === 'PLAIN' && !key.tag && NULL.test(String(key.source))))
          throw new Failure(offset, 'a mapping key must be a name, not null');
        if (!YAML.isScalar(key)) throw new Failure(offset, 'a mapping key must be a name, not a list or mapping');
        const name = String(key.source);
        if (seen.has(name)) throw new Failure(offset, `duplicate key '${name}'`);
        seen.add(name);
        at.lines[child(name)] ??= at.lineOf(offset);
        // JSON.parse of the native output gives "__proto__" a plain own key; so must this.
        Object.defineProperty(out, name, { value: convert(pair.value, child(name), at, depth + 1), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    throw new Failure(node.range?.[0] ?? 0, 'unsupported YAML node');
  }

  function readYaml(text) {
    const lineCounter = new YAML.LineCounter();
    const position = (offset) => {
      const { line, col } = lineCounter.linePos(offset ?? 0);
      return `line ${line}, column ${col}`;
    };
    // uniqueKeys off: duplicates are found by key text below, as the native reader does ("0" and 0 collide).
    const docs = YAML.parseAllDocuments(String(text), { lineCounter, uniqueKeys: false, schema: 'core', merge: false, prettyErrors: false });
    const list = Array.isArray(docs) ? docs : [];  // an empty stream is not an array
    for (const doc of list) {
      if (!doc.errors.length) continue;
      // A key that runs over lines (`a: 1` then an over-indented `  b: 2`) is reported where it
      // ends, the line whose ':' is out of place, as yaml-cpp reports it; others where they start.
      const multiline = doc.errors.find((e) => e.code === 'MULTILINE_IMPLICIT_KEY');
      const e = multiline ?? doc.errors[0];
      // The parser reports running out of stack as an error of its own: the same words as natively.
      const message = /call stack/i.test(e.message) ? TOO_DEEP : e.message.split('\n')[0];
      return { ok: false, error: `${position(multiline ? e.pos[1] : e.pos[0])}: ${message}` };
    }
    if (list.length > 1) return { ok: false, error: `the file holds ${list.length} YAML documents; a config is one` };
    const lines = {};
    const at = { lines, doc: list[0], lineOf: (offset) => lineCounter.linePos(offset ?? 0).line };
    try {
      const value = list.length ? convert(list[0].contents, '', at) : null;
      return { ok: true, json: JSON.stringify(value), value, lines };
    } catch (e) {
      if (e instanceof Failure) return { ok: false, error: `${position(e.offset)}: ${e.message}` };
      throw e;
    }
  }

  // conf/<group>/<name>.yaml as presets, as register_embedded_presets() does natively: files
  // directly in conf/ are primary configs and skipped; a first-line comment is the description.
  function confPresets(files) {
    const presets = [];
    for (const { path, text } of files) {
      const m = /^([^/]+)\/([^/]+)\.yaml$/.exec(path);
      if (!m || m[2].length === 0) continue;
      const source = `conf/${path}`;
      const doc = readYaml(text);
      if (!doc.ok) return { ok: false, error: `${source}: ${doc.error}` };
      if (doc.value === null || typeof doc.value !== 'object' || Array.isArray(doc.value))
        return { ok: false, error: `${source}: a ${m[1]} preset must be a mapping of ${m[1]}.* keys (num_layers: 96, ...)` };
      presets.push({ group: m[1], name: m[2], json: doc.json, source, description: firstComment(text) });
    }
    return { ok: true, presets };
  }

  return { readYaml, confPresets };
}

// "# GPT-3 175B (Brown et al. 2020)" on the first line describes a preset.
function firstComment(text) {
  const line = String(text).split('\n')[0];
  if (!line.startsWith('#')) return '';
  return line.replace(/^[# ]+/, '');
}

const keyChar = (ch) => /[A-Za-z0-9_]/.test(ch);

/** The path of `lines` a config error names first (the longest at one place), or '': line_of_key_in's rule. */
export function keyNamedIn(message, lines) {
  const paths = Object.keys(lines);
  for (let i = 0; i < message.length; i++) {
    if (i > 0 && (keyChar(message[i - 1]) || message[i - 1] === '.')) continue;
    let best = '';
    for (const path of paths) {
      if (path.length <= best.length || !message.startsWith(path, i)) continue;
      const end = i + path.length;
      if (end < message.length && keyChar(message[end])) continue;
      best = path;
    }
    if (best) return best;
  }
  return '';
}

/** The line of the key a config error is about, or 0 (core/yaml/key_lines.cc). */
export function lineOfKeyIn(message, lines) {
  const key = keyNamedIn(message, lines);
  return key ? lines[key] : 0;
}

// nlohmann's object order: keys sorted by their bytes (UTF-16 units agree for ASCII keys).
const sortedKeys = (o) => Object.keys(o).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

const SPECIAL_KEY = /^(null|Null|NULL|true|True|TRUE|false|False|FALSE)$/;
const keyText = (k) => (/^([A-Za-z_][A-Za-z0-9_]*|[0-9]+)$/.test(k) && !SPECIAL_KEY.test(k) ? k : JSON.stringify(k));

function flow(v) {
  if (Array.isArray(v)) return `[${v.map(flow).join(', ')}]`;
  if (v !== null && typeof v === 'object') return `{${sortedKeys(v).map((k) => `${keyText(k)}: ${flow(v[k])}`).join(', ')}}`;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
  return JSON.stringify(v ?? null);
}

function block(object, indent, out) {
  for (const k of sortedKeys(object)) {
    const item = object[k];
    if (item !== null && typeof item === 'object' && !Array.isArray(item) && Object.keys(item).length) {
      out.push(`${indent}${keyText(k)}:`);
      block(item, `${indent}  `, out);
    } else {
      out.push(`${indent}${keyText(k)}: ${flow(item)}`);
    }
  }
}

/**
 * A config (a plain JSON value) as block YAML, byte for byte what the CLI's --cfg job writes
 * (core/yaml/yaml_write.cc): keys sorted, strings double-quoted, lists in flow style.
 */
export function toYaml(value) {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.keys(value).length) return `${flow(value)}\n`;
  const out = [];
  block(value, '', out);
  return `${out.join('\n')}\n`;
}
