// The "Model and hardware" panel: a model and a GPU preset (the core's conf/ presets) and every
// model.*, gpu.*, parallel.* and train.* key, in the link like every other key. A preset fills the
// fields (their placeholders show its values); a value typed in a field wins over it, as
// `model=NAME model.num_layers=40` does in the CLI. The projected op times, memory and latency
// then drive the run (the core computes them in the worker). "Abstract units" drops every
// projection key and puts the op times back at the defaults. The settings panel leaves these
// keys to this one (`claims`), so no field shows twice.
import { h, fill } from '../dom.js';
import { createControls } from '../controls.js';
import { setConfigValue, flattenConfig } from '../state.js';
import { familyOf } from '../keys.js';
import {
  PROJECTION_GROUPS, PROJECTION_FAMILIES, isProjectedConfig, isProjectionKey, selectPreset, dropProjectedDefaults,
  abstractConfig, projectionOf, isDerivedKey, ms,
} from '../projection.js';

export const slot = 'sidebar';
/** Config keys and families only this panel shows. */
export const claims = [...PROJECTION_GROUPS, ...PROJECTION_FAMILIES];

const GROUP_WORDS = { model: ['Model', 'none: abstract units'], gpu: ['GPU', 'none'] };
// The fields a user changes most stay in view; the architecture and the hardware's figures fold.
const OPEN_FAMILIES = ['parallel', 'train'];
const FOLDED_FAMILIES = ['model', 'gpu'];

export function mount(el, store, services) {
  const mode = h('p', { id: 'projection-mode', class: 'muted', dataset: { testid: 'projection-mode' } });
  const abstract = h('button', { type: 'button', id: 'abstract-units', class: 'small', dataset: { testid: 'abstract-units' }, hidden: true,
    title: 'drop the model, GPU, parallel and training keys: op times back in abstract units at their defaults' }, 'abstract units');
  const pickers = h('div', { class: 'preset-pickers' });
  const openForm = h('form', { class: 'projection-fields', novalidate: true });
  const foldedForm = h('form', { class: 'projection-fields', novalidate: true });
  for (const f of [openForm, foldedForm]) f.addEventListener('submit', (event) => event.preventDefault());
  const folded = h('details', { class: 'projection-more' }, h('summary', {}, 'Architecture and hardware (model.*, gpu.*)'), foldedForm);
  fill(el, h('section', { id: 'model-hardware', 'aria-labelledby': 'model-h' },
    h('h2', { id: 'model-h' }, 'Model and hardware'),
    mode, abstract, pickers, openForm, folded));

  let presets = [];
  let selects = {};
  let groupErrors = {};
  let forms = [];
  let built = false;
  const defaults = () => store.state.schema?.defaults ?? {};

  function commit(config, key) {
    store.edit({ config, lastEdited: key }, { key, source: 'model' });
  }

  abstract.addEventListener('click', () => commit(abstractConfig(store.state.config, defaults()), 'model'));

  function pick(group, name) {
    commit(selectPreset(store.state.config, group, name, defaults()), group);
  }

  function onChange(key, value, committed) {
    const before = store.state.config;
    let config = setConfigValue({ ...before }, key, value);
    // Becoming projected drops the defaults the projection computes; so does the global batch
    // size, which decides num_batches.
    if (!isProjectedConfig(before) || key === 'train.global_batch_size') config = dropProjectedDefaults(config, defaults());
    store.edit({ config, lastEdited: key }, { commit: committed, key, source: 'model' });
  }

  function onInvalid(key, message) {
    const invalid = { ...store.state.invalid };
    if (message) invalid[key] = message;
    else delete invalid[key];
    store.update({ invalid }, { source: 'model' });
  }

  function build() {
    const { schema, strategies } = store.state;
    built = true;
    selects = {};
    groupErrors = {};
    fill(pickers, PROJECTION_GROUPS.filter((g) => schema.has(g)).map((group) => {
      const [label, none] = GROUP_WORDS[group] ?? [group, 'none'];
      const select = h('select', { id: `f-${group}`, name: group, 'aria-describedby': `err-f-${group}` });
      select.addEventListener('change', () => pick(group, select.value));
      const error = h('div', { id: `err-f-${group}`, class: 'field-error', role: 'status', dataset: { testid: `field-error-${group}` } });
      selects[group] = { select, none };
      groupErrors[group] = error;
      return h('div', { class: 'field', dataset: { key: group } },
        h('label', { for: select.id }, label, h('span', { class: 'hint' }, `${group}=NAME: a preset of conf/${group}/`)),
        h('div', { class: 'input-line' }, select), error);
    }));
    fillOptions();
    const keysOf = (families) => schema.keys.filter((k) => !PROJECTION_GROUPS.includes(k) && families.includes(familyOf(k)));
    forms = [[openForm, OPEN_FAMILIES], [foldedForm, FOLDED_FAMILIES]].map(([form, families]) => createControls(form, {
      schema, keys: keysOf(families), strategies, onChange, onInvalid,
    }));
  }

  function fillOptions() {
    for (const [group, { select, none }] of Object.entries(selects)) {
      const mine = presets.filter((p) => p.group === group);
      fill(select,
        h('option', { value: '' }, none),
        mine.map((p) => h('option', { value: p.name, title: p.description }, p.name)));
    }
  }

  // What a field shows when the link does not set it: the preset's value, else what ran.
  function showPlaceholders() {
    const { config, shown } = store.state;
    const ran = shown?.mode === 'single' && projectionOf(shown.result) ? flattenConfig(shown.result.config) : {};
    const fromPresets = {};
    for (const group of PROJECTION_GROUPS) {
      const preset = presets.find((p) => p.group === group && p.name === config[group]);
      if (preset) Object.assign(fromPresets, flattenConfig(preset.keys, group));
    }
    for (const key of store.state.schema.keys) {
      if (!PROJECTION_FAMILIES.includes(familyOf(key))) continue;
      const input = el.querySelector(`#f-${key.replace(/\./g, '-')}`);
      if (!input || input.type === 'checkbox') continue;
      const v = fromPresets[key] ?? (isProjectedConfig(config) ? ran[key] : undefined);
      input.placeholder = v === undefined ? 'auto' : String(v);
    }
  }

  // The settings panel's fields of keys the projection computes (op times, latency, memory,
  // num_batches) would read empty when projected: their placeholders say what was projected.
  // A value typed there is "given" and wins, as in the CLI.
  function showProjectedPlaceholders() {
    const { config, shown } = store.state;
    const p = isProjectedConfig(config) && shown?.mode === 'single' ? projectionOf(shown.result) : null;
    for (const key of [...store.state.schema.keys.filter(isDerivedKey), 'num_batches']) {
      const input = document.querySelector(`#controls #f-${key.replace(/\./g, '-')}`);
      if (!input) continue;
      if (!('placeholder0' in input.dataset)) input.dataset.placeholder0 = input.getAttribute('placeholder') ?? '';
      const text = isProjectedConfig(config) && config[key] === undefined ? projectedText(key, p, shown?.result) : null;
      input.placeholder = text ?? input.dataset.placeholder0;
    }
  }

  function showValues() {
    const { config } = store.state;
    for (const [group, { select }] of Object.entries(selects)) {
      const name = config[group];
      if (name !== undefined && ![...select.options].some((o) => o.value === name)) {
        select.append(h('option', { value: name }, `${name} (unknown)`));
      }
      select.value = name ?? '';
    }
    for (const f of forms) f.setValues(config);
    const projected = isProjectedConfig(config);
    abstract.hidden = !projected && !Object.keys(config).some((k) => isProjectionKey(k) && config[k] !== undefined);
    mode.textContent = projected
      ? `Projected${config.model ? ` ${config.model}` : ' (custom model)'}${config.gpu ? ` on ${config.gpu}` : ''}: op times, P2P latency and memory `
        + 'come from the model and the GPU (a value set under Settings wins); times are in ms, memory in GiB.'
      : 'Abstract units: op times as set under Settings. Pick a model and a GPU to project a real training run in ms and GiB.';
  }

  function showErrors() {
    const { error, invalid } = store.state;
    const errors = error?.field && !invalid[error.field] ? { [error.field]: error.message } : {};
    for (const f of forms) f.setErrors(errors, invalid);
    for (const [group, box] of Object.entries(groupErrors)) {
      box.textContent = errors[group] ?? '';
      selects[group].select.toggleAttribute('aria-invalid', Boolean(errors[group]));
    }
  }

  async function loadPresets() {
    const info = await services.engine.strategies();
    presets = Array.isArray(info.presets) ? info.presets : [];
    fillOptions();
    showValues();
    showPlaceholders();
  }

  store.subscribe((changed) => {
    if (!store.state.schema) return;
    if (!built) {
      build();
      loadPresets();
    }
    if (changed.has('config') || changed.has('schema')) showValues();
    if (changed.has('config') || changed.has('shown') || changed.has('schema')) {
      showPlaceholders();
      showProjectedPlaceholders();
    }
    if (changed.has('error') || changed.has('invalid') || changed.has('schema')) showErrors();
  });
}

// Per model stage, the projection's figure behind each key the projection fills in.
const PROJECTED = {
  'op_times.forward': (s) => s.forward_ms,
  'op_times.backward': (s) => s.backward_ms,
  'op_times.backward_D': (s) => s.backward_input_ms,
  'op_times.backward_W': (s) => s.backward_weight_ms,
  'op_times.overlapped_forward_backward': (s) => s.overlapped_ms,
  'op_memory.activation': (s) => s.activation_bytes,
  'op_memory.after_B': (s) => s.after_B_bytes,
  'op_memory.static': (s) => s.weight_bytes + s.gradient_bytes + s.optimizer_bytes,
};

/** "projected 22.76–23.72" (the range over stages) or "projected" before the run is shown. */
function projectedText(key, p, result) {
  if (key === 'num_batches') return result?.num_microbatches ? `projected: ${result.num_microbatches}` : 'from train.global_batch_size';
  if (!p) return 'projected';
  const values = key === 'p2p_latency' ? [p.p2p_latency_ms] : PROJECTED[key] ? (p.stages || []).map(PROJECTED[key]) : [];
  if (!values.length || !values.every(Number.isFinite)) return 'projected';
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const text = (v) => (familyOf(key) === 'op_memory' ? `${(v / 2 ** 20).toFixed(0)} MiB` : `${ms(v)} ms`);
  const unit = familyOf(key) === 'op_memory' ? ' (a value you give is in bytes)' : '';
  return lo === hi ? `projected ${text(lo)}${unit}` : `projected ${text(lo)}–${text(hi)}${unit}`;
}
