// The Measured traces panel (issue 12): trace files of a real run in, the measured timeline, its
// fitted op times, the replay and what-ifs out. The controls sit in the sidebar; the report
// (notes, fitted times, replay errors, causes) sits under the chart. What the trace means is the
// core's (importTrace, whatIf); the runner computes the views (trace-runs.js) and the chart,
// figures and ranking draw them. The report renders from `shown`, so it always describes what
// the chart shows; files are not part of the link.
import { h, fill } from '../dom.js';
import { fmt } from '../format.js';
import { droppedFiles, folderFiles, isTraceDrop, readTraceFiles } from '../trace-files.js';
import { FIT_COLUMNS, fitRows, fittedLine, fittedSettings, newTrace } from '../trace-runs.js';

export const slot = 'sidebar';

const FORMATS = [['auto', 'auto (by file name and content)'], ['pytorch', 'PyTorch profiler'], ['megatron', 'Megatron-LM timers'], ['ppemu', "ppemu's own trace"]];
const VIEWS = [['measured', 'Measured'], ['replay', 'Measured vs replay'], ['whatif', 'What-if']];

const signed = (x) => (x > 0 ? `+${fmt(x)}` : fmt(x));

export function mount(el, store, services) {
  let nextId = 1;
  const filesInput = h('input', { type: 'file', id: 'trace-files', multiple: true, accept: '.json,.gz,application/json,application/gzip', 'aria-label': 'trace files' });
  const folderInput = h('input', { type: 'file', id: 'trace-folder', webkitdirectory: true, multiple: true, 'aria-label': 'a folder of trace files' });
  const format = h('select', { id: 'trace-format' }, FORMATS.map(([v, t]) => h('option', { value: v }, t)));
  const drop = h('div', { id: 'trace-drop', class: 'trace-drop', tabindex: '-1' }, 'Drop trace files or a folder here');
  const name = h('span', { id: 'trace-name', dataset: { testid: 'trace-name' } });
  const clear = h('button', { type: 'button', id: 'trace-clear', class: 'small' }, 'back to the strategy');
  const status = h('div', { id: 'trace-status', class: 'import-status', hidden: true }, name, clear);
  const again = h('button', { type: 'button', id: 'trace-again', class: 'small', hidden: true });
  const views = h('div', { class: 'preset-buttons', role: 'group', 'aria-label': 'trace view' },
    VIEWS.map(([v, t]) => h('button', { type: 'button', class: 'small', dataset: { view: v }, 'aria-pressed': 'false' }, t)));
  const offsets = h('div', { class: 'stage-grid', id: 'trace-offsets' });
  const offsetsBox = h('fieldset', { class: 'trace-offsets' }, h('legend', {}, 'Clock offset per rank (ms)'),
    h('p', { class: 'muted' }, 'Ranks are aligned on the earliest op of all; a rank whose clock runs early or late gets its offset added first.'), offsets);
  const checks = h('div', { class: 'checks' });
  const stagesInput = h('input', { type: 'text', inputmode: 'numeric', id: 'trace-whatif-stages', placeholder: 'the trace’s' });
  const batchesInput = h('input', { type: 'text', inputmode: 'numeric', id: 'trace-whatif-batches', placeholder: 'the trace’s' });
  const whatIfError = h('p', { class: 'field-error', role: 'alert' });
  const whatIfBox = h('fieldset', { class: 'compare-picker' }, h('legend', {}, 'What-if on the fitted times'),
    h('p', { class: 'muted' }, 'Tick strategies: each runs on the op times fitted from the trace, on one time axis with the measured run, ranked.'),
    checks,
    h('div', { class: 'field' }, h('label', { for: 'trace-whatif-stages' }, 'num_stages', h('span', { class: 'hint' }, 'blank: what each strategy takes')), stagesInput),
    h('div', { class: 'field' }, h('label', { for: 'trace-whatif-batches' }, 'num_batches', h('span', { class: 'hint' }, 'blank: the trace’s')), batchesInput),
    whatIfError);
  const useFitted = h('button', { type: 'button', id: 'trace-use-fitted', title: 'sets num_devices, num_stages, num_batches, the op times, p2p_latency and p2p_mode to the fitted ones' },
    'Use the fitted times in the settings');
  const controls = h('div', { id: 'trace-controls', hidden: true }, h('p', {}, views), offsetsBox, whatIfBox, useFitted,
    h('p', { class: 'muted' }, 'The settings (and so the link) then hold the fitted times; pick a strategy that takes the trace’s stage count.'));
  fill(el, h('section', { class: 'import traces', 'aria-labelledby': 'traces-h' },
    h('h2', { id: 'traces-h' }, 'Measured traces'),
    h('p', { class: 'muted' }, 'PyTorch profiler traces (PP: ranges, one file per rank), Megatron-LM timer dumps (event_times_*.json) or ppemu’s own trace; .json or .json.gz. '
      + 'Files are not part of the link.'),
    drop,
    h('div', { class: 'field' }, h('label', { for: 'trace-files' }, 'Pick files'), filesInput),
    h('div', { class: 'field' }, h('label', { for: 'trace-folder' }, 'Pick a folder'), folderInput),
    h('div', { class: 'field' }, h('label', { for: 'trace-format' }, 'Format'), format),
    status, again, controls));

  const report = h('section', { id: 'trace-report', class: 'trace-report', 'aria-labelledby': 'trace-report-h', hidden: true });
  services.slot('main').append(report);

  const trace = () => store.state.trace;
  let lastTrace = null; // the trace shown last, for "show it again" after the settings took over
  const setTrace = (patch, meta = {}) => {
    if (trace()) store.edit({ trace: { ...trace(), ...patch } }, { source: 'traces', ...meta });
  };

  async function take(files) {
    if (!files.length) {
      store.update({ notice: 'No trace files there: a folder is read for *.json and *.json.gz files.' });
      return;
    }
    try {
      const read = await readTraceFiles(files);
      store.edit({ trace: newTrace(read, { format: format.value, id: nextId++ }), imported: null, view: null, scenario: store.state.scenario + 1 }, { source: 'traces' });
    } catch (e) {
      store.update({ notice: e?.message || String(e) });
    }
  }

  filesInput.addEventListener('change', () => take([...(filesInput.files || [])]));
  folderInput.addEventListener('change', () => take(folderFiles(folderInput.files || [])));
  format.addEventListener('change', () => {
    if (trace()) setTrace({ options: { ...trace().options, format: format.value } });
  });
  clear.addEventListener('click', () => store.edit({ trace: null }, { source: 'traces' }));
  again.addEventListener('click', () => {
    if (lastTrace) store.edit({ trace: lastTrace, imported: null, view: null, scenario: store.state.scenario + 1 }, { source: 'traces' });
  });
  views.addEventListener('click', (event) => {
    const v = event.target.closest('button')?.dataset.view;
    if (v) setTrace({ view: v });
  });
  useFitted.addEventListener('click', () => {
    const fitted = store.state.shown?.trace?.report.fitted;
    if (!fitted) return;
    store.edit({ config: { ...store.state.config, ...fittedSettings(fitted) }, trace: null, view: null, scenario: store.state.scenario + 1 }, { source: 'traces' });
  });

  // Drops on the chart that are traces come here from the schedule import (import.js).
  services.takeTraceDrop = (dataTransfer) => {
    if (!isTraceDrop(dataTransfer)) return false;
    droppedFiles(dataTransfer).then(take, (e) => store.update({ notice: `Could not read the drop: ${e?.message || e}` }));
    return true;
  };
  const isFileDrag = (event) => [...(event.dataTransfer?.types || [])].includes('Files');
  drop.addEventListener('dragover', (event) => {
    if (!isFileDrag(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (event) => {
    if (!isFileDrag(event)) return;
    event.preventDefault();
    drop.classList.remove('over');
    // The entries must be taken inside the event; droppedFiles does so before its first await.
    droppedFiles(event.dataTransfer).then(take, (e) => store.update({ notice: `Could not read the drop: ${e?.message || e}` }));
  });

  // What-if picks: a count field is blank (the trace's) or a positive whole number.
  function count(input, key) {
    const text = input.value.trim();
    if (text === '') return null;
    const n = Number(text);
    if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${key} must be a whole number ≥ 1 (got '${text}'), or blank for the trace’s`);
    return n;
  }
  function emitWhatIf() {
    if (!trace()) return;
    try {
      const whatIf = {
        strategies: [...checks.querySelectorAll('input:checked')].map((b) => b.value),
        num_stages: count(stagesInput, 'num_stages'),
        num_batches: count(batchesInput, 'num_batches'),
      };
      whatIfError.textContent = '';
      setTrace({ whatIf, view: 'whatif' });
    } catch (e) {
      whatIfError.textContent = e.message;
    }
  }
  stagesInput.addEventListener('change', emitWhatIf);
  batchesInput.addEventListener('change', emitWhatIf);

  function buildChecks() {
    fill(checks, store.state.strategies.map((s) => {
      const box = h('input', { type: 'checkbox', value: s.name, id: `trace-whatif-${s.name}` });
      box.addEventListener('change', emitWhatIf);
      return h('label', { class: 'check', title: s.description }, box, ' ', s.name);
    }));
  }

  function buildOffsets(devices) {
    const t = trace();
    if (offsets.childElementCount === devices && offsets.dataset.trace === String(t.id)) return;
    offsets.dataset.trace = String(t.id);
    fill(offsets, Array.from({ length: devices }, (_, rank) => {
      const input = h('input', { type: 'text', inputmode: 'decimal', 'aria-label': `rank ${rank} clock offset (ms)`, value: String(t.options.offset_ms?.[rank] ?? '') });
      input.addEventListener('change', () => {
        const text = input.value.trim();
        const ms = text === '' ? 0 : Number(text);
        if (!Number.isFinite(ms)) {
          store.update({ notice: `The clock offset of rank ${rank} must be a number of ms (got '${text}')` });
          return;
        }
        const offset_ms = { ...trace().options.offset_ms };
        if (ms === 0) delete offset_ms[rank];
        else offset_ms[rank] = ms;
        setTrace({ options: { ...trace().options, offset_ms } });
      });
      return h('label', { class: 'stage-cell' }, `rank ${rank}`, input);
    }));
  }

  // The controls follow the state (what the user asked for); the report follows `shown`.
  function showControls() {
    const t = trace();
    if (!t) {
      filesInput.value = '';
      folderInput.value = '';
    }
    controls.hidden = !t || !store.state.shown?.trace;
    status.hidden = !t;
    again.hidden = Boolean(t) || !lastTrace;
    if (lastTrace) again.textContent = `Show ${lastTrace.name} again`;
    if (!t) return;
    for (const b of views.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b.dataset.view === t.view));
    for (const b of checks.querySelectorAll('input')) b.checked = t.whatIf.strategies.includes(b.value);
    stagesInput.value = t.whatIf.num_stages ?? '';
    batchesInput.value = t.whatIf.num_batches ?? '';
    format.value = t.options.format;
  }

  function showReport(redraw) {
    const { shown } = store.state;
    const tr = shown?.trace;
    report.hidden = !tr;
    const t = trace();
    const { error, running } = store.state;
    let line = '';
    if (t && tr) line = `Showing ${tr.name}: ${tr.report.files.length} devices, ${tr.report.format} trace (files are not part of the link)`;
    else if (t) line = error && !running ? `${t.name} could not be shown: see the message above the chart` : `Reading ${t.name}…`;
    name.textContent = line;
    if (!redraw) return;
    if (!tr) return fill(report);
    if (t) buildOffsets(tr.report.files.length);
    renderReport(report, tr, shown);
  }

  // The settings, the compare picks and the examples do not apply to a trace: changing them means
  // "show me the strategy", as picking a strategy does for an imported schedule.
  const SETTINGS_SOURCES = ['settings', 'compare', 'presets'];
  store.subscribe((changed, meta) => {
    if (trace() && SETTINGS_SOURCES.includes(meta.source) && ['config', 'compare', 'sameModel'].some((k) => changed.has(k))) {
      store.update({ trace: null }, { source: 'traces' });
      return;
    }
    if (changed.has('shown') && store.state.shown?.trace && trace()) lastTrace = trace();
    if (changed.has('strategies')) buildChecks();
    if (['trace', 'shown', 'strategies'].some((k) => changed.has(k))) showControls();
    if (['shown', 'trace', 'error', 'running'].some((k) => changed.has(k))) showReport(changed.has('shown'));
  });
}

function renderReport(el, tr, shown) {
  const { report, view } = tr;
  const { fit, replay } = report;
  const notes = [...report.notes, ...fit.notes,
    `Clocks aligned on the earliest op of all: 0 ms is ${fmt(report.origin_ms)} ms on its rank’s clock.`];
  const whatIfNotes = shown.mode === 'compare' ? shown.entries.filter((e) => e.note).map((e) => `${e.strategy}: ${e.note}`) : [];
  const deviceFiles = report.files;
  fill(el,
    h('h2', { id: 'trace-report-h' }, 'Measured trace'),
    h('ul', { class: 'trace-notes', dataset: { testid: 'trace-notes' } }, notes.map((n) => h('li', {}, n))),
    h('details', {}, h('summary', {}, `Files per device (${deviceFiles.length})`),
      h('ol', { start: '0' }, deviceFiles.map((f) => h('li', {}, f)))),

    h('h3', {}, 'Fitted op times (ms)'),
    h('div', { class: 'table-scroll' }, h('table', { class: 'devices trace-fit', dataset: { testid: 'trace-fit' } },
      h('caption', {}, 'Median per stage and kind [min–max] ×count'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'stage'), FIT_COLUMNS.map(([, title]) => h('th', { scope: 'col' }, title)))),
      h('tbody', {}, fitRows(fit, report.fitted).map((row) => h('tr', {}, h('th', { scope: 'row' }, row.stage),
        row.cells.map((c) => h('td', { dataset: { kind: c.kind }, class: c.measured ? null : 'muted' }, c.text))))))),
    h('p', {}, 'p2p_latency: ', fit.p2p_latency.count
      ? `${fmt(fit.p2p_latency.median)} ms, the median of ${fit.p2p_latency.count} waits for another device [${fmt(fit.p2p_latency.min)}–${fmt(fit.p2p_latency.max)}]`
      : '0 (no op waited for another device)'),
    h('p', {}, 'As settings (paste after ', h('code', {}, 'build/ppemu strategy=…'), '):'),
    h('pre', { class: 'trace-line', dataset: { testid: 'trace-fitted-line' } }, fittedLine(report.fitted)),

    h('h3', {}, 'Replay'),
    h('p', {}, 'Chosen: ', h('code', {}, `p2p_mode=${replay.p2p_mode}`), ' — ', h('span', { dataset: { testid: 'trace-replay-choice' } }, replay.choice)),
    h('p', {}, `Makespan: measured ${fmt(replay.measured_makespan)} ms, replay ${fmt(replay.makespan)} ms, error ${signed(replay.makespan_error)} ms.`,
      view === 'replay' ? '' : ' (“Measured vs replay” draws both.)'),
    h('div', { class: 'table-scroll' }, h('table', { class: 'devices trace-replay', dataset: { testid: 'trace-replay' } },
      h('caption', {}, 'Per device: measured, replay, error (ms)'),
      h('thead', {},
        h('tr', {}, h('th', { scope: 'col', rowspan: '2' }, 'device'), ['end', 'busy', 'idle'].map((q) => h('th', { scope: 'colgroup', colspan: '3' }, q))),
        h('tr', {}, ['end', 'busy', 'idle'].flatMap(() => ['measured', 'replay', 'error'].map((w) => h('th', { scope: 'col' }, w))))),
      h('tbody', {}, replay.devices.map((d) => h('tr', {}, h('th', { scope: 'row' }, d.device),
        ['end', 'busy', 'idle'].flatMap((q) => [
          h('td', { dataset: { col: `measured_${q}` } }, fmt(d[`measured_${q}`])),
          h('td', { dataset: { col: `replay_${q}` } }, fmt(d[`replay_${q}`])),
          h('td', { dataset: { col: `${q}_error` } }, signed(d[`${q}_error`]))])))))),
    replay.worst.length ? h('div', { class: 'table-scroll' }, h('table', { class: 'devices trace-worst', dataset: { testid: 'trace-worst' } },
      h('caption', {}, 'Ops whose start deviates most (replay − measured, ms)'),
      h('thead', {}, h('tr', {}, ['device', 'op', 'measured start', 'replay start', 'difference'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, replay.worst.map((o) => h('tr', {}, h('th', { scope: 'row' }, o.device), h('td', {}, o.op),
        h('td', {}, fmt(o.measured_start)), h('td', {}, fmt(o.replay_start)), h('td', {}, signed(o.start_error)))))))
      : h('p', { class: 'muted' }, 'No op starts differently in the replay.'),
    h('p', {}, 'Likely causes:'),
    h('ul', { dataset: { testid: 'trace-causes' } }, replay.causes.map((c) => h('li', {}, c))),
    whatIfNotes.length ? h('ul', { class: 'trace-notes', dataset: { testid: 'trace-whatif-notes' } }, whatIfNotes.map((n) => h('li', {}, n))) : null);
}
