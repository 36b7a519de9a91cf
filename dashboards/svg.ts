/**
 * Server-side SVG, made accessible. In a browser, Vega sets the chart's `description` as the `aria-label` of the
 * element it renders into; an SVG rendered on the server (`view.toSVG()`) has no such element, so the description
 * would be lost. {@link accessibleSvg} puts it in the SVG itself.
 */

/**
 * Adds `role="img"`, an `aria-label` (the title) and `<title>`/`<desc>` children (the title and the plain-language
 * description) to an SVG string, so screen readers announce the chart wherever the file is shown.
 *
 * @example
 * const { spec: vg } = compile(spec);
 * const svg = await new vega.View(vega.parse(vg), { renderer: 'none' }).toSVG();
 * accessibleSvg(svg, { title: 'Unemployment rate', description: spec.description });
 * // '<svg role="img" aria-label="Unemployment rate" xmlns=… ><title>Unemployment rate</title><desc>Unemployment rate fell…</desc>…'
 */
export function accessibleSvg(
  svg: string,
  text: { title: string; description?: string | null },
  options: { fontFaceCss?: string } = {},
): string {
  const open = /^<svg\b[^>]*>/.exec(svg);
  if (!open) throw new TypeError('not an SVG document: it must start with <svg');
  const tag = open[0]
    .replace(/\s(role|aria-label)="[^"]*"/g, '')
    .replace(/^<svg\b/, `<svg role="img" aria-label="${escapeXml(text.title)}"`);
  // A standalone SVG loads the bundled fonts it was laid out with (an SVG in an <img> cannot: use chart.png).
  const style = options.fontFaceCss ? `<style>${escapeXml(options.fontFaceCss)}</style>` : '';
  const children = `<title>${escapeXml(text.title)}</title>${text.description ? `<desc>${escapeXml(text.description)}</desc>` : ''}${style}`;
  return `${tag}${children}${svg.slice(open[0].length)}`;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
