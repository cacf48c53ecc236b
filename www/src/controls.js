// The settings form: one labelled field per config key the core reports (keys.js schema), grouped
// by family, with a per-stage table for each per-stage key. A key the core adds gets a field
// without a change here (its name as the label until LABELS gives it words). It reports parsed
// values; judging them is the core's job, and its message comes back through setErrors() next
// to the field it names.
import { h, fill } from './dom.js';
import { parseConfigValue } from './state.js';
import { familyOf } from './keys.js';
import { effectiveStageTimes, hasPerStageTimes } from './optimes.js';
import { fmt } from './format.js';
import { createPalette, plainKey, KIND } from './timeline/palette.js';

// The page's words for the keys it knows: [label, hint, input attributes].
const COUNT = { type: 'number', min: '1', step: '1', inputmode: 'numeric' };
const LABELS = {
  strategy: ['Strategy', ''],
  num_devices: ['Devices', 'pipeline ranks (p)', COUNT],
  num_stages: ['Stages', 'model stages / chunks', COUNT],
  num_batches: ['Microbatches', 'per iteration (m)', COUNT],
  p2p_latency: ['P2P latency', 'time for a tensor to reach another device', { type: 'number', min: '0', step: 'any', inputmode: 'decimal' }],
  microbatch_group_size_per_vp_stage: ['Interleave group', 'Megatron\'s microbatch_group_size_per_vp_stage; auto = num_devices',
    { type: 'text', inputmode: 'numeric' }],
  'op_times.forward': ['F forward', 'time of one forward'],
  'op_times.backward': ['BW full backward', 'input + weight, where backward is not split'],
  'op_times.backward_D': ['B input backward', 'where backward is split (backward_D)'],
  'op_times.backward_W': ['W weight backward', 'where backward is split (backward_W)'],
  'op_times.overlapped_forward_backward': ['OV overlapped F+BW', 'one F and one full backward as one unit; auto = F + backward'],
  zb_memory_limit: ['ZB memory limit', 'zb_auto only: K × num_devices × activation per device (1 = ZB-1p, 2 = ZB-2p)',
    { type: 'number', min: '0', step: 'any', inputmode: 'decimal' }],
  'op_memory.activation': ['Activation', 'held by a (microbatch, stage) from the start of its F'],
  'op_memory.after_B': ['Held after B', 'the part B does not free; W frees it; auto = all of it'],
  'op_memory.static': ['Static', 'held all run by the stage\'s device (weights, gradients, optimizer)'],
};
const FAMILY_TITLES = {
  '': ['Pipeline', ''],
  op_times: ['Op times', 'A number for every stage, or a list [1,2,1,2] with one per stage.'],
  op_memory: ['Memory per stage', 'In your unit (bytes when projected): a number for every stage, or a list with one per stage.'],
  model: ['Model (model.*)', 'Megatron-LM\'s names; an empty field takes the preset\'s value (shown faded).'],
  gpu: ['GPU (gpu.*)', 'Peaks in TFLOP/s, memory in GiB, links in GB/s per direction; empty: the preset\'s.'],
  parallel: ['Parallel layout (parallel.*)', 'Pipeline size is num_devices; tensor × data × pipeline GPUs in all.'],
  train: ['Training step (train.*)', 'The global batch size decides the microbatches: gbs / (micro batch × data parallel).'],
};

// Past this many stages a table of inputs helps nobody; the list syntax still works.
const MAX_TABLE_STAGES = 256;

const idOf = (key) => `f-${key.replace(/\./g, '-')}`;

/** [label, hint, input attributes] of a key: the page's words, or the key itself. */
export function labelOf(key) {
  return LABELS[key] ?? [key, ''];
}

/**
 * form: the container; schema: keys.js; keys: the keys to show (schema order); strategies: the
 * worker's registry; onChange(key, value, committed) with a parsed value (undefined = auto/unset;
 * committed: a menu pick or a finished edit, not a keystroke); onInvalid(key, message) when a
 * field holds text that is not a value at all ('' once it is fixed), which never reaches the core.
 * Returns {setValues(config), setErrors({key: message}, invalid)}.
 */
export function createControls(form, { schema, keys = schema.keys, strategies, onChange, onInvalid = () => {} }) {
  const fields = new Map(); // key -> {input, error, row}
  const tables = new Map(); // per-stage key -> {open, el, button}
  let config = {};
  let info = null;
  let select = null;


  function showInfo(name) {
    const s = strategies.find((x) => x.name === name || (x.aliases || []).includes(name));
    if (!s) return fill(info, h('p', { class: 'warn' }, `'${name}' is not a registered strategy`));
    fill(info,
      h('p', {}, s.description),
      h('p', { class: 'constraints' }, h('strong', {}, 'Constraints: '), s.constraints || 'none'),
      s.aliases?.length ? h('p', { class: 'muted' }, `Also known as ${s.aliases.join(', ')}`) : null);
  }

  function report(key, text, committed) {
    const parsed = parseConfigValue(key, text, schema);
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
    const [label, hint] = labelOf(key);
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

  function boolInput(key) {
    const input = h('input', { id: idOf(key), name: key, type: 'checkbox' });
    input.addEventListener('change', () => report(key, input.checked ? 'true' : 'false', true));
    return input;
  }

  function strategyRows() {
    select = h('select', { id: idOf('strategy'), name: 'strategy', 'aria-describedby': 'strategy-info err-strategy' },
      strategies.map((s) => h('option', { value: s.name }, s.name)));
    info = h('div', { id: 'strategy-info', class: 'strategy-info', dataset: { testid: 'strategy-info' } });
    select.addEventListener('change', () => {
      showInfo(select.value);
      report('strategy', select.value, true);
    });
    return [fieldRow('strategy', select), info];
  }

  function stageTable(key) {
    const button = h('button', { type: 'button', class: 'small', 'aria-expanded': 'false', 'aria-controls': `tbl-${idOf(key)}`,
      'aria-label': `${labelOf(key)[0]} per stage`, title: 'edit this time stage by stage' }, 'per stage');
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
    fill(t.el, h('div', { class: 'stage-grid', role: 'group', 'aria-label': `${labelOf(key)[0]} per stage` },
      times.map((v, stage) => {
        const cell = h('input', { type: 'number', step: 'any', min: '0', id: `${idOf(key)}-s${stage}`,
          value: typeof v === 'number' ? String(v) : '', 'aria-label': `stage ${stage}`, class: typeof v === 'number' ? '' : 'invalid' });
        cell.addEventListener('change', () => {
          const parsed = parseConfigValue(`${key}.${stage}`, cell.value, schema);
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

  function rowsOf(key) {
    if (key === 'strategy') return strategyRows();
    const kind = schema.kind(key);
    const placeholder = schema.optional(key) ? 'auto' : null;
    if (kind === 'bool') return [fieldRow(key, boolInput(key))];
    if (kind === 'stage-times') {
      const t = stageTable(key);
      return [fieldRow(key, textInput(key, { type: 'text', inputmode: 'decimal', placeholder }), t.button), t.el];
    }
    const attrs = labelOf(key)[2] ?? (kind === 'number' && !placeholder ? { type: 'number', step: 'any' } : { type: 'text' });
    return [fieldRow(key, textInput(key, { ...attrs, placeholder }))];
  }

  const families = [];
  for (const key of keys) if (!families.includes(familyOf(key))) families.push(familyOf(key));
  fill(form, families.map((family) => {
    const [title, note] = FAMILY_TITLES[family] ?? [family, ''];
    return h('fieldset', {}, h('legend', {}, title), note ? h('p', { class: 'muted' }, note) : null,
      keys.filter((k) => familyOf(k) === family).map(rowsOf));
  }));

  function setFieldError(field, message) {
    if (!field) return;
    field.error.textContent = message;
    field.row.classList.toggle('has-error', Boolean(message));
    if (message) field.input.setAttribute('aria-invalid', 'true');
    else field.input.removeAttribute('aria-invalid');
  }

  function shown(value) {
    if (value === undefined) return '';
    if (Array.isArray(value)) return `[${value.map(fmtExact).join(',')}]`;
    return fmtExact(value);
  }

  return {
    /** Shows a dotted config; leaves alone the field the user is typing in. */
    setValues(next) {
      config = { ...next };
      if (select) {
        if (![...select.options].some((o) => o.value === config.strategy)) {
          select.append(h('option', { value: config.strategy }, `${config.strategy} (unknown)`));
        }
        select.value = config.strategy;
        showInfo(config.strategy);
      }
      for (const [key, { input }] of fields) {
        if (key === 'strategy' || document.activeElement === input) continue;
        if (input.type === 'checkbox') {
          input.checked = config[key] === true;
          continue;
        }
        const value = tables.has(key) && hasPerStageTimes(config, key)
          ? effectiveStageTimes(config, key, config.num_stages)?.filter((x) => x !== undefined) ?? config[key]
          : config[key];
        input.value = shown(value);
      }
      for (const [key, t] of tables) {
        if (!t.el.contains(document.activeElement)) renderTable(key);
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
// Names and booleans of keys without a default (p2p_mode=sync, train.recompute_granularity=full,
// model.swiglu=true) are shown as they are.
function fmtExact(n) {
  return typeof n === 'number' || typeof n === 'string' || typeof n === 'boolean' ? String(n) : fmt(n);
}
