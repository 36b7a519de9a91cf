/**
 * The Theil–Sen estimator of a straight line's slope (Theil 1950; Sen 1968): the median of the slopes of all
 * pairs of points. It ignores up to about 29 % of wild points, which suits short, noisy series such as the
 * equity gap of engine.md §6. Intercepts as scipy.stats.theilslopes computes them:
 * `separate` = median(y) − slope · median(x) (scipy's default), `joint` = median(y − slope · x).
 *
 * Checked against Sen's (1968) worked example as stored in scipy's tests (`theil-sen-sen1968.json`).
 *
 * Pure functions, no I/O.
 */

/** A Theil–Sen line. */
export interface TheilSenFit {
  method: 'theil_sen';
  /** Median of the pairwise slopes (y_j − y_i) / (x_j − x_i) over pairs with x_i ≠ x_j. */
  slope: number;
  /** median(y) − slope · median(x). */
  interceptSeparate: number;
  /** median(y − slope · x). */
  interceptJoint: number;
  /** Number of points. */
  n: number;
  /** Number of pairwise slopes the median was taken over (pairs with equal x are skipped). */
  pairs: number;
}

/**
 * Median of a list of numbers (the mean of the two middle values when the count is even); null when empty.
 *
 * @example median([3, 1, 2])    // 2
 * @example median([4, 1, 3, 2]) // 2.5
 * @example median([])           // null
 */
export function median(values: readonly number[]): number | null {
  const n = values.length;
  if (n === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Theil–Sen slope and intercepts of y on x. Pairs of points with the same x carry no slope and are skipped
 * (as scipy does). Returns null when fewer than 2 points, when the lengths differ, when a value is not finite,
 * or when every x is the same (no pair has a slope).
 *
 * @example Sen (1968):
 * theilSen([1, 2, 3, 4, 10, 12, 18], [9, 15, 19, 20, 45, 55, 78])
 * // 21 pairwise slopes, median 4 → { slope: 4, interceptSeparate: 20 − 4·4 = 4, interceptJoint: median(5, 7, 7, 4, 5, 7, 6) = 6 }
 * @example theilSen([0, 1, 3], [0, 1, 1])
 * // slopes 1, 1/3, 0 → { slope: 1/3, interceptSeparate: 1 − 1/3 = 0.6667, interceptJoint: median(0, 0.6667, 0) = 0 }
 */
export function theilSen(x: readonly number[], y: readonly number[]): TheilSenFit | null {
  const n = x.length;
  if (n !== y.length || n < 2) return null;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i]!) || !Number.isFinite(y[i]!)) return null;
  }
  const slopes: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = x[j]! - x[i]!;
      if (dx !== 0) slopes.push((y[j]! - y[i]!) / dx);
    }
  }
  const slope = median(slopes);
  if (slope === null || !Number.isFinite(slope)) return null;
  const interceptSeparate = (median(y) as number) - slope * (median(x) as number);
  const interceptJoint = median(y.map((yi, i) => yi - slope * x[i]!)) as number;
  if (!Number.isFinite(interceptSeparate) || !Number.isFinite(interceptJoint)) return null;
  return {
    method: 'theil_sen',
    slope: slope === 0 ? 0 : slope,
    interceptSeparate: interceptSeparate === 0 ? 0 : interceptSeparate,
    interceptJoint: interceptJoint === 0 ? 0 : interceptJoint,
    n,
    pairs: slopes.length,
  };
}
