/**
 * Maximum-likelihood fitting of one ETS model, and the automatic choice among them by AICc — the method and
 * the default model set of `forecast::ets` (Hyndman et al. 2008, ch. 5 and 7): additive and multiplicative
 * errors and seasons (multiplicative ones only for strictly positive data), no multiplicative trend.
 *
 * 1. Starting values: the initial state of {@link startingState}, the smoothing parameters of
 *    {@link startingParameters}.
 * 2. Minimise n·log(Σe²) over the smoothing parameters and the free initial states with Nelder–Mead
 *    (at most 2,000 evaluations, relative tolerance √ε); parameters outside the usual ∩ admissible region
 *    score +∞.
 * 3. Report log-likelihood −½·(n·log(Σe²) + 2·Σlog|ŷ|) (the second term for multiplicative errors), AIC = −2·logLik + 2k, AICc = AIC + 2k(k+1)/(n−k−1) with k = the
 *    free parameters + 1 (σ²), and σ² = Σe²/(n − free parameters) — all as forecast::ets computes them.
 *
 * The optimiser takes R's steps exactly (same start, same simplex, same stopping rule), so the fits agree
 * with R's to rounding (test/engine/ets-r-reference.test.ts). One deliberate difference: a series whose mean
 * is negative is fitted negated (additive models only; multiplicative ones see positive data) and the states negated back, so −y always gets exactly the mirror of y's
 * forecast (R's simplex steps in the + direction only, so it can fit y and −y differently).
 *
 * Known limit, inherited from R: the first simplex step is a tenth of the largest number being optimised —
 * usually the level — so the fit of a·y + c is not exactly the transformed fit of y (the optimiser can
 * stop at a slightly different point); forecasts typically agree to a few parts in a thousand.
 */
import { startingParameters, withinBounds } from './ets-parameter-space.ts';
import { startingState } from './ets-initial-states.ts';
import { likelihoodCriterion, LikelihoodEvaluator, pairable, pairValues, runRecursion } from './ets-recursion.ts';
import {
  etsSpec,
  freeParameterCount,
  type EtsModelCode,
  type EtsParameters,
  type EtsSpec,
  type EtsState,
} from './ets-types.ts';
import { nelderMead, NelderMeadRun, type NelderMeadResult } from './nelder-mead.ts';

/** One fitted ETS model, in the data's units. */
export interface EtsFit {
  spec: EtsSpec;
  parameters: EtsParameters;
  /** The state before the first period (all m seasonal terms). */
  initial: EtsState;
  /** The state after the last period: what forecasts start from. */
  last: EtsState;
  /** −½·n·log(Σe²) (forecast::ets's `loglik`). */
  logLik: number;
  aic: number;
  aicc: number;
  /** Σe²/(n − free parameters). */
  sigma2: number;
  /** Observed periods fitted on. */
  n: number;
  /** Nelder–Mead's function evaluations. */
  evaluations: number;
}

/**
 * Fits one model by maximum likelihood to `y` (one value per period, NaN = missing). Returns null when the
 * model has too many parameters for the data (free parameters ≥ n − 1, as forecast::ets) or the optimiser
 * finds no admissible point.
 *
 * @example
 * fitEtsModel(etsSpec('ANN', 1), [10, 12, 11, 13, 12, 14, 13, 15, 14, 16])
 * // { parameters: { alpha: …, beta: null, gamma: null, phi: null }, logLik: …, aicc: …, … }
 */
export function fitEtsModel(spec: EtsSpec, y: readonly number[]): EtsFit | null {
  const fit = prepareFit(spec, y);
  if (fit === null) return null;
  const { evaluator } = fit;
  const best = nelderMead((x) => (evaluator.load(x) ? evaluator.value() : Infinity), fit.x0, OPTIMISER);
  return finishFit(fit, best);
}

/** forecast::ets's optimiser settings (`maxit` 2,000; R's default tolerances). */
const OPTIMISER = { maxEvaluations: 2000 };

/** A model ready for the optimiser: its objective (on the series oriented to a positive mean) and start. */
interface PreparedFit {
  spec: EtsSpec;
  y: readonly number[];
  sign: number;
  evaluator: LikelihoodEvaluator;
  x0: Float64Array;
}

function prepareFit(spec: EtsSpec, y: readonly number[], series?: Float64Array): PreparedFit | null {
  const observed = y.filter((v) => !Number.isNaN(v));
  const n = observed.length;
  const k = freeParameterCount(spec);
  if (k >= n - 1) return null;
  const multiplicative = spec.error === 'M' || spec.season === 'M';
  if (multiplicative && !observed.every((v) => v > 0)) return null;

  // Orient the series so its mean is positive (see the module comment): −y is fitted as y, then negated.
  let sum = 0;
  for (const v of observed) sum += v;
  const sign = multiplicative ? 1 : sum < 0 || (sum === 0 && (observed.find((v) => v !== 0) ?? 0) < 0) ? -1 : 1;
  const z = sign === 1 ? y.slice() : y.map((v) => -v);

  const start = startingState(spec, interpolateGaps(z));
  const p0 = startingParameters(spec);
  const x0 = Float64Array.from(packVector(spec, p0, start.level, start.trend, start.seasonal));

  // Models fitted together share one series array (pairable() asks for the same one).
  const evaluator = new LikelihoodEvaluator(spec, sign === 1 && series ? series : Float64Array.from(z));
  if (!evaluator.load(x0) || !Number.isFinite(evaluator.value())) return null;
  return { spec, y, sign, evaluator, x0 };
}

function finishFit(fit: PreparedFit, best: NelderMeadResult): EtsFit | null {
  const { spec, sign } = fit;
  const fitted = unpackVector(spec, best.x);
  if (!withinBounds(spec, fitted.parameters)) return null;

  // Back to the series' own sign, and the statistics from the series itself.
  const initial: EtsState = {
    level: sign * fitted.initial.level,
    trend: fitted.initial.trend === null ? null : sign * fitted.initial.trend,
    seasonal: fitted.initial.seasonal.map((s) => sign * s),
  };
  return statistics(spec, fitted.parameters, initial, fit.y, best.evaluations);
}

/**
 * Optimises two pairable models in lock-step: each optimiser runs exactly as alone (same points, same
 * values), but the recursions of their points run together ({@link pairValues}). Points outside the
 * parameter space need no recursion and are answered at once.
 */
function optimisePair(a: PreparedFit, b: PreparedFit): [NelderMeadResult, NelderMeadResult] {
  const runA = new NelderMeadRun(a.x0, OPTIMISER);
  const runB = new NelderMeadRun(b.x0, OPTIMISER);
  const ea = a.evaluator;
  const eb = b.evaluator;
  const values = new Float64Array(2);
  for (;;) {
    while (runA.result === null && !ea.load(runA.point)) runA.tell(Infinity);
    while (runB.result === null && !eb.load(runB.point)) runB.tell(Infinity);
    if (runA.result !== null || runB.result !== null) break;
    pairValues(ea, eb, values);
    runA.tell(values[0]!);
    runB.tell(values[1]!);
  }
  while (runA.result === null) runA.tell(ea.load(runA.point) ? ea.value() : Infinity);
  while (runB.result === null) runB.tell(eb.load(runB.point) ? eb.value() : Infinity);
  return [runA.result, runB.result];
}

/**
 * The fit's statistics for given parameters and initial state (forecast::ets's formulas).
 *
 * @example statistics(etsSpec('ANN', 1), { alpha: 0.5, … }, { level: 10, … }, [12, 11, 13, 12], 0)
 * // Σe² from the recursion; logLik −½·4·log Σe²; k = 3; aicc = −2 logLik + 6 + 2·3·4/(4 − 3 − 1) = +∞
 */
export function statistics(
  spec: EtsSpec,
  parameters: EtsParameters,
  initial: EtsState,
  y: readonly number[],
  evaluations: number,
): EtsFit {
  const r = runRecursion(spec, parameters, initial, y);
  const lik = likelihoodCriterion(r.sse, r.observed, r.logForecasts);
  const free = freeParameterCount(spec);
  const k = free + 1;
  const n = r.observed;
  const aic = lik + 2 * k;
  const aicc = n - k - 1 > 0 ? aic + (2 * k * (k + 1)) / (n - k - 1) : Infinity;
  return {
    spec,
    parameters,
    initial,
    last: r.last,
    logLik: -0.5 * lik,
    aic,
    aicc,
    sigma2: r.sse / (n - free),
    n,
    evaluations,
  };
}

/**
 * The candidates in forecast::ets's search order (error A, M; trend N, A; season N, A, M; damped before
 * undamped), its default set: multiplicative error and season only for strictly positive data, never additive
 * error with multiplicative season, no multiplicative trend.
 */
export function candidateModels(seasonal: boolean, positive = false): EtsModelCode[] {
  const additive: EtsModelCode[] = seasonal ? ['ANN', 'ANA', 'AAdN', 'AAN', 'AAdA', 'AAA'] : ['ANN', 'AAdN', 'AAN'];
  if (!positive) return additive;
  const multiplicative: EtsModelCode[] = seasonal
    ? ['MNN', 'MNA', 'MNM', 'MAdN', 'MAN', 'MAdA', 'MAA', 'MAdM', 'MAM']
    : ['MNN', 'MAdN', 'MAN'];
  return [...additive, ...multiplicative];
}

/**
 * Fits every candidate and keeps the lowest AICc (the first on a tie). Null when none can be fitted.
 *
 * @example fitAutoEts([…120 positive monthly values…], 12, true) // the best of the 15 models
 */
export function fitAutoEts(
  y: readonly number[],
  m: number,
  seasonal: boolean,
  candidates: readonly EtsModelCode[] = candidateModels(
    seasonal,
    y.every((v) => Number.isNaN(v) || v > 0),
  ),
): { best: EtsFit | null; tried: Array<{ model: EtsModelCode; aicc: number | null }> } {
  const series = Float64Array.from(y);
  const prepared = candidates.map((code) => prepareFit(etsSpec(code, m), y, series));
  // Models are optimised two at a time (see optimisePair), each with the next pairable one.
  const results: Array<NelderMeadResult | null> = prepared.map(() => null);
  for (let i = 0; i < prepared.length; i++) {
    const a = prepared[i];
    if (!a || results[i]) continue;
    let j = i + 1;
    while (j < prepared.length && !(prepared[j] && !results[j] && pairable(a.evaluator, prepared[j]!.evaluator))) j++;
    if (j < prepared.length) {
      const [ra, rb] = optimisePair(a, prepared[j]!);
      results[i] = ra;
      results[j] = rb;
    } else {
      const ev = a.evaluator;
      results[i] = nelderMead((x) => (ev.load(x) ? ev.value() : Infinity), a.x0, OPTIMISER);
    }
  }
  let best: EtsFit | null = null;
  const tried: Array<{ model: EtsModelCode; aicc: number | null }> = [];
  candidates.forEach((code, i) => {
    const fit = prepared[i] && results[i] ? finishFit(prepared[i], results[i]) : null;
    const aicc = fit && Number.isFinite(fit.aicc) ? fit.aicc : null;
    tried.push({ model: code, aicc });
    if (fit && aicc !== null && (best === null || fit.aicc < best.aicc)) best = fit;
  });
  return { best, tried };
}

/** [α, β?, γ?, φ?, ℓ, b?, s₀ … s_(m−2)]: the vector forecast::ets optimises, in its order. */
function packVector(
  spec: EtsSpec,
  p: EtsParameters,
  level: number,
  trend: number | null,
  seasonal: readonly number[],
): number[] {
  const x = [p.alpha];
  if (spec.trend !== 'N') x.push(p.beta!);
  if (spec.seasonal) x.push(p.gamma!);
  if (spec.trend === 'Ad') x.push(p.phi!);
  x.push(level);
  if (spec.trend !== 'N') x.push(trend!);
  if (spec.seasonal) x.push(...seasonal);
  return x;
}

function unpackVector(spec: EtsSpec, x: readonly number[]): { parameters: EtsParameters; initial: EtsState } {
  let i = 0;
  const alpha = x[i++]!;
  const beta = spec.trend !== 'N' ? x[i++]! : null;
  const gamma = spec.seasonal ? x[i++]! : null;
  const phi = spec.trend === 'Ad' ? x[i++]! : null;
  const level = x[i++]!;
  const trend = spec.trend !== 'N' ? x[i++]! : null;
  const seasonal: number[] = [];
  if (spec.seasonal) {
    let sum = 0;
    for (let j = 0; j < spec.m - 1; j++) {
      seasonal.push(x[i + j]!);
      sum += x[i + j]!;
    }
    // The m-th term makes the seasonal terms sum to 0 (to m for a multiplicative season).
    seasonal.push((spec.season === 'M' ? spec.m : 0) - sum);
  }
  return { parameters: { alpha, beta, gamma, phi }, initial: { level, trend, seasonal } };
}

/** Fills NaN gaps by straight lines between their neighbours (ends: the nearest value). For starting values only. */
function interpolateGaps(y: readonly number[]): number[] {
  const out = y.slice();
  let prev = -1;
  for (let i = 0; i < out.length; i++) {
    if (Number.isNaN(out[i]!)) continue;
    if (prev === -1 && i > 0) for (let j = 0; j < i; j++) out[j] = out[i]!;
    if (prev >= 0 && i - prev > 1) {
      for (let j = prev + 1; j < i; j++) out[j] = out[prev]! + ((out[i]! - out[prev]!) * (j - prev)) / (i - prev);
    }
    prev = i;
  }
  for (let j = prev + 1; j < out.length; j++) out[j] = out[prev]!;
  return out;
}
