/**
 * docs/methodology.md §3 (revised by the forecasts issue): the baseline forecast — the curve "if nothing changes".
 *
 * Fitted on the history H (the series' points with period ≤ b) only, so it is frozen: data that arrive
 * after b never change it (they only lengthen the list of periods it is shown for). The model itself comes
 * from forecast-model.ts (`auto` exponential smoothing by default, `ets`, `linear`, `manual`); this module
 * lays it out over the periods after b, applies the hand-drawn override, the interval floor and the bounds.
 */
import { studentTQuantile } from './ols.ts';
import { normalHalfWidth } from './ets-forecast.ts';
import {
  DEFAULT_FORECAST_OPTION,
  fitBaselineModel,
  forecastFromModel,
  type BaselineModelResult,
  type ForecastOption,
} from './forecast-model.ts';
import { periodIndex, periodLabel, periodsPerYear, type PeriodCalendar } from './periods.ts';
import type { EngineIndicator, IntervalLevel, PeriodValue, SeriesPoint, Unit } from './series.ts';
import type { ComputedForecastMethod, Forecast, ForecastPoint, IndexedPoint, ResolvedBounds } from './types.ts';
import { indexSeries, plusZero } from './level-change.ts';
import { round12 } from './rounding.ts';

/** The forecast lists at most this many periods after b (docs/methodology.md §3). */
export const MAX_FORECAST_PERIODS = 600;

/** The default prediction-interval level (docs/methodology.md §3). */
export const DEFAULT_LEVEL: IntervalLevel = 0.9;

/**
 * The clamping bounds of docs/methodology.md §0: the indicator's own `bounds` when set (a null side is unbounded),
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
  /** The indicator's choice of method; default `auto`. */
  forecast?: ForecastOption;
  /** The indicator's display decimals; sets the interval floor (null: inferred from the history's values). */
  decimals?: number | null;
  /**
   * The periods of the series' breaks in series (SDMX OBS_STATUS B): the history starts at the latest one at
   * or before b ({@link latestBreakAtOrBefore}); the points before it are not fitted on.
   */
  breaks?: readonly string[];
  /**
   * A model already fitted on this same history with this same option (e.g. stored with the indicator):
   * used as is instead of refitting. The caller answers for it matching the history.
   */
  fitted?: BaselineModelResult;
}

/** The forecast as returned, plus a way to read it at any period after b (also beyond the 600 cap). */
export interface BaselineFit {
  forecast: Forecast;
  /** The fitted model and why (to store and reuse: see `BaselineForecastInput.fitted`). */
  fitted: BaselineModelResult | null;
  /** The forecast at a period after b, or null (at or before b, or no value there). */
  at(period: string): ForecastPoint | null;
}

/** At most this many decimals are inferred from the history for the interval floor. */
const MAX_INFERRED_DECIMALS = 10;
const POWERS_OF_TEN = Array.from({ length: MAX_INFERRED_DECIMALS + 1 }, (_, k) => 10 ** k);

/**
 * The interval floor: half a unit of the indicator's measurement resolution, 0.5·10^(−decimals), with
 * `decimals` the indicator's own or, when unset, the most decimals any history value shows (at most 10).
 * A prediction interval is never narrower than ±floor, so a value that differs from the forecast by less than
 * the resolution it is measured in cannot fall outside it.
 *
 * @example intervalFloor(1, [])            // 0.05
 * @example intervalFloor(null, [5, 5, 5])  // 0.5   (whole numbers)
 * @example intervalFloor(null, [7.25, 7])  // 0.005
 */
export function intervalFloor(decimals: number | null | undefined, history: readonly number[]): number {
  let d: number;
  if (decimals !== null && decimals !== undefined) d = decimals;
  else {
    d = 0;
    for (const v of history) {
      // Only more decimals than found so far matter; stop at the cap.
      let k: number = d;
      while (k < MAX_INFERRED_DECIMALS && !isWhole(v * POWERS_OF_TEN[k]!)) k++;
      d = k;
      if (d === MAX_INFERRED_DECIMALS) break;
    }
  }
  return 0.5 * 10 ** -d;
}

/**
 * Where the baseline history starts: the latest break in series (a point marked OBS_STATUS B: a new method,
 * definition or source, so earlier values measure something else) at or before the baseline period b. The
 * history H is then the points from that break to b; a break after b does not touch the frozen forecast.
 *
 * @example latestBreakAtOrBefore([2012, 2017, 2021], 2019) // 2017  (H = 2017…2019)
 * @example latestBreakAtOrBefore([2019], 2019)             // 2019  (H = the base point alone)
 * @example latestBreakAtOrBefore([2021], 2019)             // null  (after b: the whole history is fitted)
 * @example latestBreakAtOrBefore([], 2019)                 // null
 */
export function latestBreakAtOrBefore(breakIndices: readonly number[], baselineIndex: number): number | null {
  let latest: number | null = null;
  for (const x of breakIndices) if (x <= baselineIndex && (latest === null || x > latest)) latest = x;
  return latest;
}

/** True when every point already carries its period index x, in increasing order. */
function isIndexedSorted(points: readonly SeriesPoint[]): points is IndexedPoint[] {
  let previous = -Infinity;
  for (const p of points) {
    const x = (p as Partial<IndexedPoint>).x;
    if (typeof x !== 'number' || !(x > previous)) return false;
    previous = x;
  }
  return true;
}

/** True when v is an integer up to the rounding of decimal fractions (7.25 · 100 = 725.0000000000001). */
function isWhole(v: number): boolean {
  return Math.abs(v - Math.round(v)) <= 1e-9 * Math.max(1, Math.abs(v));
}

/**
 * Fits the baseline forecast of docs/methodology.md §3 on H = the points with period ≤ b, with the indicator's method
 * (forecast-model.ts): by default `auto` exponential smoothing (ETS) with its analytical prediction interval;
 * `linear` OLS with the t interval ŷ ± t(1 − (1 − a)/2, n − 2)·s·sqrt(1 + 1/n + (x0 − x̄)²/Sxx); 2 points
 * `two_point`, 1 point `flat`, none → no forecast. A non-empty override makes the method `manual`: its values
 * replace the computed ones at the periods it covers (no interval there); `computedMethod` names the model
 * filling the others (none with method `manual`). Points run from the period after b to the later of the
 * latest point c and the target period, at most 600 periods (`truncated` says when the cap cut the list).
 * Interval half-widths are at least {@link intervalFloor}; values and interval ends are clamped to the bounds
 * and rounded to 12 significant digits.
 *
 * A break in series (`breaks`, OBS_STATUS B) at or before b starts the history: H is then the points from the
 * latest such break to b, and `fittedOn.breakAt` names it.
 *
 * Decisions where engine.md is silent:
 * - `level` is reported only when an interval exists (computed method `ets` or `ols`), else null;
 * - `slopePerYear`: OLS slope × periods per year; for ETS the last fitted trend × φ per year (0 without a
 *   trend); 0 for `flat`;
 * - override values are clamped to the bounds like computed ones; override periods at or before b are
 *   ignored (the forecast starts after b);
 * - `at()` reads the same model beyond the 600-period cap, so a curve can still be judged at a latest point
 *   more than 600 periods after b (the list shown stays capped).
 *
 * @example
 * fitBaseline({ series: [2016: 10, 2017: 12, 2018: 13, 2019: 16, 2020: 15, 2021: 14],
 *   calendar: { frequency: 'annual' }, baselinePeriod: '2019', target: { period: '2022', value: 20 },
 *   bounds: none, override: [], level: 0.9, forecast: { method: 'linear' } }).forecast
 * // H = 2016–2019 (n 4): x̄ 2017.5, ȳ 12.75, Sxx 5, Sxy 9.5 → b1 1.9, SSE 0.70, s 0.5916, t(0.95, 2) 2.92
 * // { method: 'ols', level: 0.9, fittedOn: { from: '2016', to: '2019', n: 4 }, slopePerYear: 1.9,
 * //   points: [ { period: '2020', value: 17.5, lower: 14.7686, upper: 20.2314 },
 * //             { period: '2021', value: 19.4, lower: 16.0771, upper: 22.7229 },
 * //             { period: '2022', value: 21.3, lower: 17.3230, upper: 25.2770 } ] }
 */
export function fitBaseline(input: BaselineForecastInput): BaselineFit {
  const { calendar, bounds, level } = input;
  const option = input.forecast ?? DEFAULT_FORECAST_OPTION;
  const f = periodsPerYear(calendar.frequency);
  const base: Forecast = {
    method: null,
    computedMethod: null,
    options: { method: option.method, model: option.model ?? null, window: option.window ?? null },
    level: null,
    fittedOn: { from: null, to: null, n: 0, breakAt: null },
    slopePerYear: null,
    residualSd: null,
    tQuantile: null,
    normalQuantile: null,
    intervalFloor: null,
    model: null,
    explanation: null,
    points: [],
    truncated: false,
    reason: null,
  };
  if (input.baselinePeriod === null) {
    return {
      forecast: { ...base, reason: 'no baseline period: the indicator sets none and the total slice has no data' },
      fitted: null,
      at: () => null,
    };
  }
  const xb = periodIndex(input.baselinePeriod, calendar);
  // The engine's own callers pass points already indexed and sorted (IndexedPoint): no need to parse again.
  const series = isIndexedSorted(input.series) ? input.series : indexSeries(input.series, calendar);
  const breakIndex = latestBreakAtOrBefore(
    (input.breaks ?? []).map((period) => periodIndex(period, calendar)),
    xb,
  );
  const history = series.filter((p) => p.x <= xb && (breakIndex === null || p.x >= breakIndex));
  const n = history.length;

  // The computed model on H (or the one given).
  const fitted =
    input.fitted ??
    fitBaselineModel(
      history.map((p) => ({ x: p.x, value: p.value })),
      { forecast: option, frequency: calendar.frequency },
    );
  const model = fitted.model;
  const computedMethod: ComputedForecastMethod | null = model === null ? null : model.method;
  const hasInterval = computedMethod === 'ets' || computedMethod === 'ols';
  const floor = hasInterval
    ? intervalFloor(
        input.decimals,
        history.map((p) => p.value),
      )
    : null;

  const overrides = new Map<number, number>();
  for (const o of input.override) {
    if (!Number.isFinite(o.value)) throw new RangeError(`forecast override of ${o.period} is not a finite number`);
    const x = periodIndex(o.period, calendar);
    if (overrides.has(x)) throw new RangeError(`forecast override gives ${o.period} twice`);
    if (x > xb) overrides.set(x, o.value);
  }
  const manual = input.override.length > 0 || option.method === 'manual';

  // Model forecasts by steps h after the last fitted period, computed as far as needed and cached.
  let computed: ReturnType<typeof forecastFromModel> = [];
  const computedAt = (x: number): Omit<ForecastPoint, 'period'> | null => {
    if (model === null) return null;
    const h = x - model.fittedOn.lastIndex;
    if (h < 1) return null;
    if (h > computed.length) {
      computed = forecastFromModel(model, Math.max(h, 2 * computed.length), level, bounds, {
        intervalFloor: floor ?? 0,
      });
    }
    const c = computed[h - 1]!;
    return {
      value: round12(c.value),
      lower: c.lower === null ? null : round12(c.lower),
      upper: c.upper === null ? null : round12(c.upper),
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

  const method = manual ? 'manual' : computedMethod;
  let reason: string | null = null;
  if (method === null) reason = fitted.explanation;
  else if (computedMethod === 'two_point' || computedMethod === 'flat') reason = fitted.explanation;
  else if (computedMethod === null && option.method === 'manual') reason = fitted.explanation;
  else if (computedMethod === null)
    reason = 'no history to compute a forecast from: only the override periods have one';

  let slopePerYear: number | null = null;
  let residualSd: number | null = null;
  if (model?.method === 'flat') slopePerYear = 0;
  else if (model?.method === 'ols' || model?.method === 'two_point') {
    slopePerYear = plusZero(round12(model.slope * f));
    residualSd = model.residualSd === null ? null : round12(model.residualSd);
  } else if (model?.method === 'ets') {
    const trend = model.lastStates.trend ?? 0;
    slopePerYear = plusZero(round12(((trend * (model.parameters.phi ?? 1)) / model.step) * f));
    residualSd = round12(Math.sqrt(model.sigma2));
  }

  return {
    forecast: {
      ...base,
      method: method as Forecast['method'],
      computedMethod,
      level: hasInterval ? level : null,
      fittedOn: {
        from: history[0]?.period ?? null,
        to: history.at(-1)?.period ?? null,
        n,
        breakAt: breakIndex === null ? null : periodLabel(breakIndex, calendar),
      },
      slopePerYear,
      residualSd,
      tQuantile:
        computedMethod === 'ols' && model?.method === 'ols'
          ? studentTQuantile(1 - (1 - level) / 2, model.fittedOn.n - 2)
          : null,
      normalQuantile: computedMethod === 'ets' ? normalHalfWidth(level) : null,
      intervalFloor: floor,
      model,
      explanation: fitted.explanation,
      points,
      truncated,
      reason,
    },
    fitted,
    at: (period) => atIndex(periodIndex(period, calendar)),
  };
}
