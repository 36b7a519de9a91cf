/**
 * Turns an indicator and its data points (API objects) into the engine's inputs (server/engine/series.ts).
 * Pure.
 */
import type { Indicator } from '../../schema/contracts/indicators.ts';
import type { EngineIndicator, ObservedPoint } from '../engine/series.ts';
import type { SeriesPoint } from './series-point.ts';

export type IndicatorDefinitionFields = Pick<
  Indicator,
  | 'polarity'
  | 'unit'
  | 'frequency'
  | 'yearStartMonth'
  | 'baselinePeriod'
  | 'target'
  | 'interimTargets'
  | 'naturalLimit'
  | 'bounds'
  | 'forecastOverride'
  | 'referenceGroup'
> &
  Partial<Pick<Indicator, 'forecast' | 'decimals'>>;

export function toEngineIndicator(indicator: IndicatorDefinitionFields): EngineIndicator {
  return {
    polarity: indicator.polarity,
    unit: indicator.unit,
    frequency: indicator.frequency,
    yearStartMonth: indicator.yearStartMonth,
    baselinePeriod: indicator.baselinePeriod,
    target: indicator.target ?? null,
    interimTargets: indicator.interimTargets,
    naturalLimit: indicator.naturalLimit,
    bounds: indicator.bounds ?? null,
    forecastOverride: indicator.forecastOverride,
    referenceGroup: indicator.referenceGroup ?? null,
    forecast: indicator.forecast ?? { method: 'auto' },
    decimals: indicator.decimals ?? null,
  };
}

/**
 * The engine's points, with their observation status (the engine starts a slice's baseline history at a break,
 * B; a point without one reads as normal).
 *
 * @example toObservedPoints([{ period: '2019', value: 4, disaggregation: {}, obsStatus: 'B', note: null, … }])
 *   // [{ period: '2019', value: 4, disaggregation: {}, obsStatus: 'B' }]
 */
export function toObservedPoints(
  points: ReadonlyArray<
    Pick<SeriesPoint, 'period' | 'value' | 'disaggregation'> & { obsStatus?: SeriesPoint['obsStatus'] | undefined }
  >,
): ObservedPoint[] {
  return points.map((point) => ({
    period: point.period,
    value: point.value,
    disaggregation: point.disaggregation,
    obsStatus: point.obsStatus ?? null,
  }));
}
