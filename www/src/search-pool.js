// The "Find the best" search run by a pool of workers (wasm/API.md, "The search"): one plan,
// slices of configurations dealt to whichever worker is free, and the core's own ranking
// (searchRank) of whatever has arrived, so the partial table and the final one are the CLI's
// rule. No DOM and no Worker here: a worker is anything with `call(request) -> Promise<reply>`,
// so tests/wasm/search_pool.test.mjs drives it with module instances under Node and the page
// with Web Workers running worker.js.

/** What a worker does with one search request (worker.js calls it with its module). */
export function answerSearch(core, request) {
  const text = String(request.settings ?? '{}');
  switch (request.op) {
    case 'plan': return core.searchPlan(text);
    case 'rows': return core.searchRows(text, request.begin, request.end);
    case 'rank': return core.searchRank(text, String(request.rows ?? '[]'));
    case 'config': return core.searchConfig(text, request.index);
    default: return { ok: false, error: `unknown search request '${request.op}' (plan, rows, rank or config)` };
  }
}

/** Configurations per slice: small enough for a live progress bar, large enough that messages cost little. */
export const DEFAULT_SLICE = 24;

/**
 * The settings object the core reads (one JSON object: base config keys and search keys) from
 * the page's config, its search fields and the same-model switch. `capBytesPerUnit` converts
 * the cap the user typed (GiB when projected) into the core's unit (bytes there).
 */
export function searchSettings(config, search, { sameModel = true, capBytesPerUnit = 1 } = {}) {
  const out = {};
  for (const [k, v] of Object.entries(config)) if (v !== undefined && v !== null) out[k] = v;
  for (const [k, v] of Object.entries(search)) {
    if (v === undefined || v === null || String(v).trim() === '') continue;
    if (k === 'memory_cap') {
      const n = Number(v);
      out.memory_cap = String(v).trim() === 'none' || !Number.isFinite(n) ? String(v) : n * capBytesPerUnit;
    } else {
      out[k] = String(v);
    }
  }
  out.same_model = sameModel ? '1' : '0';
  return out;
}

/**
 * Runs one search. `workers`: [{call}]; `settings`: the object above. Callbacks:
 *   onPlan(plan)                            once, before any row
 *   onRows({done, total, ran, rows})        after every slice (rows: every row so far, index order of arrival)
 *   onRanking({ranking, best, rows: n})     after each rank of the rows so far (the last one covers them all)
 * `isCancelled()` is read before every slice: once true no slice starts and the run ends with
 * `cancelled: true` (after the slices in flight return). With `targetSliceMs` each worker sizes
 * its next slice so that it takes about that long (1 to 4 x `slice` configurations): a grid of
 * heavy runs then still reports progress often and cancels soon. Resolves {ok, error, plan, rows, ranking, best, cancelled}.
 */
export async function runSearch({ workers, settings, slice = DEFAULT_SLICE, targetSliceMs = null, rankEveryMs = 120, now = () => Date.now(),
  isCancelled = () => false, onPlan = () => {}, onRows = () => {}, onRanking = () => {} }) {
  if (!workers.length) return { ok: false, error: 'no workers to run the search' };
  const text = JSON.stringify(settings);
  const plan = await workers[0].call({ op: 'plan', settings: text });
  if (!plan.ok) return { ok: false, error: plan.error, plan };
  onPlan(plan);
  const total = plan.count;
  const rows = [];
  let ran = 0;
  let next = 0;
  let failure = null;
  let ranked = { ranking: [], best: null };
  let rankedRows = -1;    // how many rows the latest ranking covers
  let rankBusy = false;
  let lastRank = -Infinity;

  async function rank(worker) {
    rankBusy = true;
    const count = rows.length;
    // Only what searchRank reads, so a partial rank costs little to send.
    const subset = rows.filter((r) => r.ran).map(({ index, ran: took, time, peak_memory: peak }) => ({ index, ran: took, time, peak_memory: peak }));
    const r = await worker.call({ op: 'rank', settings: text, rows: JSON.stringify(subset) });
    rankBusy = false;
    lastRank = now();
    if (!r.ok) {
      failure ??= r.error;
      return;
    }
    if (count > rankedRows) {
      rankedRows = count;
      ranked = { ranking: r.ranking, best: r.best };
      onRanking({ ranking: r.ranking, best: r.best, rows: count });
    }
  }

  async function loop(worker) {
    let size = slice;
    while (!failure && !isCancelled()) {
      if (!rankBusy && rows.length > rankedRows && rows.length < total && now() - lastRank >= rankEveryMs) {
        await rank(worker);
        continue;
      }
      if (next >= total) return;
      const begin = next;
      const end = Math.min(total, begin + size);
      next = end;
      const t0 = now();
      const r = await worker.call({ op: 'rows', settings: text, begin, end });
      if (targetSliceMs > 0) {
        const ms = Math.max(1e-3, now() - t0);
        size = Math.max(1, Math.min(4 * slice, Math.round(((end - begin) * targetSliceMs) / ms)));
      }
      if (!r.ok) {
        failure ??= r.error;
        return;
      }
      if (isCancelled()) return;
      for (const row of r.rows) {
        rows.push(row);
        if (row.ran) ran++;
      }
      onRows({ done: rows.length, total, ran, rows });
    }
  }

  await Promise.all(workers.map(loop));
  if (failure) return { ok: false, error: failure, plan, rows, ...ranked, cancelled: false };
  const cancelled = rows.length < total;
  // The last ranking covers every row that arrived, cancelled or not.
  if (rows.length > rankedRows) await rank(workers[0]);
  if (failure) return { ok: false, error: failure, plan, rows, ...ranked, cancelled };
  return { ok: true, error: '', plan, rows, ...ranked, cancelled };
}

/**
 * The rows in rank order with their ranking fields: [{...row, rank, pareto, over_cap}].
 * `rows`: every row that arrived; `ranking`: searchRank's.
 */
export function rankedRows(rows, ranking) {
  const byIndex = new Map(rows.map((r) => [r.index, r]));
  return ranking.map((k) => ({ ...byIndex.get(k.index), rank: k.rank, pareto: k.pareto, over_cap: k.over_cap }));
}

/** The Pareto front as the scatter draws it: front rows by peak memory, then time (a staircase). */
export function frontLine(rows) {
  return rows.filter((r) => r.pareto).sort((a, b) => a.peak_memory - b.peak_memory || a.time - b.time);
}
