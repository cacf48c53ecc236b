// What the chart shows, in words: its caption on the page, the title line of an exported figure,
// the chart's text alternative and the tab title. One place, so they never disagree. Pure.
import { fmt } from './format.js';
import { summaryLine } from './metrics.js';
import { peakShare } from './compare.js';
import { flattenConfig } from './keys.js';
import { projectionOf, ms, gib } from './projection.js';

const OP_NAMES = { forward: 'F', backward: 'BW', backward_D: 'B', backward_W: 'W', overlapped_forward_backward: 'OV' };

function plural(n, word) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

// Settings beyond the counts that change the figures: latency and op times that are not the defaults.
function extras(config, defaults) {
  if (!config) return [];
  const flat = flattenConfig(config);
  const out = [];
  if (flat.p2p_latency) out.push(`p2p latency ${fmt(flat.p2p_latency)}`);
  const times = Object.entries(OP_NAMES)
    .filter(([k]) => flat[`op_times.${k}`] !== undefined && JSON.stringify(flat[`op_times.${k}`]) !== JSON.stringify(defaults?.[`op_times.${k}`]))
    .map(([k, name]) => {
      const v = flat[`op_times.${k}`];
      return `${name} ${Array.isArray(v) ? 'per stage' : fmt(v)}`;
    });
  if (times.length) out.push(`op times ${times.join(', ')}`);
  return out;
}

/** "1f1b · 4 devices · 4 stages · 8 microbatches" (+ latency, op times off the defaults). */
export function captionOf(shown, defaults = {}) {
  if (!shown) return '';
  // A measured trace's view names itself (trace-runs.js).
  if (shown.caption) return shown.caption;
  if (shown.mode === 'compare') {
    const ok = shown.entries.filter((e) => e.result.ok);
    const r = ok[0]?.result;
    const parts = [`Comparing ${shown.entries.map((e) => e.strategy).join(', ')}`];
    if (r) parts.push(plural(r.num_devices, 'device'), `${r.num_microbatches} microbatches`);
    if (projectionOf(r)) parts.push(`projected ${projectedName(r)} (the same model: no op-time scaling)`);
    else parts.push(shown.sameModel ? 'same model' : 'op times as given (not the same model)');
    return parts.join(' · ');
  }
  const r = shown.result;
  const name = shown.mode === 'csv' ? `${shown.label} (imported)` : r.strategy;
  const projected = projectionOf(r) ? [`projected ${projectedName(r)}`] : [];
  return [name, plural(r.num_devices, 'device'), plural(r.num_stages, 'stage'), `${r.num_microbatches} microbatches`,
    ...projected, ...(projected.length ? [] : extras(r.config, defaults))].join(' · ');
}

// "gpt3_175b on a100_80gb, 64 GPUs": what a projected run projects.
function projectedName(result) {
  const choices = result.config?.choices ?? {};
  const p = projectionOf(result);
  return `${choices.model ?? 'custom model'} on ${choices.gpu ?? 'custom GPU'}, ${p.num_gpus} GPUs`;
}

/** The headline figures: the run's, or in compare mode the fastest run's. */
export function figuresOf(shown) {
  if (!shown) return '';
  if (shown.mode !== 'compare') return projectedLine(shown.result) + summaryLine(shown.result);
  const best = shown.entries.find((e) => e.rank === 1);
  return best ? `fastest ${best.strategy}: ${projectedLine(best.result)}${summaryLine(best.result, { peak: peakShare(best) })}` : '';
}

// A projected run's headline before the schedule's own figures.
function projectedLine(result) {
  const p = projectionOf(result);
  return p ? `iteration ${ms(p.breakdown?.iteration_time_ms ?? p.iteration_time_s * 1e3)} ms · MFU ${(p.mfu * 100).toFixed(1)}% · peak memory ${gib(p.peak_memory_gib)} GiB${p.fits ? '' : ' (out of memory)'} · ` : '';
}

/** The title line of an exported SVG/PNG: caption and headline figures. */
export function titleOf(shown, defaults) {
  const figures = figuresOf(shown);
  return figures ? `${captionOf(shown, defaults)} — ${figures}` : captionOf(shown, defaults);
}
