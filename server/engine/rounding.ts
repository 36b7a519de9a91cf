/**
 * Numbers as people read them: derived values lose the binary floating-point tail (7.600000000000001 → 7.6)
 * by rounding to 12 significant digits — far below any real indicator's precision, far above double
 * rounding noise (≈ 16 digits). Symmetric: round12(−x) = −round12(x).
 */

/**
 * x rounded to 12 significant digits (non-finite values and 0 unchanged; −0 becomes 0).
 *
 * @example round12(7.600000000000001)  // 7.6
 * @example round12(-0.30000000000000004) // -0.3
 * @example round12(123456789.123456789) // 123456789.123
 */
export function round12(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return x === 0 ? 0 : x;
  const a = Math.abs(x);
  const k = 11 - Math.floor(Math.log10(a));
  if (k > 300 || k < -300) return x;
  let r: number;
  if (k >= 0) {
    const p = POWERS[k]!;
    r = Math.round(a * p) / p;
  } else {
    const q = POWERS[-k]!;
    r = Math.round(a / q) * q;
  }
  return x < 0 ? -r : r;
}

/** 10⁰ … 10³⁰⁰, exact where doubles can be. */
const POWERS = Array.from({ length: 301 }, (_, k) => 10 ** k);
