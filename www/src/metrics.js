// The metrics panel of one run: headline figures with their definitions, the per-device table
// and the published closed forms beside the emulated figures. Definitions are the CLI's
// (`ppemu --help`), so a figure on the page means what the same word means in the terminal.
import { h, fill } from './dom.js';
import { fmt, pct } from './format.js';
import { workPerDevice } from './compare.js';
import { timeUnitOf, withUnit } from './projection.js';

export const DEFINITIONS = {
  makespan: 'latest op end; every device starts at time 0',
  work_per_device: 'busy time of the busiest device: what the schedule makes one device compute (op times are per stage, so more stages per device means more work)',
  bubble_ratio: '1 − Σ busy / (num_devices × makespan)',
  bubble_over_ideal: '(makespan − max busy) / max busy — Megatron\'s bubble fraction, (p−1)/m for 1F1B',
  span_bubble_ratio: 'max over devices of (span − busy) / span, span = first op start … last op end — the Zero Bubble papers\' rate (ignores start-up offsets)',
  peak_activations: 'most (microbatch, stage) pairs a device holds at once: from the F\'s start to the end of its last backward op',
};

function figure(name, value, testid, definition, extra) {
  return h('div', { class: 'figure' },
    h('dt', {}, name),
    h('dd', {},
      h('span', { class: 'value', dataset: testid ? { testid } : undefined }, value),
      extra ? h('span', { class: 'extra' }, ' ', extra) : null,
      h('div', { class: 'definition' }, definition)));
}

/** Headline figures of a run. */
export function renderSummary(el, result) {
  const unit = timeUnitOf(result); // 'ms' when projected
  fill(el, h('dl', { class: 'figures' },
    figure('Makespan', withUnit(fmt(result.makespan), unit), 'makespan', DEFINITIONS.makespan),
    figure('Work per device', withUnit(fmt(workPerDevice(result)), unit), 'work-per-device', DEFINITIONS.work_per_device),
    figure('Bubble ratio', fmt(result.bubble_ratio), 'bubble-ratio', DEFINITIONS.bubble_ratio, `(${pct(result.bubble_ratio)})`),
    figure('Bubble over ideal', fmt(result.bubble_over_ideal), null, DEFINITIONS.bubble_over_ideal),
    figure('Span bubble', fmt(result.span_bubble_ratio), null, DEFINITIONS.span_bubble_ratio),
    figure('Peak activations', fmt(result.peak_activations), 'peak-activations', DEFINITIONS.peak_activations)));
}

/** Busy, idle and memory per device. */
export function renderDevices(el, result) {
  const unit = timeUnitOf(result);
  const head = ['device', unit ? `busy (${unit})` : 'busy', unit ? `idle (${unit})` : 'idle', 'bubble ratio', 'span bubble', 'peak activations', 'peak until B'];
  fill(el,
    h('table', { class: 'devices', dataset: { testid: 'devices' } },
      h('caption', {}, 'Per device'),
      h('thead', {}, h('tr', {}, head.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, (result.devices || []).map((d) => h('tr', {},
        h('th', { scope: 'row' }, d.device),
        h('td', {}, fmt(d.busy)),
        h('td', {}, fmt(d.idle)),
        h('td', {}, fmt(d.bubble_ratio)),
        h('td', {}, fmt(d.span_bubble_ratio)),
        h('td', {}, fmt(d.peak_activations)),
        h('td', {}, fmt(d.peak_activations_until_B)))))));
}

/**
 * The published closed forms beside the emulated figure. When a form's assumptions do not hold
 * for this run the value is not shown at all: a number that silently disagrees with the
 * emulation would read as a bug in one or the other.
 */
export function renderFormulas(el, result, { imported = false } = {}) {
  const formulas = result.formulas || [];
  if (!formulas.length) {
    fill(el, h('p', { class: 'muted' }, imported ? 'An imported schedule has no published closed form.' : 'No published closed form for this strategy.'));
    return;
  }
  fill(el,
    h('table', { class: 'formulas', dataset: { testid: 'formulas' } },
      h('caption', {}, 'Published closed forms vs this emulation'),
      h('thead', {}, h('tr', {}, ['quantity', 'published formula', 'formula gives', 'emulated', 'assumptions', 'source']
        .map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, formulas.map((f) => {
        const agrees = f.holds && Math.abs(f.value - f.emulated) <= 1e-9 * Math.max(1, Math.abs(f.emulated));
        return h('tr', { class: f.holds ? 'holds' : 'not-holds', dataset: { testid: 'formula' } },
          h('th', { scope: 'row' }, f.quantity),
          h('td', {}, h('code', {}, f.expression)),
          h('td', {}, f.holds
            ? h('span', {}, fmt(f.value), agrees ? '' : h('span', { class: 'warn' }, ' (differs)'))
            : h('span', { class: 'warn', dataset: { testid: 'formula-not-holds' } }, 'assumptions do not hold for this run')),
          h('td', {}, fmt(f.emulated)),
          h('td', {}, f.assumptions),
          h('td', {}, f.source));
      }))));
}

/**
 * The one-line summary the embed view shows under its chart. peak: the activation figure to show
 * (compare mode's same-model device shares, as the ranking shows them); the run's own by default.
 */
export function summaryLine(result, { peak = result.peak_activations } = {}) {
  return `makespan ${withUnit(fmt(result.makespan), timeUnitOf(result))} · bubble ratio ${fmt(result.bubble_ratio)} (${pct(result.bubble_ratio)}) · peak activations ${fmt(peak)}`;
}
