/**
 * Nelder–Mead minimisation, the variant of J. C. Nash, *Compact Numerical Methods for Computers* (2nd ed.,
 * 1990, Algorithm 19) that R's `optim(method = "Nelder-Mead")` uses and that `forecast::ets` calls directly
 * (reflection 1, contraction 0.5, expansion 2, relative tolerance √ε, at most 2,000 evaluations).
 *
 * Why our own and not a package: the npm Nelder–Mead packages are unmaintained (`fmin` 0.0.4, last release
 * 2017; `numeric` 1.2.6, 2012) and use other initial simplexes and stopping rules. ETS fits are compared with
 * R's, so the optimiser should take the same steps as R's from the same start: this is written from Nash's
 * published algorithm, with R's documented settings, and is deterministic (no randomness, no clock).
 *
 * The rules, as in Nash:
 * - the initial simplex is the start point plus one vertex per coordinate, moved by
 *   step = 0.1 · max|xᵢ| (0.1 when every xᵢ is 0);
 * - a non-finite function value counts as 1e35 (so infeasible points are simply bad points);
 * - it stops when f(highest) ≤ f(lowest) + tol, tol = reltol · (|f(start)| + reltol), when f(lowest) ≤ abstol,
 *   when the evaluation budget is spent, or when a shrink fails to reduce the simplex.
 */

/** Function values that are not finite are replaced by this (Nash's "big"). */
const BIG = 1.0e35;

export interface NelderMeadOptions {
  /** Relative convergence tolerance; default √(2⁻⁵²) ≈ 1.49e-8 (R's default `reltol`). */
  reltol?: number;
  /** Stop when the best value reaches this; default −Infinity (never). */
  abstol?: number;
  /** At most this many function evaluations (R's `maxit` for Nelder–Mead); default 2000. */
  maxEvaluations?: number;
}

export interface NelderMeadResult {
  /** The best point found. */
  x: number[];
  /** f at that point (1e35 when no finite value was found). */
  value: number;
  evaluations: number;
  /** `converged`, `budget` (evaluations spent) or `stalled` (a shrink did not reduce the simplex). */
  stop: 'converged' | 'budget' | 'stalled';
}

/**
 * Minimises f from `start`.
 *
 * @example
 * // Rosenbrock from (−1.2, 1): R's optim(c(-1.2, 1), fr) gives par (1.000260, 1.000506), value 8.825241e-08
 * // after 195 evaluations; this function takes the same steps.
 * nelderMead(([a, b]) => 100 * (b - a * a) ** 2 + (1 - a) ** 2, [-1.2, 1])
 * // { x: [1.000260…, 1.000506…], value: 8.825241e-8, evaluations: 195, stop: 'converged' }
 * @throws RangeError when f is not finite at the start point.
 */
export function nelderMead(
  f: (x: readonly number[]) => number,
  start: readonly number[],
  options: NelderMeadOptions = {},
): NelderMeadResult {
  const reltol = options.reltol ?? Math.sqrt(Number.EPSILON);
  const abstol = options.abstol ?? -Infinity;
  const maxEvaluations = options.maxEvaluations ?? 2000;
  const n = start.length;
  const evaluate = (x: readonly number[]): number => {
    const v = f(x);
    return Number.isFinite(v) ? v : BIG;
  };

  const f0 = f(start);
  if (!Number.isFinite(f0)) throw new RangeError('nelderMead: the function is not finite at the start point');
  let evaluations = 1;
  const tol = reltol * (Math.abs(f0) + reltol);

  // The simplex: n + 1 vertices and their values.
  const vertices: number[][] = [start.slice()];
  const values: number[] = [f0];
  let step = 0;
  for (const v of start) step = Math.max(step, 0.1 * Math.abs(v));
  if (step === 0) step = 0.1;
  let size = 0;
  for (let j = 0; j < n; j++) {
    const vertex = start.slice();
    let trial = step;
    // Grow the step until it changes the coordinate (a tiny step can vanish next to a large value).
    while (vertex[j] === start[j]) {
      vertex[j] = start[j]! + trial;
      trial *= 10;
    }
    size += trial;
    vertices.push(vertex);
    values.push(NaN);
  }
  let oldSize = size;
  let recompute = true;
  let best = 0;
  let stop: NelderMeadResult['stop'] = 'budget';
  const centroid = new Array<number>(n);
  const trial = new Array<number>(n);

  for (;;) {
    if (recompute) {
      for (let j = 0; j <= n; j++) {
        if (j === best) continue;
        values[j] = evaluate(vertices[j]!);
        evaluations++;
      }
      recompute = false;
    }
    // The lowest and highest vertices (the lowest keeps its place on ties).
    let low = values[best]!;
    let high = low;
    let worst = best;
    for (let j = 0; j <= n; j++) {
      if (j === best) continue;
      const v = values[j]!;
      if (v < low) {
        best = j;
        low = v;
      }
      if (v > high) {
        worst = j;
        high = v;
      }
    }
    if (high <= low + tol || low <= abstol) {
      stop = 'converged';
      break;
    }

    // Centroid of every vertex but the worst.
    for (let i = 0; i < n; i++) {
      let sum = -vertices[worst]![i]!;
      for (let j = 0; j <= n; j++) sum += vertices[j]![i]!;
      centroid[i] = sum / n;
    }
    // Reflection through the centroid.
    for (let i = 0; i < n; i++) trial[i] = 2 * centroid[i]! - vertices[worst]![i]!;
    const reflected = evaluate(trial);
    evaluations++;
    if (reflected < low) {
      // Expansion: twice as far; keep whichever of the two is better.
      const reflection = trial.slice();
      for (let i = 0; i < n; i++) trial[i] = 2 * reflection[i]! - centroid[i]!;
      const expanded = evaluate(trial);
      evaluations++;
      if (expanded < reflected) {
        vertices[worst] = trial.slice();
        values[worst] = expanded;
      } else {
        vertices[worst] = reflection;
        values[worst] = reflected;
      }
    } else {
      if (reflected < high) {
        vertices[worst] = trial.slice();
        values[worst] = reflected;
      }
      // Contraction: halfway between the (possibly replaced) worst vertex and the centroid.
      const w = vertices[worst]!;
      for (let i = 0; i < n; i++) trial[i] = 0.5 * w[i]! + 0.5 * centroid[i]!;
      const contracted = evaluate(trial);
      evaluations++;
      if (contracted < values[worst]!) {
        vertices[worst] = trial.slice();
        values[worst] = contracted;
      } else if (reflected >= high) {
        // Shrink every vertex halfway towards the best one.
        recompute = true;
        size = 0;
        const b = vertices[best]!;
        for (let j = 0; j <= n; j++) {
          if (j === best) continue;
          const v = vertices[j]!;
          for (let i = 0; i < n; i++) {
            v[i] = 0.5 * (v[i]! - b[i]!) + b[i]!;
            size += Math.abs(v[i]! - b[i]!);
          }
        }
        if (size < oldSize) oldSize = size;
        else {
          stop = 'stalled';
          break;
        }
      }
    }
    if (evaluations > maxEvaluations) break;
  }
  return { x: vertices[best]!.slice(), value: values[best]!, evaluations, stop };
}
