/**
 * A straight line through points: ordinary least squares with three or more points, the line through
 * both points with two. Used by the linear projection of docs/methodology.md §5.9 (progress toward the target).
 *
 * Deliberately small and separate from the baseline forecast of §3 (`ols.ts`), which also needs residual
 * standard errors and prediction intervals; this one only needs the line itself.
 *
 * Pure functions, no I/O.
 */

/** One observation: x is a period index, y a value. */
export interface XY {
  x: number;
  y: number;
}

/** A fitted line `y = intercept + slope · x`. */
export interface LineFit {
  method: 'ols' | 'two_point';
  intercept: number;
  slope: number;
  /** How many points the line was fitted on. */
  n: number;
  /** Mean of the x values; the line is evaluated around it for numerical stability. */
  meanX: number;
  /** Mean of the y values (the line passes through `(meanX, meanY)`). */
  meanY: number;
}

/**
 * Fits `y = intercept + slope · x`.
 *
 * - 3 or more points (with at least two distinct x): ordinary least squares,
 *   `slope = Sxy / Sxx`, `intercept = mean(y) − slope · mean(x)`. Method `ols`.
 * - exactly 2 points with distinct x: the line through both. Method `two_point`.
 *   (OLS on two points gives the same line; the name tells the reader there is no fit to speak of.)
 * - fewer than 2 points, or all x equal: `null` (no line is defined).
 *
 * @example fitLine([{ x: 2015, y: 10 }, { x: 2016, y: 12 }, { x: 2017, y: 13 }])
 * // { method: 'ols', slope: 1.5, intercept: 11.6667 − 1.5·2016 = −3012.3333, n: 3, meanX: 2016, meanY: 11.6667 }
 * @example fitLine([{ x: 2015, y: 10 }, { x: 2020, y: 20 }])
 * // { method: 'two_point', slope: 2, intercept: -4020, n: 2, meanX: 2017.5, meanY: 15 }
 * @example fitLine([{ x: 2015, y: 10 }]) // null
 */
export function fitLine(points: readonly XY[]): LineFit | null {
  const n = points.length;
  if (n < 2) return null;
  let sumX = 0;
  let sumY = 0;
  for (const p of points) {
    sumX += p.x;
    sumY += p.y;
  }
  const meanX = sumX / n;
  const meanY = sumY / n;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    const dx = p.x - meanX;
    sxx += dx * dx;
    sxy += dx * (p.y - meanY);
  }
  if (!(sxx > 0)) return null;
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  if (!Number.isFinite(slope) || !Number.isFinite(intercept)) return null;
  return { method: n === 2 ? 'two_point' : 'ols', intercept, slope, n, meanX, meanY };
}

/**
 * The line's value at `x`, computed around the mean of x (`mean(y) + slope · (x − mean(x))`), which loses
 * less precision than `intercept + slope · x` when x is a large period index such as 24294.
 *
 * @example valueAt(fitLine([{ x: 2015, y: 10 }, { x: 2020, y: 20 }])!, 2030) // 40
 */
export function valueAt(line: LineFit, x: number): number {
  return line.meanY + line.slope * (x - line.meanX);
}
