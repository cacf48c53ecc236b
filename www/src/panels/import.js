// The Import panel: a PyTorch schedule CSV, picked or dropped on the page, emulated instead of a
// strategy with the op times above. What the file means is the core's business (its row and
// column errors come back through the runner); this panel only reads files.
import { h, fill } from '../dom.js';

export const slot = 'sidebar';

// A schedule CSV of a real run is kilobytes; past this the file is surely something else.
const MAX_BYTES = 64 * 1024 * 1024;

export function mount(el, store, services) {
  const input = h('input', { type: 'file', id: 'csv-file', accept: '.csv,text/csv,text/plain', 'aria-label': 'PyTorch schedule CSV file' });
  const name = h('span', { id: 'import-name' });
  const clear = h('button', { type: 'button', id: 'import-clear', class: 'small' }, 'back to the strategy');
  const status = h('div', { id: 'import-status', class: 'import-status', hidden: true }, name, clear);
  fill(el, h('section', { class: 'import', 'aria-labelledby': 'import-h' },
    h('h2', { id: 'import-h' }, 'Import a schedule'),
    h('p', { class: 'muted' }, 'A PyTorch pipeline schedule CSV (drop it on the chart, or pick it); the op times above apply.'),
    input, status));

  async function take(file) {
    if (!file) return;
    if (file.size > MAX_BYTES) {
      store.update({ notice: `${file.name} is ${Math.round(file.size / 1048576)} MB; a schedule CSV is expected to be under ${MAX_BYTES / 1048576} MB` });
      return;
    }
    try {
      const text = await file.text();
      store.edit({ imported: { name: file.name, text }, trace: null, view: null, scenario: store.state.scenario + 1 }, { source: 'import' });
    } catch (e) {
      store.update({ notice: `Could not read ${file.name}: ${e?.message || e}` });
    }
  }

  input.addEventListener('change', () => take(input.files?.[0]));
  clear.addEventListener('click', () => store.edit({ imported: null }, { source: 'import' }));

  // Only file drags light the zone up; text or link drags are left to the browser.
  const zone = services.slot('main');
  const hint = h('div', { id: 'drop-hint', class: 'drop-hint', hidden: true }, 'Drop a PyTorch schedule CSV to emulate it, or trace files to import them');
  zone.append(hint);
  const isFileDrag = (event) => [...(event.dataTransfer?.types || [])].includes('Files');
  zone.addEventListener('dragover', (event) => {
    if (!isFileDrag(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    hint.hidden = false;
  });
  zone.addEventListener('dragleave', (event) => {
    if (!zone.contains(event.relatedTarget)) hint.hidden = true;
  });
  zone.addEventListener('drop', (event) => {
    if (!isFileDrag(event)) return;
    event.preventDefault();
    hint.hidden = true;
    // Several files, a folder or .json/.gz files are measured traces: the traces panel's business.
    if (services.takeTraceDrop?.(event.dataTransfer)) return;
    take(event.dataTransfer.files[0]);
  });

  // The status says what the chart shows (one source of truth): a file that failed to load is
  // the message box's business, and the last file that worked stays named here.
  store.subscribe((changed) => {
    if (!changed.has('imported') && !changed.has('shown')) return;
    const { imported, shown } = store.state;
    if (!imported) input.value = '';
    const showing = shown?.mode === 'csv' ? shown.label : null;
    status.hidden = !showing && !imported;
    name.textContent = showing ? `Showing ${showing} (files are not part of the link)` : '';
  });
}
