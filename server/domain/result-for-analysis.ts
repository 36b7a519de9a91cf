/**
 * Everything the scorecard, the SMART check and the self-assessment read about a result: the result, its
 * outcomes, and each visible indicator with the total slice of its data, by period. API objects only.
 */
import type { Indicator } from '../../schema/contracts/indicators.ts';
import type { Outcome } from '../../schema/contracts/outcomes.ts';
import type { Result } from '../../schema/contracts/results.ts';
import type { SeriesPoint } from './series-point.ts';

export interface IndicatorWithSeries {
  indicator: Indicator;
  /** The total slice, by period. */
  totalPoints: SeriesPoint[];
}

export interface ResultForAnalysis {
  result: Result;
  outcomes: Outcome[];
  indicators: IndicatorWithSeries[];
  /** The initiative's partners (names of indicator owners), when loaded. */
  partners?: Array<{ id: string; name: string }>;
}
