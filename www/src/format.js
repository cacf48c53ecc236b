// Numbers and messages as the page shows them. Pure: tests/www/format.test.mjs.

/** A time or ratio with at most 4 decimals and no trailing zeros: 33, 0.2727, 1.5. */
export function fmt(n) {
  if (typeof n !== 'number' || Number.isNaN(n)) return '–';
  if (!Number.isFinite(n)) return n > 0 ? '∞' : '−∞';
  const rounded = Math.round(n * 1e4) / 1e4;
  // Huge makespans keep their digits rather than switching to exponent form.
  return Math.abs(rounded) >= 1e21 ? n.toPrecision(6) : String(rounded === 0 ? 0 : rounded);
}

/** A ratio as a percentage with one decimal: 0.272727 -> "27.3%". */
export function pct(ratio) {
  if (typeof ratio !== 'number' || !Number.isFinite(ratio)) return '–';
  return `${(ratio * 100).toFixed(1)}%`;
}

/**
 * The form fields a core error names, in the order it names them (the core names the key or
 * suggests one, e.g. "try num_stages=8"); ['strategy'] when it names none, because the
 * remaining messages are a strategy's own constraints. keys: the config keys (schema.keys).
 */
export function fieldsForError(message, keys) {
  const text = String(message || '');
  const found = [];
  // Longer keys first so 'op_times.backward_D' is not read as 'op_times.backward'.
  for (const key of [...keys].sort((a, b) => b.length - a.length)) {
    const re = new RegExp(`(^|[^A-Za-z_.])${key.replace(/\./g, '\\.')}(?![A-Za-z_])`);
    const m = re.exec(text);
    if (m) found.push([m.index, key]);
  }
  found.sort((a, b) => a[0] - b[0]);
  return found.length ? found.map(([, key]) => key) : ['strategy'];
}

/**
 * The one field to mark. A message says what is wrong, then often what would work ("...; try
 * num_devices=4 and num_stages=4"): the field is one the first part names, the one the user just
 * edited when it names several (a limit names num_stages and num_batches; the user changed one),
 * else the first it names. Only a message whose first part names no key falls back to the keys
 * its suggestion names.
 */
export function fieldForError(message, lastEdited, keys) {
  const text = String(message || '');
  const cut = text.search(/;\s*(try|use)\b/);
  const main = cut < 0 ? text : text.slice(0, cut);
  const named = fieldsForError(main, keys);
  const fields = named.length === 1 && named[0] === 'strategy' && !/\bstrategy\b/.test(main) ? fieldsForError(text, keys) : named;
  return fields.includes(lastEdited) ? lastEdited : fields[0];
}

/** A number with thousands separators, as people read counts: 2,097,152. */
export function count(n) {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : String(n);
}

/**
 * A core message in the page's words: the core also speaks to the command line, whose flags
 * mean nothing here ("(--list-strategies lists them)" -> the Strategy menu).
 */
export function inPageWords(message) {
  return String(message || '')
    .replace(/\s*\(--list-strategies lists them\)/g, '; the Strategy menu lists them all')
    .replace(/\s*\([^()]*--[a-z][^()]*\)/g, '');
}
