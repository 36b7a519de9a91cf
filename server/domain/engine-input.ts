/**
 * Turns stored indicators and data points into the engine's inputs (server/engine/series.ts). Pure.
 */
import type { DataPointRow, IndicatorRow } from '../../schema/database.ts';
import type { EngineIndicator, ObservedPoint } from '../engine/series.ts';

export type IndicatorDefinitionRow = Pick<
  IndicatorRow,
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
  Partial<Pick<IndicatorRow, 'forecast' | 'decimals'>>;

export function toEngineIndicator(row: IndicatorDefinitionRow): EngineIndicator {
  return {
    polarity: row.polarity as EngineIndicator['polarity'],
    unit: row.unit as EngineIndicator['unit'],
    frequency: row.frequency as EngineIndicator['frequency'],
    yearStartMonth: row.yearStartMonth,
    baselinePeriod: row.baselinePeriod,
    target: row.target ?? null,
    interimTargets: row.interimTargets,
    naturalLimit: row.naturalLimit,
    bounds: row.bounds ?? null,
    forecastOverride: row.forecastOverride,
    referenceGroup: row.referenceGroup ?? null,
    forecast: row.forecast ?? { method: 'auto' },
    decimals: row.decimals ?? null,
  };
}

export function toObservedPoints(
  rows: Array<Pick<DataPointRow, 'period' | 'value' | 'disaggregation'>>,
): ObservedPoint[] {
  return rows.map((row) => ({ period: row.period, value: row.value, disaggregation: row.disaggregation }));
}
