/**
 * The additive exponential-smoothing (ETS) models of Hyndman, Koehler, Ord & Snyder, *Forecasting with
 * Exponential Smoothing: the State Space Approach* (Springer, 2008), as `forecast::ets` names them:
 * error A(dditive); trend N(one), A(dditive) or Ad (additive damped); season N(one) or A(dditive).
 *
 * State of period t: level ℓ, trend b and the m seasonal terms s. With e = y − ŷ (the one-step error):
 *   ŷ(t)   = ℓ(t−1) + φ·b(t−1) + s(t−m)
 *   ℓ(t)   = ℓ(t−1) + φ·b(t−1) + α·e
 *   b(t)   = φ·b(t−1) + β·e
 *   s(t)   = s(t−m) + γ·e
 * (φ = 1 without damping; the trend terms drop out without a trend, the seasonal ones without a season.)
 */

import type { EtsModelCode } from './vocabulary.ts';
export { ETS_MODELS, type EtsModelCode } from './vocabulary.ts';

/** A model's structure: its trend, whether it is seasonal, and the season length m (1 when not). */
export interface EtsSpec {
  code: EtsModelCode;
  trend: 'N' | 'A' | 'Ad';
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
  const seasonal = code.at(-1) === 'A';
  const trend = code.startsWith('AAd') ? 'Ad' : code[1] === 'A' ? 'A' : 'N';
  if (seasonal && !(m >= 2)) throw new RangeError(`model ${code} is seasonal and needs a season length of 2 or more`);
  return { code, trend, seasonal, m: seasonal ? m : 1 };
}

/**
 * How many numbers the likelihood is maximised over: the smoothing parameters and the free initial states
 * (ℓ, b, and m − 1 seasonal terms: the m-th makes them sum to 0). `forecast::ets` counts the same.
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
