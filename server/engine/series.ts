/**
 * The engine's inputs: what an indicator and its data points look like to the pure functions of
 * `server/engine/`. Routes and repositories convert their rows into these shapes; the engine never
 * sees a database row or an HTTP request.
 */
import type { ForecastOption } from './forecast-model.ts';
import type { Frequency, PeriodCalendar } from './periods.ts';
import type { Polarity, Unit } from './vocabulary.ts';

export { INTERVAL_LEVELS, type IntervalLevel, type Polarity, type Unit } from './vocabulary.ts';

/** One value of one period in one series (a series = one disaggregation slice, ordered by period). */
export interface SeriesPoint {
  period: string;
  value: number;
}

/** A period with a value, as used by targets, interim targets and forecast overrides. */
export interface PeriodValue {
  period: string;
  value: number;
}

/**
 * SDMX OBS_STATUS of an observation: A normal, P provisional, E estimated, B break in series, M missing.
 * The engine acts on B only: a break starts a new baseline history (docs/methodology.md §3).
 */
export type ObservationStatus = 'A' | 'P' | 'E' | 'B' | 'M';

/** A data point of any slice; `{}` is the total slice. */
export interface ObservedPoint extends SeriesPoint {
  disaggregation: Record<string, string>;
  /** Its observation status; absent or null = none given (normal). */
  obsStatus?: ObservationStatus | null;
}

/** Everything the engine needs to know about an indicator. */
export interface EngineIndicator extends PeriodCalendar {
  polarity: Polarity;
  unit: Unit;
  frequency: Frequency;
  yearStartMonth: number | null;
  /** When null, the first period with data in the total slice (docs/methodology.md §0). */
  baselinePeriod: string | null;
  target: PeriodValue | null;
  interimTargets: PeriodValue[];
  naturalLimit: number | null;
  /** The indicator's own clamping bounds; when null the unit's defaults apply (docs/methodology.md §0). */
  bounds: { min: number | null; max: number | null } | null;
  forecastOverride: PeriodValue[];
  /** The slice equity gaps are measured against; null = the total slice. */
  referenceGroup: Record<string, string> | null;
  /** The baseline forecast method (docs/methodology.md §3); default `{ method: 'auto' }`. */
  forecast?: ForecastOption;
  /** Display decimals: the measurement resolution that sets the interval floor; null = inferred from the data. */
  decimals?: number | null;
}
