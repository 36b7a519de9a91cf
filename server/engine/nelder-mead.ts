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
  f: (x: Float64Array) => number,
  start: ArrayLike<number>,
  options: NelderMeadOptions = {},
): NelderMeadResult {
  const run = nelderMeadSteps(start, options);
  let step = run.next();
  while (!step.done) step = run.next(f(step.value));
  return step.value;
}

/**
 * The same minimisation as {@link nelderMead}, driven from outside: it yields each point to evaluate (a buffer
 * it reuses: read it before resuming) and resumes with f there; it returns the result. Lets a caller evaluate
 * several optimisations' points together (ets-fit.ts runs two ETS fits in lock-step).
 *
 * @example
 * const run = nelderMeadSteps([-1.2, 1])
 * let step = run.next()
 * while (!step.done) step = run.next(rosenbrock(step.value))
 * step.value // as nelderMead(rosenbrock, [-1.2, 1])
 */
export function* nelderMeadSteps(
  start: ArrayLike<number>,
  options: NelderMeadOptions = {},
): Generator<Float64Array, NelderMeadResult, number> {
  const reltol = options.reltol ?? Math.sqrt(Number.EPSILON);
  const abstol = options.abstol ?? -Infinity;
  const maxEvaluations = options.maxEvaluations ?? 2000;
  const n = start.length;
  // Flat typed buffers and no allocation per step: ETS fits call this ~20,000 times per auto fit, and the
  // arithmetic below is Nash's, operation for operation, so the steps are R's to the last bit.
  const vertices = new Float64Array((n + 1) * n);
  const values = new Float64Array(n + 1);
  const centroid = new Float64Array(n);
  const trial = new Float64Array(n);
  const reflection = new Float64Array(n);
  for (let i = 0; i < n; i++) trial[i] = start[i]!;
  const f0 = yield trial;
  if (!Number.isFinite(f0)) throw new RangeError('nelderMead: the function is not finite at the start point');
  let evaluations = 1;
  const tol = reltol * (Math.abs(f0) + reltol);

  // The simplex: n + 1 vertices (row j at j·n) and their values.
  let step = 0;
  for (let i = 0; i < n; i++) step = Math.max(step, 0.1 * Math.abs(start[i]!));
  if (step === 0) step = 0.1;
  let size = 0;
  for (let j = 0; j <= n; j++) for (let i = 0; i < n; i++) vertices[j * n + i] = start[i]!;
  values[0] = f0;
  for (let j = 0; j < n; j++) {
    const at = (j + 1) * n + j;
    let grow = step;
    // Grow the step until it changes the coordinate (a tiny step can vanish next to a large value).
    while (vertices[at] === start[j]) {
      vertices[at] = start[j]! + grow;
      grow *= 10;
    }
    size += grow;
    values[j + 1] = NaN;
  }
  let oldSize = size;
  let recompute = true;
  let best = 0;
  let stop: NelderMeadResult['stop'] = 'budget';

  for (;;) {
    if (recompute) {
      for (let j = 0; j <= n; j++) {
        if (j === best) continue;
        for (let i = 0; i < n; i++) trial[i] = vertices[j * n + i]!;
        values[j] = finite(yield trial);
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

    const w = worst * n;
    // Centroid of every vertex but the worst: per coordinate −worst + v₀ + v₁ + … (Nash's order), four
    // coordinates at a time in registers.
    let i = 0;
    for (; i + 3 < n; i += 4) {
      let s0 = -vertices[w + i]!;
      let s1 = -vertices[w + i + 1]!;
      let s2 = -vertices[w + i + 2]!;
      let s3 = -vertices[w + i + 3]!;
      for (let at = i; at < vertices.length; at += n) {
        s0 += vertices[at]!;
        s1 += vertices[at + 1]!;
        s2 += vertices[at + 2]!;
        s3 += vertices[at + 3]!;
      }
      centroid[i] = s0 / n;
      centroid[i + 1] = s1 / n;
      centroid[i + 2] = s2 / n;
      centroid[i + 3] = s3 / n;
    }
    for (; i < n; i++) {
      let sum = -vertices[w + i]!;
      for (let at = i; at < vertices.length; at += n) sum += vertices[at]!;
      centroid[i] = sum / n;
    }
    // Reflection through the centroid.
    for (let i = 0; i < n; i++) trial[i] = 2 * centroid[i]! - vertices[w + i]!;
    const reflected = finite(yield trial);
    evaluations++;
    if (reflected < low) {
      // Expansion: twice as far; keep whichever of the two is better.
      reflection.set(trial);
      for (let i = 0; i < n; i++) trial[i] = 2 * reflection[i]! - centroid[i]!;
      const expanded = finite(yield trial);
      evaluations++;
      if (expanded < reflected) {
        vertices.set(trial, w);
        values[worst] = expanded;
      } else {
        vertices.set(reflection, w);
        values[worst] = reflected;
      }
    } else {
      if (reflected < high) {
        vertices.set(trial, w);
        values[worst] = reflected;
      }
      // Contraction: halfway between the (possibly replaced) worst vertex and the centroid.
      for (let i = 0; i < n; i++) trial[i] = 0.5 * vertices[w + i]! + 0.5 * centroid[i]!;
      const contracted = finite(yield trial);
      evaluations++;
      if (contracted < values[worst]!) {
        vertices.set(trial, w);
        values[worst] = contracted;
      } else if (reflected >= high) {
        // Shrink every vertex halfway towards the best one.
        recompute = true;
        size = 0;
        const b = best * n;
        for (let j = 0; j <= n; j++) {
          if (j === best) continue;
          for (let i = 0; i < n; i++) {
            const v = 0.5 * (vertices[j * n + i]! - vertices[b + i]!) + vertices[b + i]!;
            vertices[j * n + i] = v;
            size += Math.abs(v - vertices[b + i]!);
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
  return {
    x: Array.from(vertices.subarray(best * n, best * n + n)),
    value: values[best]!,
    evaluations,
    stop,
  };
}

function finite(v: number): number {
  return Number.isFinite(v) ? v : BIG;
}
