/**
 * The Theil–Sen estimator of a straight line's slope (Theil 1950; Sen 1968): the median of the slopes of all
 * pairs of points. It ignores up to about 29 % of wild points, which suits short, noisy series such as the
 * equity gap of docs/methodology.md §6. Intercepts as scipy.stats.theilslopes computes them:
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
  const pairs = countPairs(x);
  const slope = pairs === 0 ? null : medianSlope(x, y, pairs);
  const count = pairs;

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
    pairs: count,
  };
}

/** Pairs i < j with x_i ≠ x_j. */
function countPairs(x: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const v of x) counts.set(v, (counts.get(v) ?? 0) + 1);
  let same = 0;
  for (const c of counts.values()) same += (c * (c - 1)) / 2;
  return (x.length * (x.length - 1)) / 2 - same;
}

/** Below this many pairs the slopes are simply all listed (the exact, obvious way). */
const ALL_PAIRS_LIMIT = 20_000;

/**
 * The median of the pairwise slopes. Few points: list them all and select. Many points (a long series of one
 * group): randomised slope selection (Matoušek 1991; Dillencourt, Mount & Netanyahu 1992) in O(n log n)
 * expected time, with a fixed seed (deterministic): a sample of slopes brackets the median, the slopes below
 * and inside the bracket are counted by counting inversions (merge sort), and only the O(n) slopes inside the
 * bracket are listed and searched. The value is the same pairwise quotient (y_j − y_i)/(x_j − x_i) the
 * all-pairs way finds; when a bracket misses (rare) the all-pairs way is used.
 */
function medianSlope(x: readonly number[], y: readonly number[], pairs: number): number {
  const n = x.length;
  const all = (): number => {
    const slopes = new Float64Array(pairs);
    let count = 0;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const dx = x[j]! - x[i]!;
        if (dx !== 0) slopes[count++] = (y[j]! - y[i]!) / dx;
      }
    }
    return medianInPlace(slopes, count);
  };
  if (pairs <= ALL_PAIRS_LIMIT || new Set(x).size !== n) return all();
  // Points in order of x (distinct).
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => x[a]! - x[b]!);
  const xs = Float64Array.from(order, (i) => x[i]!);
  const ys = Float64Array.from(order, (i) => y[i]!);
  const k = (pairs - 1) >> 1; // lower middle (0-based); the upper middle is k + 1 when pairs is even
  const need = pairs % 2 === 0 ? 2 : 1;
  // Sample slopes with a fixed-seed generator.
  let seed = 0x2545f491;
  const rand = (): number => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 4294967296;
  };
  const m = Math.min(pairs, 4 * n);
  const sample = new Float64Array(m);
  for (let s = 0; s < m; s++) {
    let i = Math.floor(rand() * n);
    let j = Math.floor(rand() * (n - 1));
    if (j >= i) j++;
    if (j < i) [i, j] = [j, i];
    sample[s] = (ys[j]! - ys[i]!) / (xs[j]! - xs[i]!);
  }
  sample.sort();
  const q = k / pairs;
  const spread = 3 / Math.sqrt(m);
  // The bracket, widened a hair so no pair's slope sits on its ends up to rounding.
  const sLo = sample[Math.max(0, Math.floor((q - spread) * m))]!;
  const sHi = sample[Math.min(m - 1, Math.ceil((q + spread) * m))]!;
  const margin = 1e-9 * Math.max(Math.abs(sLo), Math.abs(sHi), 1e-300);
  let lo = sLo - margin;
  let hi = sHi + margin;
  let below = countBelow(xs, ys, lo); // slopes < lo
  let belowHi = countBelow(xs, ys, hi);
  if (below > k || belowHi < k + need) return all();
  // Narrow the bracket by bisection until it holds O(n) slopes (each step one O(n log n) count).
  for (let step = 0; step < 200 && belowHi - below > 4 * n; step++) {
    const mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) break;
    const c = countBelow(xs, ys, mid);
    if (c <= k) {
      lo = mid;
      below = c;
    } else if (c >= k + need) {
      hi = mid;
      belowHi = c;
    } else break; // the two middle slopes straddle mid: list the bracket as it is
  }
  const inside = listBetween(xs, ys, lo, hi, 8 * n + (belowHi - below)); // slopes in [lo, hi]
  if (inside === null || below + inside.length < k + need) return all();
  inside.sort((a, b) => a - b);
  const first = inside[k - below]!;
  return need === 1 ? first : (first + inside[k - below + 1]!) / 2;
}

/** How many pairs (i < j, x sorted) have a slope below s: pairs with y_j − s·x_j < y_i − s·x_i, by merge sort. */
function countBelow(xs: Float64Array, ys: Float64Array, s: number): number {
  const z = Float64Array.from(xs, (xv, i) => ys[i]! - s * xv);
  return countInversions(z, new Float64Array(z.length), 0, z.length);
}

/** Pairs i < j with z_i > z_j (strictly), sorting z[lo, hi) ascending. */
function countInversions(z: Float64Array, tmp: Float64Array, lo: number, hi: number): number {
  if (hi - lo < 2) return 0;
  const mid = (lo + hi) >> 1;
  let count = countInversions(z, tmp, lo, mid) + countInversions(z, tmp, mid, hi);
  let i = lo;
  let j = mid;
  let k = lo;
  while (i < mid && j < hi) {
    if (z[j]! < z[i]!) {
      count += mid - i;
      tmp[k++] = z[j++]!;
    } else tmp[k++] = z[i++]!;
  }
  while (i < mid) tmp[k++] = z[i++]!;
  while (j < hi) tmp[k++] = z[j++]!;
  for (let t = lo; t < hi; t++) z[t] = tmp[t]!;
  return count;
}

/**
 * The slopes in [lo, hi] (null past `limit`: the caller then lists all pairs): pairs whose order by y − lo·x is not reversed but whose
 * order by y − hi·x is — the inversions of the hi-order within the lo-order, listed while merge-sorting.
 */
function listBetween(xs: Float64Array, ys: Float64Array, lo: number, hi: number, limit: number): number[] | null {
  const n = xs.length;
  // Order the points by z_lo = y − lo·x, descending (ties: larger index first).
  const zLo = Float64Array.from(xs, (xv, i) => ys[i]! - lo * xv);
  const byLo = Array.from({ length: n }, (_, i) => i).sort((a, b) => zLo[b]! - zLo[a]! || b - a);
  // In that order, pairs (a before b) with a < b in index have slope ≥ lo … listed if their z_hi order flips.
  const zHi = Float64Array.from(xs, (xv, i) => ys[i]! - hi * xv);
  const out: number[] = [];
  const idx = Int32Array.from(byLo);
  const tmp = new Int32Array(n);
  let overflow = false;
  const merge = (from: number, to: number): void => {
    if (to - from < 2) return;
    const mid = (from + to) >> 1;
    merge(from, mid);
    merge(mid, to);
    let i = from;
    let j = mid;
    let k = from;
    while (i < mid && j < to) {
      // Left element a, right element b: a came first in the lo-order (z_lo(a) ≥ z_lo(b)).
      if (zHi[idx[j]!]! >= zHi[idx[i]!]!) {
        // b now ranks at or above every remaining left element: each such pair flipped (slope ≤ hi).
        for (let t = i; t < mid && !overflow; t++) {
          const a = idx[t]!;
          const b = idx[j]!;
          const [p, r] = a < b ? [a, b] : [b, a];
          const slope = (ys[r]! - ys[p]!) / (xs[r]! - xs[p]!);
          if (slope >= lo && slope <= hi) out.push(slope);
          if (out.length > limit) overflow = true;
        }
        tmp[k++] = idx[j++]!;
      } else tmp[k++] = idx[i++]!;
    }
    while (i < mid) tmp[k++] = idx[i++]!;
    while (j < to) tmp[k++] = idx[j++]!;
    for (let t = from; t < to; t++) idx[t] = tmp[t]!;
  };
  merge(0, n);
  return overflow ? null : out;
}

/**
 * The median of the first `length` values of `a` (reordered in place): the k-th smallest by quickselect
 * (middle-of-three pivots; deterministic), and for an even count the largest value left of it.
 *
 * @example medianInPlace(Float64Array.from([4, 1, 3, 2]), 4) // 2.5
 */
export function medianInPlace(a: Float64Array, length: number): number {
  const k = length >> 1;
  const upper = select(a, 0, length - 1, k);
  if (length % 2 === 1) return upper;
  let lower = -Infinity;
  for (let i = 0; i < k; i++) if (a[i]! > lower) lower = a[i]!;
  return (lower + upper) / 2;
}

/** Places the k-th smallest of a[lo..hi] at a[k], smaller ones before it, larger after; returns it. */
function select(a: Float64Array, lo: number, hi: number, k: number): number {
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    // Median of three as pivot.
    if (a[mid]! < a[lo]!) swap(a, mid, lo);
    if (a[hi]! < a[lo]!) swap(a, hi, lo);
    if (a[hi]! < a[mid]!) swap(a, hi, mid);
    const pivot = a[mid]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}
