/**
 * The engine's vocabulary: every enumerated value the engine reads (an indicator's unit, polarity,
 * frequency, level) or writes (trend, forecast, curve, progress and SMART statuses), as `as const` arrays
 * with the types derived from them.
 *
 * This file is the single source of these values: the zod contracts (`z.enum(UNITS)`), the database column
 * types (`schema/database.ts`) and the demo seeds take them from here, and the engine's other modules
 * re-export them where they were declared before. The order of each array is the order the OpenAPI
 * document lists the values in (and the order of keys in counts per status).
 *
 * @example
 * UNITS.includes('percent')                        // true
 * const polarity: Polarity = 'lower_is_better';    // a type error for any other string
 */

/** How often an indicator has a value; each has its own period label (server/engine/periods.ts). */
export const FREQUENCIES = ['annual', 'quarterly', 'monthly', 'weekly', 'daily'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/** What an indicator's values measure; `percent` keeps forecasts within [0, 100] and `count` at or above 0. */
export const UNITS = ['count', 'percent', 'rate', 'currency', 'index', 'ratio', 'other'] as const;
export type Unit = (typeof UNITS)[number];

/** Which way is better: d = +1 for higher_is_better, −1 for lower_is_better. */
export const POLARITIES = ['higher_is_better', 'lower_is_better'] as const;
export type Polarity = (typeof POLARITIES)[number];

/**
 * Population indicators tell whether a population is better off (rolled up); performance measures report
 * on a partner's program (shown apart, never rolled up).
 */
export const INDICATOR_LEVELS = ['population', 'performance'] as const;
export type IndicatorLevel = (typeof INDICATOR_LEVELS)[number];

/** Prediction-interval levels the API accepts (query `level`). */
export const INTERVAL_LEVELS = [0.8, 0.9, 0.95] as const;
export type IntervalLevel = (typeof INTERVAL_LEVELS)[number];

/** The direction of the current trend (Clear Impact's arrow). */
export const TREND_DIRECTIONS = ['up', 'down', 'flat'] as const;
export type TrendDirection = (typeof TREND_DIRECTIONS)[number];

/**
 * How the baseline forecast was fitted: exponential smoothing (ETS), least squares, the line through two
 * points, or flat.
 */
export const COMPUTED_FORECAST_METHODS = ['ets', 'ols', 'two_point', 'flat'] as const;
export type ComputedForecastMethod = (typeof COMPUTED_FORECAST_METHODS)[number];

/** A computed method, or `manual` when the indicator overrides the forecast. */
export const FORECAST_METHODS = [...COMPUTED_FORECAST_METHODS, 'manual'] as const;
export type ForecastMethod = (typeof FORECAST_METHODS)[number];

/** What an indicator asks for (its `forecast.method` option); `auto` chooses an ETS model by AICc. */
export const FORECAST_OPTION_METHODS = ['auto', 'ets', 'linear', 'manual'] as const;
export type ForecastOptionMethod = (typeof FORECAST_OPTION_METHODS)[number];

/**
 * The exponential smoothing models forecast::ets chooses among by default: error (A, M = multiplicative),
 * trend (N, A, Ad = damped) and season (N, A, M). Multiplicative error or season need strictly positive data;
 * additive error with multiplicative season is excluded, as in forecast::ets (`restrict = TRUE`).
 */
export const ETS_MODELS = [
  'ANN',
  'AAN',
  'AAdN',
  'ANA',
  'AAA',
  'AAdA',
  'MNN',
  'MAN',
  'MAdN',
  'MNA',
  'MAA',
  'MAdA',
  'MNM',
  'MAM',
  'MAdM',
] as const;
export type EtsModelCode = (typeof ETS_MODELS)[number];

/** Where one forecast period's value comes from. */
export const FORECAST_POINT_SOURCES = ['computed', 'manual'] as const;
export type ForecastPointSource = (typeof FORECAST_POINT_SOURCES)[number];

/** Where the clamping bounds of the forecast come from. */
export const BOUNDS_SOURCES = ['indicator', 'unit', 'none'] as const;
export type BoundsSource = (typeof BOUNDS_SOURCES)[number];

/** Has the curve turned? */
export const CURVE_STATUSES = ['insufficient_data', 'turned', 'worsened', 'not_turned'] as const;
export type CurveStatus = (typeof CURVE_STATUSES)[number];

/** Which test said so: a point outside the prediction interval, or a run of residuals on one side. */
export const CURVE_SIGNALS = ['interval', 'run'] as const;
export type CurveSignal = (typeof CURVE_SIGNALS)[number];

/** The latest point against the forecast, polarity-adjusted. */
export const FORECAST_COMPARISONS = ['better', 'worse', 'equal'] as const;
export type ForecastComparison = (typeof FORECAST_COMPARISONS)[number];

/** The Statistics Canada / Open SDG progress statuses, best first. */
export const PROGRESS_STATUSES = [
  'target_achieved',
  'substantial_progress',
  'moderate_progress',
  'limited_progress',
  'deterioration',
  'not_available',
] as const;
export type ProgressStatus = (typeof PROGRESS_STATUSES)[number];

/** Progress against a target, or against fixed thresholds without one. */
export const PROGRESS_METHODS = ['target', 'no_target'] as const;
export type ProgressMethod = (typeof PROGRESS_METHODS)[number];

/** How the progress projection to the target period was drawn. */
export const PROJECTION_METHODS = ['ols', 'two_point'] as const;
export type ProjectionMethod = (typeof PROJECTION_METHODS)[number];

/** The grade of one SMART criterion. */
export const SMART_GRADES = ['pass', 'warn', 'fail'] as const;
export type SmartGrade = (typeof SMART_GRADES)[number];

/** The partnership-level reading of a shared result (specific, general, or unsure). */
export const SMART_READINGS = ['specific', 'general', 'unsure'] as const;
export type SmartReading = (typeof SMART_READINGS)[number];

/** Which history windows the attainability check compared the required rate with. */
export const ATTAINABILITY_WINDOW_RULES = ['horizon', 'whole_history'] as const;
export type AttainabilityWindowRule = (typeof ATTAINABILITY_WINDOW_RULES)[number];
