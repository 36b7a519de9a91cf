/**
 * engine.md §3: the baseline forecast — the curve "if nothing changes".
 *
 * Fitted on the history H (the series' points with period ≤ b) only, so it is frozen: data that arrive
 * after b never change it (they only lengthen the list of periods it is shown for).
 */
import { fitOls, predictOls, studentTQuantile, type OlsFit } from './ols.ts';
import { periodIndex, periodLabel, periodsPerYear, type PeriodCalendar } from './periods.ts';
import type { EngineIndicator, IntervalLevel, PeriodValue, SeriesPoint, Unit } from './series.ts';
import type { ComputedForecastMethod, Forecast, ForecastPoint, IndexedPoint, ResolvedBounds } from './types.ts';
import { indexSeries, plusZero } from './level-change.ts';

/** The forecast lists at most this many periods after b (engine.md §3). */
export const MAX_FORECAST_PERIODS = 600;

/** The default prediction-interval level (engine.md §3). */
export const DEFAULT_LEVEL: IntervalLevel = 0.9;

/**
 * The clamping bounds of engine.md §0: the indicator's own `bounds` when set (a null side is unbounded),
 * else the unit's default — `percent` [0, 100], `count` [0, +∞) — else none.
 *
 * @example resolveBounds('percent', null)                 // { min: 0, max: 100, source: 'unit' }
 * @example resolveBounds('count', null)                   // { min: 0, max: null, source: 'unit' }
 * @example resolveBounds('rate', null)                    // { min: null, max: null, source: 'none' }
 * @example resolveBounds('percent', { min: 0, max: 50 })  // { min: 0, max: 50, source: 'indicator' }
 * @throws RangeError when the indicator's min is above its max.
 */
export function resolveBounds(unit: Unit, bounds: EngineIndicator['bounds']): ResolvedBounds {
  if (bounds !== null) {
    if (bounds.min !== null && bounds.max !== null && bounds.min > bounds.max) {
      throw new RangeError(`bounds: min ${bounds.min} is above max ${bounds.max}`);
    }
    return { min: bounds.min, max: bounds.max, source: 'indicator' };
  }
  if (unit === 'percent') return { min: 0, max: 100, source: 'unit' };
  if (unit === 'count') return { min: 0, max: null, source: 'unit' };
  return { min: null, max: null, source: 'none' };
}

/**
 * Clamps a value into the bounds.
 *
 * @example clampToBounds(104.2, { min: 0, max: 100, source: 'unit' }) // 100
 * @example clampToBounds(-3, { min: 0, max: null, source: 'unit' })   // 0
 */
export function clampToBounds(value: number, bounds: ResolvedBounds): number {
  let v = value;
  if (bounds.min !== null && v < bounds.min) v = bounds.min;
  if (bounds.max !== null && v > bounds.max) v = bounds.max;
  return plusZero(v);
}

export interface BaselineForecastInput {
  /** Every point of the series (any order); only those with period ≤ b are used for the fit. */
  series: readonly SeriesPoint[];
  calendar: PeriodCalendar;
  /** b; null means there is no baseline and hence no forecast. */
  baselinePeriod: string | null;
  target: PeriodValue | null;
  bounds: ResolvedBounds;
  /** The indicator's hand-drawn forecast; it replaces the computed one for the periods it covers. */
  override: readonly PeriodValue[];
  level: IntervalLevel;
}

/** The forecast as returned, plus a way to read it at any period after b (also beyond the 600 cap). */
export interface BaselineFit {
  forecast: Forecast;
  /** The forecast at a period after b, or null (at or before b, or no value there). */
  at(period: string): ForecastPoint | null;
}

/**
 * Fits the baseline forecast of engine.md §3 on H = the points with period ≤ b (n = |H|):
 * - n ≥ 3 `ols` with the prediction interval ŷ ± t(1 − (1 − a)/2, n − 2)·s·sqrt(1 + 1/n + (x0 − x̄)²/Sxx);
 * - n = 2 `two_point` (the line through both, no interval); n = 1 `flat`; n = 0 no forecast;
 * - a non-empty override makes the method `manual`: its values replace the computed ones at the periods it
 *   covers (those after b; no interval there), `computedMethod` tells what fills the other periods.
 * Points run from the period after b to the later of the latest point c and the target period, at most
 * 600 periods (`truncated` says when the cap cut the list); values and interval ends are clamped to bounds.
 *
 * Decisions where engine.md is silent:
 * - `method` is `manual` whenever the indicator has a non-empty override (even if none of its periods is in
 *   the list yet), so the label does not flip as data arrive; `computedMethod` names the fit behind it;
 * - `level` is reported only when an interval exists (computed method `ols`), else null;
 * - `slopePerYear` is the fitted line's slope before clamping (0 for `flat`);
 * - override values are clamped to the bounds like computed ones; override periods at or before b are
 *   ignored (the forecast starts after b);
 * - `at()` reads the same model beyond the 600-period cap, so a curve can still be judged at a latest point
 *   more than 600 periods after b (the list shown stays capped).
 *
 * @example
 * fitBaseline({ series: [2016: 10, 2017: 12, 2018: 13, 2019: 16, 2020: 15, 2021: 14],
 *   calendar: { frequency: 'annual' }, baselinePeriod: '2019', target: { period: '2022', value: 20 },
 *   bounds: none, override: [], level: 0.9 }).forecast
 * // H = 2016–2019 (n 4): x̄ 2017.5, ȳ 12.75, Sxx 5, Sxy 9.5 → b1 1.9, SSE 0.70, s 0.5916, t(0.95, 2) 2.92
 * // { method: 'ols', level: 0.9, fittedOn: { from: '2016', to: '2019', n: 4 }, slopePerYear: 1.9,
 * //   points: [ { period: '2020', value: 17.5, lower: 14.7686, upper: 20.2314 },
 * //             { period: '2021', value: 19.4, lower: 16.0771, upper: 22.7229 },
 * //             { period: '2022', value: 21.3, lower: 17.3230, upper: 25.2770 } ] }
 */
export function fitBaseline(input: BaselineForecastInput): BaselineFit {
  const { calendar, bounds, level } = input;
  const f = periodsPerYear(calendar.frequency);
  const base: Forecast = {
    method: null,
    computedMethod: null,
    level: null,
    fittedOn: { from: null, to: null, n: 0 },
    slopePerYear: null,
    residualSd: null,
    tQuantile: null,
    points: [],
    truncated: false,
    reason: null,
  };
  if (input.baselinePeriod === null) {
    return {
      forecast: { ...base, reason: 'no baseline period: the indicator sets none and the total slice has no data' },
      at: () => null,
    };
  }
  const xb = periodIndex(input.baselinePeriod, calendar);
  const series = indexSeries(input.series, calendar);
  const history = series.filter((p) => p.x <= xb);
  const n = history.length;

  // The computed model on H.
  let computedMethod: ComputedForecastMethod | null = null;
  let fit: OlsFit | null = null;
  let t: number | null = null;
  let flatValue = 0;
  if (n >= 2) {
    fit = fitOls(
      history.map((p) => p.x),
      history.map((p) => p.value),
    );
    computedMethod = n >= 3 ? 'ols' : 'two_point';
    if (computedMethod === 'ols') t = studentTQuantile(1 - (1 - level) / 2, fit.df);
  } else if (n === 1) {
    computedMethod = 'flat';
    flatValue = history[0]!.value;
  }

  const overrides = new Map<number, number>();
  for (const o of input.override) {
    if (!Number.isFinite(o.value)) throw new RangeError(`forecast override of ${o.period} is not a finite number`);
    const x = periodIndex(o.period, calendar);
    if (overrides.has(x)) throw new RangeError(`forecast override gives ${o.period} twice`);
    if (x > xb) overrides.set(x, o.value);
  }
  const manual = input.override.length > 0;

  const computedAt = (x: number): Omit<ForecastPoint, 'period'> | null => {
    if (computedMethod === null) return null;
    if (computedMethod === 'flat') {
      return { value: clampToBounds(flatValue, bounds), lower: null, upper: null, source: 'computed' };
    }
    const value = predictOls(fit!, x);
    if (computedMethod === 'two_point') {
      return { value: clampToBounds(value, bounds), lower: null, upper: null, source: 'computed' };
    }
    const dx = x - fit!.meanX;
    const half = t! * fit!.residualSd! * Math.sqrt(1 + 1 / fit!.n + (dx * dx) / fit!.sxx);
    return {
      value: clampToBounds(value, bounds),
      lower: clampToBounds(value - half, bounds),
      upper: clampToBounds(value + half, bounds),
      source: 'computed',
    };
  };
  const atIndex = (x: number): ForecastPoint | null => {
    if (x <= xb) return null;
    const o = overrides.get(x);
    if (o !== undefined) {
      return {
        period: periodLabel(x, calendar),
        value: clampToBounds(o, bounds),
        lower: null,
        upper: null,
        source: 'manual',
      };
    }
    const c = computedAt(x);
    return c === null ? null : { period: periodLabel(x, calendar), ...c };
  };

  // The periods shown: after b up to the later of c and the target period, at most 600.
  const latest: IndexedPoint | undefined = series.at(-1);
  let end = latest ? latest.x : -Infinity;
  if (input.target) end = Math.max(end, periodIndex(input.target.period, calendar));
  let truncated = false;
  if (end - xb > MAX_FORECAST_PERIODS) {
    end = xb + MAX_FORECAST_PERIODS;
    truncated = true;
  }
  const points: ForecastPoint[] = [];
  for (let x = xb + 1; x <= end; x++) {
    const p = atIndex(x);
    if (p) points.push(p);
  }

  const method = computedMethod === null && !manual ? null : manual ? 'manual' : computedMethod;
  let reason: string | null = null;
  if (method === null) reason = 'no data at or before the baseline period, so there is no history to forecast from';
  else if (computedMethod === 'two_point') reason = 'only 2 points of history: the line through both, with no interval';
  else if (computedMethod === 'flat') reason = 'only 1 point of history: a flat line at its value, with no interval';
  else if (computedMethod === null)
    reason = 'no history to compute a forecast from: only the override periods have one';

  return {
    forecast: {
      method,
      computedMethod,
      level: computedMethod === 'ols' ? level : null,
      fittedOn: { from: history[0]?.period ?? null, to: history.at(-1)?.period ?? null, n },
      slopePerYear: fit ? plusZero(fit.slope * f) : computedMethod === 'flat' ? 0 : null,
      residualSd: computedMethod === 'ols' ? fit!.residualSd : null,
      tQuantile: t,
      points,
      truncated,
      reason,
    },
    at: (period) => atIndex(periodIndex(period, calendar)),
  };
}
