/**
 * The exponential-smoothing (ETS) models of Hyndman, Koehler, Ord & Snyder, *Forecasting with
 * Exponential Smoothing: the State Space Approach* (Springer, 2008), as `forecast::ets` names them:
 * error A(dditive) or M(ultiplicative); trend N(one), A(dditive) or Ad (additive damped); season N(one),
 * A(dditive) or M(ultiplicative).
 *
 * State of period t: level ℓ, trend b and the m seasonal terms s. With e = y − ŷ (the one-step error):
 *   ŷ(t)   = ℓ(t−1) + φ·b(t−1) + s(t−m)
 *   ℓ(t)   = ℓ(t−1) + φ·b(t−1) + α·e
 *   b(t)   = φ·b(t−1) + β·e
 *   s(t)   = s(t−m) + γ·e
 * (φ = 1 without damping; the trend terms drop out without a trend, the seasonal ones without a season.)
 * A multiplicative season multiplies instead: ŷ = (ℓ + φb)·s, ℓ(t) = q + α(y/s − q) with q = ℓ + φb,
 * s(t) = s + γ(y/q − s). The state update does not depend on the error type; a multiplicative error
 * changes the error measured (relative, e = (y − ŷ)/ŷ) and so the likelihood and the forecast variance.
 */

import type { EtsModelCode } from './vocabulary.ts';
export { ETS_MODELS, type EtsModelCode } from './vocabulary.ts';

/** A model's structure: its trend, whether it is seasonal, and the season length m (1 when not). */
export interface EtsSpec {
  code: EtsModelCode;
  error: 'A' | 'M';
  trend: 'N' | 'A' | 'Ad';
  season: 'N' | 'A' | 'M';
  seasonal: boolean;
  m: number;
}

/** Smoothing parameters; null where the model has no such component. */
export interface EtsParameters {
  alpha: number;
  beta: number | null;
  gamma: number | null;
  phi: number | null;
}

/**
 * A state vector. `seasonal[0]` is the most recent seasonal term and `seasonal[m − 1]` the one the next
 * period uses (R's `s1 … sm` order); empty for a non-seasonal model. `trend` is null without a trend.
 */
export interface EtsState {
  level: number;
  trend: number | null;
  seasonal: number[];
}

/**
 * The structure of a model code for a season length.
 *
 * @example etsSpec('AAdN', 1)  // { code: 'AAdN', trend: 'Ad', seasonal: false, m: 1 }
 * @example etsSpec('ANA', 12)  // { code: 'ANA', trend: 'N', seasonal: true, m: 12 }
 * @throws RangeError for a seasonal code with m < 2.
 */
export function etsSpec(code: EtsModelCode, m: number): EtsSpec {
  const error = code[0] === 'M' ? 'M' : 'A';
  const season = code.at(-1) === 'M' ? 'M' : code.at(-1) === 'A' ? 'A' : 'N';
  const seasonal = season !== 'N';
  const middle = code.slice(1, -1);
  const trend = middle === 'Ad' ? 'Ad' : middle === 'A' ? 'A' : 'N';
  if (seasonal && !(m >= 2)) throw new RangeError(`model ${code} is seasonal and needs a season length of 2 or more`);
  return { code, error, trend, season, seasonal, m: seasonal ? m : 1 };
}

/** True when the model needs strictly positive data (a multiplicative error or season). */
export function needsPositiveData(code: EtsModelCode): boolean {
  return code[0] === 'M' || code.at(-1) === 'M';
}

/**
 * How many numbers the likelihood is maximised over: the smoothing parameters and the free initial states
 * (ℓ, b, and m − 1 seasonal terms: the m-th makes them sum to 0, or to m for a multiplicative season). `forecast::ets` counts the same.
 *
 * @example freeParameterCount(etsSpec('ANN', 1))   // 2   (α, ℓ)
 * @example freeParameterCount(etsSpec('AAdN', 1))  // 5   (α, β, φ, ℓ, b)
 * @example freeParameterCount(etsSpec('AAA', 12))  // 16  (α, β, γ, ℓ, b, s₀…s₁₀)
 */
export function freeParameterCount(spec: EtsSpec): number {
  const smoothing = 1 + (spec.trend !== 'N' ? 1 : 0) + (spec.trend === 'Ad' ? 1 : 0) + (spec.seasonal ? 1 : 0);
  const states = 1 + (spec.trend !== 'N' ? 1 : 0) + (spec.seasonal ? spec.m - 1 : 0);
  return smoothing + states;
}
