// Reading measured trace files in the page: picked files, a picked folder or a drop (files and
// folders), `.gz` inflated with DecompressionStream before the text reaches the module, which
// refuses gzip bytes (wasm/API.md importTrace). Browser APIs only; no DOM building.

// The module reads at most 128 MB of text per file (wasm/API.md); past that it is surely not a trace.
export const MAX_TEXT_BYTES = 128 * 1024 * 1024;

/** Whether a file in a folder is a trace file the CLI's folder rule would read (*.json, *.json.gz). */
export function isTraceName(name) {
  return /\.json(\.gz)?$/i.test(name);
}

/** The name the module sees: without `.gz` (the rank and Megatron's PP/VPP/DP ranks come from it). */
export function inflatedName(name) {
  return String(name).replace(/\.gz$/i, '');
}

/**
 * [{name, text}] of the given File objects, sorted by name, `.gz` inflated. Throws an Error whose
 * message is one line naming the file for a file that cannot be read or is too large.
 */
export async function readTraceFiles(files) {
  const out = [];
  for (const file of [...files].sort((a, b) => a.name.localeCompare(b.name))) {
    const gz = /\.gz$/i.test(file.name);
    if (!gz && file.size > MAX_TEXT_BYTES) {
      throw new Error(`${file.name} is ${Math.round(file.size / 1048576)} MB; a trace file may hold at most ${MAX_TEXT_BYTES / 1048576} MB of text`);
    }
    let text;
    try {
      text = gz ? await new Response(file.stream().pipeThrough(new DecompressionStream('gzip'))).text() : await file.text();
    } catch (e) {
      throw new Error(gz ? `${file.name} is not a valid gzip file (${e?.message || e}); give the .json itself or a gzip of it`
        : `could not read ${file.name}: ${e?.message || e}`);
    }
    if (text.length > MAX_TEXT_BYTES) {
      throw new Error(`${file.name} inflates to ${Math.round(text.length / 1048576)} MB; a trace file may hold at most ${MAX_TEXT_BYTES / 1048576} MB of text`);
    }
    out.push({ name: inflatedName(file.name), text });
  }
  return out;
}

/** The File objects of a folder picker's list: only trace files (the folder may hold others). */
export function folderFiles(fileList) {
  return [...fileList].filter((f) => isTraceName(f.name));
}

/** Whether a drop holds traces rather than one schedule CSV: several files, a folder, or .json/.gz. */
export function isTraceDrop(dataTransfer) {
  const files = [...(dataTransfer.files || [])];
  const folder = [...(dataTransfer.items || [])].some((item) => item.webkitGetAsEntry?.()?.isDirectory);
  return folder || files.length > 1 || files.some((f) => /\.(json|gz)$/i.test(f.name));
}

/**
 * The File objects of a drop: dropped files as they are, dropped folders' trace files (read
 * through the entries API, folders inside folders too).
 */
export async function droppedFiles(dataTransfer) {
  const entries = [...(dataTransfer.items || [])].map((item) => item.webkitGetAsEntry?.()).filter(Boolean);
  if (!entries.length) return [...(dataTransfer.files || [])];
  const out = [];
  for (const entry of entries) {
    if (entry.isFile) out.push(await fileOf(entry));
    else if (entry.isDirectory) out.push(...(await folderOf(entry)));
  }
  return out;
}

function fileOf(entry) {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function folderOf(dir) {
  const reader = dir.createReader();
  const out = [];
  // readEntries answers in batches until it answers none.
  for (;;) {
    const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
    if (!batch.length) break;
    for (const entry of batch) {
      if (entry.isDirectory) out.push(...(await folderOf(entry)));
      else if (isTraceName(entry.name)) out.push(await fileOf(entry));
    }
  }
  return out;
}
