/**
 * Linear least squares for a few columns, by Householder QR (numerically stable even when the columns are
 * far from orthogonal, e.g. an intercept and a time index). Used for ETS starting values.
 */

/**
 * The coefficients b minimising ‖y − X·b‖², X given by rows.
 *
 * @example leastSquares([[1, 1], [1, 2], [1, 3], [1, 4]], [2, 4, 5, 8]) // [0, 1.9]
 * @throws RangeError when X has fewer rows than columns or its columns are linearly dependent.
 */
export function leastSquares(rows: readonly (readonly number[])[], y: readonly number[]): number[] {
  const n = rows.length;
  const p = rows[0]?.length ?? 0;
  if (n < p || p === 0) throw new RangeError('leastSquares: needs at least as many rows as columns');
  // Column-major copy of X and a copy of y, transformed in place.
  const a: number[][] = [];
  for (let j = 0; j < p; j++) a.push(rows.map((r) => r[j]!));
  const z = y.slice();
  for (let k = 0; k < p; k++) {
    const col = a[k]!;
    let norm = 0;
    for (let i = k; i < n; i++) norm += col[i]! * col[i]!;
    norm = Math.sqrt(norm);
    if (!(norm > 0)) throw new RangeError('leastSquares: the columns are linearly dependent');
    const alpha = col[k]! > 0 ? -norm : norm;
    // Householder vector v = x − alpha·e_k, stored in col[k..n).
    col[k] = col[k]! - alpha;
    let vnorm2 = 0;
    for (let i = k; i < n; i++) vnorm2 += col[i]! * col[i]!;
    const reflect = (target: number[]): void => {
      let dot = 0;
      for (let i = k; i < n; i++) dot += col[i]! * target[i]!;
      const f = (2 * dot) / vnorm2;
      for (let i = k; i < n; i++) target[i] = target[i]! - f * col[i]!;
    };
    for (let j = k + 1; j < p; j++) reflect(a[j]!);
    reflect(z);
    // The diagonal of R is alpha; keep it where back-substitution reads it.
    col[k] = alpha;
    for (let i = k + 1; i < n; i++) col[i] = 0;
  }
  const b = new Array<number>(p).fill(0);
  for (let k = p - 1; k >= 0; k--) {
    let s = z[k]!;
    for (let j = k + 1; j < p; j++) s -= a[j]![k]! * b[j]!;
    const diag = a[k]![k]!;
    if (Math.abs(diag) <= 1e-12 * Math.abs(a[0]![0]!))
      throw new RangeError('leastSquares: the columns are linearly dependent');
    b[k] = s / diag;
  }
  return b;
}
