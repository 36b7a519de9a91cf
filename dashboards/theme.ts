/**
 * The one theme every dashboard shares: fonts, sizes, colours, the Vega-Lite `config`, and number formatting
 * from an indicator's `decimals` and `unitLabel`.
 *
 * Colours are chosen for contrast against the white background (WCAG 2.2): text at least 4.5:1
 * (success criterion 1.4.3), lines, points and other graphics at least 3:1 (1.4.11). `test/dashboards/theme.test.ts`
 * checks every constant here. Groups use the Okabe–Ito colour-blind-safe palette, with its two light colours
 * (orange, sky blue) darkened just enough to reach 3:1; its yellow, which cannot reach 3:1 and stay yellow, is
 * left out. A brand colour becomes the colour of the actual series, darkened the same way when it is too light.
 *
 * Pure functions and constants; no I/O.
 */
import type { Config, TopLevelSpec } from 'vega-lite';
import { FONT_STACK, FONT_WEIGHT } from './chart-fonts.ts';
import type { Brand, ChartIndicator } from './types.ts';

/** The Vega-Lite JSON schema every spec declares (the major version installed: vega-lite 6). */
export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** The bundled Source Sans 3 (see `chart-fonts.ts`): the server measures text with the fonts browsers get. */
export const FONT = FONT_STACK;

export const FONT_SIZE = { title: 16, subtitle: 13, label: 12, small: 11 } as const;

/** Default chart size in pixels; `autosize: fit-x` makes the width the chart's whole width. */
export const CHART_SIZE = { width: 640, height: 320 } as const;

/** The widths a chart is made for, from a small phone to a wide page (server renders accept these). */
export { CHART_WIDTHS } from '../schema/contracts/charts.ts';

export const BACKGROUND = '#ffffff';

export const COLORS = {
  /** Body text, titles: 14.8:1. */
  text: '#1f2933',
  /** Subtitles, axis labels, secondary text: 6.5:1. */
  mutedText: '#52606d',
  /** The actual series when the initiative has no brand colour (Okabe–Ito blue): 5.2:1. */
  actual: '#0072b2',
  /** The baseline forecast line and its band: 5.2:1 (the band is drawn at low opacity). */
  forecast: '#616e7c',
  /** Targets: near-black, so they never clash with a brand colour. */
  target: '#1f2933',
  /** The vertical rule at the baseline period: 4.6:1. */
  baselineRule: '#6b7785',
  /** Grid lines (decoration only; no contrast requirement). */
  grid: '#e4e7eb',
  /** Axis domain lines and ticks: 3.5:1 is not needed for decoration, but kept readable. */
  domain: '#9aa5b1',
  /** A trend in the better direction (Okabe–Ito blue), as text: 5.2:1. */
  good: '#0072b2',
  /** A trend in the worse direction (Okabe–Ito vermillion, darkened to 4.6:1 for text). */
  bad: '#c15500',
  /** No trend, or unknown: 6.5:1. */
  neutral: '#52606d',
  /** The ring around an unverified value (Okabe–Ito vermillion, darkened): 4.6:1. */
  unverified: '#c15500',
  /** The rule at a break in series: 14.8:1, darker than the baseline's so the two never read as one. */
  breakRule: '#1f2933',
} as const;

/**
 * Colours for groups (disaggregation slices): Okabe–Ito, in its usual order, yellow left out and the light
 * orange (#e69f00) and sky blue (#56b4e9) darkened to 3:1 against white. Seven colours; more groups repeat them
 * (the legend and the tooltips still name every group).
 */
export const GROUP_PALETTE = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#c38600', '#4a9dcd', '#000000'] as const;

/** Minimum contrast against the background for graphics (1.4.11) and for text (1.4.3). */
export const MIN_GRAPHIC_CONTRAST = 3;
export const MIN_TEXT_CONTRAST = 4.5;

/** The low opacity of the prediction-interval band. */
export const BAND_OPACITY = 0.18;

/**
 * The autosize of single and layered charts: the chart, axes and legend included, fits the width exactly, so
 * an embed page can set `width: 'container'` (or any width) and get a responsive chart.
 */
export const RESPONSIVE_AUTOSIZE = { type: 'fit-x', contains: 'padding' } as const;

/**
 * The autosize of concatenated and faceted dashboards. Vega-Lite cannot fit those to a width (it warns
 * "Autosize "fit" only works for single views and layered views" and falls back to `pad`), so they are laid
 * out at a fixed size; the SVG scales with its `viewBox`.
 */
export const CONCAT_AUTOSIZE = { type: 'pad' } as const;

/**
 * The shared Vega-Lite `config`.
 *
 * @example
 * const spec = { $schema: VEGA_LITE_SCHEMA, config: dashboardConfig(), mark: 'line', ... };
 */
export function dashboardConfig(): Config {
  return {
    background: BACKGROUND,
    font: FONT,
    padding: 8,
    view: { stroke: null },
    title: {
      anchor: 'start',
      color: COLORS.text,
      fontSize: FONT_SIZE.title,
      fontWeight: FONT_WEIGHT.semibold,
      subtitleColor: COLORS.mutedText,
      subtitleFontSize: FONT_SIZE.subtitle,
      subtitlePadding: 6,
      offset: 12,
    },
    axis: {
      labelColor: COLORS.mutedText,
      labelFontSize: FONT_SIZE.label,
      titleColor: COLORS.text,
      titleFontSize: FONT_SIZE.label,
      titleFontWeight: FONT_WEIGHT.semibold,
      gridColor: COLORS.grid,
      domainColor: COLORS.domain,
      tickColor: COLORS.domain,
    },
    axisX: { grid: false, labelAngle: 0, labelOverlap: true },
    axisY: { domain: false, ticks: false, titlePadding: 8 },
    legend: {
      orient: 'bottom',
      direction: 'horizontal',
      labelColor: COLORS.text,
      labelFontSize: FONT_SIZE.label,
      titleColor: COLORS.text,
      titleFontSize: FONT_SIZE.label,
      titleFontWeight: FONT_WEIGHT.semibold,
      symbolStrokeWidth: 2,
      columnPadding: 16,
    },
    header: { labelColor: COLORS.text, labelFontSize: FONT_SIZE.label, titleColor: COLORS.text },
    text: { color: COLORS.text, font: FONT, fontSize: FONT_SIZE.label },
    line: { strokeWidth: 2.5 },
    point: { size: 50, strokeWidth: 2 },
    range: { category: [...GROUP_PALETTE] },
  };
}

/**
 * The colour of the actual series: the brand colour when set (darkened to 3:1 against white when it is too
 * light), else Okabe–Ito blue.
 *
 * @example seriesColor({ color: '#1f6feb', logoUrl: null }) // '#1f6feb' (4.6:1 already)
 * @example seriesColor({ color: '#ffd500', logoUrl: null }) // a darker yellow-brown with 3:1
 * @example seriesColor(null)                                // '#0072b2'
 */
export function seriesColor(brand: Brand | null | undefined): string {
  const color = brand?.color;
  if (!color || !/^#[0-9a-fA-F]{6}$/.test(color)) return COLORS.actual;
  return accessibleColor(color.toLowerCase(), MIN_GRAPHIC_CONTRAST);
}

/**
 * WCAG 2.2 contrast ratio of two `#rrggbb` colours, from 1 to 21.
 *
 * @example contrastRatio('#000000', '#ffffff') // 21
 * @example contrastRatio('#0072b2', '#ffffff') // 5.19…
 */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * The colour itself when it has at least `min` contrast against `background`, else the colour darkened step
 * by step (each sRGB channel times 0.97, keeping its hue) until it does. Deterministic.
 *
 * @example accessibleColor('#e69f00', 3) // '#c38600'
 */
export function accessibleColor(color: string, min: number, background: string = BACKGROUND): string {
  let rgb = hexToRgb(color);
  let current = rgbToHex(rgb);
  // Black reaches 21:1 against white, so at most ~200 steps; the bound only guards a dark background.
  for (let i = 0; i < 400 && contrastRatio(current, background) < min; i++) {
    rgb = rgb.map((v) => Math.floor(v * 0.97)) as [number, number, number];
    current = rgbToHex(rgb);
  }
  return current;
}

function relativeLuminance(color: string): number {
  const [r, g, b] = hexToRgb(color).map((v) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function hexToRgb(color: string): [number, number, number] {
  return [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16)) as [number, number, number];
}

function rgbToHex(rgb: readonly number[]): string {
  return `#${rgb.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

// ---------------------------------------------------------------------------------------------------------
// Numbers and units
// ---------------------------------------------------------------------------------------------------------

/** How many decimals to show when the indicator sets none: up to 2, trailing zeros dropped. */
export const DEFAULT_MAX_DECIMALS = 2;

type UnitFields = Pick<ChartIndicator, 'unit' | 'unitLabel' | 'decimals'>;

/**
 * The d3-format string Vega-Lite uses on axes and in tooltips: thousands separators and the indicator's
 * decimals (or up to 2, trailing zeros trimmed). The unit goes in the axis and tooltip titles (see
 * {@link unitTitle}): a `%` format would multiply by 100, and values of a `percent` indicator are already
 * percentages.
 *
 * @example numberFormat(1)    // ',.1f'
 * @example numberFormat(null) // ',.2~f'
 */
export function numberFormat(decimals: number | null): string {
  return decimals === null ? `,.${DEFAULT_MAX_DECIMALS}~f` : `,.${decimals}f`;
}

/**
 * A number with thousands separators and the indicator's decimals (en-US), as in {@link numberFormat}.
 *
 * @example formatNumber(1234.5, 0)   // '1,235'
 * @example formatNumber(6.9, 1)      // '6.9'
 * @example formatNumber(0.125, null) // '0.13'
 */
export function formatNumber(value: number, decimals: number | null): string {
  const text = cachedNumberFormat(decimals).format(value);
  // Intl writes a rounded-to-zero negative as "-0".
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

/** Currency symbols written before the number. */
const PREFIX_UNITS = new Set(['$', '€', '£', '¥', 'US$', 'CA$', 'C$', 'A$']);

/** One formatter per number of decimals: building an Intl.NumberFormat costs ~100 × formatting with one. */
const numberFormats = new Map<number | null, Intl.NumberFormat>();
function cachedNumberFormat(decimals: number | null): Intl.NumberFormat {
  let format = numberFormats.get(decimals);
  if (format === undefined) {
    format = new Intl.NumberFormat('en-US', {
      minimumFractionDigits: decimals ?? 0,
      maximumFractionDigits: decimals ?? DEFAULT_MAX_DECIMALS,
    });
    numberFormats.set(decimals, format);
  }
  return format;
}

/**
 * A value with its unit: `%` right after the number, a currency symbol before it, any other unit label after a
 * space; `percent` indicators without a label get `%`.
 *
 * @example formatValue(6.9, { unit: 'percent', unitLabel: '%', decimals: 1 })            // '6.9%'
 * @example formatValue(-1200, { unit: 'currency', unitLabel: '$', decimals: 0 })         // '-$1,200'
 * @example formatValue(12.5, { unit: 'rate', unitLabel: 'per 1,000 births', decimals: 1 }) // '12.5 per 1,000 births'
 */
export function formatValue(value: number, indicator: UnitFields): string {
  const label = unitLabelOf(indicator);
  const number = formatNumber(Math.abs(value), indicator.decimals);
  const sign = value < 0 && number !== formatNumber(0, indicator.decimals) ? '-' : '';
  if (!label) return `${sign}${number}`;
  if (label === '%') return `${sign}${number}%`;
  if (PREFIX_UNITS.has(label)) return `${sign}${label}${number}`;
  return `${sign}${number} ${label}`;
}

/**
 * The size of a difference between two values, in words: percentage points for `percent` indicators, else the
 * value with its unit. Always non-negative (the caller says "better" or "worse").
 *
 * @example formatDifference(-0.44, { unit: 'percent', unitLabel: '%', decimals: 1 })  // '0.4 percentage points'
 * @example formatDifference(1, { unit: 'percent', unitLabel: '%', decimals: 0 })      // '1 percentage point'
 * @example formatDifference(250, { unit: 'count', unitLabel: 'people', decimals: 0 }) // '250 people'
 */
export function formatDifference(difference: number, indicator: UnitFields): string {
  const size = Math.abs(difference);
  if (indicator.unit === 'percent') {
    const number = formatNumber(size, indicator.decimals);
    return `${number} percentage ${number === '1' ? 'point' : 'points'}`;
  }
  return formatValue(size, indicator);
}

/**
 * A title with the unit in brackets, for axes and tooltips.
 *
 * @example unitTitle('Value', { unit: 'percent', unitLabel: '%' }) // 'Value (%)'
 * @example unitTitle('Value', { unit: 'index', unitLabel: null })   // 'Value'
 */
export function unitTitle(title: string, indicator: Pick<ChartIndicator, 'unit' | 'unitLabel'>): string {
  const label = unitLabelOf(indicator);
  return label ? `${title} (${label})` : title;
}

/**
 * A value as short as it can be on a plot label (the axis says the unit): the number with `%` or a currency
 * symbol, any other unit left out.
 *
 * @example shortValue(6, { unit: 'percent', unitLabel: '% of the labour force', decimals: 1 }) // '6.0%'
 * @example shortValue(1500, { unit: 'count', unitLabel: 'residents', decimals: 0 })           // '1,500'
 */
export function shortValue(value: number, indicator: UnitFields): string {
  const label = unitLabelOf(indicator);
  if (indicator.unit === 'percent' || label === '%') return `${formatNumber(value, indicator.decimals)}%`;
  if (label && PREFIX_UNITS.has(label)) return formatValue(value, indicator);
  return formatNumber(value, indicator.decimals);
}

/**
 * The y axis title: the unit alone (the chart's title names the indicator), so it stays short on a phone.
 *
 * @example unitAxisTitle({ unit: 'percent', unitLabel: '% of the labour force' }) // '% of the labour force'
 * @example unitAxisTitle({ unit: 'percent', unitLabel: null })                     // 'Percent'
 * @example unitAxisTitle({ unit: 'index', unitLabel: null })                       // null
 */
export function unitAxisTitle(indicator: Pick<ChartIndicator, 'unit' | 'unitLabel'>): string | null {
  const label = indicator.unitLabel?.trim();
  if (label && label !== '%') return label;
  if (indicator.unit === 'percent') return 'Percent';
  return null;
}

/**
 * Breaks a text into lines of at most `width` characters, at spaces (a longer word stands on its own line).
 *
 * @example wrapText('Progress made but acceleration needed to reach the 2030 target (4.0%)', 40)
 * // ['Progress made but acceleration needed to', 'reach the 2030 target (4.0%)']
 */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

function unitLabelOf(indicator: Pick<ChartIndicator, 'unit' | 'unitLabel'>): string | null {
  const label = indicator.unitLabel?.trim();
  if (label) return label;
  return indicator.unit === 'percent' ? '%' : null;
}

/** Everything a top-level spec of this project starts with. */
export function specHeader(): Pick<TopLevelSpec, '$schema' | 'config'> {
  return { $schema: VEGA_LITE_SCHEMA, config: dashboardConfig() };
}

/** The "Baseline 2019" label beside the baseline rule (both charts). */
export const BASELINE_LABEL_MARK = {
  type: 'text' as const,
  align: 'left' as const,
  baseline: 'top' as const,
  dx: 4,
  dy: 2,
  color: COLORS.mutedText,
  fontSize: FONT_SIZE.small,
  aria: false,
};
