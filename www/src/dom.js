// One way to build DOM: text always goes in as text (never innerHTML), because strategy names,
// parameter names and file names shown on the page can come from a stranger's link or file.

/**
 * h('td', {class: 'num', dataset: {testid: 'makespan'}}, '33', child) -> element.
 * Attributes: `class`, `style` (CSS text, set through the CSSOM), `dataset`, `on<event>` handlers,
 * booleans (true sets, false omits), anything else via setAttribute. Children: nodes, strings, numbers, arrays; null/false skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') el.className = value;
    // Through the CSSOM: the site's policy refuses style attributes (style-src without 'unsafe-inline').
    else if (name === 'style') el.style.cssText = String(value);
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'value' || name === 'checked' || name === 'selected') el[name] = value;
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}
