/**
 * Server-rendered PNG of a chart, for slides and reports: the chart's SVG (see server/domain/render-svg.ts) rasterised by
 * resvg (`@resvg/resvg-js`, binary inside its npm package) with the bundled fonts only, so a PNG looks the same
 * on every machine and its text sits where the SVG's layout put it.
 */
import { Resvg } from '@resvg/resvg-js';
import { FONT_FAMILY, fontFiles } from './chart-fonts.ts';

/** Pixel density of the PNG: 2 by default (sharp on high-density screens and projectors). */
export const PNG_SCALES = [1, 2, 3] as const;

/**
 * @example await renderPng(svg, 2) // a Buffer starting with the PNG signature, twice the SVG's width in pixels
 */
export function renderPng(svg: string, scale: number): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: '#ffffff',
    font: {
      fontFiles: fontFiles(),
      loadSystemFonts: false,
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
    },
  });
  return resvg.render().asPng();
}
