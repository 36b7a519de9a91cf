/**
 * A data point as the analysis, the scorecard, the SMART check and the charts read it: the columns they use
 * and nothing else (reading all of a stored point's columns costs 3–5× on a large result).
 */
import type { DataPoint } from '../../schema/contracts/data-points.ts';

export interface SeriesPoint {
  period: string;
  /** The period's position in the indicator's calendar (engine/periods.ts), for ordering and ranges. */
  periodIndex: number;
  value: number;
  /** `{}` for the total. */
  disaggregation: Record<string, string>;
  note: string | null;
  status: DataPoint['status'];
  /**
   * SDMX OBS_STATUS as stored (null = none given; a provisional value has status provisional). B (break in
   * series) restarts the baseline history; M (missing) points are not read as series points at all.
   */
  obsStatus: 'A' | 'P' | 'E' | 'B' | 'M' | null;
}

/**
 * What the published chart and tables show beside a point's value (repositories/data-points.ts `pointMarksOf`):
 * its footnote, whether a data-quality flag of it is unacknowledged ("unverified"), or that it is marked missing.
 */
export interface PointMark {
  period: string;
  periodIndex: number;
  /** `{}` for the total. */
  disaggregation: Record<string, string>;
  /** Marked M (missing): no value. */
  missing: boolean;
  footnote: string | null;
  /** A data-quality flag of this version is not acknowledged. */
  unverified: boolean;
  /** Withheld from the public (a small cell or its complement, CONF_STATUS C): shown like a missing value. */
  suppressed?: boolean;
}

/** Reads the total slice of each indicator, as the caller may see it. */
export type TotalsReader = (indicatorIds: string[]) => Promise<Map<string, SeriesPoint[]>>;

/** True for the total over every dimension. */
export function isTotal(point: Pick<SeriesPoint, 'disaggregation'>): boolean {
  return Object.keys(point.disaggregation).length === 0;
}
