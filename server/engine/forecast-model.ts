/**
 * The baseline forecast's model, fitted once and then only read: `fitBaselineModel(history, options)` returns
 * a plain JSON object (a `FittedModel`) that a caller may store and hand back later, and
 * `forecastFromModel(model, periods, level, bounds)` turns it into forecasts with prediction intervals without
 * refitting. Pure functions: same inputs, same output, on any machine.
 *
 * Methods (an indicator's `forecast` option):
 * - `auto` (default): exponential smoothing, the model chosen by AICc among ANN, AAN, AAdN and — for
 *   monthly and quarterly indicators with at least two full seasons of history — ANA, AAA, AAdA, and, when
 *   every value is above 0, their multiplicative-error versions and the multiplicative seasons MNM, MAM,
 *   MAdM (forecast::ets's default set; see ets-fit.ts). 3–6 points: simple or Holt smoothing with fixed starting states, as forecast::ets
 *   (small-sample-smoothing.ts); 2 points: the line through both (`two_point`); 1 point: `flat`.
 * - `ets` with a `model` code: that model, or the next simpler one when the history is too short for it
 *   (damping dropped first, then the season, then the trend).
 * - `linear`: ordinary least squares over the whole history, or over its last `window` points (docs/methodology.md §3).
 * - `manual`: no computed model (the indicator's hand-drawn forecast is all there is).
 */
import { fitOls, studentTQuantile } from './ols.ts';
import type { Frequency } from './periods.ts';
import { etsForecast, normalHalfWidth } from './ets-forecast.ts';
import { fitAutoEts, fitEtsModel, type EtsFit } from './ets-fit.ts';
import type { ForecastOptionMethod } from './vocabulary.ts';
import {
  etsSpec,
  ETS_MODELS,
  freeParameterCount,
  needsPositiveData,
  type EtsModelCode,
  type EtsState,
} from './ets-types.ts';
import { fitSmallSample } from './small-sample-smoothing.ts';

export { FORECAST_OPTION_METHODS } from './vocabulary.ts';
export type ForecastMethodName = ForecastOptionMethod;

/** An indicator's choice of baseline method. */
export interface ForecastOption {
  method: ForecastMethodName;
  /** For `ets`: the model code, e.g. "AAdN". */
  model?: EtsModelCode | null;
  /** For `linear`: fit on the last `window` points of the history only (≥ 2); null = the whole history. */
  window?: number | null;
}

export const DEFAULT_FORECAST_OPTION: ForecastOption = { method: 'auto' };

/** A point of the history: its period index x(p) and value, sorted by x. */
export interface HistoryPoint {
  x: number;
  value: number;
}

/** The first and last period index fitted on, and how many points. */
export interface FittedRange {
  firstIndex: number;
  lastIndex: number;
  n: number;
}

/** ETS smoothing parameters (null where the model has no such component). */
export interface SmoothingParameters {
  alpha: number;
  beta: number | null;
  gamma: number | null;
  phi: number | null;
}

export interface FittedEtsModel {
  method: 'ets';
  /** forecast::ets's code: error, trend, season (ANN, AAdN, MAM, …). */
  model: EtsModelCode;
  /** How the model was chosen. */
  selection: 'aicc' | 'requested' | 'simpler_than_requested' | 'small_sample' | 'constant_history';
  /** Season length m (12 monthly, 4 quarterly; 1 when not seasonal). */
  seasonLength: number;
  /**
   * Periods per model step: 1, or the common spacing of a history observed at a coarser regular interval
   * (5 for data every 5 years in an annual indicator). Forecasts between steps are interpolated linearly.
   */
  step: number;
  parameters: SmoothingParameters;
  /** The state before the first fitted period; `seasonal[0]` is the most recent term. */
  initialStates: EtsState;
  /** The state after the last fitted period: forecasts start from it. */
  lastStates: EtsState;
  /** One-step error variance. */
  sigma2: number;
  /** −½·n·log(Σe²) as forecast::ets reports it; null for the small-sample and constant cases. */
  logLik: number | null;
  aicc: number | null;
  /** Every model tried and its AICc (null when it could not be fitted). */
  candidates: Array<{ model: EtsModelCode; aicc: number | null }>;
  fittedOn: FittedRange;
  /** Missing periods inside the fitted range (bridged by the model's own forecast). */
  missingPeriods: number;
}

export interface FittedLinearModel {
  method: 'ols' | 'two_point';
  /** The `linear` window asked for (null = whole history). */
  window: number | null;
  meanX: number;
  meanY: number;
  slope: number;
  sxx: number;
  /** s = √(SSE/(n − 2)); null for two points. */
  residualSd: number | null;
  fittedOn: FittedRange;
}

export interface FittedFlatModel {
  method: 'flat';
  value: number;
  fittedOn: FittedRange;
}

export type FittedModel = FittedEtsModel | FittedLinearModel | FittedFlatModel;

/** What fitBaselineModel returns: the model (null when there is none) and, in plain words, why. */
export interface BaselineModelResult {
  model: FittedModel | null;
  /** Why this model, in plain words ("damped trend: the rise is slowing"). */
  explanation: string;
}

/** ETS is fitted on at most this many of the latest periods (older ones weigh almost nothing). */
export const MAX_ETS_PERIODS = 1200;

/** Periods per season for ETS: monthly 12, quarterly 4; others are not seasonal (forecast::ets refuses m > 24). */
export function seasonLength(frequency: Frequency): number {
  return frequency === 'monthly' ? 12 : frequency === 'quarterly' ? 4 : 1;
}

export interface FitBaselineOptions {
  forecast: ForecastOption;
  frequency: Frequency;
}

/**
 * Fits the baseline model on a history sorted by period index.
 *
 * @example
 * fitBaselineModel([{ x: 2016, value: 10 }, { x: 2017, value: 12 }], { forecast: { method: 'auto' }, frequency: 'annual' })
 * // { model: { method: 'two_point', slope: 2, … }, explanation: 'only 2 points of history: the line through both, with no interval' }
 */
export function fitBaselineModel(history: readonly HistoryPoint[], options: FitBaselineOptions): BaselineModelResult {
  const result = fitModel(history, options);
  return result.model === null ? result : { ...result, model: withoutNegativeZeros(result.model) };
}

/** A copy with every −0 replaced by 0 (so the model's JSON round-trips exactly). */
function withoutNegativeZeros<T>(value: T): T {
  if (typeof value === 'number') return (value === 0 ? 0 : value) as T;
  if (Array.isArray(value)) return value.map(withoutNegativeZeros) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = withoutNegativeZeros(v);
    return out as T;
  }
  return value;
}

function fitModel(history: readonly HistoryPoint[], options: FitBaselineOptions): BaselineModelResult {
  const n = history.length;
  const { forecast } = options;
  if (forecast.method === 'manual') {
    return { model: null, explanation: 'the forecast is drawn by hand (method manual): no computed model' };
  }
  if (n === 0) {
    return {
      model: null,
      explanation: 'no data at or before the baseline period, so there is no history to forecast from',
    };
  }
  if (n === 1) {
    return {
      model: { method: 'flat', value: history[0]!.value, fittedOn: range(history) },
      explanation: 'only 1 point of history: a flat line at its value, with no interval',
    };
  }
  if (forecast.method === 'linear') return fitLinear(history, forecast.window ?? null);
  if (n === 2) {
    return {
      model: linearModel(history, null),
      explanation: 'only 2 points of history: the line through both, with no interval',
    };
  }
  return fitEts(history, forecast, options.frequency);
}

/**
 * Forecasts h = 1 … periods after the model's last fitted period: point value and the prediction interval
 * at `level` (null ends when the model has none; half-width at least `intervalFloor`), clamped to the bounds.
 *
 * @example
 * forecastFromModel({ method: 'flat', value: 5, … }, 2, 0.9, { min: null, max: null })
 * // [{ h: 1, value: 5, lower: null, upper: null }, { h: 2, value: 5, lower: null, upper: null }]
 */
export function forecastFromModel(
  model: FittedModel,
  periods: number,
  level: number,
  bounds: { min: number | null; max: number | null },
  options: { intervalFloor?: number } = {},
): Array<{ h: number; value: number; lower: number | null; upper: number | null }> {
  const floor = options.intervalFloor ?? 0;
  const clamp = (v: number): number => {
    let c = v;
    if (bounds.min !== null && c < bounds.min) c = bounds.min;
    if (bounds.max !== null && c > bounds.max) c = bounds.max;
    return c === 0 ? 0 : c;
  };
  const out: Array<{ h: number; value: number; lower: number | null; upper: number | null }> = [];
  if (model.method === 'flat') {
    for (let h = 1; h <= periods; h++) out.push({ h, value: clamp(model.value), lower: null, upper: null });
    return out;
  }
  if (model.method !== 'ets') {
    const n = model.fittedOn.n;
    const t = model.residualSd === null ? null : studentTQuantile(1 - (1 - level) / 2, n - 2);
    for (let h = 1; h <= periods; h++) {
      const x = model.fittedOn.lastIndex + h;
      const dx = x - model.meanX;
      const value = model.meanY + model.slope * dx;
      if (t === null) {
        out.push({ h, value: clamp(value), lower: null, upper: null });
        continue;
      }
      const half = Math.max(floor, t * model.residualSd! * Math.sqrt(1 + 1 / n + (dx * dx) / model.sxx));
      out.push({ h, value: clamp(value), lower: clamp(value - half), upper: clamp(value + half) });
    }
    return out;
  }
  const spec = etsSpec(model.model, model.seasonLength);
  const z = normalHalfWidth(level);
  const g = model.step;
  const steps = etsForecast(spec, model.parameters, model.lastStates, model.sigma2, Math.ceil(periods / g));
  // Step 0 is the last fitted state's own level (no variance), for interpolation before the first step.
  const at = (k: number): { mean: number; variance: number } =>
    k === 0 ? { mean: lastFittedValue(model), variance: 0 } : steps[k - 1]!;
  for (let h = 1; h <= periods; h++) {
    const lo = Math.floor(h / g);
    const w = h / g - lo;
    const a = at(lo);
    const b = w === 0 ? a : at(lo + 1);
    const mean = a.mean + w * (b.mean - a.mean);
    const variance = a.variance + w * (b.variance - a.variance);
    const half = Math.max(floor, z * Math.sqrt(variance));
    out.push({ h, value: clamp(mean), lower: clamp(mean - half), upper: clamp(mean + half) });
  }
  return out;
}

/** The level (plus the current seasonal term) at the last fitted period: where a coarse-step forecast starts. */
function lastFittedValue(model: FittedEtsModel): number {
  const s = model.lastStates.seasonal[0];
  if (s === undefined) return model.lastStates.level;
  return model.model.endsWith('M') ? model.lastStates.level * s : model.lastStates.level + s;
}

function gcd(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y > 0) [x, y] = [y, x % y];
  return x;
}

/** Parses a model code; null when it is not one of the fifteen models of ETS_MODELS. */
export function parseEtsModel(code: string): EtsModelCode | null {
  return (ETS_MODELS as readonly string[]).includes(code) ? (code as EtsModelCode) : null;
}

function range(history: readonly HistoryPoint[]): FittedRange {
  return { firstIndex: history[0]!.x, lastIndex: history.at(-1)!.x, n: history.length };
}

function linearModel(history: readonly HistoryPoint[], window: number | null): FittedLinearModel {
  const fit = fitOls(
    history.map((p) => p.x),
    history.map((p) => p.value),
  );
  return {
    method: history.length >= 3 ? 'ols' : 'two_point',
    window,
    meanX: fit.meanX,
    meanY: fit.meanY,
    slope: fit.slope,
    sxx: fit.sxx,
    residualSd: fit.residualSd,
    fittedOn: range(history),
  };
}

function fitLinear(history: readonly HistoryPoint[], window: number | null): BaselineModelResult {
  const used = window !== null && window < history.length ? history.slice(-Math.max(2, window)) : history;
  const model = linearModel(used, window);
  const span = window !== null && used.length < history.length ? `the last ${used.length} points` : 'the whole history';
  const explanation =
    model.method === 'two_point'
      ? 'only 2 points: the line through both, with no interval'
      : `a straight line fitted by least squares to ${span} (method linear)`;
  return { model, explanation };
}

/** The simpler model tried when the history is too short: damping, then season, then trend dropped. */
function simplerModel(code: EtsModelCode): EtsModelCode | null {
  const error = code[0]!;
  const trend = code.slice(1, -1);
  const season = code.at(-1)!;
  const next =
    trend === 'Ad' ? `${error}A${season}` : season !== 'N' ? `${error}${trend}N` : trend === 'A' ? `${error}NN` : null;
  return next === null ? null : parseEtsModel(next);
}

/** A seasonal model's non-seasonal counterpart (for histories shorter than two seasons). */
function withoutSeason(code: EtsModelCode): EtsModelCode {
  return parseEtsModel(`${code.slice(0, -1)}N`)!;
}

/** A model's additive counterpart (multiplicative components need strictly positive data). */
function additiveCounterpart(code: EtsModelCode): EtsModelCode {
  return parseEtsModel(`A${code.slice(1, -1)}${code.at(-1) === 'M' ? 'A' : code.at(-1)!}`)!;
}

/** forecast::ets's "tiny data" threshold: with n ≤ npars + 4 it does not maximise the likelihood. */
function tooShortForLikelihood(code: EtsModelCode, m: number, n: number): boolean {
  const npars = 2 + (code[1] === 'A' ? 2 : 0) + (code.at(-1) !== 'N' ? m : 0) + (code.includes('d') ? 1 : 0);
  return n <= npars + 4;
}

function fitEts(history: readonly HistoryPoint[], forecast: ForecastOption, frequency: Frequency): BaselineModelResult {
  // Only the latest MAX_ETS_PERIODS periods, on the grid of the history's common spacing g (gaps as NaN).
  const lastIndex = history.at(-1)!.x;
  const kept = history.filter((p) => p.x > lastIndex - MAX_ETS_PERIODS);
  const firstIndex = kept[0]!.x;
  let g = 0;
  for (let i = 1; i < kept.length; i++) g = gcd(g, kept[i]!.x - kept[i - 1]!.x);
  const step = Math.max(1, g);
  const span = (lastIndex - firstIndex) / step + 1;
  const n = kept.length;
  if (span > 2 * n) {
    const linear = fitLinear(history, null);
    return {
      model: linear.model,
      explanation: `the history has more missing periods than data (${n} values over ${span} periods), too sparse for exponential smoothing: ${linear.explanation}`,
    };
  }
  const y = new Array<number>(span).fill(NaN);
  for (const p of kept) y[(p.x - firstIndex) / step] = p.value;
  const fittedOn: FittedRange = { firstIndex, lastIndex, n };
  const missingPeriods = span - n;

  const allEqual = kept.every((p) => p.value === kept[0]!.value);
  if (allEqual) {
    // forecast::ets returns simple smoothing with α = 0.99999 and σ² = 0 for a constant series.
    const state: EtsState = { level: kept[0]!.value, trend: null, seasonal: [] };
    return {
      model: {
        method: 'ets',
        model: 'ANN',
        selection: 'constant_history',
        seasonLength: 1,
        step,
        parameters: { alpha: 0.99999, beta: null, gamma: null, phi: null },
        initialStates: state,
        lastStates: state,
        sigma2: 0,
        logLik: null,
        aicc: null,
        candidates: [],
        fittedOn,
        missingPeriods,
      },
      explanation: 'the history is constant: the forecast stays at its value',
    };
  }

  const m = step === 1 ? seasonLength(frequency) : 1;
  const seasonalAllowed = m > 1 && n >= 2 * m;
  const requested = forecast.method === 'ets' ? (forecast.model ?? null) : null;
  const positive = kept.every((p) => p.value > 0);
  let code: EtsModelCode | null = requested;
  if (code !== null && needsPositiveData(code) && !positive) code = additiveCounterpart(code);
  if (code !== null && code.at(-1) !== 'N' && !seasonalAllowed) code = withoutSeason(code);

  // Very short histories: forecast::ets's fixed-start smoothing (small-sample-smoothing.ts).
  const tiny = code === null ? n <= 6 : tooShortForLikelihood(code, m, n);
  if (tiny) return smallSample(kept, code, fittedOn, missingPeriods, requested, step);

  let fit: EtsFit | null = null;
  let candidates: FittedEtsModel['candidates'] = [];
  let selection: FittedEtsModel['selection'];
  if (code === null) {
    const auto = fitAutoEts(y, m, seasonalAllowed);
    fit = auto.best;
    candidates = auto.tried;
    selection = 'aicc';
  } else {
    selection = code === requested ? 'requested' : 'simpler_than_requested';
    for (let c: EtsModelCode | null = code; c !== null && fit === null; c = simplerModel(c)) {
      if (freeParameterCount(etsSpec(c, m)) >= n - 1) continue;
      fit = fitEtsModel(etsSpec(c, m), y);
      candidates.push({ model: c, aicc: fit && Number.isFinite(fit.aicc) ? fit.aicc : null });
      if (c !== requested && fit) selection = 'simpler_than_requested';
    }
  }
  if (fit === null) {
    const linear = fitLinear(history, null);
    return {
      model: linear.model,
      explanation: `no exponential smoothing model could be fitted: ${linear.explanation}`,
    };
  }
  const model: FittedEtsModel = {
    method: 'ets',
    model: fit.spec.code,
    selection,
    seasonLength: fit.spec.m,
    step,
    parameters: fit.parameters,
    initialStates: fit.initial,
    lastStates: fit.last,
    sigma2: fit.sigma2,
    logLik: fit.logLik,
    aicc: Number.isFinite(fit.aicc) ? fit.aicc : null,
    candidates,
    fittedOn,
    missingPeriods,
  };
  return { model, explanation: explainEts(model, requested) };
}

function smallSample(
  kept: readonly HistoryPoint[],
  code: EtsModelCode | null,
  fittedOn: FittedRange,
  missingPeriods: number,
  requested: EtsModelCode | null,
  step: number,
): BaselineModelResult {
  // The fixed-start smoothing needs consecutive values: gaps are closed up (few points, little to lose).
  const values = kept.map((p) => p.value);
  const wantTrend = code === null ? null : code[1] === 'A';
  const holt = wantTrend === false ? null : fitSmallSample(values, true);
  const ses = wantTrend === true ? null : fitSmallSample(values, false);
  const fit = holt && (!ses || holt.sigma2 < ses.sigma2) ? holt : ses!;
  const model: FittedEtsModel = {
    method: 'ets',
    model: fit.spec.code,
    selection: 'small_sample',
    seasonLength: 1,
    step,
    parameters: fit.parameters,
    initialStates: fit.initial,
    lastStates: fit.last,
    sigma2: fit.sigma2,
    logLik: null,
    aicc: null,
    candidates: [],
    fittedOn,
    missingPeriods,
  };
  const what = fit.spec.trend === 'N' ? 'simple exponential smoothing' : "Holt's linear trend";
  const why =
    requested !== null && requested !== fit.spec.code
      ? ` (${requested} needs more history)`
      : wantTrend === null
        ? ' (it fitted the history better than the other)'
        : '';
  return {
    model,
    explanation: `only ${fittedOn.n} points of history: ${what} from the first values${why}, too few to estimate a model by likelihood`,
  };
}

/**
 * The plain-words reason for an ETS model, from its structure and parameters.
 *
 * @example explainEts({ model: 'AAdN', parameters: { phi: 0.9, … }, lastStates: { trend: 0.4 }, … }, null)
 * // 'damped trend: the rise is slowing (lowest AICc of 3 models)'
 */
export function explainEts(model: FittedEtsModel, requested: EtsModelCode | null): string {
  const b = model.lastStates.trend ?? 0;
  const direction = b > 0 ? 'rise' : b < 0 ? 'fall' : 'change';
  let what: string;
  const trend = model.model.slice(1, -1);
  const season = model.model.at(-1);
  if (trend === 'N') {
    what = 'level only: no lasting trend in the history, so the forecast stays near the latest level';
  } else if (trend === 'Ad') {
    what = `damped trend: the ${direction} is slowing`;
  } else {
    what = `steady trend: the ${direction} continues at a constant pace`;
  }
  if (season === 'A') what += `, with a seasonal pattern repeating every ${model.seasonLength} periods`;
  if (season === 'M') {
    what += `, with a seasonal pattern repeating every ${model.seasonLength} periods that grows with the level`;
  }
  if (model.model.startsWith('M')) what += '; errors in proportion to the level';
  const tried = model.candidates.filter((c) => c.aicc !== null).length;
  const how =
    model.selection === 'aicc'
      ? `lowest AICc of ${tried} model${tried === 1 ? '' : 's'}`
      : model.selection === 'requested'
        ? 'the model asked for'
        : `${requested ?? 'the model asked for'} needs more history, so the next simpler model`;
  return `${what} (${how})`;
}
