// The Settings panel: the form of every config key no other panel claims, written back to the
// store as the user types. The core's error for the latest run sits under the field it names.
import { h, fill } from '../dom.js';
import { createControls } from '../controls.js';
import { setConfigValue } from '../state.js';
import { familyOf } from '../keys.js';
import { resizeConfigStages } from '../optimes.js';

export const slot = 'sidebar';

export function mount(el, store, services) {
  const form = h('form', { id: 'controls', novalidate: true }, h('p', { class: 'muted' }, 'Loading the emulator…'));
  // Enter in a field commits it (change event); the form itself never submits anywhere.
  form.addEventListener('submit', (event) => event.preventDefault());
  fill(el, h('section', { 'aria-labelledby': 'settings-h' }, h('h2', { id: 'settings-h' }, 'Settings'), form));
  let controls = null;

  function build() {
    const { schema, strategies } = store.state;
    const claimed = new Set(services.claimedFamilies ?? []);
    controls = createControls(form, {
      schema,
      keys: schema.keys.filter((k) => !claimed.has(familyOf(k)) && !claimed.has(k)),
      strategies,
      onChange(key, value, committed) {
        let config = { ...store.state.config };
        if (key === 'num_stages' && Number.isSafeInteger(value) && value > 0) config = resizeConfigStages(config, value);
        setConfigValue(config, key, value);
        const patch = { config, lastEdited: key };
        // Picking a strategy means "show me this strategy", not the imported file.
        if (key === 'strategy' && store.state.imported) patch.imported = null;
        store.edit(patch, { commit: committed, key, source: 'settings' });
      },
      onInvalid(key, message) {
        const invalid = { ...store.state.invalid };
        if (message) invalid[key] = message;
        else delete invalid[key];
        store.update({ invalid }, { source: 'settings' });
      },
    });
  }

  // One message per field: text that is not a value replaces the core's word on the old value.
  function showErrors() {
    const { error, invalid } = store.state;
    controls.setErrors(error?.field && !invalid[error.field] ? { [error.field]: error.message } : {}, invalid);
  }

  store.subscribe((changed) => {
    if (!store.state.schema) return;
    if (!controls) build();
    if (changed.has('config') || changed.has('schema')) controls.setValues(store.state.config);
    if (changed.has('error') || changed.has('invalid') || changed.has('schema')) showErrors();
  });

  return {
    /** The emulator could not start: the form says so instead of "Loading". */
    fail(message) {
      fill(form, h('p', { class: 'warn' }, message));
    },
  };
}
