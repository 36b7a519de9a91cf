/**
 * The ETS state recursion over a series (Hyndman et al. 2008, ch. 2; `forecast`'s C routine `etscalc` for
 * additive errors), and the likelihood it yields.
 *
 * Missing periods (NaN in `y`) are bridged: the state moves on by the model's own one-step forecast (no
 * error, so no update and no likelihood term). The likelihood then counts only the observed periods.
 */
import type { EtsParameters, EtsSpec, EtsState } from './ets-types.ts';

export interface RecursionResult {
  /** Σe² over the observed periods. */
  sse: number;
  /** How many periods were observed (not NaN). */
  observed: number;
  /** The state after the last period. */
  last: EtsState;
}

/**
 * Runs the recursion from the initial state through every period of `y`.
 *
 * @example
 * // ETS(A,N,N), α = 0.5, ℓ₀ = 10, y = 12, 11: ŷ 10 → e 2, ℓ 11; ŷ 11 → e 0, ℓ 11
 * runRecursion(etsSpec('ANN', 1), { alpha: 0.5, beta: null, gamma: null, phi: null },
 *   { level: 10, trend: null, seasonal: [] }, [12, 11])
 * // { sse: 4, observed: 2, last: { level: 11, trend: null, seasonal: [] } }
 */
export function runRecursion(
  spec: EtsSpec,
  p: EtsParameters,
  initial: EtsState,
  y: ArrayLike<number>,
  residuals?: number[],
): RecursionResult {
  const hasTrend = spec.trend !== 'N';
  const phi = spec.trend === 'Ad' ? p.phi! : 1;
  const alpha = p.alpha;
  const beta = hasTrend ? p.beta! : 0;
  const gamma = spec.seasonal ? p.gamma! : 0;
  const m = spec.m;
  let l = initial.level;
  let b = hasTrend ? initial.trend! : 0;
  // Seasonal terms in a ring: ring[pos] is the oldest (the one period t uses), then newer ones follow.
  const ring = new Float64Array(spec.seasonal ? m : 1);
  let pos = 0;
  if (spec.seasonal) for (let j = 0; j < m; j++) ring[j] = initial.seasonal[m - 1 - j]!;
  let sse = 0;
  let observed = 0;
  const n = y.length;
  for (let t = 0; t < n; t++) {
    const oldl = l;
    const phib = hasTrend ? phi * b : 0;
    const q = oldl + phib;
    const olds = spec.seasonal ? ring[pos]! : 0;
    const yt = y[t]!;
    if (Number.isNaN(yt)) {
      // A missing period: the state follows its forecast.
      l = q;
      b = phib;
      if (spec.seasonal) pos = pos + 1 === m ? 0 : pos + 1;
      if (residuals) residuals.push(NaN);
      continue;
    }
    const e = yt - (q + olds);
    // The update written as forecast::etscalc does (same rounding): ℓ = q + α(p − q), b = φb + (β/α)(r − φb).
    l = q + alpha * (yt - olds - q);
    if (hasTrend) b = phib + (beta / alpha) * (l - oldl - phib);
    if (spec.seasonal) {
      ring[pos] = olds + gamma * (yt - q - olds);
      pos = pos + 1 === m ? 0 : pos + 1;
    }
    sse += e * e;
    observed++;
    if (residuals) residuals.push(e);
  }
  const seasonal: number[] = [];
  if (spec.seasonal) for (let j = 0; j < m; j++) seasonal.push(ring[(pos + m - 1 - j) % m]!);
  return { sse, observed, last: { level: l, trend: hasTrend ? b : null, seasonal } };
}

/**
 * The criterion forecast::ets minimises: n·log(Σe²) over the n observed periods (−2 × the Gaussian
 * log-likelihood with σ² profiled out, less constants). A perfect fit is floored at −1e10 as in forecast.
 *
 * @example likelihoodCriterion(4, 2) // 2·log 4 = 2.7725887
 */
export function likelihoodCriterion(sse: number, observed: number): number {
  const lik = observed * Math.log(sse);
  if (Number.isNaN(lik)) return Infinity;
  return lik < -1e10 ? -1e10 : lik;
}

/**
 * The optimiser's objective for one model and series: x = [α, β?, γ?, φ?, ℓ, b?, s₀ … s_(m−2)] ↦ n·log(Σe²),
 * +∞ outside the parameter space. The same arithmetic as {@link runRecursion}, written without allocations
 * because Nelder–Mead calls it up to 2,000 times per model.
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
  const m = spec.m;
  const ring = new Float64Array(seasonal ? m : 1);
  const n = y.length;
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
    let l = x[i++]!;
    let b = hasTrend ? x[i++]! : 0;
    if (seasonal) {
      // ring[0] is the oldest term: the implied one (minus the sum of the others), then s_(m−2) … s₀.
      let sum = 0;
      for (let j = 0; j < m - 1; j++) {
        const s = x[i + j]!;
        sum += s;
        ring[m - 1 - j] = s;
      }
      ring[0] = -sum;
    }
    let pos = 0;
    let sse = 0;
    let observed = 0;
    const ratio = beta / alpha;
    for (let t = 0; t < n; t++) {
      const oldl = l;
      const phib = phi * b;
      const q = oldl + phib;
      const olds = seasonal ? ring[pos]! : 0;
      const yt = y[t]!;
      if (yt !== yt) {
        l = q;
        b = phib;
        if (seasonal) pos = pos + 1 === m ? 0 : pos + 1;
        continue;
      }
      const e = yt - (q + olds);
      l = q + alpha * (yt - olds - q);
      if (hasTrend) b = phib + ratio * (l - oldl - phib);
      if (seasonal) {
        ring[pos] = olds + gamma * (yt - q - olds);
        pos = pos + 1 === m ? 0 : pos + 1;
      }
      sse += e * e;
      observed++;
    }
    return likelihoodCriterion(sse, observed);
  };
}
