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
  const run = new NelderMeadRun(start, options);
  while (run.result === null) run.tell(f(run.point));
  return run.result;
}

/** Where {@link NelderMeadRun} keeps its numbers: the value told, tol, the simplex size, f(lowest), f(highest), f(reflection). */
const TOLD = 0;
const TOL = 1;
const OLD_SIZE = 2;
const LOW = 3;
const HIGH = 4;
const REFLECTED = 5;

/** What {@link NelderMeadRun} waits for: the value at the start, at a vertex, or at a trial point. */
const enum Phase {
  Start,
  Vertex,
  Reflection,
  Expansion,
  Contraction,
}

/**
 * The minimisation of {@link nelderMead} driven from outside, one evaluation at a time: read `point` (a buffer
 * reused from step to step), evaluate f there, `tell` the value; repeat until `result` is set. Lets a caller
 * evaluate several optimisations' points together (ets-fit.ts runs two ETS fits in lock-step). A plain object
 * rather than a generator: no result object per step, no frame to save and restore (ETS fits take ~20,000
 * steps per auto fit). The arithmetic is Nash's, operation for operation, so the steps are R's to the last bit.
 *
 * @example
 * const run = new NelderMeadRun([-1.2, 1])
 * while (run.result === null) run.tell(rosenbrock(run.point))
 * run.result // as nelderMead(rosenbrock, [-1.2, 1])
 */
export class NelderMeadRun {
  /** The point to evaluate next. */
  readonly point: Float64Array;
  /** The outcome, once the minimisation has stopped; null until then. */
  result: NelderMeadResult | null = null;
  private readonly n: number;
  private readonly reltol: number;
  private readonly abstol: number;
  private readonly maxEvaluations: number;
  /** The simplex: n + 1 vertices (row j at j·n) and their values. */
  private readonly vertices: Float64Array;
  private readonly values: Float64Array;
  private readonly centroid: Float64Array;
  private readonly reflection: Float64Array;
  /**
   * The numbers carried between steps, in a typed array (V8 can box a number kept in an object's field or
   * passed to a call that is not inlined: an allocation per step): see TOLD … REFLECTED.
   */
  private readonly numbers = new Float64Array(6);
  private phase = Phase.Start;
  private evaluations = 0;
  private best = 0;
  private worst = 0;
  /** The vertex being evaluated while the simplex is (re)computed. */
  private vertex = 0;

  constructor(start: ArrayLike<number>, options: NelderMeadOptions = {}) {
    this.reltol = options.reltol ?? Math.sqrt(Number.EPSILON);
    this.abstol = options.abstol ?? -Infinity;
    this.maxEvaluations = options.maxEvaluations ?? 2000;
    const n = start.length;
    this.n = n;
    // Flat typed buffers and no allocation per step.
    this.vertices = new Float64Array((n + 1) * n);
    this.values = new Float64Array(n + 1);
    this.centroid = new Float64Array(n);
    this.point = new Float64Array(n);
    this.reflection = new Float64Array(n);
    for (let i = 0; i < n; i++) this.point[i] = start[i]!;
  }

  /**
   * Takes f at `point` and moves `point` to the next point to evaluate (or sets `result`). Small enough to be
   * inlined where it is called: the value goes on through a typed array, so it is never boxed.
   */
  tell(value: number): void {
    this.numbers[TOLD] = value;
    this.step();
  }

  private step(): void {
    if (this.result !== null) throw new Error('nelderMead: the minimisation has already stopped');
    switch (this.phase) {
      case Phase.Start:
        this.begin();
        return;
      case Phase.Vertex:
        this.values[this.vertex] = finite(this.numbers[TOLD]!);
        this.evaluations++;
        this.nextVertex(this.vertex + 1);
        return;
      case Phase.Reflection:
        this.afterReflection();
        return;
      case Phase.Expansion:
        this.afterExpansion();
        return;
      case Phase.Contraction:
        this.afterContraction();
        return;
    }
  }

  /** f at the start: the tolerance, then the initial simplex (its vertices' values still to come). */
  private begin(): void {
    const f0 = this.numbers[TOLD]!;
    if (!Number.isFinite(f0)) throw new RangeError('nelderMead: the function is not finite at the start point');
    const { n, vertices, values, point: start } = this;
    this.evaluations = 1;
    this.numbers[TOL] = this.reltol * (Math.abs(f0) + this.reltol);
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
    this.numbers[OLD_SIZE] = size;
    this.best = 0;
    this.nextVertex(0);
  }

  /** Asks for the next vertex from `from` on (all but the best), or goes on to the next iteration. */
  private nextVertex(from: number): void {
    const { n, best, vertices, point } = this;
    let j = from;
    if (j === best) j++;
    if (j > n) {
      this.iterate();
      return;
    }
    for (let i = 0; i < n; i++) point[i] = vertices[j * n + i]!;
    this.vertex = j;
    this.phase = Phase.Vertex;
  }

  /** One iteration: the lowest and highest vertices, the stopping rule, the centroid and the reflection. */
  private iterate(): void {
    const { n, vertices, values, centroid, point: trial } = this;
    // The lowest and highest vertices (the lowest keeps its place on ties).
    let best = this.best;
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
    this.best = best;
    this.worst = worst;
    this.numbers[LOW] = low;
    this.numbers[HIGH] = high;
    if (high <= low + this.numbers[TOL]! || low <= this.abstol) {
      this.finish('converged');
      return;
    }

    const w = worst * n;
    // Centroid of every vertex but the worst: per coordinate −worst + v₀ + v₁ + … (Nash's order). Each
    // coordinate's sum is a chain of dependent additions; eight chains at a time keep the adder busy.
    let i = 0;
    for (; i + 7 < n; i += 8) {
      let s0 = -vertices[w + i]!;
      let s1 = -vertices[w + i + 1]!;
      let s2 = -vertices[w + i + 2]!;
      let s3 = -vertices[w + i + 3]!;
      let s4 = -vertices[w + i + 4]!;
      let s5 = -vertices[w + i + 5]!;
      let s6 = -vertices[w + i + 6]!;
      let s7 = -vertices[w + i + 7]!;
      for (let at = i; at < vertices.length; at += n) {
        s0 += vertices[at]!;
        s1 += vertices[at + 1]!;
        s2 += vertices[at + 2]!;
        s3 += vertices[at + 3]!;
        s4 += vertices[at + 4]!;
        s5 += vertices[at + 5]!;
        s6 += vertices[at + 6]!;
        s7 += vertices[at + 7]!;
      }
      centroid[i] = s0 / n;
      centroid[i + 1] = s1 / n;
      centroid[i + 2] = s2 / n;
      centroid[i + 3] = s3 / n;
      centroid[i + 4] = s4 / n;
      centroid[i + 5] = s5 / n;
      centroid[i + 6] = s6 / n;
      centroid[i + 7] = s7 / n;
    }
    for (; i + 1 < n; i += 2) {
      let s0 = -vertices[w + i]!;
      let s1 = -vertices[w + i + 1]!;
      for (let at = i; at < vertices.length; at += n) {
        s0 += vertices[at]!;
        s1 += vertices[at + 1]!;
      }
      centroid[i] = s0 / n;
      centroid[i + 1] = s1 / n;
    }
    for (; i < n; i++) {
      let sum = -vertices[w + i]!;
      for (let at = i; at < vertices.length; at += n) sum += vertices[at]!;
      centroid[i] = sum / n;
    }
    // Reflection through the centroid.
    for (let i = 0; i < n; i++) trial[i] = 2 * centroid[i]! - vertices[w + i]!;
    this.phase = Phase.Reflection;
  }

  private afterReflection(): void {
    const { n, vertices, values, centroid, reflection, point: trial } = this;
    const reflected = finite(this.numbers[TOLD]!);
    this.evaluations++;
    this.numbers[REFLECTED] = reflected;
    if (reflected < this.numbers[LOW]!) {
      // Expansion: twice as far; keep whichever of the two is better.
      copyInto(reflection, trial, 0, n);
      for (let i = 0; i < n; i++) trial[i] = 2 * reflection[i]! - centroid[i]!;
      this.phase = Phase.Expansion;
      return;
    }
    const w = this.worst * n;
    if (reflected < this.numbers[HIGH]!) {
      copyInto(vertices, trial, w, n);
      values[this.worst] = reflected;
    }
    // Contraction: halfway between the (possibly replaced) worst vertex and the centroid.
    for (let i = 0; i < n; i++) trial[i] = 0.5 * vertices[w + i]! + 0.5 * centroid[i]!;
    this.phase = Phase.Contraction;
  }

  private afterExpansion(): void {
    const expanded = finite(this.numbers[TOLD]!);
    this.evaluations++;
    const w = this.worst * this.n;
    if (expanded < this.numbers[REFLECTED]!) {
      copyInto(this.vertices, this.point, w, this.n);
      this.values[this.worst] = expanded;
    } else {
      copyInto(this.vertices, this.reflection, w, this.n);
      this.values[this.worst] = this.numbers[REFLECTED]!;
    }
    this.endIteration(false);
  }

  private afterContraction(): void {
    const { n, vertices, values, worst } = this;
    const contracted = finite(this.numbers[TOLD]!);
    this.evaluations++;
    if (contracted < values[worst]!) {
      copyInto(vertices, this.point, worst * n, n);
      values[worst] = contracted;
    } else if (this.numbers[REFLECTED]! >= this.numbers[HIGH]!) {
      // Shrink every vertex halfway towards the best one.
      let size = 0;
      const best = this.best;
      const b = best * n;
      for (let j = 0; j <= n; j++) {
        if (j === best) continue;
        for (let i = 0; i < n; i++) {
          const v = 0.5 * (vertices[j * n + i]! - vertices[b + i]!) + vertices[b + i]!;
          vertices[j * n + i] = v;
          size += Math.abs(v - vertices[b + i]!);
        }
      }
      if (size < this.numbers[OLD_SIZE]!) this.numbers[OLD_SIZE] = size;
      else {
        this.finish('stalled');
        return;
      }
      this.endIteration(true);
      return;
    }
    this.endIteration(false);
  }

  /** After an iteration: stop when the budget is spent, else re-evaluate a shrunk simplex or iterate again. */
  private endIteration(shrunk: boolean): void {
    if (this.evaluations > this.maxEvaluations) this.finish('budget');
    else if (shrunk) this.nextVertex(0);
    else this.iterate();
  }

  private finish(stop: NelderMeadResult['stop']): void {
    const { n, best } = this;
    this.result = {
      x: Array.from(this.vertices.subarray(best * n, best * n + n)),
      value: this.values[best]!,
      evaluations: this.evaluations,
      stop,
    };
  }
}

function finite(v: number): number {
  // `BIG * 1`, a number: the bare module constant, merged with v, made V8 box v (an allocation per step).
  return Number.isFinite(v) ? v : BIG * 1;
}

/** Copies the n numbers of `from` into `to` at `at` (a plain loop: cheaper than TypedArray#set for ~20). */
function copyInto(to: Float64Array, from: Float64Array, at: number, n: number): void {
  for (let i = 0; i < n; i++) to[at + i] = from[i]!;
}
