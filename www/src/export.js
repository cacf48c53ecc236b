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

/** Height of the embed view's footer line (embed.css sets it exactly), below the chart. */
export const EMBED_FOOT_PX = 24;
/** The message embed.html posts to its parent: {type, height} in CSS px. */
export const EMBED_HEIGHT_MESSAGE = 'ppemu-embed-height';

/** The embed's height for a chart that needs chartPx to show every row unsqueezed. */
export function embedHeightPx(chartPx) {
  return Math.ceil(chartPx + EMBED_FOOT_PX);
}

/**
 * An <iframe> snippet that takes the width of the post it is pasted into and the height of the
 * rows it shows, and two lines of script that follow the height embed.html posts when its
 * content changes (a host page whose policy refuses inline script keeps the computed height).
 */
export function embedSnippet(pageHref, { height = 360 } = {}) {
  const attr = (t) => t.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const src = attr(embedUrl(pageHref));
  const origin = JSON.stringify(new URL(pageHref).origin).replace(/</g, '\\u003c');
  return `<iframe src="${src}" title="Pipeline schedule (ppemu)" width="100%" height="${Math.round(height)}" style="border:0;max-width:100%" loading="lazy"></iframe>\n`
    + `<script>addEventListener("message",function(e){if(e.origin!==${origin}||!e.data||e.data.type!=="${EMBED_HEIGHT_MESSAGE}")return;\n`
    + 'document.querySelectorAll("iframe").forEach(function(f){if(f.contentWindow===e.source)f.style.height=e.data.height+"px"})});</script>';
}

/** A file name from the run's settings, safe on every OS. */
export function fileName(config, ext) {
  const base = `ppemu-${config.strategy}-p${config.num_devices}-s${config.num_stages}-m${config.num_batches}`;
  return `${base.replace(/[^A-Za-z0-9_.-]/g, '_')}.${ext}`;
}

/**
 * Chrome traces of several runs as one trace: each run becomes its own process (pid = its index,
 * named by its label), so Perfetto shows the compared runs one above the other. traces: the
 * texts the worker exported (the CLI's --format trace), labels: one per trace.
 */
export function mergeTraces(traces, labels) {
  const events = [];
  let unit = 'ms';
  traces.forEach((text, pid) => {
    const doc = JSON.parse(text);
    unit = doc.displayTimeUnit ?? unit;
    for (const e of doc.traceEvents ?? []) {
      if (e.name === 'process_name' && e.ph === 'M') events.push({ ...e, pid, args: { ...e.args, name: labels[pid] } });
      else events.push({ ...e, pid });
    }
    events.push({ name: 'process_sort_index', ph: 'M', pid, args: { sort_index: pid } });
  });
  return JSON.stringify({ displayTimeUnit: unit, traceEvents: events });
}
