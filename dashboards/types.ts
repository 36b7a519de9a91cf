/**
 * What the dashboard builders take in. They are the API's own shapes (or the few fields of them a chart
 * needs), so a route can pass what it already has: the `Indicator` of `schema/contracts/indicators.ts`, the
 * engine's `IndicatorAnalysis`, the data points as the data-points route returns them, the initiative's brand.
 */
import type { Indicator } from '../schema/contracts/indicators.ts';

/**
 * The fields of an `Indicator` (as the API returns it) that the charts and texts use. A full `Indicator` fits.
 */
export type ChartIndicator = Pick<
  Indicator,
  | 'name'
  | 'unit'
  | 'unitLabel'
  | 'decimals'
  | 'polarity'
  | 'frequency'
  | 'yearStartMonth'
  | 'baselinePeriod'
  | 'target'
  | 'interimTargets'
  | 'dimensions'
  | 'referenceGroup'
>;

/** One data point, with what tooltips and provisional marking need. `disaggregation: {}` is the total. */
export interface ChartPoint {
  period: string;
  value: number;
  disaggregation: Record<string, string>;
  /** The story behind the number, shown in the tooltip. */
  note: string | null;
  status: 'provisional' | 'final' | null;
  /**
   * SDMX OBS_STATUS as stored (absent or null = none given: normal; status provisional reads as P): A normal,
   * P provisional, E estimated, B break in series. Missing periods (M) are {@link MissingPoint}s.
   */
  obsStatus?: 'A' | 'P' | 'E' | 'B' | null;
  /** The footnote published with the value (COMMENT_OBS). */
  footnote?: string | null;
  /** A data-quality check flagged the value and nobody has acknowledged it yet: shown as "unverified". */
  unverified?: boolean;
}

/** A period marked missing (OBS_STATUS M): no value, maybe a footnote saying why. */
export interface MissingPoint {
  period: string;
  disaggregation: Record<string, string>;
  footnote: string | null;
  /** Withheld from the public (a small count, CONF_STATUS C), drawn like a missing value. */
  suppressed?: boolean;
}

/** The initiative's identity (the initiative's `brand`, schema/contracts/initiatives.ts). `null` fields (or a null brand) = the defaults. */
export interface Brand {
  color: string | null;
  logoUrl: string | null;
}
