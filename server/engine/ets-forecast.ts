/**
 * Point forecasts and their analytical variance for additive ETS models — the "class 1" results of
 * Hyndman et al. (2008, ch. 6, Table 6.1), as `forecast`'s `class1` computes them:
 *   ŷ(h)   = ℓ + φ_h·b + s(h),  φ_h = φ + φ² + … + φ^h (h without damping), s(h) the seasonal term of h
 *   var(h) = σ²·(1 + Σ_{j=1}^{h−1} c_j²),  c_j = α + β·φ_j + γ·[j is a multiple of m]
 * The prediction interval at level a is ŷ ± z_{(1+a)/2}·√var (normal quantile, as forecast.ets).
 */
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import type { EtsParameters, EtsSpec, EtsState } from './ets-types.ts';

export interface EtsForecastStep {
  /** Periods ahead of the last fitted period (1 = the next one). */
  h: number;
  mean: number;
  variance: number;
}

/**
 * Forecasts h = 1 … horizon from the last state.
 *
 * @example
 * // ETS(A,A,N), α 0.5, β 0.1, σ² 4, last state ℓ 20, b 2:
 * etsForecast(etsSpec('AAN', 1), { alpha: 0.5, beta: 0.1, gamma: null, phi: null },
 *   { level: 20, trend: 2, seasonal: [] }, 4, 3)
 * // h 1: mean 22, var 4; h 2: mean 24, var 4·(1 + 0.6²) = 5.44; h 3: mean 26, var 4·(1 + 0.36 + 0.7²) = 7.4
 */
export function etsForecast(
  spec: EtsSpec,
  p: EtsParameters,
  last: EtsState,
  sigma2: number,
  horizon: number,
): EtsForecastStep[] {
  const phi = spec.trend === 'Ad' ? p.phi! : 1;
  const hasTrend = spec.trend !== 'N';
  const b = hasTrend ? last.trend! : 0;
  const beta = hasTrend ? p.beta! : 0;
  const gamma = spec.seasonal ? p.gamma! : 0;
  const m = spec.m;
  const out: EtsForecastStep[] = [];
  let phiSum = 0; // φ_h
  let phiPower = 1;
  let cumulative = 0; // Σ c_j², j < h
  for (let h = 1; h <= horizon; h++) {
    phiPower *= phi;
    phiSum += phiPower;
    let mean = last.level + phiSum * b;
    if (spec.seasonal) mean += last.seasonal[(((m - h) % m) + m) % m]!;
    out.push({ h, mean, variance: sigma2 * (1 + cumulative) });
    // c_h for the next step's variance.
    const c = p.alpha + beta * phiSum + (spec.seasonal && h % m === 0 ? gamma : 0);
    cumulative += c * c;
  }
  return out;
}

/**
 * z such that a standard normal lies within ±z with probability `level`.
 *
 * @example normalHalfWidth(0.9)  // 1.6448536269514722
 * @example normalHalfWidth(0.95) // 1.959963984540054
 */
export function normalHalfWidth(level: number): number {
  return normalQuantile(0.5 + level / 2, 0, 1);
}
