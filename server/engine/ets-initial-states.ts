/**
 * Starting values of the ETS initial state, before the likelihood is maximised over them — the heuristic of
 * `forecast::ets` (its `initstate`), so the optimiser starts where R's does.
 *
 * 1. Seasonal models: estimate the seasonal pattern of y, position by position —
 *    with fewer than 3 seasons, regress y on 1, t, sin(2πt/m), cos(2πt/m) (t = 1…n) and take y minus the
 *    fitted line as the seasonal part; otherwise a classical additive decomposition (centred moving average
 *    of order m, mean detrended value per position, centred to sum 0: R's `decompose`).
 *    The initial seasonal terms are those of positions m, m−1, …, 2 (the last one, for position 1, is
 *    implied: they sum to 0). Seasonally adjusted y = y − seasonal part.
 *    A multiplicative season divides instead: y over the fitted line (a biased start, as in R), or R's
 *    multiplicative `decompose` (y ÷ moving average, averaged per position, scaled to mean 1); the terms
 *    are floored at 0.01 (and rescaled when they sum to more than m), adjusted y = y ÷ max(seasonal, 0.01).
 * 2. Over the first min(max(10, 2m), n) adjusted values: the level is their mean (no trend), or the
 *    intercept (at t = 0) and slope of their least-squares line (trend).
 */
import { leastSquares } from './least-squares.ts';
import type { EtsSpec } from './ets-types.ts';

export interface StartingState {
  level: number;
  trend: number | null;
  /** The m − 1 free seasonal terms, most recent first (R's s0 … s(m−2)); empty when not seasonal. */
  seasonal: number[];
}

/**
 * @example
 * startingState(etsSpec('AAN', 1), [1, 3, 5, 7])  // lsfit(1:4, y): { level: −1, trend: 2, seasonal: [] }
 * @example
 * startingState(etsSpec('ANN', 1), [4, 6, 8])     // { level: 6, trend: null, seasonal: [] }
 * @throws RangeError for a seasonal model with fewer than 4 values (R: "not enough data").
 */
export function startingState(spec: EtsSpec, y: readonly number[]): StartingState {
  const n = y.length;
  const m = spec.seasonal ? spec.m : 1;
  let adjusted: number[] = y.slice();
  const seasonal: number[] = [];
  if (spec.seasonal) {
    if (n < 4) throw new RangeError('a seasonal model needs at least 4 values to start from');
    let seasonalPart: number[];
    if (n < 3 * m) {
      const rows = y.map((_, i) => {
        const t = i + 1;
        return [1, t, Math.sin((2 * Math.PI * t) / m), Math.cos((2 * Math.PI * t) / m)];
      });
      const [b0, b1] = leastSquares(rows, y);
      seasonalPart =
        spec.season === 'M' ? y.map((v, i) => v / (b0! + b1! * (i + 1))) : y.map((v, i) => v - b0! - b1! * (i + 1));
    } else {
      const figure = decomposeSeasonalFigure(y, m, spec.season === 'M' ? 'multiplicative' : 'additive');
      seasonalPart = y.map((_, i) => figure[i % m]!);
    }
    for (let k = m; k >= 2; k--) seasonal.push(seasonalPart[k - 1]!);
    if (spec.season === 'M') {
      for (let j = 0; j < seasonal.length; j++) seasonal[j] = Math.max(seasonal[j]!, 1e-2);
      let sum = 0;
      let sumPlus = 0;
      for (const s of seasonal) {
        sum += s;
        sumPlus += s + 1e-2;
      }
      if (sum > m) for (let j = 0; j < seasonal.length; j++) seasonal[j] = seasonal[j]! / sumPlus;
      adjusted = y.map((v, i) => v / Math.max(seasonalPart[i]!, 1e-2));
    } else {
      adjusted = y.map((v, i) => v - seasonalPart[i]!);
    }
  }
  const maxn = Math.min(Math.max(10, 2 * m), n);
  const head = adjusted.slice(0, maxn);
  if (spec.trend === 'N') {
    let sum = 0;
    for (const v of head) sum += v;
    return { level: sum / maxn, trend: null, seasonal };
  }
  const [intercept, slope] = leastSquares(
    head.map((_, i) => [1, i + 1]),
    head,
  );
  let level = intercept!;
  let trend = slope!;
  if (Math.abs(level + trend) < 1e-8) {
    level *= 1 + 1e-3;
    trend *= 1 - 1e-3;
  }
  return { level, trend, seasonal };
}

/**
 * The seasonal figure of R's `decompose`: y minus (additive) or over (multiplicative) its centred moving
 * average of order m (weights ½, 1, …, 1, ½ over m + 1 values for even m; equal weights for odd m),
 * averaged per position, then centred to sum 0 (additive) or scaled to mean 1 (multiplicative). Needs n ≥ 2m.
 *
 * @example decomposeSeasonalFigure([1, 3, 1, 3, 1, 3, 1, 3], 2) // [−1, 1]
 */
export function decomposeSeasonalFigure(
  y: readonly number[],
  m: number,
  type: 'additive' | 'multiplicative' = 'additive',
): number[] {
  const n = y.length;
  const weights = m % 2 === 0 ? [0.5, ...new Array<number>(m - 1).fill(1), 0.5] : new Array<number>(m).fill(1);
  const half = Math.floor(weights.length / 2);
  const sums = new Array<number>(m).fill(0);
  const counts = new Array<number>(m).fill(0);
  for (let t = half; t + (weights.length - 1 - half) < n; t++) {
    let trend = 0;
    for (let k = 0; k < weights.length; k++) trend += weights[k]! * y[t - half + k]!;
    trend /= m;
    sums[t % m] += type === 'additive' ? y[t]! - trend : y[t]! / trend;
    counts[t % m]++;
  }
  const figure = sums.map((s, i) => s / counts[i]!);
  const mean = figure.reduce((a, b) => a + b, 0) / m;
  return figure.map((f) => (type === 'additive' ? f - mean : f / mean));
}
