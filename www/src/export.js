// Getting things off the page: file downloads, the clipboard, and the embed snippet.

/** Saves text or a Blob as a file the browser downloads. */
export function download(content, filename, type = 'application/octet-stream') {
  const blob = content instanceof Blob ? content : new Blob([content], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started from the click; revoke later so slow browsers still read it.
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/**
 * Copies text; resolves true when the clipboard took it. The clipboard API needs a secure
 * context and permission, so callers also show the text selected in a field as the fallback.
 */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** The embed view's URL for a page URL: same folder, embed.html, same hash. */
export function embedUrl(pageHref) {
  const url = new URL(pageHref);
  const hash = url.hash;
  const embed = new URL('embed.html', url);
  embed.hash = hash;
  return embed.href;
}

/** An <iframe> snippet that sizes to the width of the post it is pasted into. */
export function embedSnippet(pageHref, { height = 360 } = {}) {
  const src = embedUrl(pageHref).replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  return `<iframe src="${src}" title="Pipeline schedule (ppemu)" width="100%" height="${height}" style="border:0;max-width:100%" loading="lazy"></iframe>`;
}

/** A file name from the run's settings, safe on every OS. */
export function fileName(config, ext) {
  const base = `ppemu-${config.strategy}-p${config.num_devices}-s${config.num_stages}-m${config.num_batches}`;
  return `${base.replace(/[^A-Za-z0-9_.-]/g, '_')}.${ext}`;
}
