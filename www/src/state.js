// The page's whole state lives in the URL hash, with the CLI's key names, so a link reproduces
// the view. Hashes come from strangers (shared links, blog posts), so parsing never throws and
// never silently drops anything: every part it cannot use comes back as a message naming it.
// This module is pure (no DOM): tests/www/state.test.mjs runs it under node.

/** Config keys in the order the CLI's --help lists them (and the URL writes them). */
export const CONFIG_KEYS = [
  'strategy',
  'num_devices',
  'num_stages',
  'num_batches',
  'p2p_latency',
  'microbatch_group_size_per_vp_stage',
  'op_times.forward',
  'op_times.backward',
  'op_times.backward_D',
  'op_times.backward_W',
  'op_times.overlapped_forward_backward',
];

export const OP_TIME_KEYS = CONFIG_KEYS.filter((k) => k.startsWith('op_times.'));
const COUNT_KEYS = ['num_devices', 'num_stages', 'num_batches', 'microbatch_group_size_per_vp_stage'];
/** Keys the page adds beside the config. */
export const APP_KEYS = ['compare', 'same_model', 'view', 'theme'];

// Far above any run the core accepts; only here so a pasted megabyte of digits is refused cheaply.
const MAX_HASH_CHARS = 200000;
const MAX_STAGE_INDEX = 65535;
const MAX_COMPARE = 32;
const NAME_RE = /^[A-Za-z0-9_-]{1,64}$/;
const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A fresh empty state: config holds only keys that were given. */
export function emptyState() {
  return { config: {}, compare: [], sameModel: false, view: null, theme: null };
}

/** Parameter names can be anything a stranger typed; keep messages short and printable. */
export function shownName(name) {
  const printable = String(name).replace(/[\u0000-\u001f\u007f]/g, '?');
  return printable.length > 40 ? `${printable.slice(0, 40)}…` : printable;
}

/** Parses one number as the CLI would accept it; null when it is not a finite number. */
export function parseNumber(text) {
  const t = String(text).trim();
  if (!NUMBER_RE.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/**
 * Parses an op time value: a number or a per-stage list `[1,2,1,2]`.
 * Returns {value} or {error} (the error says what was expected, without the key).
 */
export function parseOpTime(text) {
  const t = String(text).trim();
  if (t.startsWith('[')) {
    if (!t.endsWith(']')) return { error: `expected a list like [1,2,1,2] (got ${shownName(t)})` };
    const inner = t.slice(1, -1).trim();
    if (inner === '') return { error: 'expected at least one number in the list' };
    const parts = inner.split(',');
    if (parts.length > MAX_STAGE_INDEX + 1) return { error: `a list of ${parts.length} stages is too long` };
    const list = [];
    for (const p of parts) {
      const n = parseNumber(p);
      if (n === null) return { error: `'${shownName(p.trim())}' in the list is not a number` };
      list.push(n);
    }
    return { value: list };
  }
  const n = parseNumber(t);
  if (n === null) return { error: `expected a number or a per-stage list like [1,2,1,2] (got '${shownName(t)}')` };
  return { value: n };
}

/** Splits `op_times.forward.3` into {key: 'op_times.forward', stage: 3}; null if not that shape. */
export function splitStageKey(key) {
  const m = /^(op_times\.[A-Za-z_]+)\.(\d+)$/.exec(key);
  if (!m || !OP_TIME_KEYS.includes(m[1])) return null;
  const stage = Number(m[2]);
  if (!Number.isSafeInteger(stage) || stage > MAX_STAGE_INDEX) return null;
  return { key: m[1], stage };
}

/**
 * Checks one config value given as text (from the URL or a form field) and returns
 * {value} or {error}. Ranges and cross-key rules are the core's job: its message is the one
 * the user sees, so the page never disagrees with the CLI.
 */
export function parseConfigValue(key, text) {
  const t = String(text).trim();
  if (key === 'strategy') {
    return NAME_RE.test(t) ? { value: t } : { error: 'expected a strategy name (letters, digits, _ or -)' };
  }
  if (key === 'microbatch_group_size_per_vp_stage' && (t === 'auto' || t === '')) return { value: undefined };
  if (COUNT_KEYS.includes(key) || key === 'p2p_latency') {
    const n = parseNumber(t);
    return n === null ? { error: `expected a number (got '${shownName(t)}')` } : { value: n };
  }
  if (OP_TIME_KEYS.includes(key)) return parseOpTime(t);
  const stageKey = splitStageKey(key);
  if (stageKey) {
    const n = parseNumber(t);
    return n === null ? { error: `expected one number for stage ${stageKey.stage} (got '${shownName(t)}')` } : { value: n };
  }
  return { error: 'unknown parameter' };
}

function editDistance(a, b) {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

/** The known parameter closest to a mistyped one, or '' when none is close. */
export function suggestKey(name) {
  if (name.length > 64) return '';
  let best = '';
  let bestDistance = Infinity;
  for (const k of [...CONFIG_KEYS, ...APP_KEYS]) {
    const d = editDistance(name.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return bestDistance <= Math.max(2, Math.floor(best.length / 4)) ? best : '';
}

function decode(text) {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

/**
 * Parses a location hash (`#strategy=zb1p&num_devices=4`, with or without '#').
 * Returns {state, messages}; messages are [{param, message}] for every part not used.
 */
export function parseHash(hash) {
  const state = emptyState();
  const messages = [];
  const note = (param, message) => messages.push({ param: shownName(param), message });
  let text = typeof hash === 'string' ? hash : '';
  if (text.startsWith('#')) text = text.slice(1);
  if (text.length > MAX_HASH_CHARS) {
    note('#', `the link's settings are ${text.length} characters long; ignored all of them (at most ${MAX_HASH_CHARS})`);
    return { state, messages };
  }
  const seen = new Set();
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawName = eq < 0 ? part : part.slice(0, eq);
    const name = decode(rawName);
    if (name === null) {
      note(rawName, 'is not valid URL encoding');
      continue;
    }
    if (eq < 0) {
      note(name, 'has no value (expected name=value)');
      continue;
    }
    const raw = decode(part.slice(eq + 1));
    if (raw === null) {
      note(name, 'has a value that is not valid URL encoding');
      continue;
    }
    if (seen.has(name)) note(name, 'is given more than once; the last one is used');
    seen.add(name);
    applyParam(state, name, raw, note);
  }
  return { state, messages };
}

function applyParam(state, name, raw, note) {
  switch (name) {
    case 'compare': {
      const names = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
      const bad = names.find((s) => !NAME_RE.test(s));
      if (bad !== undefined) return note(name, `'${shownName(bad)}' is not a strategy name`);
      if (names.length > MAX_COMPARE) return note(name, `lists ${names.length} strategies; at most ${MAX_COMPARE}`);
      state.compare = [...new Set(names)];
      return;
    }
    case 'same_model':
      if (raw === '1' || raw === 'true') state.sameModel = true;
      else if (raw === '0' || raw === 'false') state.sameModel = false;
      else note(name, `expected 1 or 0 (got '${shownName(raw)}')`);
      return;
    case 'view': {
      const parts = raw.split(',');
      const t0 = parts.length === 2 ? parseNumber(parts[0]) : null;
      const t1 = parts.length === 2 ? parseNumber(parts[1]) : null;
      if (t0 === null || t1 === null || !(t1 > t0)) return note(name, `expected two times t0,t1 with t0 < t1 (got '${shownName(raw)}')`);
      state.view = { t0, t1 };
      return;
    }
    case 'theme':
      if (raw === 'light' || raw === 'dark') state.theme = raw;
      else note(name, `expected light or dark (got '${shownName(raw)}')`);
      return;
    default: {
      if (!CONFIG_KEYS.includes(name) && !splitStageKey(name)) {
        const hint = suggestKey(name);
        return note(name, `is not a known parameter${hint ? `; did you mean ${hint}?` : ''}`);
      }
      const parsed = parseConfigValue(name, raw);
      if (parsed.error) return note(name, parsed.error);
      setConfigValue(state.config, name, parsed.value);
    }
  }
}

/**
 * Sets one config key in a dotted config map, keeping it canonical: a whole per-stage value
 * replaces the single-stage overrides of that key, and `undefined` removes the key (auto).
 */
export function setConfigValue(config, key, value) {
  if (OP_TIME_KEYS.includes(key)) {
    for (const k of Object.keys(config)) {
      if (splitStageKey(k)?.key === key) delete config[k];
    }
  }
  if (value === undefined) delete config[key];
  else config[key] = Array.isArray(value) ? [...value] : value;
  return config;
}

/** Flattens the CLI JSON config shape ({op_times: {forward: 1}}) into dotted keys; null = unset. */
export function flattenConfig(nested) {
  const out = {};
  if (!nested || typeof nested !== 'object') return out;
  for (const [k, v] of Object.entries(nested)) {
    if (k === 'op_times' && v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [ok, ov] of Object.entries(v)) {
        if (ov !== null && ov !== undefined) out[`op_times.${ok}`] = Array.isArray(ov) ? [...ov] : ov;
      }
    } else if (v !== null && v !== undefined) {
      out[k] = v;
    }
  }
  return out;
}

// Shortest text that reads back to the same double; lists keep their brackets unescaped so
// links stay readable (`op_times.forward=[1,2,1,2]`).
function formatValue(value) {
  if (Array.isArray(value)) return `[${value.map((n) => String(n)).join(',')}]`;
  return String(value);
}

function encode(text) {
  return encodeURIComponent(text).replace(/%5B/g, '[').replace(/%5D/g, ']').replace(/%2C/g, ',');
}

// View bounds are written with 6 significant digits: enough to reproduce a zoom, short to share.
function roundView(t) {
  return Number(t.toPrecision(6));
}

function stageKeyOrder(a, b) {
  const sa = splitStageKey(a);
  const sb = splitStageKey(b);
  const ka = OP_TIME_KEYS.indexOf(sa.key);
  const kb = OP_TIME_KEYS.indexOf(sb.key);
  return ka !== kb ? ka - kb : sa.stage - sb.stage;
}

/** Writes a state as a hash ('#' included) in a fixed key order, so equal states give equal links. */
export function serializeHash(state) {
  const parts = [];
  const config = state.config || {};
  for (const key of CONFIG_KEYS) {
    if (config[key] !== undefined) parts.push(`${key}=${encode(formatValue(config[key]))}`);
  }
  const stageKeys = Object.keys(config).filter((k) => splitStageKey(k)).sort(stageKeyOrder);
  for (const key of stageKeys) parts.push(`${key}=${encode(formatValue(config[key]))}`);
  if (state.compare && state.compare.length) parts.push(`compare=${encode(state.compare.join(','))}`);
  if (state.sameModel) parts.push('same_model=1');
  if (state.view) parts.push(`view=${roundView(state.view.t0)},${roundView(state.view.t1)}`);
  if (state.theme) parts.push(`theme=${state.theme}`);
  return `#${parts.join('&')}`;
}
