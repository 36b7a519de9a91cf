/**
 * The one typeface of every chart and embed page: Source Sans 3 (Adobe, SIL Open Font License 1.1; see
 * `fonts/LICENSE.md`), bundled with the project so a chart lays out the same on the server (text measured with
 * these files, see `server/domain/text-metrics.ts`) as in a browser (the embed stylesheet loads the same
 * faces as web fonts, `assets/source-sans-3-*.woff2`), whatever fonts the machine has.
 *
 * Two weights only: 400 for text and 600 for emphasis (titles, headings, names); nothing asks for another, so
 * no browser synthesises a bold the server did not measure.
 *
 * The web fonts are the same TTF files subset to Latin, punctuation, arrows and symbols (glyph advances and
 * kerning unchanged), made with fontTools:
 *   pyftsubset fonts/SourceSans3-Regular.ttf --unicodes="U+0000-024F,U+0300-036F,U+2000-206F,U+20A0-20CF,\
 *     U+2100-214F,U+2190-21FF,U+2200-22FF,U+25A0-25FF,U+2713" --no-hinting --flavor=woff2 \
 *     --output-file=assets/source-sans-3-regular.woff2   (and the same for Semibold)
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const FONT_FAMILY = 'Source Sans 3';

/** The font stack of the charts: the bundled face first, then a generic fallback for glyphs it lacks. */
export const FONT_STACK = `"${FONT_FAMILY}", sans-serif`;

/** The weights the charts and pages use. */
export const FONT_WEIGHT = { regular: 400, semibold: 600 } as const;

/** The bundled TrueType files, for server-side measuring and rendering. */
export function fontFiles(): string[] {
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fonts');
  return ['SourceSans3-Regular.ttf', 'SourceSans3-Semibold.ttf'].map((file) => path.join(dir, file));
}
