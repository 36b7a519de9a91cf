/**
 * Point forecasts and their analytical variance for ETS models (Hyndman et al. 2008, ch. 6), as `forecast`'s
 * `class1`, `class2` and `class3` compute them:
 * - class 1 (additive error and season): ŷ(h) = ℓ + φ_h·b + s(h), φ_h = φ + φ² + … + φ^h (h without damping),
 *   var(h) = σ²·(1 + Σ_{j=1}^{h−1} c_j²), c_j = α + β·φ_j + γ·[j is a multiple of m];
 * - class 2 (multiplicative error, additive or no season): the same ŷ, θ(1) = ŷ(1)²,
 *   θ(h) = ŷ(h)² + σ²·Σ_{j=1}^{h−1} c_j²·θ(h − j), var(h) = (1 + σ²)·θ(h) − ŷ(h)²;
 * - class 3 (multiplicative error and season): mean and variance from the moments of the level-and-trend ×
 *   season matrix M(h) (Hyndman et al. 2008, §6.4; forecast's `class3`). The mean is the expected value,
 *   (ℓ + φ_h·b)·s(h) for h ≤ m and slightly above it later (the season's own noise). One deliberate
 *   difference from forecast 8.20: for a damped trend (MAdM) its `class3` leaves φ out of the observation
 *   and level rows (it forecasts (ℓ + b)·s one step ahead, not (ℓ + φb)·s); ours puts it in.
 *   `class3Moments(…, { forecast820: true })` reproduces R's for the reference test.
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
  const c: number[] = []; // c_j, j = 1 … h − 1
  let phiSum = 0; // φ_h
  let phiPower = 1;
  let cumulative = 0; // Σ c_j², j < h
  for (let h = 1; h <= horizon; h++) {
    phiPower *= phi;
    phiSum += phiPower;
    let mean = last.level + phiSum * b;
    if (spec.season === 'A') mean += last.seasonal[(((m - h) % m) + m) % m]!;
    else if (spec.season === 'M') mean *= last.seasonal[(((m - h) % m) + m) % m]!;
    out.push({ h, mean, variance: sigma2 * (1 + cumulative) });
    // c_h for the next step's variance.
    const ch = p.alpha + beta * phiSum + (spec.seasonal && h % m === 0 ? gamma : 0);
    c.push(ch);
    cumulative += ch * ch;
  }
  if (spec.error === 'M' && spec.season !== 'M') {
    const variance = class2Variance(
      out.map((o) => o.mean),
      c,
      sigma2,
    );
    out.forEach((o, i) => (o.variance = variance[i]!));
  } else if (spec.season === 'M') {
    const moments = class3Moments(spec, p, last, sigma2, horizon);
    for (let h = 1; h <= horizon; h++) {
      out[h - 1]!.mean = moments.mean[h - 1]!;
      out[h - 1]!.variance = moments.variance[h - 1]!;
    }
  }
  return out;
}

/**
 * Class-2 variance from the point forecasts μ(h) and the class-1 coefficients c_j (j = 1 … horizon − 1):
 * θ(1) = μ(1)², θ(h) = μ(h)² + σ²·Σ_{j<h} c_j²·θ(h − j), var(h) = (1 + σ²)·θ(h) − μ(h)².
 *
 * @example class2Variance([10, 10], [0.5], 0.01) // θ = [100, 100 + 0.01·0.25·100]; var ≈ [1, 1.2525…]
 */
export function class2Variance(mean: readonly number[], c: readonly number[], sigma2: number): number[] {
  const theta: number[] = [];
  return mean.map((mu, i) => {
    const h = i + 1;
    let sum = 0;
    for (let j = 1; j < h; j++) sum += c[j - 1]! ** 2 * theta[h - j - 1]!;
    theta.push(mu * mu + sigma2 * sum);
    return (1 + sigma2) * theta[i]! - mu * mu;
  });
}

type Matrix = number[][];

const zeros = (r: number, c: number): Matrix => Array.from({ length: r }, () => new Array<number>(c).fill(0));

function multiply(a: Matrix, b: Matrix): Matrix {
  const r = a.length;
  const k = b.length;
  const c = b[0]!.length;
  const out = zeros(r, c);
  for (let i = 0; i < r; i++) {
    const ai = a[i]!;
    const oi = out[i]!;
    for (let l = 0; l < k; l++) {
      const v = ai[l]!;
      if (v === 0) continue;
      const bl = b[l]!;
      for (let j = 0; j < c; j++) oi[j]! += v * bl[j]!;
    }
  }
  return out;
}

const transpose = (a: Matrix): Matrix => a[0]!.map((_, j) => a.map((row) => row[j]!));

function kron(a: Matrix, b: Matrix): Matrix {
  const out = zeros(a.length * b.length, a[0]!.length * b[0]!.length);
  for (let i = 0; i < a.length; i++)
    for (let j = 0; j < a[0]!.length; j++)
      for (let k = 0; k < b.length; k++)
        for (let l = 0; l < b[0]!.length; l++) out[i * b.length + k]![j * b[0]!.length + l] = a[i]![j]! * b[k]![l]!;
  return out;
}

/** Σ of the matrices, each scaled. */
function combine(...terms: Array<[number, Matrix]>): Matrix {
  const [, first] = terms[0]!;
  const out = zeros(first.length, first[0]!.length);
  for (const [w, a] of terms)
    for (let i = 0; i < a.length; i++) for (let j = 0; j < a[0]!.length; j++) out[i]![j]! += w * a[i]![j]!;
  return out;
}

/**
 * Class-3 forecast mean and variance (forecast's `class3`, Hyndman et al. 2008, §6.4): M(h) is the expected
 * outer product of (ℓ, b) and the seasonal terms, V(h) the covariance of vec M(h); (ℓ, b) moves by
 * F₁ = [[1, φ], [0, φ]] and G₁ = [[α, αφ], [β, βφ]], the season by the rotation F₂ and G₂ (γ on the newest
 * term), and ŷ = (ℓ + φb)·s. With `forecast820` the damped matrices are forecast 8.20's (φ only in F₁[1][1]).
 *
 * @example class3Moments(etsSpec('MNM', 4), { alpha: 0.3, beta: null, gamma: 0.1, phi: null },
 *   { level: 100, trend: null, seasonal: [1.1, 0.9, 1.2, 0.8] }, 0.01, 2)
 * // mean [80, 120]; var [64, 144 + …]
 */
export function class3Moments(
  spec: EtsSpec,
  p: EtsParameters,
  last: EtsState,
  sigma2: number,
  horizon: number,
  options: { forecast820?: boolean } = {},
): { mean: number[]; variance: number[] } {
  const m = spec.m;
  const hasTrend = spec.trend !== 'N';
  const d = hasTrend ? 2 : 1;
  const phi = spec.trend === 'Ad' ? p.phi! : 1;
  const r820 = options.forecast820 === true;
  const H1: Matrix = hasTrend ? [[1, r820 ? 1 : phi]] : [[1]];
  const H2: Matrix = [[...new Array<number>(m - 1).fill(0), 1]];
  const phiB = r820 ? 1 : phi;
  const F1: Matrix = hasTrend
    ? [
        [1, phiB],
        [0, phi],
      ]
    : [[1]];
  const G1: Matrix = hasTrend
    ? [
        [p.alpha, p.alpha * phiB],
        [p.beta!, p.beta! * phiB],
      ]
    : [[p.alpha]];
  const F2 = zeros(m, m);
  F2[0]![m - 1] = 1;
  for (let i = 1; i < m; i++) F2[i]![i - 1] = 1;
  const G2 = zeros(m, m);
  G2[0]![m - 1] = p.gamma!;
  const levelTrend = hasTrend ? [[last.level], [last.trend!]] : [[last.level]];
  let Mh = multiply(levelTrend, [last.seasonal.slice()]);
  let Vh = zeros(d * m, d * m);
  const H21 = kron(H2, H1);
  const F21 = kron(F2, F1);
  const G21 = kron(G2, G1);
  const K = combine([1, kron(G2, F1)], [1, kron(F2, G1)]);
  const H21t = transpose(H21);
  const F21t = transpose(F21);
  const G21t = transpose(G21);
  const Kt = transpose(K);
  const F2t = transpose(F2);
  const G2t = transpose(G2);
  const H2t = transpose(H2);
  const mean: number[] = [];
  const variance: number[] = [];
  for (let h = 1; h <= horizon; h++) {
    const mu = multiply(multiply(H1, Mh), H2t)[0]![0]!;
    const hv = multiply(multiply(H21, Vh), H21t)[0]![0]!;
    mean.push(mu);
    variance.push((1 + sigma2) * hv + sigma2 * mu * mu);
    // vec(Mh), column by column.
    const vec: Matrix = [];
    for (let j = 0; j < m; j++) for (let i = 0; i < d; i++) vec.push([Mh[i]![j]!]);
    const outer = multiply(vec, transpose(vec));
    const inner = combine(
      [1, multiply(multiply(F21, Vh), G21t)],
      [1, multiply(multiply(G21, Vh), F21t)],
      [1, multiply(multiply(K, combine([1, Vh], [1, outer])), Kt)],
      [sigma2, multiply(multiply(G21, combine([3, Vh], [2, outer])), G21t)],
    );
    Vh = combine([1, multiply(multiply(F21, Vh), F21t)], [sigma2, inner]);
    Mh = combine([1, multiply(multiply(F1, Mh), F2t)], [sigma2, multiply(multiply(G1, Mh), G2t)]);
  }
  return { mean, variance };
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
