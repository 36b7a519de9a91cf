/**
 * The ETS state recursion over a series (Hyndman et al. 2008, ch. 2; `forecast`'s C routine `etscalc`), and
 * the likelihood it yields.
 *
 * Missing periods (NaN in `y`) are bridged: the state moves on by the model's own one-step forecast (no
 * error, so no update and no likelihood term). The likelihood then counts only the observed periods.
 */
import { parametersAllowed } from './ets-parameter-space.ts';
import type { EtsParameters, EtsSpec, EtsState } from './ets-types.ts';

export interface RecursionResult {
  /** Σe² over the observed periods (e relative, (y − ŷ)/ŷ, for a multiplicative error). */
  sse: number;
  /** Σ log|ŷ| over the observed periods (the multiplicative error's Jacobian term; 0 for additive errors). */
  logForecasts: number;
  /** How many periods were observed (not NaN). */
  observed: number;
  /** The state after the last period. */
  last: EtsState;
}

/** forecast's etscalc: a seasonal term or level this close to 0 is not divided by (HUGEN instead). */
const TOL = 1e-10;
const HUGEN = 1e10;

/**
 * Runs the recursion from the initial state through every period of `y`.
 *
 * @example
 * // ETS(A,N,N), α = 0.5, ℓ₀ = 10, y = 12, 11: ŷ 10 → e 2, ℓ 11; ŷ 11 → e 0, ℓ 11
 * runRecursion(etsSpec('ANN', 1), { alpha: 0.5, beta: null, gamma: null, phi: null },
 *   { level: 10, trend: null, seasonal: [] }, [12, 11])
 * // { sse: 4, logForecasts: 0, observed: 2, last: { level: 11, trend: null, seasonal: [] } }
 */
export function runRecursion(
  spec: EtsSpec,
  p: EtsParameters,
  initial: EtsState,
  y: ArrayLike<number>,
): RecursionResult {
  const m = spec.m;
  const n = y.length;
  const s = new Float64Array(spec.seasonal ? n + m : 0);
  if (spec.seasonal) for (let j = 0; j < m; j++) s[j] = initial.seasonal[m - 1 - j]!;
  const par = recursionParameters;
  par[0] = p.alpha;
  par[1] = p.beta ?? 0;
  par[2] = p.gamma ?? 0;
  par[3] = spec.trend === 'Ad' ? (p.phi ?? 1) : 1;
  par[4] = initial.level;
  par[5] = spec.trend !== 'N' ? (initial.trend ?? 0) : 0;
  recurse(
    seasonCode(spec),
    spec.trend !== 'N',
    spec.error === 'M',
    m,
    par,
    s,
    // One element type keeps recurse monomorphic (the objective passes a Float64Array too).
    y instanceof Float64Array ? y : Float64Array.from(y),
  );
  const seasonal: number[] = [];
  if (spec.seasonal) for (let j = 0; j < m; j++) seasonal.push(s[n + m - 1 - j]!);
  return {
    sse: out[0]!,
    logForecasts: out[1]!,
    observed: out[2]!,
    last: { level: out[3]!, trend: spec.trend !== 'N' ? out[4]! : null, seasonal },
  };
}

function seasonCode(spec: EtsSpec): number {
  return spec.season === 'A' ? 1 : spec.season === 'M' ? 2 : 0;
}

/** {@link recurse}'s results — Σe², Σlog|ŷ|, observed periods, last ℓ, last b — reused (one thread). */
const out = new Float64Array(5);
/**
 * Σlog|ŷ| for a multiplicative error, without a log per period: the loops multiply |ŷ| into a running
 * product and, when it leaves [1e-150, 1e150], store it here and start again at 1 (no call inside the loop);
 * {@link logOfProducts} then sums the logs of the stored products and of the last one, in order. One buffer
 * per lane of the pair kernels; at most one product per period and the last one, grown on demand.
 */
let products = new Float64Array(256);
let productsB = new Float64Array(256);

/**
 * The recursion proper; writes its results to `out`. Seasonal terms are laid out along time: s[0 … m−1] the
 * initial terms (s[0] the oldest, the one period 1 uses), period t reads s[t] and writes s[t + m], so the
 * last m terms are the final state. Nelder–Mead calls this about 20,000 times per auto fit, hence one
 * loop per kind of season, no allocation and no modulo. The updates are written as forecast::etscalc
 * writes them (same rounding): ℓ = q + α(p − q), b = φb + (β/α)(r − φb), s = s + γ(t − s); a missing
 * period (NaN) moves the state by its forecast. The parameters and initial state come in a typed array
 * (`par`: α, β, γ, φ, ℓ₀, b₀), not as arguments: V8 boxes a number passed to a call it does not inline (an
 * allocation per number and call), and whether it inlines varied — the same non-seasonal loop ran in 0.4 or
 * 0.8 µs depending on the order in which code warmed up.
 */
function recurse(
  season: number,
  hasTrend: boolean,
  multError: boolean,
  m: number,
  par: Float64Array,
  s: Float64Array,
  y: Float64Array,
): void {
  if (products.length <= y.length) products = new Float64Array(y.length + 1);
  if (season === 0) nonSeasonal(hasTrend, multError, par, y);
  else if (season === 1) additiveSeason(hasTrend, multError, m, par, s, y);
  else multiplicativeSeason(hasTrend, multError, m, par, s, y);
}

/** {@link runRecursion}'s α, β, γ, φ, ℓ₀, b₀ for {@link recurse} (reused). */
const recursionParameters = new Float64Array(6);

function nonSeasonal(hasTrend: boolean, multError: boolean, par: Float64Array, y: Float64Array): void {
  const alpha = par[0]!;
  const phi = par[3]!;
  const ratio = par[1]! / alpha;
  const ps = products;
  let stored = 0;
  let product = 1;
  let l = par[4]!;
  let b = hasTrend ? par[5]! : 0;
  let sse = 0;
  let observed = 0;
  const n = y.length;
  for (let t = 0; t < n; t++) {
    const oldl = l;
    const phib = hasTrend ? phi * b : 0;
    const q = oldl + phib;
    const yt = y[t]!;
    if (yt !== yt) {
      l = q;
      b = phib;
      continue;
    }
    // etscalc's f = q + s and ℓ = q + α(y − s − q) with s = 0 (exact: adding or subtracting 0 changes nothing).
    const f = q;
    l = q + alpha * (yt - q);
    if (hasTrend) b = phib + ratio * (l - oldl - phib);
    let e: number;
    if (multError) {
      e = (yt - f) / f;
      product *= f < 0 ? -f : f;
      if (product > 1e150 || product < 1e-150) {
        ps[stored++] = product;
        product = 1;
      }
    } else {
      e = yt - f;
    }
    sse += e * e;
    observed++;
  }
  out[0] = sse;
  if (multError) {
    ps[stored] = product;
    logOfProducts(ps, stored + 1, out, 1);
  } else {
    out[1] = 0;
  }
  out[2] = observed;
  out[3] = l;
  out[4] = b;
}

function additiveSeason(
  hasTrend: boolean,
  multError: boolean,
  m: number,
  par: Float64Array,
  s: Float64Array,
  y: Float64Array,
): void {
  const alpha = par[0]!;
  const gamma = par[2]!;
  const phi = par[3]!;
  const ratio = par[1]! / alpha;
  const ps = products;
  let stored = 0;
  let product = 1;
  let l = par[4]!;
  let b = hasTrend ? par[5]! : 0;
  let sse = 0;
  let observed = 0;
  const n = y.length;
  for (let t = 0; t < n; t++) {
    const oldl = l;
    const phib = hasTrend ? phi * b : 0;
    const q = oldl + phib;
    const olds = s[t]!;
    const yt = y[t]!;
    if (yt !== yt) {
      l = q;
      b = phib;
      s[t + m] = olds;
      continue;
    }
    const f = q + olds;
    l = q + alpha * (yt - olds - q);
    if (hasTrend) b = phib + ratio * (l - oldl - phib);
    s[t + m] = olds + gamma * (yt - q - olds);
    let e: number;
    if (multError) {
      e = (yt - f) / f;
      product *= f < 0 ? -f : f;
      if (product > 1e150 || product < 1e-150) {
        ps[stored++] = product;
        product = 1;
      }
    } else {
      e = yt - f;
    }
    sse += e * e;
    observed++;
  }
  out[0] = sse;
  if (multError) {
    ps[stored] = product;
    logOfProducts(ps, stored + 1, out, 1);
  } else {
    out[1] = 0;
  }
  out[2] = observed;
  out[3] = l;
  out[4] = b;
}

function multiplicativeSeason(
  hasTrend: boolean,
  multError: boolean,
  m: number,
  par: Float64Array,
  s: Float64Array,
  y: Float64Array,
): void {
  const alpha = par[0]!;
  const gamma = par[2]!;
  const phi = par[3]!;
  // A local number: the module constant itself, mixed with the quotients, made V8 box every quotient.
  const huge = HUGEN * 1;
  const ratio = par[1]! / alpha;
  const ps = products;
  let stored = 0;
  let product = 1;
  let l = par[4]!;
  let b = hasTrend ? par[5]! : 0;
  let sse = 0;
  let observed = 0;
  const n = y.length;
  for (let t = 0; t < n; t++) {
    const oldl = l;
    const phib = hasTrend ? phi * b : 0;
    const q = oldl + phib;
    const olds = s[t]!;
    const yt = y[t]!;
    if (yt !== yt) {
      l = q;
      b = phib;
      s[t + m] = olds;
      continue;
    }
    const f = q * olds;
    l = q + alpha * ((Math.abs(olds) < TOL ? huge : yt / olds) - q);
    if (hasTrend) b = phib + ratio * (l - oldl - phib);
    s[t + m] = olds + gamma * ((Math.abs(q) < TOL ? huge : yt / q) - olds);
    let e: number;
    if (multError) {
      e = (yt - f) / f;
      product *= f < 0 ? -f : f;
      if (product > 1e150 || product < 1e-150) {
        ps[stored++] = product;
        product = 1;
      }
    } else {
      e = yt - f;
    }
    sse += e * e;
    observed++;
  }
  out[0] = sse;
  if (multError) {
    ps[stored] = product;
    logOfProducts(ps, stored + 1, out, 1);
  } else {
    out[1] = 0;
  }
  out[2] = observed;
  out[3] = l;
  out[4] = b;
}

/**
 * Σ log|ŷ| from the products the loops stored (see {@link products}), the last, unfinished one stored after
 * them: the same blocks and the same order of additions as multiplying |ŷ| period by period and taking a log
 * whenever the product leaves [1e-150, 1e150], so the sum does not depend on which loop produced it. Written
 * to `into[at]` (a number returned from a call V8 does not inline is boxed).
 *
 * @example logOfProducts(Float64Array.of(1e151, 100), 2, out, 1) // out[1] = log 1e151 + log 100
 */
function logOfProducts(stored: Float64Array, count: number, into: Float64Array, at: number): void {
  let logForecasts = 0;
  for (let k = 0; k < count; k++) logForecasts += Math.log(stored[k]!);
  into[at] = logForecasts;
}

/**
 * The criterion forecast::ets minimises: n·log(Σe²) over the n observed periods, plus 2·Σlog|ŷ| for a
 * multiplicative error (−2 × the Gaussian log-likelihood with σ² profiled out, less constants). A perfect
 * fit is floored at −1e10 as in forecast; a non-number is +∞.
 *
 * @example likelihoodCriterion(4, 2) // 2·log 4 = 2.7725887
 */
export function likelihoodCriterion(sse: number, observed: number, logForecasts = 0): number {
  const lik = observed * Math.log(sse) + 2 * logForecasts;
  if (Number.isNaN(lik)) return Infinity;
  return lik < -1e10 ? -1e10 : lik;
}

/**
 * One model's likelihood criterion on one series, point by point: `load(x)` takes the optimiser's vector
 * x = [α, β?, γ?, φ?, ℓ, b?, s₀ … s_(m−2)] and says whether it lies in the usual ∩ admissible parameter
 * space with, for a multiplicative season, initial terms all ≥ 0 (forecast::ets's target function: +∞
 * otherwise); `value()` runs the recursion from the loaded point. Buffers are allocated once per fit.
 */
export class LikelihoodEvaluator {
  readonly hasTrend: boolean;
  readonly season: number;
  readonly multError: boolean;
  readonly m: number;
  readonly y: Float64Array;
  /** α, β, γ, φ, ℓ₀, b₀ of the loaded point (β = 0, φ = 1 where the model has none). */
  readonly par = new Float64Array(6);
  /**
   * The seasonal terms along time (see recurse), the loaded initial ones first; all 0 for a non-seasonal
   * model, which then runs in the additive-season pair loop ({@link pairValues}).
   */
  readonly s: Float64Array;
  private readonly spec: EtsSpec;

  constructor(spec: EtsSpec, y: ArrayLike<number>) {
    this.spec = spec;
    this.hasTrend = spec.trend !== 'N';
    this.season = seasonCode(spec);
    this.multError = spec.error === 'M';
    this.m = spec.m;
    this.y = y instanceof Float64Array ? y : Float64Array.from(y);
    this.s = new Float64Array(this.y.length + spec.m);
  }

  load(x: ArrayLike<number>): boolean {
    const { spec, par, s, m, hasTrend } = this;
    const seasonal = spec.seasonal;
    let i = 0;
    const alpha = x[i++]!;
    const beta = hasTrend ? x[i++]! : 0;
    const gamma = seasonal ? x[i++]! : 0;
    const phi = spec.trend === 'Ad' ? x[i++]! : 1;
    par[0] = alpha;
    par[1] = beta;
    par[2] = gamma;
    par[3] = phi;
    if (!parametersAllowed(spec.trend, seasonal, m, par)) return false;
    par[4] = x[i++]!;
    par[5] = hasTrend ? x[i++]! : 0;
    if (seasonal) {
      // s[0] is the oldest term: the implied one (0 or m minus the sum of the others), then s_(m−2) … s₀.
      const multSeason = spec.season === 'M';
      let sum = 0;
      for (let j = 0; j < m - 1; j++) {
        const v = x[i + j]!;
        sum += v;
        s[m - 1 - j] = v;
      }
      s[0] = (multSeason ? m : 0) - sum;
      if (multSeason) for (let j = 0; j < m; j++) if (s[j]! < 0) return false;
    }
    return true;
  }

  value(): number {
    const { par } = this;
    recurse(this.season, this.hasTrend, this.multError, this.m, par, this.s, this.y);
    return likelihoodCriterion(out[0]!, out[2]!, out[1]!);
  }
}

/** True when two evaluators can run in one loop ({@link pairValues}): the same season, trend or not, series. */
export function pairable(a: LikelihoodEvaluator, b: LikelihoodEvaluator): boolean {
  return a.season === b.season && a.hasTrend === b.hasTrend && a.m === b.m && a.y === b.y;
}

/**
 * The values of two pairable evaluators at their loaded points, into values[0] and values[1]: the two
 * recursions run interleaved in one loop, each with exactly its own arithmetic (so each value is bit for bit
 * `value()`'s). The recursion is a chain of dependent operations; two independent chains in one loop keep
 * the processor busy while each waits, for about the price of one.
 */
export function pairValues(a: LikelihoodEvaluator, b: LikelihoodEvaluator, values: Float64Array): void {
  const n = a.y.length;
  if (products.length <= n) products = new Float64Array(n + 1);
  if (productsB.length <= n) productsB = new Float64Array(n + 1);
  // Non-seasonal models run as additive-season ones with every seasonal term 0 and γ = 0: adding or
  // subtracting 0 and 0 + 0·(…) = 0 change nothing (exact), so the values are still bit for bit `value()`'s.
  if (a.season === 2) multiplicativeSeasonPair(a, b);
  else additiveSeasonPair(a, b);
  // Σlog|ŷ| from the products each lane stored (their count in pairOut[3] and [4]).
  if (a.multError) logOfProducts(products, pairOut[3]!, pairOut, 3);
  else pairOut[3] = 0;
  if (b.multError) logOfProducts(productsB, pairOut[4]!, pairOut, 4);
  else pairOut[4] = 0;
  // likelihoodCriterion's arithmetic, written out: numbers passed to a call V8 does not inline are boxed, and
  // so is one merged with the global Infinity (hence its own branch).
  for (let lane = 0; lane < 2; lane++) {
    const lik = pairOut[1]! * Math.log(pairOut[2 * lane]!) + 2 * pairOut[3 + lane]!;
    if (Number.isNaN(lik)) values[lane] = Infinity;
    else values[lane] = lik < -1e10 ? -1e10 : lik;
  }
}

/**
 * The pair kernels' results: Σe² of a, observed periods, Σe² of b, then Σlog|ŷ| of a and of b (from the kernels,
 * how many products each lane stored).
 */
const pairOut = new Float64Array(5);

/** {@link additiveSeason} for two models at once (lanes a and b: same arithmetic, statement for statement). */
function additiveSeasonPair(A: LikelihoodEvaluator, B: LikelihoodEvaluator): void {
  const hasTrend = A.hasTrend;
  const m = A.m;
  const y = A.y;
  const multA = A.multError;
  const multB = B.multError;
  const productsOfA = products;
  const productsOfB = productsB;
  let storedA = 0;
  let storedB = 0;
  let productA = 1;
  let productB = 1;
  const sa = A.s;
  const sb = B.s;
  const pa = A.par;
  const pb = B.par;
  const k = loadPairConstants(pa, pb);
  let la = pa[4]!;
  let ba = hasTrend ? pa[5]! : 0;
  let lb = pb[4]!;
  let bb = hasTrend ? pb[5]! : 0;
  let ssea = 0;
  let sseb = 0;
  let observed = 0;
  const n = y.length;
  for (let t = 0; t < n; t++) {
    const yt = y[t]!;
    const oldla = la;
    const phiba = hasTrend ? k[2]! * ba : 0;
    const qa = oldla + phiba;
    const oldsa = sa[t]!;
    const oldlb = lb;
    const phibb = hasTrend ? k[6]! * bb : 0;
    const qb = oldlb + phibb;
    const oldsb = sb[t]!;
    if (yt !== yt) {
      la = qa;
      ba = phiba;
      sa[t + m] = oldsa;
      lb = qb;
      bb = phibb;
      sb[t + m] = oldsb;
      continue;
    }
    const fA = qa + oldsa;
    la = qa + k[0]! * (yt - oldsa - qa);
    if (hasTrend) ba = phiba + k[3]! * (la - oldla - phiba);
    sa[t + m] = oldsa + k[1]! * (yt - qa - oldsa);
    const fB = qb + oldsb;
    lb = qb + k[4]! * (yt - oldsb - qb);
    if (hasTrend) bb = phibb + k[7]! * (lb - oldlb - phibb);
    sb[t + m] = oldsb + k[5]! * (yt - qb - oldsb);
    let ea: number;
    if (multA) {
      ea = (yt - fA) / fA;
      productA *= fA < 0 ? -fA : fA;
      if (productA > 1e150 || productA < 1e-150) {
        productsOfA[storedA++] = productA;
        productA = 1;
      }
    } else {
      ea = yt - fA;
    }
    let eb: number;
    if (multB) {
      eb = (yt - fB) / fB;
      productB *= fB < 0 ? -fB : fB;
      if (productB > 1e150 || productB < 1e-150) {
        productsOfB[storedB++] = productB;
        productB = 1;
      }
    } else {
      eb = yt - fB;
    }
    ssea += ea * ea;
    sseb += eb * eb;
    observed++;
  }
  pairOut[0] = ssea;
  pairOut[1] = observed;
  pairOut[2] = sseb;
  productsOfA[storedA] = productA;
  productsOfB[storedB] = productB;
  pairOut[3] = storedA + 1;
  pairOut[4] = storedB + 1;
}

/**
 * The pair kernels' smoothing constants — α, γ, φ, β/α of lane a, then of lane b — read from this array inside
 * the loop rather than held in locals: with sixteen numbers live, V8 ran out of registers and spilled the level
 * and trend, whose chain of dependent operations sets the loop's pace (~20 % slower).
 */
const pairConstants = new Float64Array(8);

/** Fills {@link pairConstants} from the two lanes' parameters (α, β, γ, φ, …), once per evaluation. */
function loadPairConstants(pa: Float64Array, pb: Float64Array): Float64Array {
  const k = pairConstants;
  k[0] = pa[0]!;
  k[1] = pa[2]!;
  k[2] = pa[3]!;
  k[3] = pa[1]! / pa[0]!;
  k[4] = pb[0]!;
  k[5] = pb[2]!;
  k[6] = pb[3]!;
  k[7] = pb[1]! / pb[0]!;
  return k;
}

/** {@link multiplicativeSeason} for two models at once (lanes a and b). */
function multiplicativeSeasonPair(A: LikelihoodEvaluator, B: LikelihoodEvaluator): void {
  const huge = HUGEN * 1;
  const hasTrend = A.hasTrend;
  const m = A.m;
  const y = A.y;
  const multA = A.multError;
  const multB = B.multError;
  const productsOfA = products;
  const productsOfB = productsB;
  let storedA = 0;
  let storedB = 0;
  let productA = 1;
  let productB = 1;
  const sa = A.s;
  const sb = B.s;
  const pa = A.par;
  const pb = B.par;
  const k = loadPairConstants(pa, pb);
  let la = pa[4]!;
  let ba = hasTrend ? pa[5]! : 0;
  let lb = pb[4]!;
  let bb = hasTrend ? pb[5]! : 0;
  let ssea = 0;
  let sseb = 0;
  let observed = 0;
  const n = y.length;
  for (let t = 0; t < n; t++) {
    const yt = y[t]!;
    const oldla = la;
    const phiba = hasTrend ? k[2]! * ba : 0;
    const qa = oldla + phiba;
    const oldsa = sa[t]!;
    const oldlb = lb;
    const phibb = hasTrend ? k[6]! * bb : 0;
    const qb = oldlb + phibb;
    const oldsb = sb[t]!;
    if (yt !== yt) {
      la = qa;
      ba = phiba;
      sa[t + m] = oldsa;
      lb = qb;
      bb = phibb;
      sb[t + m] = oldsb;
      continue;
    }
    const fA = qa * oldsa;
    la = qa + k[0]! * ((Math.abs(oldsa) < TOL ? huge : yt / oldsa) - qa);
    if (hasTrend) ba = phiba + k[3]! * (la - oldla - phiba);
    sa[t + m] = oldsa + k[1]! * ((Math.abs(qa) < TOL ? huge : yt / qa) - oldsa);
    const fB = qb * oldsb;
    lb = qb + k[4]! * ((Math.abs(oldsb) < TOL ? huge : yt / oldsb) - qb);
    if (hasTrend) bb = phibb + k[7]! * (lb - oldlb - phibb);
    sb[t + m] = oldsb + k[5]! * ((Math.abs(qb) < TOL ? huge : yt / qb) - oldsb);
    let ea: number;
    if (multA) {
      ea = (yt - fA) / fA;
      productA *= fA < 0 ? -fA : fA;
      if (productA > 1e150 || productA < 1e-150) {
        productsOfA[storedA++] = productA;
        productA = 1;
      }
    } else {
      ea = yt - fA;
    }
    let eb: number;
    if (multB) {
      eb = (yt - fB) / fB;
      productB *= fB < 0 ? -fB : fB;
      if (productB > 1e150 || productB < 1e-150) {
        productsOfB[storedB++] = productB;
        productB = 1;
      }
    } else {
      eb = yt - fB;
    }
    ssea += ea * ea;
    sseb += eb * eb;
    observed++;
  }
  pairOut[0] = ssea;
  pairOut[1] = observed;
  pairOut[2] = sseb;
  productsOfA[storedA] = productA;
  productsOfB[storedB] = productB;
  pairOut[3] = storedA + 1;
  pairOut[4] = storedB + 1;
}

/**
 * The optimiser's objective for one model and series, as a function: x ↦ the likelihood criterion, +∞
 * outside the parameter space (see {@link LikelihoodEvaluator}).
 *
 * @example
 * const f = likelihoodObjective(etsSpec('ANN', 1), [12, 11])
 * f([0.5, 10]) // 2·log 4 = 2.7725887
 */
export function likelihoodObjective(spec: EtsSpec, y: ArrayLike<number>): (x: ArrayLike<number>) => number {
  const evaluator = new LikelihoodEvaluator(spec, y);
  return (x) => (evaluator.load(x) ? evaluator.value() : Infinity);
}
