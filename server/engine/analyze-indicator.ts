/**
 * The engine's entry point: one indicator and its data points in, the whole turn-the-curve analysis out
 * (docs/methodology.md §1–§6 and §9). Pure: no I/O, no clock, no randomness; the same inputs in any order give the
 * same output.
 */
import { DEFAULT_LEVEL, fitBaseline, resolveBounds } from './baseline-forecast.ts';
import { DEFAULT_FORECAST_OPTION, type BaselineModelResult, type ForecastOption } from './forecast-model.ts';
import { curveStatus } from './curve-status.ts';
import { equityGap } from './equity-gap.ts';
import { findBasePoint, indexSeries, levelAndChange, plusZero, resolveBaselinePeriod } from './level-change.ts';
import { periodIndex, periodsPerYear } from './periods.ts';
import { progressToTarget } from './progress.ts';
import {
  INTERVAL_LEVELS,
  type EngineIndicator,
  type IntervalLevel,
  type ObservedPoint,
  type PeriodValue,
  type SeriesPoint,
} from './series.ts';
import { currentTrend } from './trend.ts';
import type { AnalysisInputs, DisaggregatedSlice, IndexedPoint, IndicatorAnalysis, Slice } from './types.ts';
import { ENGINE_VERSION } from './version.ts';

export interface AnalyzeOptions {
  /** Prediction-interval level of the baseline forecast: 0.80, 0.90 (default) or 0.95. */
  level?: IntervalLevel;
  /**
   * Baseline models already fitted (e.g. stored with the indicator), by slice key ({@link sliceKey}): used
   * instead of refitting. Each must have been fitted on that slice's current history with the same method;
   * the caller answers for that (the engine cannot tell a stale fit from a fresh one).
   */
  baselineModels?: ReadonlyMap<string, BaselineModelResult>;
}

/**
 * The forecast method of a disaggregation slice: the indicator's own, except that when the total slice's
 * `auto` search chose an ETS model, slices fit that same model on their own history (or the next simpler
 * one when their history is shorter) instead of searching again. One model per slice keeps a request with
 * 20 groups × 120 monthly periods to about 20 fits instead of 120, and every group is read with the same
 * kind of curve as the total.
 *
 * @example sliceForecastOption({ method: 'auto' }, totalModelAAdN)  // { method: 'ets', model: 'AAdN' }
 * @example sliceForecastOption({ method: 'linear', window: 8 }, …)  // { method: 'linear', window: 8 }
 */
export function sliceForecastOption(
  indicatorOption: ForecastOption,
  total: BaselineModelResult | null,
): ForecastOption {
  if (indicatorOption.method !== 'auto') return indicatorOption;
  const model = total?.model;
  if (model?.method === 'ets' && model.selection === 'aicc') return { method: 'ets', model: model.model };
  return indicatorOption;
}

/**
 * Analyses an indicator: its total slice and every disaggregation slice.
 *
 * Decisions where engine.md is silent:
 * - every slice uses the indicator's baseline period b (from the total slice when defaulted); when b is
 *   null (no `baselinePeriod` and no total-slice data) no slice has a base point or a forecast;
 * - the gap reference is the `referenceGroup` slice only for slices over the same dimensions as the
 *   reference group (a `{ neighbourhood }` slice is not compared with a `{ race }` group): other slices
 *   are compared with the total slice; `gap.reference` says which was used (null = total), and the
 *   reference group's own slice has `gap: null`;
 * - slices are sorted by their key, the JSON of their `[dimension, value]` pairs sorted by dimension name
 *   (code-unit order, independent of locale);
 * - a period given twice in one slice, a label that does not fit the calendar, or a non-finite value is a
 *   caller error (RangeError): the API validates those before calling;
 * - a break in series (a point with `obsStatus: 'B'`) acts on its own slice only: that slice's forecast is
 *   fitted from its latest break at or before b (a break in the total does not cut a group's history, whose
 *   points carry their own status); level, change, trend, curve and progress still read every point.
 *
 * @example
 * analyzeIndicator(
 *   { polarity: 'higher_is_better', unit: 'percent', frequency: 'annual', yearStartMonth: null,
 *     baselinePeriod: '2019', target: { period: '2022', value: 20 }, interimTargets: [], naturalLimit: null,
 *     bounds: null, forecastOverride: [], referenceGroup: null },
 *   [2016: 10, 2017: 12, 2018: 13, 2019: 16, 2020: 15, 2021: 14] (all `disaggregation: {}`),
 * )
 * // total.latest { period: '2021', value: 14 }, previous 2020 = 15, base 2019 = 16, changeFromPrevious −1,
 * // changeFromBaseline { absolute: −2, percent: −12.5 }, varianceFromTarget −0.3, percentOfTarget 70,
 * // trend { direction: 'down', periods: 2, good: false }, forecast ols on 2016–2019 (17.5, 19.4, 21.3 for
 * // 2020–2022), curve: 2021 is 5.4 below 19.4 and under its 90 % interval [16.08, 22.72] → 'worsened',
 * // signals ['interval']
 */
export function analyzeIndicator(
  given: EngineIndicator,
  points: ObservedPoint[],
  options: AnalyzeOptions = {},
): IndicatorAnalysis {
  return analyzeIndicatorWithFits(given, points, options).analysis;
}

/**
 * {@link analyzeIndicator}, also returning the baseline model of every slice by slice key (null where there is
 * none), to be stored and handed back as `options.baselineModels`.
 */
export function analyzeIndicatorWithFits(
  given: EngineIndicator,
  points: ObservedPoint[],
  options: AnalyzeOptions = {},
): { analysis: IndicatorAnalysis; fits: Map<string, BaselineModelResult | null> } {
  // 1. Check the options and the indicator's own periods (labels must fit its calendar).
  // 2. Group the points into slices by disaggregation (`{}` = total) and sort each by period index.
  // 3. Resolve the baseline period b (the indicator's, or the total slice's first period) and the bounds.
  // 4. Analyse the total slice: level and change, trend, forecast on H (≤ b, frozen), curve on P (> b), progress.
  // 5. Analyse every other slice the same way, on its own points, and measure its gap against the reference.
  // 6. Report the inputs actually used alongside the engine version.
  const indicator = normalizeIndicator(given);
  const level = options.level ?? DEFAULT_LEVEL;
  if (!(INTERVAL_LEVELS as readonly number[]).includes(level)) {
    throw new RangeError(`level must be one of ${INTERVAL_LEVELS.join(', ')}; got ${level}`);
  }
  for (const p of [
    indicator.baselinePeriod,
    indicator.target?.period,
    ...indicator.interimTargets.map((t) => t.period),
    ...indicator.forecastOverride.map((o) => o.period),
  ]) {
    if (p !== null && p !== undefined) periodIndex(p, indicator);
  }

  const groups = new Map<string, { disaggregation: Record<string, string>; points: SeriesPoint[]; breaks: string[] }>();
  for (const p of points) {
    const key = sliceKey(p.disaggregation);
    let group = groups.get(key);
    if (!group) {
      group = { disaggregation: canonicalDisaggregation(p.disaggregation), points: [], breaks: [] };
      groups.set(key, group);
    }
    group.points.push({ period: p.period, value: p.value });
    if (p.obsStatus === 'B') group.breaks.push(p.period);
  }
  const breaksOf = (key: string): string[] => groups.get(key)?.breaks ?? [];
  const totalKey = sliceKey({});
  const series = new Map<string, IndexedPoint[]>();
  for (const [key, group] of groups) series.set(key, indexSeries(group.points, indicator));
  const total = series.get(totalKey) ?? [];

  const baseline = resolveBaselinePeriod(indicator.baselinePeriod, total);
  const bounds = resolveBounds(indicator.unit, indicator.bounds);

  const option = indicator.forecast ?? DEFAULT_FORECAST_OPTION;
  const stored = options.baselineModels;
  const totalResult = analyzeSliceWithFit(
    indicator,
    total,
    baseline.period,
    bounds,
    level,
    option,
    stored?.get(totalKey),
    breaksOf(totalKey),
  );
  const totalSlice = totalResult.slice;
  const fits = new Map<string, BaselineModelResult | null>([[totalKey, totalResult.fitted]]);
  const slicesOption = sliceForecastOption(option, totalResult.fitted);
  const analyse = (sorted: IndexedPoint[], key: string): Slice => {
    const r = analyzeSliceWithFit(
      indicator,
      sorted,
      baseline.period,
      bounds,
      level,
      slicesOption,
      stored?.get(key),
      breaksOf(key),
    );
    fits.set(key, r.fitted);
    return r.slice;
  };

  const referenceKey =
    indicator.referenceGroup && Object.keys(indicator.referenceGroup).length > 0
      ? sliceKey(indicator.referenceGroup)
      : null;
  const slices: DisaggregatedSlice[] = [...groups.keys()]
    .filter((key) => key !== totalKey)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((key) => {
      const sorted = series.get(key)!;
      const disaggregation = groups.get(key)!.disaggregation;
      const useGroup =
        referenceKey !== null && sameDimensions(disaggregation, indicator.referenceGroup as Record<string, string>);
      const refKey = useGroup ? referenceKey : totalKey;
      const gap =
        key === refKey
          ? null
          : equityGap({
              slice: toSeries(sorted),
              reference: toSeries(series.get(refKey) ?? []),
              baselinePeriod: baseline.period,
              calendar: indicator,
              referenceGroup: useGroup ? canonicalDisaggregation(indicator.referenceGroup!) : null,
            });
      return { disaggregation, ...analyse(sorted, key), gap };
    });

  const inputs: AnalysisInputs = {
    polarity: indicator.polarity,
    direction: indicator.polarity === 'higher_is_better' ? 1 : -1,
    unit: indicator.unit,
    frequency: indicator.frequency,
    yearStartMonth: indicator.yearStartMonth,
    periodsPerYear: periodsPerYear(indicator.frequency),
    baselinePeriod: baseline.period,
    baselinePeriodDefaulted: baseline.defaulted,
    basePoint: totalSlice.base,
    target: indicator.target,
    interimTargets: indicator.interimTargets,
    naturalLimit: indicator.naturalLimit,
    level,
    bounds,
    forecastOverride: indicator.forecastOverride,
    referenceGroup: indicator.referenceGroup,
    pointCount: points.length,
  };
  return { analysis: { engineVersion: ENGINE_VERSION, inputs, total: totalSlice, slices }, fits };
}

/**
 * docs/methodology.md §1–§5 for one series sorted by period (see {@link indexSeries}), with the indicator's baseline
 * period b. A disaggregation slice is analysed with its own points only (its own base point, latest point
 * and history H); b is the indicator's.
 *
 * @example
 * // higher is better, no target, b = 2019, series 2019: 16, 2020: 15, 2021: 14
 * analyzeSlice(indicator, series, '2019', { min: null, max: null, source: 'none' }, 0.9)
 * // base 2019 = 16, latest 14, previous 15, changeFromBaseline { absolute: −2, percent: −12.5 },
 * // trend down for 2 periods (good: false), forecast `flat` at 16 (H has 1 point) for 2020 and 2021,
 * // curve residuals −1, −2 (m 2, limit 4, run 2) → 'not_turned', latestVsForecast 'worse', gap −2,
 * // progress: observed (14/16)^(1/2) − 1 = −0.0646 → 'deterioration', score −5
 */
export function analyzeSlice(
  indicator: EngineIndicator,
  sorted: IndexedPoint[],
  baselinePeriod: string | null,
  bounds: ReturnType<typeof resolveBounds>,
  level: IntervalLevel,
): Slice {
  const option = indicator.forecast ?? DEFAULT_FORECAST_OPTION;
  return analyzeSliceWithFit(indicator, sorted, baselinePeriod, bounds, level, option, undefined).slice;
}

/** {@link analyzeSlice} with an explicit forecast method and, optionally, a baseline model fitted before. */
function analyzeSliceWithFit(
  indicator: EngineIndicator,
  sorted: IndexedPoint[],
  baselinePeriod: string | null,
  bounds: ReturnType<typeof resolveBounds>,
  level: IntervalLevel,
  forecast: ForecastOption,
  fitted: BaselineModelResult | undefined,
  breaks: readonly string[] = [],
): { slice: Slice; fitted: BaselineModelResult | null } {
  const xb = baselinePeriod === null ? null : periodIndex(baselinePeriod, indicator);
  const base = findBasePoint(sorted, xb);
  const levels = levelAndChange(sorted, base, indicator.target);
  const trend = currentTrend(sorted, indicator.polarity);
  const fit = fitBaseline({
    series: sorted,
    calendar: indicator,
    baselinePeriod,
    target: indicator.target,
    bounds,
    override: indicator.forecastOverride,
    level,
    forecast,
    decimals: indicator.decimals ?? null,
    breaks,
    ...(fitted !== undefined && { fitted }),
  });
  const curve = curveStatus({
    polarity: indicator.polarity,
    forecastMethod: fit.forecast.method,
    postBaseline: xb === null ? [] : toSeries(sorted.filter((p) => p.x > xb)),
    forecastAt: fit.at,
  });
  const progress = progressToTarget({
    polarity: indicator.polarity,
    calendar: indicator,
    base: base ? { period: base.period, value: base.value } : null,
    latest: levels.latest,
    target: indicator.target,
    naturalLimit: indicator.naturalLimit,
    projectionPoints: xb === null ? [] : toSeries(sorted.filter((p) => p.x >= xb)),
    interimTargets: indicator.interimTargets,
    bounds,
  });
  return {
    slice: { ...levels, pointCount: sorted.length, trend, forecast: fit.forecast, curve, progress },
    fitted: fit.fitted,
  };
}

/**
 * The stable key of a disaggregation: the JSON of its `[dimension, value]` pairs sorted by dimension.
 *
 * @example sliceKey({ sex: 'F', age: '15-24' }) // '[["age","15-24"],["sex","F"]]'
 * @example sliceKey({})                         // '[]'  (the total slice)
 */
export function sliceKey(disaggregation: Record<string, string>): string {
  if (isTotal(disaggregation)) return '[]';
  return JSON.stringify(
    Object.keys(disaggregation)
      .sort()
      .map((k) => [k, disaggregation[k]]),
  );
}

function isTotal(disaggregation: Record<string, string>): boolean {
  for (const _ in disaggregation) return false;
  return true;
}

/** A copy of the indicator with −0 values as 0 and the reference group's keys sorted. */
function normalizeIndicator(indicator: EngineIndicator): EngineIndicator {
  const pv = (p: PeriodValue): PeriodValue => ({ period: p.period, value: plusZero(p.value) });
  return {
    ...indicator,
    yearStartMonth: indicator.yearStartMonth ?? null,
    target: indicator.target ? pv(indicator.target) : null,
    interimTargets: indicator.interimTargets.map(pv),
    naturalLimit: indicator.naturalLimit === null ? null : plusZero(indicator.naturalLimit),
    bounds: indicator.bounds
      ? {
          min: indicator.bounds.min === null ? null : plusZero(indicator.bounds.min),
          max: indicator.bounds.max === null ? null : plusZero(indicator.bounds.max),
        }
      : null,
    forecastOverride: indicator.forecastOverride.map(pv),
    referenceGroup: indicator.referenceGroup ? canonicalDisaggregation(indicator.referenceGroup) : null,
  };
}

function canonicalDisaggregation(disaggregation: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(disaggregation).sort()) out[k] = disaggregation[k]!;
  return out;
}

function sameDimensions(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i]);
}

function toSeries(points: readonly IndexedPoint[]): SeriesPoint[] {
  return points.map((p) => ({ period: p.period, value: p.value }));
}
