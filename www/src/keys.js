// The config keys as the core reports them (the worker's `configKeys` and `defaultConfig`), turned
// into what the page needs to read, check and write them: their order, what kind of value each
// takes, which are optional. Nothing here lists the keys themselves, so a key the core adds
// (model.*, gpu.*, op_memory.*, ...) reaches the link, the form and the parser without a page
// change. Pure: tests/www run it under Node.

/** Families whose keys take a number, a per-stage list or map, and `key.<stage>` overrides. */
const PER_STAGE_FAMILIES = ['op_times', 'op_memory'];
/**
 * Keys the core resolves from other keys: defaultConfig shows their resolved value (the group
 * size equals num_devices there); the page keeps them "auto" until the user sets them.
 */
const RESOLVED_FROM_OTHERS = ['microbatch_group_size_per_vp_stage'];
const MAX_KEY_CHARS = 128;

/** Flattens the CLI JSON config shape ({op_times: {forward: 1}}) into dotted keys; null = unset. */
export function flattenConfig(nested, prefix = '', out = {}) {
  if (!nested || typeof nested !== 'object' || Array.isArray(nested)) return out;
  for (const [k, v] of Object.entries(nested)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v)) flattenConfig(v, key, out);
    else if (v !== null && v !== undefined) out[key] = Array.isArray(v) ? [...v] : v;
  }
  return out;
}

/** The family of a dotted key: 'op_times' for op_times.forward, '' for a top-level key. */
export function familyOf(key) {
  const dot = key.indexOf('.');
  return dot < 0 ? '' : key.slice(0, dot);
}

/**
 * Schema from the worker's reply. kind(key) is one of
 *   'word'        a name (strategy, a preset name)
 *   'number'      one number (counts, latencies)
 *   'bool'        true or false
 *   'stage-times' a number or a per-stage list (op_times.*, op_memory.*)
 *   'any'         a key with no default: number, list, bool or name, the core judges
 * optional(key): the key may be unset ("auto"): it has no default, or the core derives it.
 * configGroups (the worker's `configGroups`: model, gpu) are keys too, first, each a preset name
 * (`model=gpt3_175b`), as the CLI reads a selection before the keys it fills.
 */
export function createSchema(configKeys, defaultConfig, configGroups = []) {
  const seen = new Set();
  const keys = [];
  const groups = (Array.isArray(configGroups) ? configGroups : []).filter((g) => typeof g === 'string' && /^[a-z_]{1,32}$/.test(g));
  for (const k of [...groups, ...(Array.isArray(configKeys) ? configKeys : [])]) {
    if (typeof k === 'string' && k && k.length <= MAX_KEY_CHARS && !seen.has(k)) {
      seen.add(k);
      keys.push(k);
    }
  }
  const resolved = flattenConfig(defaultConfig);
  const defaults = {};
  const kinds = new Map();
  const optional = new Set();
  for (const key of keys) {
    const d = resolved[key];
    let kind = 'any';
    if (PER_STAGE_FAMILIES.includes(familyOf(key))) kind = 'stage-times';
    else if (typeof d === 'number') kind = 'number';
    else if (typeof d === 'boolean') kind = 'bool';
    else if (typeof d === 'string' || groups.includes(key)) kind = 'word';
    kinds.set(key, kind);
    if (d === undefined || RESOLVED_FROM_OTHERS.includes(key)) optional.add(key);
    else defaults[key] = Array.isArray(d) ? [...d] : d;
  }
  const stageKeys = keys.filter((k) => kinds.get(k) === 'stage-times');
  return {
    keys,
    /** The defaults the page starts from (derived keys left out: they show as auto). */
    defaults,
    stageKeys,
    has: (key) => kinds.has(key),
    kind: (key) => kinds.get(key) ?? null,
    optional: (key) => optional.has(key),
    /** Top-level keys first, then each family in the core's order: how the form groups them. */
    families() {
      const out = [];
      for (const k of keys) if (!out.includes(familyOf(k))) out.push(familyOf(k));
      return out;
    },
  };
}
