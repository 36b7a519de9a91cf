/**
 * The ETS state recursion over a series (Hyndman et al. 2008, ch. 2; `forecast`'s C routine `etscalc`), and
 * the likelihood it yields.
 *
 * Missing periods (NaN in `y`) are bridged: the state moves on by the model's own one-step forecast (no
 * error, so no update and no likelihood term). The likelihood then counts only the observed periods.
 */
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
  residuals?: number[],
): RecursionResult {
  const m = spec.m;
  const ring = new Float64Array(spec.seasonal ? m : 1);
  if (spec.seasonal) for (let j = 0; j < m; j++) ring[j] = initial.seasonal[m - 1 - j]!;
  // Always a Float64Array: the optimiser's objective passes one, and one element type keeps recurse monomorphic.
  const out = recurse(
    spec,
    p.alpha,
    p.beta ?? 0,
    p.gamma ?? 0,
    p.phi ?? 1,
    initial.level,
    initial.trend ?? 0,
    ring,
    y instanceof Float64Array ? y : Float64Array.from(y),
    residuals,
  );
  const seasonal: number[] = [];
  if (spec.seasonal) for (let j = 0; j < m; j++) seasonal.push(ring[(out.pos + m - 1 - j) % m]!);
  return {
    sse: out.sse,
    logForecasts: out.logForecasts,
    observed: out.observed,
    last: { level: out.level, trend: spec.trend !== 'N' ? out.trend : null, seasonal },
  };
}

interface RawResult {
  sse: number;
  logForecasts: number;
  observed: number;
  level: number;
  trend: number;
  pos: number;
}

/**
 * The recursion proper, on a seasonal ring (ring[0] the oldest term, the one period 1 uses); updates the
 * ring in place. Written without allocations because Nelder–Mead calls it up to 2,000 times per model;
 * the updates are written as forecast::etscalc writes them (same rounding): ℓ = q + α(p − q),
 * b = φb + (β/α)(r − φb), s = s + γ(t − s).
 */
function recurse(
  spec: EtsSpec,
  alpha: number,
  beta: number,
  gamma: number,
  phiIn: number,
  level: number,
  trend: number,
  ring: Float64Array,
  y: Float64Array,
  residuals?: number[],
): RawResult {
  const hasTrend = spec.trend !== 'N';
  const phi = spec.trend === 'Ad' ? phiIn : 1;
  const season = spec.season === 'A' ? 1 : spec.season === 'M' ? 2 : 0;
  const multError = spec.error === 'M';
  const m = spec.m;
  const ratio = beta / alpha;
  let l = level;
  let b = hasTrend ? trend : 0;
  let pos = 0;
  let sse = 0;
  let logForecasts = 0;
  // Σ log|ŷ| as the log of a running product, renormalised before it can overflow or underflow: one log
  // every few dozen periods instead of one per period (the multiplicative models' main cost).
  let product = 1;
  let observed = 0;
  const n = y.length;
  for (let t = 0; t < n; t++) {
    const oldl = l;
    const phib = hasTrend ? phi * b : 0;
    const q = oldl + phib;
    const olds = season !== 0 ? ring[pos]! : 0;
    const yt = y[t]!;
    if (yt !== yt) {
      // A missing period: the state follows its forecast.
      l = q;
      b = phib;
      if (season !== 0) pos = pos + 1 === m ? 0 : pos + 1;
      if (residuals) residuals.push(NaN);
      continue;
    }
    let f: number;
    if (season === 2) {
      f = q * olds;
      l = q + alpha * ((Math.abs(olds) < TOL ? HUGEN : yt / olds) - q);
    } else {
      f = q + olds;
      l = q + alpha * (yt - olds - q);
    }
    if (hasTrend) b = phib + ratio * (l - oldl - phib);
    if (season === 1) ring[pos] = olds + gamma * (yt - q - olds);
    else if (season === 2) ring[pos] = olds + gamma * ((Math.abs(q) < TOL ? HUGEN : yt / q) - olds);
    if (season !== 0) pos = pos + 1 === m ? 0 : pos + 1;
    let e: number;
    if (multError) {
      e = (yt - f) / f;
      product *= f < 0 ? -f : f;
      if (product > 1e150 || product < 1e-150) {
        logForecasts += Math.log(product);
        product = 1;
      }
    } else {
      e = yt - f;
    }
    sse += e * e;
    observed++;
    if (residuals) residuals.push(e);
  }
  if (multError) logForecasts += Math.log(product);
  return { sse, logForecasts, observed, level: l, trend: b, pos };
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
 * likelihood criterion, +∞ outside the parameter space or when a multiplicative season's initial terms
 * are not all ≥ 0 (forecast::ets's target function).
 *
 * @example
 * const f = likelihoodObjective(etsSpec('ANN', 1), [12, 11], (p) => p.alpha > 0 && p.alpha < 1)
 * f([0.5, 10]) // 2·log 4 = 2.7725887
 */
export function likelihoodObjective(
  spec: EtsSpec,
  y: ArrayLike<number>,
  inBounds: (p: EtsParameters) => boolean,
): (x: readonly number[]) => number {
  const hasTrend = spec.trend !== 'N';
  const damped = spec.trend === 'Ad';
  const seasonal = spec.seasonal;
  const multSeason = spec.season === 'M';
  const m = spec.m;
  const ring = new Float64Array(seasonal ? m : 1);
  const series = y instanceof Float64Array ? y : Float64Array.from(y);
  const p: EtsParameters = { alpha: 0, beta: null, gamma: null, phi: null };
  return (x) => {
    let i = 0;
    const alpha = x[i++]!;
    const beta = hasTrend ? x[i++]! : 0;
    const gamma = seasonal ? x[i++]! : 0;
    const phi = damped ? x[i++]! : 1;
    p.alpha = alpha;
    p.beta = hasTrend ? beta : null;
    p.gamma = seasonal ? gamma : null;
    p.phi = damped ? phi : null;
    if (!inBounds(p)) return Infinity;
    const l = x[i++]!;
    const b = hasTrend ? x[i++]! : 0;
    if (seasonal) {
      // ring[0] is the oldest term: the implied one (0 or m minus the sum of the others), then s_(m−2) … s₀.
      let sum = 0;
      for (let j = 0; j < m - 1; j++) {
        const s = x[i + j]!;
        sum += s;
        ring[m - 1 - j] = s;
      }
      ring[0] = (multSeason ? m : 0) - sum;
      if (multSeason) for (let j = 0; j < m; j++) if (ring[j]! < 0) return Infinity;
    }
    const r = recurse(spec, alpha, beta, gamma, phi, l, b, ring, series);
    return likelihoodCriterion(r.sse, r.observed, r.logForecasts);
  };
}
