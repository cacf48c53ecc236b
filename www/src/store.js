// The page's state in one place: what the link holds (config, compare, same model, view, theme)
// and what the session knows (the core's keys and strategies, what the chart shows, what went
// wrong). Panels read `store.state`, change it only through `store.update(patch, meta)`, and
// render again when the change event names a field they show. The link follows the state: every
// update of a link field rewrites the hash, and a committed change (a menu pick, a finished field
// edit, a ticked box) gets its own history entry, so Back undoes it; keystrokes of one field edit
// share one entry. A hash the page did not write (a pasted link, Back) is read back as a fresh
// scenario. No DOM beyond `location` and `history`, both injectable, so
// tests/www drive it under Node.
import { parseHash, serializeHash, emptyState } from './state.js';
import { findStrategy } from './runs.js';
import { linkDefaults } from './projection.js';

/** State fields the link holds. */
export const LINK_FIELDS = ['config', 'compare', 'sameModel', 'view', 'theme', 'search'];
// Zooming fires dozens of changes a second; browsers throttle history writes, so the view waits.
const VIEW_WRITE_DELAY_MS = 200;

/**
 * meta of update():
 *   commit   false for a keystroke (the runner waits a moment for the next one); default true
 *   key      the field being edited: a field edit's keystrokes and its commit share one entry
 *   history  how the link is written: 'push' (a new history entry; the default for a committed
 *            change), 'replace', 'later' (a debounced replace, for zooming) or 'none'
 *   source   who changed it ('link', 'chart', ...), so a panel can skip its own echo
 *   run      false: the runner leaves this change alone (it restores what already ran)
 */
export function createStore({ win = globalThis } = {}) {
  const state = {
    ...emptyState(),
    schema: null,        // keys.js createSchema: which config keys exist (from the worker)
    strategies: [],      // the core's registry
    limits: null,        // the module's op budgets
    linkMessages: [],    // [{param, message}]: parts of the link that could not be used
    invalid: {},         // key -> why the text in that field is not a value (never sent to the core)
    lastEdited: null,    // config key of the user's latest edit: where an error it caused is shown
    imported: null,      // {name, text}: a schedule file to emulate instead of a strategy (not in the link)
    trace: null,         // trace-runs.js newTrace(): measured trace files shown instead of a strategy (not in the link)
    shown: null,         // what the chart shows (runner.js), null before the first good run
    error: null,         // {message, field}: why the latest settings did not run
    running: null,       // {phase} while the worker computes
    notice: '',          // a one-off line: stopped, export failed, the worker failed
    scenario: 0,         // bumped by a new scenario (link, example, file): the chart starts unzoomed
    linkLoad: 0,         // bumped by every link read (first load, pasted link, Back)
  };
  const listeners = new Set();
  let writtenHash = null;
  let viewTimer = 0;
  let typingKey = null; // the field whose edit owns the current history entry

  function emit(changed, meta) {
    for (const fn of [...listeners]) fn(changed, meta);
  }

  function update(patch, meta = {}) {
    const changed = new Set();
    for (const [k, v] of Object.entries(patch)) {
      if (state[k] !== v) {
        state[k] = v;
        changed.add(k);
      }
    }
    if (!changed.size) return changed;
    if (LINK_FIELDS.some((f) => changed.has(f))) writeLink(historyMode(meta));
    emit(changed, meta);
    return changed;
  }

  /** The hash for the current state ('#' alone when empty). */
  function linkHash() {
    return serializeHash(state, state.schema);
  }

  // A field edit pushes one entry at its first keystroke; later keystrokes and its commit replace it.
  function historyMode(meta) {
    if (meta.history) return meta.history;
    if (meta.commit === false) {
      const mode = typingKey === meta.key ? 'replace' : 'push';
      typingKey = meta.key;
      return mode;
    }
    const mode = typingKey !== null && typingKey === meta.key ? 'replace' : 'push';
    typingKey = null;
    return mode;
  }

  function writeLink(mode) {
    if (mode === 'none' || !state.schema || !win.history) return;
    clearTimeout(viewTimer);
    if (mode === 'later') {
      viewTimer = setTimeout(() => writeLink('replace'), VIEW_WRITE_DELAY_MS);
      return;
    }
    const hash = linkHash();
    const { location, history } = win;
    if (hash !== location.hash && !(hash === '#' && location.hash === '')) {
      const url = hash === '#' ? location.pathname + location.search : hash;
      if (mode === 'push') history.pushState(null, '', url);
      else history.replaceState(null, '', url);
    }
    writtenHash = location.hash;
  }

  /**
   * Reads a hash as a fresh scenario: the settings, comparison, zoom and theme it holds, messages
   * for what it cannot use, nothing kept from before (an imported file is not part of a link).
   */
  function loadHash(hash) {
    const { state: next, messages } = parseHash(hash, state.schema);
    next.config = { ...linkDefaults(state.schema?.defaults ?? {}, next.config), ...next.config };
    // Aliases (pipedream_flush) read as their registry name, as the CLI resolves them.
    const chosen = findStrategy(state.strategies, next.config.strategy);
    if (chosen) next.config.strategy = chosen.name;
    const known = [];
    for (const name of next.compare) {
      const meta = findStrategy(state.strategies, name);
      if (!meta) messages.push({ param: 'compare', message: `'${name}' is not a registered strategy` });
      else if (!known.includes(meta.name)) known.push(meta.name);
    }
    next.compare = known;
    typingKey = null;
    update({
      ...next,
      linkMessages: messages,
      invalid: {},
      imported: null,
      trace: null,
      lastEdited: null,
      notice: '',
      scenario: state.scenario + 1,
      linkLoad: state.linkLoad + 1,
    }, { source: 'link', history: 'replace' });
  }

  /** Follows hashes the page did not write itself: a pasted link, Back and Forward. */
  function listen() {
    const onNavigate = () => {
      if (win.location.hash !== writtenHash) loadHash(win.location.hash);
    };
    win.addEventListener('hashchange', onNavigate);
    win.addEventListener('popstate', onNavigate);
    return () => {
      win.removeEventListener('hashchange', onNavigate);
      win.removeEventListener('popstate', onNavigate);
    };
  }

  return {
    state,
    update,
    /** A user's edit: the link's own problems no longer apply once the user changes something. */
    edit(patch, meta) {
      return update({ ...patch, linkMessages: [] }, meta);
    },
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    loadHash,
    listen,
    linkHash,
    /** Writes a pending (debounced) link now, e.g. before the link is copied. */
    flushLink() {
      writeLink('replace');
    },
  };
}
