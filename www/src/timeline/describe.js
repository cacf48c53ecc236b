// What the page and the tooltip are told about one op. Pure.
import { KIND_NAMES, KIND_TITLES, KIND } from './palette.js';
import { deviceOfRow } from './run-data.js';
import { formatTime, timeUnitOfRuns } from './chrome.js';

/** The onHover payload of wasm/API.md. */
export function hoverInfo(run, runIndex, row) {
  const ov = run.kind[row] === KIND.OV;
  return {
    runIndex,
    row,
    kind: KIND_NAMES[run.kind[row]],
    device: deviceOfRow(run, row),
    stage: run.stage[row],
    chunk: run.chunkOf[run.stage[row]] ?? 0,
    microbatch: run.microbatch[row],
    stage2: ov ? run.stage2[row] : -1,
    microbatch2: ov ? run.microbatch2[row] : -1,
    start: run.start[row],
    end: run.end[row],
  };
}

/** Tooltip text: {title, lines: [[label, value]]}. OV lists both halves. */
export function describeOp(run, runIndex, row, { runLabel = '' } = {}) {
  const info = hoverInfo(run, runIndex, row);
  const lines = [];
  if (runLabel) lines.push(['run', runLabel]);
  if (info.kind === 'OV') {
    const chunk2 = run.chunkOf[info.stage2] ?? 0;
    lines.push(['forward', `microbatch ${info.microbatch}, stage ${info.stage}, chunk ${info.chunk}`]);
    lines.push(['full backward', `microbatch ${info.microbatch2}, stage ${info.stage2}, chunk ${chunk2}`]);
  } else {
    lines.push(['microbatch', String(info.microbatch)]);
    lines.push(['stage', `${info.stage} (chunk ${info.chunk})`]);
  }
  lines.push(['device', String(info.device)]);
  // A projected run's times are ms; op_times units have no name.
  const unit = timeUnitOfRuns([run]) ? ' ms' : '';
  lines.push(['start', formatTime(info.start) + unit]);
  lines.push(['end', formatTime(info.end) + unit]);
  lines.push(['duration', formatTime(info.end - info.start) + unit]);
  return { title: `${info.kind} · ${KIND_TITLES[info.kind]}`, lines, info };
}
