/**
 * Real text measurement for Vega on the server. Without a canvas, Vega estimates a text's width as
 * 0.8 × characters × font size, which is wrong both ways: titles were laid out too wide (shifted and clipped),
 * labels too narrow (overlapping), and bands of blank space were left where the layout reserved room for text
 * that was shorter. Here Vega measures with Skia (`@napi-rs/canvas`, whose binary ships inside its npm package)
 * and the project's bundled fonts, exactly as a browser measures them with the same fonts.
 *
 * `useServerTextMetrics()` is idempotent; call it before the first server render.
 */
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import * as vega from 'vega';
import { FONT_FAMILY, FONT_STACK, fontFiles } from '../../dashboards/chart-fonts.ts';

/** What Vega's scenegraph exports (untyped in vega-typings). */
interface TextItem {
  fontSize?: number | string | null;
  limit?: number;
}
interface VegaTextMetrics {
  width: (item: TextItem, text: unknown) => number;
}
const scenegraph = vega as unknown as { textMetrics: VegaTextMetrics; font: (item: TextItem) => string };

let installed = false;

/** Registers the bundled fonts with Skia and makes Vega measure text with them. */
export function useServerTextMetrics(): void {
  if (installed) return;
  for (const file of fontFiles()) GlobalFonts.registerFromPath(file, FONT_FAMILY);
  const context = createCanvas(1, 1).getContext('2d');
  const widths = new Map<string, number>();
  const measure = (text: string, font: string): number => {
    const key = `${font}\u0000${text}`;
    let width = widths.get(key);
    if (width === undefined) {
      context.font = font;
      width = context.measureText(text).width;
      if (widths.size > 50_000) widths.clear();
      widths.set(key, width);
    }
    return width;
  };
  scenegraph.textMetrics.width = (item, text) => {
    const size = item.fontSize != null ? +item.fontSize || 0 : 11;
    const value = text == null ? '' : String(text as string | number).trim();
    if (size <= 0 || !value) return 0;
    const width = measure(value, scenegraph.font(item));
    // A text with a `limit` is shortened to fit it (Vega's own truncation calls back here with each candidate):
    // its laid-out width is at most the limit.
    return item.limit && item.limit > 0 ? Math.min(width, item.limit) : width;
  };
  installed = true;
}

/**
 * The width of a text in pixels as the charts set it.
 *
 * @example textWidth('Baseline 2019', 11) // ≈ 58.6 (Source Sans 3, 11 px)
 */
export function textWidth(text: string, fontSize: number, fontWeight = 400): number {
  useServerTextMetrics();
  return scenegraph.textMetrics.width({ fontSize, fontWeight, font: FONT_STACK } as TextItem, text);
}
