/**
 * Ordinary least squares for one predictor, and its prediction interval (docs/methodology.md §3).
 *
 * The sums are centred (two-pass): Sxx = Σ(x − x̄)², Sxy = Σ(x − x̄)(y − ȳ), and the residual sum of
 * squares is summed from the residuals themselves. This keeps full precision when x is a large period
 * index (monthly 24294, daily 19919 …) and reproduces the NIST StRD "Norris" certified values to ~1e-13.
 *
 * The Student-t quantile comes from `@stdlib/stats-base-dists-t-quantile` (stdlib's inverse incomplete
 * beta), not from a home-made approximation.
 */
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

/** A straight line fitted by least squares, with what a prediction interval needs. */
export interface OlsFit {
  /** Number of points. */
  n: number;
  meanX: number;
  meanY: number;
  /** Σ(x − x̄)². */
  sxx: number;
  /** Σ(x − x̄)(y − ȳ). */
  sxy: number;
  /** b1 = Sxy / Sxx. */
  slope: number;
  /** b0 = ȳ − b1·x̄. */
  intercept: number;
  /** Σ(y − ŷ)². */
  sse: number;
  /** Residual degrees of freedom, n − 2. */
  df: number;
  /** s = sqrt(SSE / (n − 2)); null when n = 2 (no degrees of freedom left). */
  residualSd: number | null;
}

/**
 * Fits y = b0 + b1·x by ordinary least squares. Needs at least 2 points with at least two distinct x.
 * With exactly 2 points it is the line through both (residualSd null).
 *
 * @example
 * fitOls([1, 2, 3, 4], [2, 4, 5, 8])
 * // x̄ = 2.5, ȳ = 4.75, Sxx = 5, Sxy = 9.5 → slope 1.9, intercept 0,
 * // residuals 0.1, 0.2, −0.7, 0.4 → SSE 0.70, df 2, residualSd sqrt(0.35) = 0.5916079783
 * @throws RangeError when the lengths differ, n < 2, a value is not finite, or all x are equal.
 */
export function fitOls(x: readonly number[], y: readonly number[]): OlsFit {
  const n = x.length;
  if (y.length !== n) throw new RangeError(`fitOls: x has ${n} values but y has ${y.length}`);
  if (n < 2) throw new RangeError('fitOls: needs at least 2 points');
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i]!) || !Number.isFinite(y[i]!)) {
      throw new RangeError(`fitOls: point ${i} is not finite`);
    }
  }
  const meanX = mean(x);
  const meanY = mean(y);
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - meanX;
    sxx += dx * dx;
    sxy += dx * (y[i]! - meanY);
  }
  if (!(sxx > 0)) throw new RangeError('fitOls: all x are equal, the slope is undefined');
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  let sse = 0;
  for (let i = 0; i < n; i++) {
    const e = y[i]! - (meanY + slope * (x[i]! - meanX));
    sse += e * e;
  }
  const df = n - 2;
  return { n, meanX, meanY, sxx, sxy, slope, intercept, sse, df, residualSd: df > 0 ? Math.sqrt(sse / df) : null };
}

/**
 * The fitted value ŷ(x0) = ȳ + b1·(x0 − x̄) (the same line as b0 + b1·x0, computed about the centre for
 * precision far from x̄).
 *
 * @example predictOls(fitOls([1, 2, 3, 4], [2, 4, 5, 8]), 5) // 9.5
 */
export function predictOls(fit: OlsFit, x0: number): number {
  return fit.meanY + fit.slope * (x0 - fit.meanX);
}

/** A fitted value with its prediction interval. */
export interface PredictionInterval {
  value: number;
  lower: number;
  upper: number;
  /** t · s · sqrt(1 + 1/n + (x0 − x̄)²/Sxx). */
  halfWidth: number;
  /** The Student-t quantile t(1 − (1 − level)/2, n − 2) used. */
  t: number;
}

/**
 * The two-sided prediction interval for a new observation at x0:
 * ŷ(x0) ± t(1 − (1 − level)/2, n − 2) · s · sqrt(1 + 1/n + (x0 − x̄)²/Sxx). Needs n ≥ 3.
 *
 * @example
 * predictionInterval(fitOls([1, 2, 3, 4], [2, 4, 5, 8]), 5, 0.9)
 * // t(0.95, 2) = 2.9199855804, s = 0.5916079783, sqrt(1 + 1/4 + 6.25/5) = 1.5811388301
 * // → { value: 9.5, halfWidth: 2.7313964, lower: 6.7686036, upper: 12.2313964, t: 2.9199856 }
 * @throws RangeError when the fit has fewer than 3 points or the level is not in (0, 1).
 */
export function predictionInterval(fit: OlsFit, x0: number, level: number): PredictionInterval {
  if (fit.residualSd === null) throw new RangeError('predictionInterval: needs at least 3 points');
  const t = studentTQuantile(1 - (1 - level) / 2, fit.df);
  const dx = x0 - fit.meanX;
  const halfWidth = t * fit.residualSd * Math.sqrt(1 + 1 / fit.n + (dx * dx) / fit.sxx);
  const value = predictOls(fit, x0);
  return { value, lower: value - halfWidth, upper: value + halfWidth, halfWidth, t };
}

/**
 * The p-quantile of Student's t distribution with `df` degrees of freedom (stdlib).
 *
 * @example studentTQuantile(0.975, 34) // 2.032244509317718
 * @example studentTQuantile(0.95, 1)   // 6.313751514675037
 * @throws RangeError when p is not in (0, 1) or df is not positive (stdlib would return NaN).
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`studentTQuantile: p must be in (0, 1), got ${p}`);
  if (!(df > 0)) throw new RangeError(`studentTQuantile: df must be positive, got ${df}`);
  return tQuantile(p, df);
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}
