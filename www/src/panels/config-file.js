// The Config file panel: a Hydra YAML (or JSON) config picked or dropped here loads as the page's
// settings, as `build/ppemu --config FILE` reads it; "Download config" saves the run shown as
// the YAML `--cfg job` prints, which the CLI (`--config FILE`, or put in conf/ and
// `--config-name NAME`) and this panel load back to the same run. What a file means is the
// core's business (config-file.js asks it); this panel reads files and saves them.
import { h, fill } from '../dom.js';
import { download } from '../export.js';
import { createYamlConfig } from '../yaml-config.js';
import { CONFIG_FILE_RE, MAX_CONFIG_BYTES, readConfigFile, fileError, pageConfigOf, notesOf, configDownloads } from '../config-file.js';

export const slot = 'sidebar';

// Browsers drop a burst of downloads started in the same moment (compare mode saves several).
const DOWNLOAD_GAP_MS = 250;
// A newer setting cancels the core's check of a file in flight; the check is asked again.
const MAX_TRIES = 3;

let reader = null;
// The YAML parser loads on the first file, so the page's start does not wait for it.
function yamlReader() {
  reader ??= import('../../vendor/yaml/index.js').then((YAML) => createYamlConfig(YAML));
  return reader;
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function mount(el, store, services) {
  const input = h('input', { type: 'file', id: 'config-file', accept: '.yaml,.yml,.json,application/yaml,application/json,text/yaml', 'aria-label': 'YAML or JSON config file' });
  const save = h('button', { type: 'button', id: 'config-download', title: 'the run shown as a YAML config (in compare mode, one file per compared run)' }, 'Download config');
  const status = h('div', { id: 'config-file-status', class: 'import-status', role: 'status', dataset: { testid: 'config-file-status' } });
  const zone = h('section', { class: 'import config-file', id: 'config-drop', 'aria-labelledby': 'config-file-h' },
    h('h2', { id: 'config-file-h' }, 'Config file'),
    h('p', { class: 'muted' }, 'A Hydra YAML config (conf/*.yaml) or a JSON config, read as the ppemu command line reads it: drop it here, or pick it.'),
    input, h('div', { class: 'config-file-actions' }, save), status);
  fill(el, zone);

  const say = (...lines) => fill(status, lines.filter(Boolean).map((line) => h('span', {}, line)));
  const refuse = (message) => {
    say(`Not loaded: ${message}`);
    store.update({ notice: message });
  };

  async function resolve(value) {
    for (let i = 0; i < MAX_TRIES; i++) {
      const result = await services.engine.simulate(value ?? {});
      if (!result.cancelled) return result;
    }
    return { ok: false, error: 'the check was cancelled by newer settings; load the file again' };
  }

  async function take(file) {
    if (!file) return;
    const { schema } = store.state;
    if (!schema) return refuse('the emulator has not started yet; try again in a moment');
    if (!CONFIG_FILE_RE.test(file.name)) return refuse(`${file.name}: not a config file; expected a .yaml, .yml or .json file`);
    if (file.size > MAX_CONFIG_BYTES) return refuse(`${file.name} is ${Math.round(file.size / 1048576)} MB; a config is expected to be under ${MAX_CONFIG_BYTES / 1048576} MB`);
    let read;
    try {
      read = readConfigFile(file.name, await file.text(), (await yamlReader()).readYaml);
    } catch (e) {
      return refuse(`Could not read ${file.name}: ${e?.message || e}`);
    }
    if (!read.ok) return refuse(read.error);
    say(`Reading ${file.name}…`);
    const result = await resolve(read.value);
    if (!result.ok) return refuse(fileError(file.name, result.error, read.lines));
    // A fresh scenario, as a pasted link: nothing of the settings before stays.
    store.edit({
      config: pageConfigOf(read.value, result.config, store.state.schema),
      compare: [],
      sameModel: null,
      view: null,
      imported: null,
      invalid: {},
      lastEdited: null,
      notice: '',
      scenario: store.state.scenario + 1,
    }, { source: 'config-file' });
    say(`Loaded ${file.name} (the link holds its settings; the file itself is not part of it).`, ...notesOf(read.value, result.config).map((n) => `Note: ${n}.`));
  }

  input.addEventListener('change', async () => {
    await take(input.files?.[0]);
    input.value = '';  // picking the same file again (after editing it) loads it again
  });

  // Only file drags light the zone up; text or link drags are left to the browser.
  const isFileDrag = (event) => [...(event.dataTransfer?.types || [])].includes('Files');
  zone.addEventListener('dragover', (event) => {
    if (!isFileDrag(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    zone.classList.add('dragging');
  });
  zone.addEventListener('dragleave', (event) => {
    if (!zone.contains(event.relatedTarget)) zone.classList.remove('dragging');
  });
  zone.addEventListener('drop', (event) => {
    if (!isFileDrag(event)) return;
    event.preventDefault();
    zone.classList.remove('dragging');
    take(event.dataTransfer.files[0]);
  });

  save.addEventListener('click', async () => {
    const out = configDownloads(store.state.shown);
    if (out.error) return store.update({ notice: out.error });
    for (const [i, f] of out.files.entries()) {
      if (i > 0) await pause(DOWNLOAD_GAP_MS);
      download(f.text, f.name, 'application/yaml');
    }
    say(`Saved ${out.files.map((f) => f.name).join(', ')}: the ppemu command line runs it as a config file, or from conf/ by its name, and this panel loads it back.`);
  });
}
