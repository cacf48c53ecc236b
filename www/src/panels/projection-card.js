// The projection card of a projected run: the headline figures (iteration time, tokens/s,
// TFLOP/s per GPU, MFU in both causal conventions, peak memory, fits) and every term behind them
// (where the iteration time goes, per-stage F/B/W, parameters, FLOPs, links, the formulas), so no
// figure is one opaque number. The figures are the core's `projection` object (the CLI's
// --format json), shown as is; hidden in abstract units and in compare mode (the ranking ranks).
import { h, fill } from '../dom.js';
import { projectionOf, headlineFigures, breakdownRows, ms, gib, countShort } from '../projection.js';

export const slot = 'main';

const MIB = 2 ** 20;

export function mount(el, store) {
  const body = h('div', { id: 'projection-body' });
  const section = h('section', { id: 'projection-card', class: 'projection-card', 'aria-labelledby': 'projection-h', hidden: true,
    dataset: { testid: 'projection-card' } }, h('h2', { id: 'projection-h' }, 'Projection'), body);
  fill(el, section);

  store.subscribe((changed) => {
    if (!changed.has('shown')) return;
    const { shown } = store.state;
    const p = shown?.mode === 'single' ? projectionOf(shown.result) : null;
    section.hidden = !p;
    if (p) render(body, shown.result, p);
    else fill(body);
  });
}

function render(body, result, p) {
  const choices = result.config?.choices ?? {};
  fill(body,
    h('p', { class: 'muted' },
      `${choices.model ?? 'custom model'} on ${choices.gpu ?? 'custom GPU'}: ${p.num_gpus} GPUs (pipeline ${p.pipeline_size} × tensor ${p.tensor_size} × data ${p.data_size}`
      + `${p.expert_size > 1 ? `, experts over ${p.expert_size}` : ''}), ${p.global_batch_size} sequences of ${Math.round(p.tokens_per_iteration / p.global_batch_size)} tokens per iteration, `
      + `micro batch ${p.micro_batch_size}.`),
    h('dl', { class: 'figures' }, headlineFigures(p).map((f) => h('div', { class: 'figure' },
      h('dt', {}, f.name),
      h('dd', {},
        h('span', { class: f.testid === 'fits' && !p.fits ? 'value warn' : 'value', dataset: { testid: f.testid } }, f.value),
        f.extra ? h('span', { class: 'extra', dataset: { testid: `${f.testid}-other` } }, ' ', f.extra) : null,
        h('div', { class: 'definition' }, f.definition))))),
    h('div', { class: 'tables' }, h('div', {}, breakdownTable(p)), h('div', {}, modelTable(p))),
    stagesTable(p),
    p.kept?.length ? h('p', { class: 'muted', dataset: { testid: 'projection-kept' } },
      `Given, not projected (your values win): ${p.kept.join(', ')}.`) : null,
    termsTable(p));
}

function breakdownTable(p) {
  return h('table', { class: 'breakdown', dataset: { testid: 'projection-breakdown' } },
    h('caption', {}, `Time per iteration (device ${p.breakdown?.critical_device} finishes last)`),
    h('tbody', {}, breakdownRows(p).map(([label, value], i, rows) => h('tr', { class: i === rows.length - 1 ? 'total' : null },
      h('th', { scope: 'row' }, label),
      h('td', { dataset: { term: ['end', 'grad-reduce', 'optimizer', 'gather', 'iteration'][i === rows.length - 1 ? 4 : i] } }, `${ms(value)} ms`)))));
}

function modelTable(p) {
  const rows = [
    ['parameters', p.num_active_parameters !== p.num_parameters
      ? `${countShort(p.num_parameters)} (${countShort(p.num_active_parameters)} active)` : countShort(p.num_parameters)],
    ['model FLOPs per iteration', `${p.flops_per_iteration.toExponential(3)} (Megatron-LM's count, causal attention halved; ${p.flops_per_iteration_full_attention.toExponential(3)} without halving)`],
    ['hardware FLOPs per iteration', `${p.hardware_flops_per_iteration.toExponential(3)} (with recompute); HFU ${(p.hfu * 100).toFixed(1)}%`],
    ['links', Object.entries(p.links || {}).map(([k, v]) => `${k} ${v}`).join(', ')],
    ['P2P per activation', `${ms(p.p2p_latency_ms)} ms for ${(p.p2p_bytes / 1e6).toFixed(2)} MB`],
    ['memory capacity', `${gib(p.memory_capacity_gib)} GiB per GPU`],
  ];
  return h('table', { class: 'facts', dataset: { testid: 'projection-model' } },
    h('caption', {}, 'Model and cluster'),
    h('tbody', {}, rows.map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, k), h('td', {}, v)))));
}

function stagesTable(p) {
  const head = ['stage', 'layers', 'F ms', 'B ms', 'W ms', 'BW ms', 'of which TP comm ms', 'recompute ms', 'activation MiB', 'after B MiB', 'params/GPU'];
  return h('div', { class: 'table-scroll' },
    h('table', { class: 'devices', dataset: { testid: 'projection-stages' } },
      h('caption', {}, 'Per model stage, per microbatch on one GPU (F forward, B input backward, W weight backward, BW both)'),
      h('thead', {}, h('tr', {}, head.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, (p.stages || []).map((s) => h('tr', {},
        h('th', { scope: 'row' }, String(s.stage)),
        h('td', {}, `${s.num_layers}${s.embedding ? '+E' : ''}${s.lm_head ? '+L' : ''}`),
        h('td', { dataset: { col: 'forward' } }, ms(s.forward_ms)),
        h('td', { dataset: { col: 'backward_input' } }, ms(s.backward_input_ms)),
        h('td', { dataset: { col: 'backward_weight' } }, ms(s.backward_weight_ms)),
        h('td', {}, ms(s.backward_ms)),
        h('td', {}, ms(s.tp_comm_ms)),
        h('td', {}, ms(s.recompute_ms)),
        h('td', {}, (s.activation_bytes / MIB).toFixed(1)),
        h('td', {}, (s.after_B_bytes / MIB).toFixed(1)),
        h('td', {}, countShort(s.parameters)))))));
}

function termsTable(p) {
  const terms = p.terms || [];
  if (!terms.length) return null;
  return h('details', { class: 'projection-terms' },
    h('summary', {}, 'Where the numbers come from (formulas and sources)'),
    h('div', { class: 'table-scroll' },
      h('table', { class: 'formulas' },
        h('thead', {}, h('tr', {}, ['term', 'value', 'unit', 'formula', 'source'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, terms.map((t) => h('tr', {},
          h('th', { scope: 'row' }, t.name),
          h('td', {}, Number.isFinite(t.value) ? Number(t.value.toPrecision(6)).toLocaleString('en-US', { maximumSignificantDigits: 6 }) : String(t.value)),
          h('td', {}, t.unit),
          h('td', {}, h('code', {}, t.formula)),
          h('td', {}, t.source)))))));
}
