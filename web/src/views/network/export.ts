// Exports of the network view, client side: PNG (sigma's layers composited
// on a white background) and SVG (written from the drawn nodes and ties);
// GraphML comes from the server (POST /v1/network/export/view, audited).
import type Graph from 'graphology';
import type Sigma from 'sigma';

// Saves `blob` as a file named `name` (an <a download> on a blob: URL).
export function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// The current frame as PNG: sigma renders synchronously (refresh), then
// every layer is drawn onto one canvas before the WebGL buffers are reused.
export function pngOf(renderer: Sigma): Promise<Blob> {
  renderer.refresh();
  const canvases = renderer.getCanvases();
  const { width, height } = renderer.getDimensions();
  const ratio = window.devicePixelRatio || 1;
  const out = document.createElement('canvas');
  out.width = Math.round(width * ratio);
  out.height = Math.round(height * ratio);
  const context = out.getContext('2d');
  if (!context) return Promise.reject(new Error('no 2D canvas to export to'));
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, out.width, out.height);
  for (const layer of ['edges', 'nodes', 'edgeLabels', 'labels', 'hovers', 'hoverNodes']) {
    const canvas = canvases[layer];
    if (canvas) context.drawImage(canvas, 0, 0, out.width, out.height);
  }
  return new Promise((resolve, reject) => out.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the PNG could not be made'))), 'image/png'));
}

// Text for XML: markup characters escaped, control characters (not allowed
// in XML 1.0, e.g. the NUL in internal edge keys) dropped.
const escapeXml = (text: string): string =>
  // eslint-disable-next-line no-control-regex
  text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c);

// The drawn graph as SVG, in viewport coordinates (what is on screen).
export function svgOf(renderer: Sigma, graph: Graph): string {
  const { width, height } = renderer.getDimensions();
  const lines: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    '<g stroke-linecap="round">',
  ];
  const at = (node: string): { x: number; y: number } => {
    const data = renderer.getNodeDisplayData(node);
    return data ? renderer.framedGraphToViewport(data) : { x: -1, y: -1 };
  };
  graph.forEachEdge((edge, attributes, source, target) => {
    if (attributes['hidden']) return;
    const a = at(source);
    const b = at(target);
    lines.push(
      `<line x1="${a.x.toFixed(1)}" y1="${a.y.toFixed(1)}" x2="${b.x.toFixed(1)}" y2="${b.y.toFixed(1)}" stroke="${escapeXml(String(attributes['color'] ?? '#999'))}" stroke-width="${Number(attributes['size'] ?? 1).toFixed(1)}"><title>${escapeXml(String(attributes['title'] ?? `${source} – ${target}`))}</title></line>`,
    );
  });
  lines.push('</g><g font-family="sans-serif" font-size="11">');
  const scale = renderer.getCamera().ratio;
  graph.forEachNode((node, attributes) => {
    if (attributes['hidden']) return;
    const p = at(node);
    const size = Number(attributes['size'] ?? 5) / Math.sqrt(scale);
    const colour = escapeXml(String(attributes['color'] ?? '#666'));
    const label = escapeXml(String(attributes['label'] ?? node));
    lines.push(
      attributes['type'] === 'square'
        ? `<rect x="${(p.x - size).toFixed(1)}" y="${(p.y - size).toFixed(1)}" width="${(2 * size).toFixed(1)}" height="${(2 * size).toFixed(1)}" fill="${colour}"><title>${label}</title></rect>`
        : `<circle cx="${p.x.toFixed(1)}" cy="${p.y.toFixed(1)}" r="${size.toFixed(1)}" fill="${colour}"><title>${label}</title></circle>`,
    );
    if (attributes['forceLabel'] || graph.order <= 200) lines.push(`<text x="${(p.x + size + 2).toFixed(1)}" y="${(p.y + 4).toFixed(1)}" fill="#15202b">${label}</text>`);
  });
  lines.push('</g></svg>');
  return lines.join('\n');
}
