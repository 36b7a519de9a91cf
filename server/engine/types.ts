/**
 * The engine's output types (docs/methodology.md §1–§6 and §9; api.md "Reading the tree and the analysis").
 *
 * Every quantity that cannot be computed is `null`, never NaN or ±Infinity, and an `undefined` never
 * appears: `JSON.parse(JSON.stringify(analysis))` equals the analysis. Sections carry a `method` and,
 * when something is null for a reason worth telling, a `reason` in plain words.
 */
import type { Frequency } from './periods.ts';
import type { IntervalLevel, PeriodValue, Polarity, SeriesPoint, Unit } from './series.ts';
import type { Progress } from './progress.ts';
import type { EquityGap } from './equity-gap.ts';
import type { ComputedForecastMethod, CurveSignal, CurveStatus, ForecastMethod, TrendDirection } from './vocabulary.ts';
import type { EtsModelCode } from './ets-types.ts';
import type { FittedModel, ForecastMethodName } from './forecast-model.ts';

export type { ComputedForecastMethod, CurveSignal, CurveStatus, ForecastMethod, TrendDirection } from './vocabulary.ts';
export type { Progress } from './progress.ts';
export type { EquityGap } from './equity-gap.ts';

/** A series point with its period index x(p) (docs/methodology.md §0). Internal to the engine's calculations. */
export interface IndexedPoint extends SeriesPoint {
  x: number;
}

/**
 * The base point of a series (docs/methodology.md §0): the point at the baseline period b, or — when the series
 * has none there — the first point after b, in which case `firstAfterBaseline` is true.
 */
export interface BasePoint extends SeriesPoint {
  firstAfterBaseline: boolean;
}

/** docs/methodology.md §1: c − base, absolute and as a percentage of |base|. */
export interface ChangeFromBaseline {
  absolute: number;
  /** 100·(c − base)/|base|; null when base = 0. */
  percent: number | null;
  /** The period of the base the change is measured from (b, or the first point after b). */
  basePeriod: string;
}

/** docs/methodology.md §1, for one series. */
export interface LevelChange {
  latest: SeriesPoint | null;
  previous: SeriesPoint | null;
  base: BasePoint | null;
  changeFromPrevious: number | null;
  changeFromBaseline: ChangeFromBaseline | null;
  /** (c − T)/|T| — a fraction, not a percentage; null without a target or when T = 0. */
  varianceFromTarget: number | null;
  /** 100·c/T; null without a target or when T = 0. */
  percentOfTarget: number | null;
  /** Why each null quantity above is null, keyed by field name (only the null ones appear). */
  reasons: Partial<Record<LevelChangeField, string>>;
}

export type LevelChangeField =
  | 'latest'
  | 'previous'
  | 'base'
  | 'changeFromPrevious'
  | 'changeFromBaseline'
  | 'varianceFromTarget'
  | 'percentOfTarget';

/** docs/methodology.md §2: the current trend (Clear Impact's arrow). */
export interface TrendResult {
  method: 'consecutive_changes';
  direction: TrendDirection | null;
  /** How many of the most recent changes share the sign of the last one; null with fewer than 2 points. */
  periods: number | null;
  /** The period the counted run of changes starts from (the point before the first counted change). */
  since: string | null;
  /** The last change, c − previous. */
  lastChange: number | null;
  good: boolean | null;
  sustained: boolean;
  reason: string | null;
}

/** One period of the baseline forecast. Interval ends are null when the method gives no interval. */
export interface ForecastPoint {
  period: string;
  value: number;
  lower: number | null;
  upper: number | null;
  /** `manual` when the value comes from the indicator's forecast override. */
  source: 'computed' | 'manual';
}

/** Clamping bounds actually applied to forecasts; null = unbounded on that side. */
export interface ResolvedBounds {
  min: number | null;
  max: number | null;
  /** Where they come from: the indicator's own `bounds`, the unit's default, or none. */
  source: 'indicator' | 'unit' | 'none';
}

/** docs/methodology.md §3: the baseline forecast, fitted on the history H (points with period ≤ b) and frozen. */
export interface Forecast {
  /**
   * `manual` whenever the indicator has a forecast override or asks for method `manual`; null when there is
   * no forecast at all.
   */
  method: ForecastMethod | null;
  /** The fit used for the periods the override does not cover (the method itself when not manual). */
  computedMethod: ComputedForecastMethod | null;
  /** The indicator's `forecast` option as applied (`auto` when it sets none). */
  options: { method: ForecastMethodName; model: EtsModelCode | null; window: number | null };
  /** The prediction-interval level; null when no interval is computed (methods other than ets and ols). */
  level: IntervalLevel | null;
  /**
   * The history the model was fitted on: its first and last period and size; `breakAt` is the break in series
   * (OBS_STATUS B) it starts at, null when none at or before b (then it starts at the series' first point).
   */
  fittedOn: { from: string | null; to: string | null; n: number; breakAt: string | null };
  /** The fitted change per year: b1·f for OLS, the last trend × φ × f for ETS (0 for `flat`); null without a fit. */
  slopePerYear: number | null;
  /** s = sqrt(SSE/(n − 2)) of the OLS fit, √σ² of an ETS fit; null otherwise. */
  residualSd: number | null;
  /** t(1 − (1 − level)/2, n − 2) used for the OLS interval; null otherwise. */
  tQuantile: number | null;
  /** z(1 − (1 − level)/2), the normal quantile of the ETS interval; null otherwise. */
  normalQuantile: number | null;
  /** The least half-width of an interval: half a unit of the indicator's measurement resolution. */
  intervalFloor: number | null;
  /** The fitted model (JSON, reusable without refitting); null without a computed model. */
  model: FittedModel | null;
  /** Why this model, in plain words ("damped trend: the rise is slowing (lowest AICc of 3 models)"). */
  explanation: string | null;
  /** Every period from the one after b to the later of c and the target period (at most 600). */
  points: ForecastPoint[];
  /** True when the 600-period cap cut the list short. */
  truncated: boolean;
  reason: string | null;
}

/** One post-baseline point against the forecast; residual r = d·(y − F), positive = better. */
export interface CurvePoint {
  period: string;
  value: number;
  forecast: number;
  lower: number | null;
  upper: number | null;
  residual: number;
}

/** docs/methodology.md §4: has the curve turned? */
export interface CurveResult {
  method: 'forecast_interval_and_anhoej_run';
  status: CurveStatus;
  latestVsForecast: 'better' | 'worse' | 'equal' | null;
  signals: CurveSignal[];
  /** y − F at the latest point (not polarity-adjusted). */
  gap: number | null;
  /** 100·(y − F)/|F|; null when F = 0. */
  gapPercent: number | null;
  /** The run rule's working: m non-zero residuals, current run length, and the limit round(log2 m) + 3. */
  run: { usefulResiduals: number; currentRun: number; limit: number | null };
  points: CurvePoint[];
  reason: string | null;
}

/** One analysed series (docs/methodology.md §1–§5). */
export interface Slice extends LevelChange {
  /** How many data points the series has. */
  pointCount: number;
  trend: TrendResult;
  forecast: Forecast;
  curve: CurveResult;
  progress: Progress;
}

/** A non-total slice, with its equity gap (docs/methodology.md §6). */
export interface DisaggregatedSlice extends Slice {
  disaggregation: Record<string, string>;
  /**
   * The gap against the reference (`gap.reference`: the `referenceGroup` slice, or null = the total);
   * null when the slice is the reference group itself.
   */
  gap: EquityGap | null;
}

/** engine.md §9: the inputs the analysis actually used. */
export interface AnalysisInputs {
  polarity: Polarity;
  /** d: +1 higher is better, −1 lower is better. */
  direction: 1 | -1;
  unit: Unit;
  frequency: Frequency;
  yearStartMonth: number | null;
  /** f of docs/methodology.md §0. */
  periodsPerYear: number;
  /** b; null when the indicator has no baseline period and the total slice has no data. */
  baselinePeriod: string | null;
  /** True when b is the first period with data in the total slice (no baselinePeriod set). */
  baselinePeriodDefaulted: boolean;
  /** The total slice's base point; `firstAfterBaseline` says when it is the first point after b. */
  basePoint: BasePoint | null;
  target: PeriodValue | null;
  interimTargets: PeriodValue[];
  naturalLimit: number | null;
  level: IntervalLevel;
  bounds: ResolvedBounds;
  forecastOverride: PeriodValue[];
  referenceGroup: Record<string, string> | null;
  pointCount: number;
}

/** The whole analysis of one indicator: the total slice and every disaggregation slice. */
export interface IndicatorAnalysis {
  engineVersion: string;
  inputs: AnalysisInputs;
  total: Slice;
  slices: DisaggregatedSlice[];
}
