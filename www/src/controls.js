// The settings form: one labelled field per CLI config key, built from the worker's strategy
// registry, with a per-stage table for each op time. It reports parsed values; judging them is
// the core's job, and its message comes back through setErrors() next to the field it names.
import { h, fill } from './dom.js';
import { CONFIG_KEYS, OP_TIME_KEYS, parseConfigValue } from './state.js';
import { effectiveStageTimes, hasPerStageTimes } from './optimes.js';
import { fmt } from './format.js';
import { createPalette, plainKey, KIND } from './timeline/palette.js';

const LABELS = {
  strategy: ['Strategy', ''],
  num_devices: ['Devices', 'pipeline ranks (p)'],
  num_stages: ['Stages', 'model stages / chunks'],
  num_batches: ['Microbatches', 'per iteration (m)'],
  p2p_latency: ['P2P latency', 'time for a tensor to reach another device'],
  microbatch_group_size_per_vp_stage: ['Interleave group', 'Megatron\'s microbatch_group_size_per_vp_stage; auto = num_devices'],
  'op_times.forward': ['F forward', 'time of one forward'],
  'op_times.backward': ['BW full backward', 'input + weight, where backward is not split'],
  'op_times.backward_D': ['B input backward', 'where backward is split (backward_D)'],
  'op_times.backward_W': ['W weight backward', 'where backward is split (backward_W)'],
  'op_times.overlapped_forward_backward': ['OV overlapped F+BW', 'one F and one full backward as one unit; auto = F + backward'],
};

// Past this many stages a table of inputs helps nobody; the list syntax still works.
const MAX_TABLE_STAGES = 256;

const idOf = (key) => `f-${key.replace(/\./g, '-')}`;

/**
 * form: the container; strategies: the worker's registry; onChange(key, value, committed) with a
 * parsed value (undefined = auto/unset; committed: a menu pick or a finished edit, not a keystroke);
 * onInvalid(key, message) when a field holds text that is not a value at all ('' once it is fixed),
 * which never reaches the core.
 * Returns {setValues(config), setErrors({key: message})}.
 */
export function createControls(form, { strategies, onChange, onInvalid = () => {} }) {
  const fields = new Map(); // key -> {input, error, row}
  const tables = new Map(); // op key -> {open, el, button}
  let config = {};

  const select = h('select', { id: idOf('strategy'), name: 'strategy', 'aria-describedby': 'strategy-info err-strategy' },
    strategies.map((s) => h('option', { value: s.name }, s.name)));
  const info = h('div', { id: 'strategy-info', class: 'strategy-info', dataset: { testid: 'strategy-info' } });
  select.addEventListener('change', () => {
    showInfo(select.value);
    report('strategy', select.value, true);
  });

  function showInfo(name) {
    const s = strategies.find((x) => x.name === name || (x.aliases || []).includes(name));
    if (!s) return fill(info, h('p', { class: 'warn' }, `'${name}' is not a registered strategy`));
    fill(info,
      h('p', {}, s.description),
      h('p', { class: 'constraints' }, h('strong', {}, 'Constraints: '), s.constraints || 'none'),
      s.aliases?.length ? h('p', { class: 'muted' }, `Also known as ${s.aliases.join(', ')}`) : null);
  }

  function report(key, text, committed) {
    const parsed = parseConfigValue(key, text);
    const field = fields.get(key);
    if (parsed.error) {
      // While typing ("1e", "[1,"), wait; say what is wrong once the user leaves the field.
      if (committed) {
        setFieldError(field, parsed.error);
        onInvalid(key, parsed.error);
      }
      return;
    }
    setFieldError(field, '');
    onInvalid(key, '');
    onChange(key, parsed.value, committed);
  }

  function fieldRow(key, input, extra) {
    const [label, hint] = LABELS[key];
    const chip = kindChip(key);
    const error = h('div', { id: `err-${idOf(key)}`, class: 'field-error', role: 'status', dataset: { testid: `field-error-${key}` } });
    input.setAttribute('aria-describedby', [input.getAttribute('aria-describedby'), error.id].filter(Boolean).join(' '));
    const row = h('div', { class: 'field', dataset: { key } },
      h('label', { for: input.id }, chip, label, hint ? h('span', { class: 'hint' }, hint) : null),
      h('div', { class: 'input-line' }, input, extra),
      error);
    fields.set(key, { input, error, row });
    return row;
  }

  function textInput(key, attrs = {}) {
    const input = h('input', { id: idOf(key), name: key, autocomplete: 'off', spellcheck: 'false', ...attrs });
    input.addEventListener('input', () => report(key, input.value, false));
    input.addEventListener('change', () => report(key, input.value, true));
    return input;
  }

  function stageTable(key) {
    const button = h('button', { type: 'button', class: 'small', 'aria-expanded': 'false', 'aria-controls': `tbl-${idOf(key)}`,
      title: 'edit this time stage by stage' }, 'per stage');
    const el = h('div', { id: `tbl-${idOf(key)}`, class: 'stage-table', hidden: true });
    const t = { open: false, el, button };
    button.addEventListener('click', () => {
      t.open = !t.open;
      button.setAttribute('aria-expanded', String(t.open));
      el.hidden = !t.open;
      renderTable(key);
    });
    tables.set(key, t);
    return t;
  }

  function renderTable(key) {
    const t = tables.get(key);
    if (!t.open) return;
    const n = config.num_stages;
    if (!Number.isSafeInteger(n) || n < 1) return fill(t.el, h('p', { class: 'muted' }, 'Set a valid number of stages first.'));
    if (n > MAX_TABLE_STAGES) return fill(t.el, h('p', { class: 'muted' }, `${n} stages: type a list like [1,2,…] in the field instead.`));
    const times = effectiveStageTimes(config, key, n);
    if (!times) return fill(t.el, h('p', { class: 'muted' }, 'auto: set a value in the field first to edit it per stage.'));
    fill(t.el, h('div', { class: 'stage-grid', role: 'group', 'aria-label': `${LABELS[key][0]} per stage` },
      times.map((v, stage) => {
        const cell = h('input', { type: 'number', step: 'any', min: '0', id: `${idOf(key)}-s${stage}`,
          value: typeof v === 'number' ? String(v) : '', 'aria-label': `stage ${stage}`, class: typeof v === 'number' ? '' : 'invalid' });
        cell.addEventListener('change', () => {
          const parsed = parseConfigValue(`${key}.${stage}`, cell.value);
          if (parsed.error) {
            setFieldError(fields.get(key), `stage ${stage}: ${parsed.error}`);
            return onInvalid(key, `stage ${stage}: ${parsed.error}`);
          }
          const list = effectiveStageTimes(config, key, n).map((x) => (typeof x === 'number' ? x : parsed.value));
          list[stage] = parsed.value;
          setFieldError(fields.get(key), '');
          onInvalid(key, '');
          onChange(key, list, true);
        });
        return h('label', { class: 'stage-cell' }, h('span', {}, String(stage)), cell);
      })));
  }

  const rows = [fieldRow('strategy', select), info];
  for (const key of ['num_devices', 'num_stages', 'num_batches']) {
    rows.push(fieldRow(key, textInput(key, { type: 'number', min: '1', step: '1', inputmode: 'numeric' })));
  }
  rows.push(fieldRow('p2p_latency', textInput('p2p_latency', { type: 'number', min: '0', step: 'any', inputmode: 'decimal' })));
  rows.push(fieldRow('microbatch_group_size_per_vp_stage',
    textInput('microbatch_group_size_per_vp_stage', { type: 'text', inputmode: 'numeric', placeholder: 'auto' })));
  const opRows = OP_TIME_KEYS.map((key) => {
    const t = stageTable(key);
    const placeholder = key === 'op_times.overlapped_forward_backward' ? 'auto' : '';
    return [fieldRow(key, textInput(key, { type: 'text', inputmode: 'decimal', placeholder }), t.button), t.el];
  });
  fill(form,
    h('fieldset', {}, h('legend', {}, 'Pipeline'), rows),
    h('fieldset', {}, h('legend', {}, 'Op times'),
      h('p', { class: 'muted' }, 'A number for every stage, or a list [1,2,1,2] with one per stage.'), opRows));

  function setFieldError(field, message) {
    if (!field) return;
    field.error.textContent = message;
    field.row.classList.toggle('has-error', Boolean(message));
    if (message) field.input.setAttribute('aria-invalid', 'true');
    else field.input.removeAttribute('aria-invalid');
  }

  function shown(key, value) {
    if (value === undefined) return '';
    if (Array.isArray(value)) return `[${value.map(fmtExact).join(',')}]`;
    return fmtExact(value);
  }

  return {
    /** Shows a dotted config; leaves alone the field the user is typing in. */
    setValues(next) {
      config = { ...next };
      if (![...select.options].some((o) => o.value === config.strategy)) {
        select.append(h('option', { value: config.strategy }, `${config.strategy} (unknown)`));
      }
      select.value = config.strategy;
      showInfo(config.strategy);
      for (const key of CONFIG_KEYS.slice(1)) {
        const { input } = fields.get(key);
        if (document.activeElement === input) continue;
        const value = OP_TIME_KEYS.includes(key) && hasPerStageTimes(config, key)
          ? effectiveStageTimes(config, key, config.num_stages)?.filter((x) => x !== undefined) ?? config[key]
          : config[key];
        input.value = shown(key, value);
      }
      for (const key of OP_TIME_KEYS) {
        if (!tables.get(key).el.contains(document.activeElement)) renderTable(key);
      }
    },
    /** {key: message}; other fields keep only their own parse errors (invalid: {key: message}). */
    setErrors(errors, invalid = {}) {
      for (const [key, field] of fields) setFieldError(field, invalid[key] || errors[key] || '');
    },
  };
}

// The op-time labels carry the chart's colour for that kind (the renderer's colour-blind-safe
// palette, chunk 0), so the form doubles as the legend. OV shows its two halves.
const OP_KIND = {
  'op_times.forward': [KIND.F],
  'op_times.backward': [KIND.BW],
  'op_times.backward_D': [KIND.B],
  'op_times.backward_W': [KIND.W],
  'op_times.overlapped_forward_backward': [KIND.F, KIND.BW],
};
const PALETTE = createPalette('light', 1);

function kindChip(key) {
  const kinds = OP_KIND[key];
  if (!kinds) return null;
  return h('span', { class: 'chip', 'aria-hidden': 'true' },
    kinds.map((k) => h('span', { style: `background:${PALETTE.fill[plainKey(k, 0, 1)]}` })));
}

// Values go back into fields exactly (no rounding), so editing one field never changes another.
function fmtExact(n) {
  return typeof n === 'number' ? String(n) : fmt(n);
}
