/**
 * Where ETS smoothing parameters may lie: `forecast::ets`'s default `bounds = "both"`, the intersection of
 * - the **usual** region: α ∈ [1e-4, 0.9999], β ∈ [1e-4, min(α, 0.9999)], γ ∈ [1e-4, min(1 − α, 0.9999)],
 *   φ ∈ [0.8, 0.98]; and
 * - the **admissible** region (Hyndman, Akram & Archibald 2008, "The admissible parameter space for
 *   exponential smoothing models", *Annals of the Institute of Statistical Mathematics* 60): the forecasts
 *   forget the initial state, i.e. the model's characteristic polynomial has every root in the unit circle.
 * and the starting values `forecast::ets` gives the optimiser (its `initparam`).
 */
import type { EtsParameters, EtsSpec } from './ets-types.ts';

/** Lower and upper "usual" bounds of α, β, γ, φ (forecast::ets defaults). */
export const USUAL_LOWER = { alpha: 1e-4, beta: 1e-4, gamma: 1e-4, phi: 0.8 } as const;
export const USUAL_UPPER = { alpha: 0.9999, beta: 0.9999, gamma: 0.9999, phi: 0.98 } as const;

/**
 * The optimiser's starting smoothing parameters (forecast::ets `initparam` with bounds "both"):
 * α = 1e-4 + 0.2·(0.9999 − 1e-4)/m, β a tenth of the way up to min(α, 0.9999), γ a twentieth of the way up
 * to min(1 − α, 0.9999), φ = 0.8 + 0.99·0.18.
 *
 * @example startingParameters(etsSpec('AAdN', 1))
 * // { alpha: 0.20006, beta: 0.020096, gamma: null, phi: 0.9782 }
 */
export function startingParameters(spec: EtsSpec): EtsParameters {
  const m = spec.seasonal ? spec.m : 1;
  let alpha = USUAL_LOWER.alpha + (0.2 * (USUAL_UPPER.alpha - USUAL_LOWER.alpha)) / m;
  if (alpha > 1 || alpha < 0) alpha = USUAL_LOWER.alpha + 2e-3;
  let beta: number | null = null;
  if (spec.trend !== 'N') {
    const upper = Math.min(USUAL_UPPER.beta, alpha);
    beta = USUAL_LOWER.beta + 0.1 * (upper - USUAL_LOWER.beta);
    if (beta < 0 || beta > alpha) beta = alpha - 1e-3;
  }
  let gamma: number | null = null;
  if (spec.seasonal) {
    const upper = Math.min(USUAL_UPPER.gamma, 1 - alpha);
    gamma = USUAL_LOWER.gamma + 0.05 * (upper - USUAL_LOWER.gamma);
    if (gamma < 0 || gamma > 1 - alpha) gamma = 1 - alpha - 1e-3;
  }
  let phi: number | null = null;
  if (spec.trend === 'Ad') {
    phi = USUAL_LOWER.phi + 0.99 * (USUAL_UPPER.phi - USUAL_LOWER.phi);
    if (phi < 0 || phi > 1) phi = USUAL_UPPER.phi - 1e-3;
  }
  return { alpha, beta, gamma, phi };
}

/**
 * True when the parameters lie in both the usual and the admissible region (forecast::ets's C++ target
 * function, `check_params` and `admissible`).
 *
 * @example withinBounds(etsSpec('AAN', 1), { alpha: 0.5, beta: 0.1, gamma: null, phi: null })  // true
 * @example withinBounds(etsSpec('AAN', 1), { alpha: 0.1, beta: 0.5, gamma: null, phi: null })  // false (β > α)
 */
export function withinBounds(spec: EtsSpec, p: EtsParameters): boolean {
  const q = given;
  q[0] = p.alpha;
  q[1] = p.beta ?? 0;
  q[2] = p.gamma ?? 0;
  q[3] = p.phi ?? 1;
  return parametersAllowed(spec.trend, spec.seasonal, spec.m, q);
}

/**
 * {@link withinBounds} on a typed array p = [α, β, γ, φ] (what the optimiser's objective calls, without
 * building an object; numbers in a typed array, not arguments, which V8 boxes when it does not inline the
 * call): β, γ, φ are ignored where the model has no such component (β = 0, φ = 1 stand for none).
 */
export function parametersAllowed(trend: EtsSpec['trend'], seasonal: boolean, m: number, p: Float64Array): boolean {
  const alpha = p[0]!;
  if (alpha < USUAL_LOWER.alpha || alpha > USUAL_UPPER.alpha) return false;
  const beta = trend !== 'N' ? p[1]! : 0;
  const gamma = p[2]!;
  const phi = trend === 'Ad' ? p[3]! : 1;
  if (trend !== 'N') {
    if (beta < USUAL_LOWER.beta || beta > alpha || beta > USUAL_UPPER.beta) return false;
  }
  if (trend === 'Ad') {
    if (phi < USUAL_LOWER.phi || phi > USUAL_UPPER.phi) return false;
  }
  if (seasonal) {
    if (gamma < USUAL_LOWER.gamma || gamma > 1 - alpha || gamma > USUAL_UPPER.gamma) return false;
  }
  const q = checked;
  q[0] = alpha;
  q[1] = beta;
  q[2] = gamma;
  q[3] = phi;
  return admissibleValues(trend !== 'N', seasonal, m, q);
}

/** The α, β, γ, φ of {@link withinBounds} and of {@link admissible}, and those {@link parametersAllowed} checks (reused). */
const given = new Float64Array(4);
const checked = new Float64Array(4);

/**
 * The admissible region of Hyndman, Akram & Archibald (2008), with forecast::ets's tolerances.
 * Non-seasonal: 1 − 1/φ < α < 1 + 1/φ and α(φ − 1) < β < (1 + φ)(2 − α). Seasonal: three linear conditions,
 * then every root of φ(1−α−γ) + (α+β−αφ+γ−1)z + (α+β−αφ)(z² + … + z^(m−1)) + (α+β−φ)z^m + z^(m+1) has a
 * modulus of at most 1 + 1e-10.
 */
export function admissible(spec: EtsSpec, p: EtsParameters): boolean {
  const q = given;
  q[0] = p.alpha;
  q[1] = p.beta ?? 0;
  q[2] = p.gamma!;
  q[3] = p.phi ?? 1;
  return admissibleValues(spec.trend !== 'N', spec.seasonal, spec.m, q);
}

function admissibleValues(hasTrend: boolean, seasonal: boolean, m: number, p: Float64Array): boolean {
  const alpha = p[0]!;
  const beta = p[1]!;
  const gamma = p[2]!;
  const phi = p[3]!;
  if (phi < 0 || phi > 1 + 1e-8) return false;
  if (!seasonal) {
    if (alpha < 1 - 1 / phi || alpha > 1 + 1 / phi) return false;
    if (hasTrend) {
      if (beta < alpha * (phi - 1) || beta > (1 + phi) * (2 - alpha)) return false;
    }
    return true;
  }
  const d = 1 - 1 / phi - alpha;
  if (gamma < Math.max(d, 0) || gamma > 1 + 1 / phi - alpha) return false;
  if (alpha < 1 - 1 / phi - (gamma * (1 - m + phi + phi * m)) / (2 * phi * m)) return false;
  if (beta < -(1 - phi) * (gamma / m + alpha)) return false;
  const a = alpha + beta - alpha * phi;
  if (polynomial.length !== m + 2) polynomial = new Float64Array(m + 2);
  const coefficients = polynomial;
  coefficients[0] = phi * (1 - alpha - gamma);
  coefficients[1] = a + gamma - 1;
  for (let k = 2; k < m; k++) coefficients[k] = a;
  coefficients[m] = alpha + beta - phi;
  coefficients[m + 1] = 1;
  return rootsWithinRadius(coefficients, 1 + 1e-10);
}

/** The characteristic polynomial's coefficients (reused between calls). */
let polynomial = new Float64Array(14);

/**
 * True when every root of the polynomial c₀ + c₁z + … + cₙzⁿ (cₙ ≠ 0) has a modulus below `radius`: the
 * Schur–Cohn test (Jury's table) applied to p(radius·z). Each step checks |cₙ| > |c₀| and replaces p by
 * (cₙ·p(z) − c₀·p*(z))/(z·cₙ), where p* has the coefficients reversed; by Rouché's theorem p has all its roots
 * inside the unit circle exactly when the step holds and the reduced polynomial (one degree less) has too.
 * No roots are computed, so the test costs O(n²) and is exact up to rounding.
 *
 * @example rootsWithinRadius([-0.25, 0, 1], 1)  // true  (z² − 0.25: roots ±0.5)
 * @example rootsWithinRadius([-4, 0, 1], 1)     // false (roots ±2)
 * @example rootsWithinRadius([-1, 1], 1 + 1e-10) // true (root 1, inside the slightly larger circle)
 */
export function rootsWithinRadius(coefficients: ArrayLike<number>, radius: number): boolean {
  let n = coefficients.length - 1;
  if (scratch.length < n + 1) scratch = new Float64Array(n + 1);
  const c = scratch;
  let power = 1;
  for (let k = 0; k <= n; k++) {
    c[k] = coefficients[k]! * power;
    power *= radius;
  }
  while (n > 0) {
    const lead = c[n]!;
    const constant = c[0]!;
    if (!(Math.abs(lead) > Math.abs(constant))) return false;
    // (cₙ·p − c₀·p*)/(z·cₙ): dividing by cₙ keeps the coefficients within a few times their first size (no
    // rescaling pass) and costs one division per step. New cₖ = cₖ₊₁ − r·cₙ₋₁₋ₖ, computed in place from both
    // ends at once: the pair (k, n−1−k) reads the old cₖ₊₁ and cₙ₋₁₋ₖ and, carried from the pair before, the
    // old cₖ and cₙ₋ₖ it overwrote.
    const r = constant / lead;
    let low = constant;
    let high = lead;
    let k = 0;
    let j = n - 1;
    for (; k < j; k++, j--) {
      const next = c[k + 1]!;
      const mirror = c[j]!;
      c[k] = next - r * mirror;
      c[j] = high - r * low;
      low = next;
      high = mirror;
    }
    if (k === j) c[k] = high - r * low;
    n--;
  }
  return true;
}

/** The workspace of {@link rootsWithinRadius} (reused: the engine runs on one thread). */
let scratch = new Float64Array(32);
