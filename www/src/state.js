// The page's whole state lives in the URL hash, with the CLI's key names, so a link reproduces
// the view. Hashes come from strangers (shared links, blog posts), so parsing never throws and
// never silently drops anything: every part it cannot use comes back as a message naming it.
// Which config keys exist and what they take comes from the core (keys.js createSchema); without
// a schema (before the worker has loaded) only the page's own keys are read, so the theme still
// applies at once. Pure (no DOM): tests/www/state.test.mjs runs it under node.
import { familyOf, flattenConfig } from './keys.js';

export { flattenConfig };

/** Keys the page adds beside the config. */
export const APP_KEYS = ['compare', 'same_model', 'view', 'theme'];
const PER_STAGE_FAMILIES = ['op_times', 'op_memory'];

// Far above any run the core accepts; only here so a pasted megabyte of digits is refused cheaply.
const MAX_HASH_CHARS = 200000;
const MAX_STAGE_INDEX = 65535;
const MAX_COMPARE = 32;
const NAME_RE = /^[A-Za-z0-9_-]{1,64}$/;
const WORD_RE = /^[A-Za-z0-9_.-]{1,64}$/;
const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A fresh empty state: config holds only keys that were given. sameModel is null until the link
 * or the user sets it: compare mode then runs the same model (sameModelOf), because strategies
 * with different stage counts at the same per-stage times do different amounts of work.
 */
export function emptyState() {
  return { config: {}, compare: [], sameModel: null, view: null, theme: null, search: {} };
}

// "Find the best" settings ride in the link as `search.KEY=VALUE` with the CLI's search keys
// (search.strategies, search.memory_cap, search.vary, search.vary.num_stages=1p..8p); the core
// judges their meaning when the search starts (searchPlan), so here only their shape is checked.
const SEARCH_KEY_RE = /^(strategies|memory_cap|vary|vary\.[A-Za-z0-9_.]{1,64})$/;
const SEARCH_VALUE_RE = /^[A-Za-z0-9_.,:*+\- ]{0,400}$/;
const SEARCH_ORDER = ['strategies', 'memory_cap', 'vary'];

/** Why `search.KEY=text` cannot be a search setting, or '' when it can (the panel checks typing with it). */
export function searchSettingProblem(key, text) {
  if (!SEARCH_KEY_RE.test(key)) return 'is not a search setting (search.strategies, search.memory_cap, search.vary, search.vary.KEY)';
  if (!SEARCH_VALUE_RE.test(text)) return `'${shownName(text)}' is not a search value (e.g. 1f1b,zb1p or 1p..8p or 8,16,32)`;
  return '';
}

function applySearchParam(state, name, raw, note) {
  const key = name.slice('search.'.length);
  const problem = searchSettingProblem(key, raw);
  if (problem) return note(name, problem);
  state.search = { ...state.search, [key]: raw };
}

/** The search settings in link order: strategies, memory_cap, vary, then vary.KEY by key. */
export function searchParams(search) {
  const keys = Object.keys(search || {}).filter((k) => search[k] !== undefined && search[k] !== '');
  keys.sort((a, b) => {
    const ia = SEARCH_ORDER.indexOf(a);
    const ib = SEARCH_ORDER.indexOf(b);
    if (ia >= 0 || ib >= 0) return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
    return a < b ? -1 : a > b ? 1 : 0;
  });
  return keys.map((k) => [`search.${k}`, String(search[k])]);
}

/** Whether compare mode runs "same model" (the default) for this state. */
export function sameModelOf(state) {
  return state.sameModel !== false;
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

/** True for a key of a per-stage family (op_times.forward, op_memory.activation, ...). */
export function isStageTimesKey(key, schema = null) {
  if (schema) return schema.kind(key) === 'stage-times';
  return PER_STAGE_FAMILIES.includes(familyOf(key)) && key.split('.').length === 2;
}

/**
 * Splits `op_times.forward.3` into {key: 'op_times.forward', stage: 3}; null if not that shape.
 * With a schema the key must be one of its per-stage keys.
 */
export function splitStageKey(key, schema = null) {
  const m = /^([A-Za-z_]+\.[A-Za-z_]+)\.(\d+)$/.exec(key);
  if (!m || !isStageTimesKey(m[1], schema)) return null;
  const stage = Number(m[2]);
  if (!Number.isSafeInteger(stage) || stage > MAX_STAGE_INDEX) return null;
  return { key: m[1], stage };
}

/** The per-stage keys a config uses (whole keys, not their single-stage overrides). */
export function stageTimesKeysOf(config) {
  const out = new Set();
  for (const k of Object.keys(config)) {
    const sk = splitStageKey(k);
    if (sk) out.add(sk.key);
    else if (isStageTimesKey(k)) out.add(k);
  }
  return [...out];
}

function parseBool(t) {
  if (t === 'true' || t === '1') return { value: true };
  if (t === 'false' || t === '0') return { value: false };
  return { error: `expected true or false (got '${shownName(t)}')` };
}

/** A key with no default: the value's own shape decides, and the core judges it. */
function parseAny(t) {
  if (t.startsWith('[')) return parseOpTime(t);
  const n = parseNumber(t);
  if (n !== null) return { value: n };
  if (t === 'true' || t === 'false') return { value: t === 'true' };
  return WORD_RE.test(t) ? { value: t } : { error: `expected a number, a list, true/false or a name (got '${shownName(t)}')` };
}

/**
 * Checks one config value given as text (from the URL or a form field) and returns
 * {value} or {error}. Ranges and cross-key rules are the core's job: its message is the one
 * the user sees, so the page never disagrees with the CLI. An optional key takes '' or 'auto'
 * as "unset" (value undefined).
 */
export function parseConfigValue(key, text, schema) {
  const t = String(text).trim();
  const stageKey = schema.has(key) ? null : splitStageKey(key, schema);
  if (!schema.has(key) && !stageKey) return { error: 'unknown parameter' };
  if (!stageKey && schema.optional(key) && (t === '' || t === 'auto')) return { value: undefined };
  const kind = stageKey ? 'number' : schema.kind(key);
  if (t === '') {
    const what = { word: 'a name', bool: 'true or false', 'stage-times': 'a number or a per-stage list' }[kind] ?? 'a number';
    return { error: `is empty; type ${what}` };
  }
  if (stageKey) {
    const n = parseNumber(t);
    return n === null ? { error: `expected one number for stage ${stageKey.stage} (got '${shownName(t)}')` } : { value: n };
  }
  switch (kind) {
    case 'word':
      if (key === 'strategy') return NAME_RE.test(t) ? { value: t } : { error: 'expected a strategy name (letters, digits, _ or -)' };
      return WORD_RE.test(t) ? { value: t } : { error: `expected a name (letters, digits, _, . or -; got '${shownName(t)}')` };
    case 'number': {
      const n = parseNumber(t);
      return n === null ? { error: `expected a number (got '${shownName(t)}')` } : { value: n };
    }
    case 'bool':
      return parseBool(t);
    case 'stage-times':
      return parseOpTime(t);
    default:
      return parseAny(t);
  }
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

/** The candidate closest to a mistyped name, or '' when none is close. */
export function closestName(name, candidates) {
  if (name.length > 64) return '';
  let best = '';
  let bestDistance = Infinity;
  for (const k of candidates) {
    const d = editDistance(name.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return bestDistance <= Math.max(2, Math.floor(best.length / 4)) ? best : '';
}

/** The known parameter closest to a mistyped one, or '' when none is close. */
export function suggestKey(name, schema) {
  return closestName(name, [...(schema?.keys ?? []), ...APP_KEYS]);
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
 * Without a schema, config keys are skipped without a message (they are read again once the
 * worker has said which keys exist).
 */
export function parseHash(hash, schema = null) {
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
    if (name.trim() === '') {
      const value = eq < 0 ? '' : shownName(part.slice(eq + 1));
      note('(no name)', `'=${value}' has no parameter name before '='; expected name=value, e.g. num_batches=${value || '8'}`);
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
    applyParam(state, name, raw, note, schema);
  }
  return { state, messages };
}

function applyParam(state, name, raw, note, schema) {
  switch (name) {
    case 'compare': {
      const names = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
      const bad = names.find((s) => !NAME_RE.test(s));
      if (bad !== undefined) return note(name, `'${shownName(bad)}' is not a strategy name`);
      // A list pasted together from several links repeats names; only distinct ones count.
      const distinct = [...new Set(names)];
      if (distinct.length > MAX_COMPARE) return note(name, `lists ${distinct.length} different strategies; at most ${MAX_COMPARE}`);
      state.compare = distinct;
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
      if (name.startsWith('search.')) return applySearchParam(state, name, raw, note);
      if (!schema) return;
      if (!schema.has(name) && !splitStageKey(name, schema)) {
        const hint = suggestKey(name, schema);
        return note(name, `is not a known parameter${hint ? `; did you mean ${hint}?` : ''}`);
      }
      const parsed = parseConfigValue(name, raw, schema);
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
  if (isStageTimesKey(key)) {
    for (const k of Object.keys(config)) {
      if (splitStageKey(k)?.key === key) delete config[k];
    }
  }
  if (value === undefined) delete config[key];
  else config[key] = Array.isArray(value) ? [...value] : value;
  return config;
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

/**
 * View bounds with 6 significant digits, or more when the window is narrow next to where it
 * sits: enough to reproduce the zoom to a thousandth of its width, short to share.
 */
export function formatView(view) {
  const span = view.t1 - view.t0;
  const mag = Math.max(Math.abs(view.t0), Math.abs(view.t1));
  const needed = span > 0 && mag > 0 ? Math.ceil(Math.log10(mag / span)) + 4 : 6;
  const digits = Math.min(17, Math.max(6, needed));
  const round = (t) => Number(t.toPrecision(digits));
  return `${round(view.t0)},${round(view.t1)}`;
}

function stageKeyOrder(order) {
  return (a, b) => {
    const sa = splitStageKey(a);
    const sb = splitStageKey(b);
    const ka = order.indexOf(sa.key);
    const kb = order.indexOf(sb.key);
    return ka !== kb ? ka - kb : sa.stage - sb.stage;
  };
}

/**
 * Writes a state as a hash ('#' included) in a fixed key order (the core's key order), so
 * equal states give equal links. Keys the schema does not know are left out.
 */
export function serializeHash(state, schema) {
  const parts = [];
  const config = state.config || {};
  const keys = schema?.keys ?? [];
  for (const key of keys) {
    if (config[key] !== undefined) parts.push(`${key}=${encode(formatValue(config[key]))}`);
  }
  const stageKeys = Object.keys(config).filter((k) => splitStageKey(k, schema) && keys.includes(splitStageKey(k).key))
    .sort(stageKeyOrder(keys));
  for (const key of stageKeys) parts.push(`${key}=${encode(formatValue(config[key]))}`);
  if (state.compare && state.compare.length) parts.push(`compare=${encode(state.compare.join(','))}`);
  if (state.sameModel === false) parts.push('same_model=0');
  for (const [k, v] of searchParams(state.search)) parts.push(`${k}=${encode(v)}`);
  if (state.view) parts.push(`view=${formatView(state.view)}`);
  if (state.theme) parts.push(`theme=${state.theme}`);
  return `#${parts.join('&')}`;
}
