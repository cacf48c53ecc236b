// Share: copy a link that reopens this view, or an <iframe> snippet of the embed view. The text
// is shown selected first, so it can be copied by hand where the clipboard is refused.
import { h, fill } from '../dom.js';
import { copyText, embedSnippet } from '../export.js';

export const slot = 'toolbar';

export function mount(el, store, services) {
  const label = h('label', { for: 'share-out', id: 'share-label' }, 'Link');
  const out = h('input', { id: 'share-out', readonly: true });
  const status = h('span', { id: 'share-status', role: 'status', dataset: { testid: 'share-status' } });
  const line = h('div', { class: 'share-line', id: 'share-line', hidden: true }, label, out, status);
  services.slot('below-bar').append(line);

  const share = async (what, text) => {
    line.hidden = false;
    label.textContent = what;
    out.value = text;
    out.select();
    status.textContent = '';
    const copied = await copyText(text);
    status.textContent = copied ? 'copied' : 'press Ctrl+C to copy';
  };
  const link = h('button', { type: 'button', id: 'copy-link', title: 'copy a link that reopens exactly this view' }, 'Copy link');
  const embed = h('button', { type: 'button', id: 'copy-embed', title: 'copy an <iframe> snippet for a blog post or slides' }, 'Copy embed code');
  link.addEventListener('click', () => { store.flushLink(); share('Link', location.href); });
  embed.addEventListener('click', () => { store.flushLink(); share('Embed code', embedSnippet(location.href)); });
  fill(el, link, embed, h('span', { class: 'sep', 'aria-hidden': 'true' }));
}
