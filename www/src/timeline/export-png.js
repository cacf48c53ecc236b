// PNG export by rasterising the SVG export: one drawing path for both formats, so the PNG has the
// legend, axis and labels exactly as the SVG does. The SVG holds no external resources, so the
// canvas stays untainted and toBlob works.

/** svgText: a standalone SVG document of widthPx × heightPx CSS px. Resolves to a PNG Blob. */
export async function svgToPNG(svgText, widthPx, heightPx, scale = 1) {
  const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(widthPx * scale));
    canvas.height = Math.max(1, Math.round(heightPx * scale));
    const ctx = canvas.getContext('2d');
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await new Promise((resolve, reject) => {
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('PNG encoding failed'))), 'image/png');
    });
  } finally {
    URL.revokeObjectURL(url);
  }
}
