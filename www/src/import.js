// Getting a schedule file into the page: a file picker and a drop zone, both ending in
// onFile({name, text}). What the file means is the core's business (worker `simulateCsv`),
// including its row/column errors.

// A schedule CSV of a real run is kilobytes; past this the file is surely something else.
const MAX_BYTES = 64 * 1024 * 1024;

export function createImport({ input, dropTarget, hint, onFile, onError }) {
  async function take(file) {
    if (!file) return;
    if (file.size > MAX_BYTES) {
      onError(`${file.name} is ${Math.round(file.size / 1048576)} MB; a schedule CSV is expected to be under ${MAX_BYTES / 1048576} MB`);
      return;
    }
    try {
      onFile({ name: file.name, text: await file.text() });
    } catch (e) {
      onError(`Could not read ${file.name}: ${e?.message || e}`);
    }
  }

  input.addEventListener('change', () => take(input.files?.[0]));

  // Only file drags light the zone up; text or link drags are left to the browser.
  const isFileDrag = (event) => [...(event.dataTransfer?.types || [])].includes('Files');
  dropTarget.addEventListener('dragover', (event) => {
    if (!isFileDrag(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    hint.hidden = false;
  });
  dropTarget.addEventListener('dragleave', (event) => {
    if (!dropTarget.contains(event.relatedTarget)) hint.hidden = true;
  });
  dropTarget.addEventListener('drop', (event) => {
    if (!isFileDrag(event)) return;
    event.preventDefault();
    hint.hidden = true;
    take(event.dataTransfer.files[0]);
  });

  return {
    reset() {
      input.value = '';
    },
  };
}
