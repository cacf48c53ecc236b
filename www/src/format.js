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
 * The one field to mark: the one the user just edited when the message names it (a limit
 * message names num_stages and num_batches; the user changed one of them), else the first named.
 */
export function fieldForError(message, lastEdited, keys) {
  const fields = fieldsForError(message, keys);
  return fields.includes(lastEdited) ? lastEdited : fields[0];
}
