/**
 * The ETS state recursion over a series (Hyndman et al. 2008, ch. 2; `forecast`'s C routine `etscalc`), and
 * the likelihood it yields.
 *
 * Missing periods (NaN in `y`) are bridged: the state moves on by the model's own one-step forecast (no
 * error, so no update and no likelihood term). The likelihood then counts only the observed periods.
 */
import { parametersAllowed } from './ets-parameter-space.ts';
import type { EtsParameters, EtsSpec, EtsState } from './ets-types.ts';

export interface RecursionResult {
  /** Σe² over the observed periods (e relative, (y − ŷ)/ŷ, for a multiplicative error). */
  sse: number;
  /** Σ log|ŷ| over the observed periods (the multiplicative error's Jacobian term; 0 for additive errors). */
  logForecasts: number;
  /** How many periods were observed (not NaN). */
  observed: number;
  /** The state after the last period. */
  last: EtsState;
}

/** forecast's etscalc: a seasonal term or level this close to 0 is not divided by (HUGEN instead). */
const TOL = 1e-10;
const HUGEN = 1e10;

/**
 * Runs the recursion from the initial state through every period of `y`.
 *
 * @example
 * // ETS(A,N,N), α = 0.5, ℓ₀ = 10, y = 12, 11: ŷ 10 → e 2, ℓ 11; ŷ 11 → e 0, ℓ 11
 * runRecursion(etsSpec('ANN', 1), { alpha: 0.5, beta: null, gamma: null, phi: null },
 *   { level: 10, trend: null, seasonal: [] }, [12, 11])
 * // { sse: 4, logForecasts: 0, observed: 2, last: { level: 11, trend: null, seasonal: [] } }
 */
export function runRecursion(
  spec: EtsSpec,
  p: EtsParameters,
  initial: EtsState,
  y: ArrayLike<number>,
): RecursionResult {
  const m = spec.m;
  const n = y.length;
  const s = new Float64Array(spec.seasonal ? n + m : 0);
  if (spec.seasonal) for (let j = 0; j < m; j++) s[j] = initial.seasonal[m - 1 - j]!;
  recurse(
    seasonCode(spec),
    spec.trend !== 'N',
    spec.error === 'M',
    m,
    p.alpha,
    p.beta ?? 0,
    p.gamma ?? 0,
    spec.trend === 'Ad' ? (p.phi ?? 1) : 1,
    initial.level,
    spec.trend !== 'N' ? (initial.trend ?? 0) : 0,
    s,
    // One element type keeps recurse monomorphic (the objective passes a Float64Array too).
    y instanceof Float64Array ? y : Float64Array.from(y),
  );
  const seasonal: number[] = [];
  if (spec.seasonal) for (let j = 0; j < m; j++) seasonal.push(s[n + m - 1 - j]!);
  return {
    sse: out[0]!,
    logForecasts: out[1]!,
    observed: out[2]!,
    last: { level: out[3]!, trend: spec.trend !== 'N' ? out[4]! : null, seasonal },
  };
}

function seasonCode(spec: EtsSpec): number {
  return spec.season === 'A' ? 1 : spec.season === 'M' ? 2 : 0;
}

/** {@link recurse}'s results — Σe², Σlog|ŷ|, observed periods, last ℓ, last b — reused (one thread). */
const out = new Float64Array(5);
/** The one-step forecasts of the observed periods, for Σlog|ŷ| (multiplicative errors); grown on demand. */
let forecasts = new Float64Array(256);

/**
 * The recursion proper; writes its results to `out`. Seasonal terms are laid out along time: s[0 … m−1] the
 * initial terms (s[0] the oldest, the one period 1 uses), period t reads s[t] and writes s[t + m], so the
 * last m terms are the final state. Nelder–Mead calls this about 20,000 times per auto fit, hence one
 * loop per kind of season, no allocation and no modulo. The updates are written as forecast::etscalc
 * writes them (same rounding): ℓ = q + α(p − q), b = φb + (β/α)(r − φb), s = s + γ(t − s); a missing
 * period (NaN) moves the state by its forecast. In the loops, `level * 1` and `trend * 1` give V8 a number
 * to start the state from: started from the bare (untyped) argument, ℓ and b stayed boxed and every update
 * allocated.
 */
function recurse(
  season: number,
  hasTrend: boolean,
  multError: boolean,
  m: number,
  alpha: number,
  beta: number,
  gamma: number,
  phi: number,
  level: number,
  trend: number,
  s: Float64Array,
  y: Float64Array,
): void {
  if (multError && forecasts.length < y.length) forecasts = new Float64Array(y.length);
  if (season === 0) nonSeasonal(hasTrend, multError, alpha, beta, phi, level, trend, y);
  else if (season === 1) additiveSeason(hasTrend, multError, m, alpha, beta, gamma, phi, level, trend, s, y);
  else multiplicativeSeason(hasTrend, multError, m, alpha, beta, gamma, phi, level, trend, s, y);
  out[1] = multError ? logForecastSum(out[2]!) : 0;
}

function nonSeasonal(
  hasTrend: boolean,
  multError: boolean,
  alpha: number,
  beta: number,
  phi: number,
  level: number,
  trend: number,
  y: Float64Array,
): void {
  const ratio = beta / alpha;
  const fs = forecasts;
  let l = level * 1;
  let b = hasTrend ? trend * 1 : 0;
  let sse = 0;
  let observed = 0;
  const n = y.length;
  for (let t = 0; t < n; t++) {
    const oldl = l;
    const phib = hasTrend ? phi * b : 0;
    const q = oldl + phib;
    const yt = y[t]!;
    if (yt !== yt) {
      l = q;
      b = phib;
      continue;
    }
    // etscalc's f = q + s and ℓ = q + α(y − s − q) with s = 0 (exact: adding or subtracting 0 changes nothing).
    const f = q;
    l = q + alpha * (yt - q);
    if (hasTrend) b = phib + ratio * (l - oldl - phib);
    let e: number;
    if (multError) {
      e = (yt - f) / f;
      fs[observed] = f;
    } else {
      e = yt - f;
    }
    sse += e * e;
    observed++;
  }
  out[0] = sse;
  out[2] = observed;
  out[3] = l;
  out[4] = b;
}

function additiveSeason(
  hasTrend: boolean,
  multError: boolean,
  m: number,
  alpha: number,
  beta: number,
  gamma: number,
  phi: number,
  level: number,
  trend: number,
  s: Float64Array,
  y: Float64Array,
): void {
  const ratio = beta / alpha;
  const fs = forecasts;
  let l = level * 1;
  let b = hasTrend ? trend * 1 : 0;
  let sse = 0;
  let observed = 0;
  const n = y.length;
  for (let t = 0; t < n; t++) {
    const oldl = l;
    const phib = hasTrend ? phi * b : 0;
    const q = oldl + phib;
    const olds = s[t]!;
    const yt = y[t]!;
    if (yt !== yt) {
      l = q;
      b = phib;
      s[t + m] = olds;
      continue;
    }
    const f = q + olds;
    l = q + alpha * (yt - olds - q);
    if (hasTrend) b = phib + ratio * (l - oldl - phib);
    s[t + m] = olds + gamma * (yt - q - olds);
    let e: number;
    if (multError) {
      e = (yt - f) / f;
      fs[observed] = f;
    } else {
      e = yt - f;
    }
    sse += e * e;
    observed++;
  }
  out[0] = sse;
  out[2] = observed;
  out[3] = l;
  out[4] = b;
}

function multiplicativeSeason(
  hasTrend: boolean,
  multError: boolean,
  m: number,
  alpha: number,
  beta: number,
  gamma: number,
  phi: number,
  level: number,
  trend: number,
  s: Float64Array,
  y: Float64Array,
): void {
  // A local number: the module constant itself, mixed with the quotients, made V8 box every quotient.
  const huge = HUGEN * 1;
  const ratio = beta / alpha;
  const fs = forecasts;
  let l = level * 1;
  let b = hasTrend ? trend * 1 : 0;
  let sse = 0;
  let observed = 0;
  const n = y.length;
  for (let t = 0; t < n; t++) {
    const oldl = l;
    const phib = hasTrend ? phi * b : 0;
    const q = oldl + phib;
    const olds = s[t]!;
    const yt = y[t]!;
    if (yt !== yt) {
      l = q;
      b = phib;
      s[t + m] = olds;
      continue;
    }
    const f = q * olds;
    l = q + alpha * ((Math.abs(olds) < TOL ? huge : yt / olds) - q);
    if (hasTrend) b = phib + ratio * (l - oldl - phib);
    s[t + m] = olds + gamma * ((Math.abs(q) < TOL ? huge : yt / q) - olds);
    let e: number;
    if (multError) {
      e = (yt - f) / f;
      fs[observed] = f;
    } else {
      e = yt - f;
    }
    sse += e * e;
    observed++;
  }
  out[0] = sse;
  out[2] = observed;
  out[3] = l;
  out[4] = b;
}

/**
 * Σ log|ŷ| over the first `count` stored forecasts, as the log of a running product renormalised before it
 * can overflow or underflow: one log every few dozen periods instead of one per period. Kept out of the
 * recursion's loop, where the product's chain and the rare log call slowed every step.
 */
function logForecastSum(count: number): number {
  const fs = forecasts;
  let logForecasts = 0;
  let product = 1;
  for (let k = 0; k < count; k++) {
    const f = fs[k]!;
    product *= f < 0 ? -f : f;
    if (product > 1e150 || product < 1e-150) {
      logForecasts += Math.log(product);
      product = 1;
    }
  }
  return logForecasts + Math.log(product);
}

/**
 * The criterion forecast::ets minimises: n·log(Σe²) over the n observed periods, plus 2·Σlog|ŷ| for a
 * multiplicative error (−2 × the Gaussian log-likelihood with σ² profiled out, less constants). A perfect
 * fit is floored at −1e10 as in forecast; a non-number is +∞.
 *
 * @example likelihoodCriterion(4, 2) // 2·log 4 = 2.7725887
 */
export function likelihoodCriterion(sse: number, observed: number, logForecasts = 0): number {
  const lik = observed * Math.log(sse) + 2 * logForecasts;
  if (Number.isNaN(lik)) return Infinity;
  return lik < -1e10 ? -1e10 : lik;
}

/**
 * The optimiser's objective for one model and series: x = [α, β?, γ?, φ?, ℓ, b?, s₀ … s_(m−2)] ↦ the
 * likelihood criterion, +∞ outside the usual ∩ admissible parameter space or when a multiplicative season's
 * initial terms are not all ≥ 0 (forecast::ets's target function). The seasonal buffer is allocated once.
 *
 * @example
 * const f = likelihoodObjective(etsSpec('ANN', 1), [12, 11])
 * f([0.5, 10]) // 2·log 4 = 2.7725887
 */
export function likelihoodObjective(spec: EtsSpec, y: ArrayLike<number>): (x: ArrayLike<number>) => number {
  const hasTrend = spec.trend !== 'N';
  const damped = spec.trend === 'Ad';
  const seasonal = spec.seasonal;
  const multSeason = spec.season === 'M';
  const multError = spec.error === 'M';
  const season = seasonCode(spec);
  const m = spec.m;
  const series = y instanceof Float64Array ? y : Float64Array.from(y);
  const s = new Float64Array(seasonal ? series.length + m : 0);
  return (x) => {
    let i = 0;
    const alpha = x[i++]!;
    const beta = hasTrend ? x[i++]! : 0;
    const gamma = seasonal ? x[i++]! : 0;
    const phi = damped ? x[i++]! : 1;
    if (!parametersAllowed(spec.trend, seasonal, m, alpha, beta, gamma, phi)) return Infinity;
    const l = x[i++]!;
    const b = hasTrend ? x[i++]! : 0;
    if (seasonal) {
      // s[0] is the oldest term: the implied one (0 or m minus the sum of the others), then s_(m−2) … s₀.
      let sum = 0;
      for (let j = 0; j < m - 1; j++) {
        const v = x[i + j]!;
        sum += v;
        s[m - 1 - j] = v;
      }
      s[0] = (multSeason ? m : 0) - sum;
      if (multSeason) for (let j = 0; j < m; j++) if (s[j]! < 0) return Infinity;
    }
    recurse(season, hasTrend, multError, m, alpha, beta, gamma, phi, l, b, s, series);
    return likelihoodCriterion(out[0]!, out[2]!, out[1]!);
  };
}
