/**
 * One legend that explains every kind of mark a chart draws — a line with points, a hollow point, a dashed
 * line, a shaded band, a dotted rule, hollow and filled diamonds, a bar — each entry drawn as its mark looks.
 *
 * Vega-Lite makes a legend from a scale, and the marks of the turn-the-curve chart are of different types and
 * encode no common field. So the legend comes from a layer of its own that draws nothing (opacity 0, no ARIA):
 * one row per entry, its name encoded as `shape`, `fill` and `stroke` with the entries' own symbol paths and
 * colours; Vega-Lite merges the three into one legend. The other layers draw with constant colours and no legend.
 *
 * Pure; no I/O.
 */

export interface LegendEntry {
  label: string;
  /** An SVG path in Vega's symbol coordinates (-1 to 1), or a Vega symbol name. */
  symbol: string;
  fill: string;
  stroke: string;
}

/** Symbol paths for the kinds of marks the charts draw. */
export const LEGEND_SYMBOLS = {
  /** A line with a point on it. */
  lineWithPoint: 'M-1,0H-0.45M0.45,0H1M0.45,0A0.45,0.45 0 1,1 -0.45,0A0.45,0.45 0 1,1 0.45,0Z',
  point: 'circle',
  /** A dashed line. */
  dashedLine: 'M-1,0H-0.55M-0.25,0H0.25M0.55,0H1',
  /** A shaded band. */
  band: 'M-1,-0.7H1V0.7H-1Z',
  /** A dotted vertical rule. */
  dottedRule: 'M0,-1V-0.6M0,-0.2V0.2M0,0.6V1',
  diamond: 'diamond',
  /** A hollow square (an estimated value). */
  square: 'square',
  /** A ring (an unverified value is circled). */
  ring: 'M0.9,0A0.9,0.9 0 1,1 -0.9,0A0.9,0.9 0 1,1 0.9,0Z',
  /** A dash-dot vertical rule (a break in series). */
  dashDotRule: 'M0,-1V-0.35M0,-0.1V0.1M0,0.35V1',
  /** A cross (×): a period marked missing. */
  cross: 'M-0.7,-0.7L0.7,0.7M0.7,-0.7L-0.7,0.7',
  /** A horizontal bar with round ends. */
  bar: 'M-0.8,-0.3H0.8A0.3,0.3 0 0,1 0.8,0.3H-0.8A0.3,0.3 0 0,1 -0.8,-0.3Z',
} as const;

/** The field of the legend layer's rows. */
const ENTRY_FIELD = 'legendEntry';

/**
 * The invisible layer that carries the legend.
 *
 * @example
 * legendLayer([{ label: 'Actual', symbol: LEGEND_SYMBOLS.lineWithPoint, fill: '#0072b2', stroke: '#0072b2' }], 4)
 * // { data: { values: [{ legendEntry: 'Actual' }] }, mark: { type: 'point', opacity: 0, … },
 * //   encoding: { shape: {…, legend: {…}}, fill: {…}, stroke: {…} } }
 */
export function legendLayer(entries: readonly LegendEntry[], columns: number | { expr: string }) {
  const domain = entries.map((e) => e.label);
  const channel = (range: string[]) => ({
    field: ENTRY_FIELD,
    type: 'nominal' as const,
    title: null,
    sort: domain,
    scale: { domain, range },
    legend: {
      title: null,
      orient: 'bottom' as const,
      direction: 'horizontal' as const,
      columns,
      labelLimit: 0,
      symbolSize: 160,
      symbolStrokeWidth: 2,
      symbolOpacity: 1,
      columnPadding: 14,
      rowPadding: 6,
    },
  });
  return {
    data: { values: entries.map((e) => ({ [ENTRY_FIELD]: e.label })) },
    mark: { type: 'point' as const, opacity: 0, aria: false, tooltip: null },
    encoding: {
      x: { value: 0 },
      y: { value: 0 },
      shape: channel(entries.map((e) => e.symbol)),
      fill: channel(entries.map((e) => e.fill)),
      stroke: channel(entries.map((e) => e.stroke)),
    },
  };
}

/**
 * Legend columns for a chart's width: as many as fit, from 2 on a small phone to 4; an expression on the
 * `width` signal when the chart follows its container.
 *
 * @example legendColumns(375)         // 2
 * @example legendColumns('container') // { expr: 'width < 400 ? 2 : width < 600 ? 3 : 4' }
 */
export function legendColumns(width: number | 'container'): number | { expr: string } {
  if (width === 'container') return { expr: 'width < 400 ? 2 : width < 600 ? 3 : 4' };
  return width < 440 ? 2 : width < 660 ? 3 : 4;
}
