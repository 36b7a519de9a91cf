/**
 * An independent check of small-cell suppression (server/domain/cell-suppression.ts), for the tests: which
 * suppressed cells the published ones still determine exactly, over the whole lattice of every combination of
 * dimensions, by the rank of the unknowns' columns (dense rational elimination) — not the module's own method.
 */
import type { Dimension, SuppressionCell } from '../../server/domain/cell-suppression.ts';

/** Canonical key, written again here: keys sorted, `{}` for the total. */
export const keyOf = (a: Record<string, string>) =>
  JSON.stringify(Object.fromEntries(Object.entries(a).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))));

/** Exact rationals n/d (d > 0, lowest terms). */
interface Q {
  n: bigint;
  d: bigint;
}
const babs = (x: bigint) => (x < 0n ? -x : x);
const bgcd = (a: bigint, b: bigint): bigint => (b === 0n ? babs(a) : bgcd(b, a % b));
const q = (n: bigint, d = 1n): Q => {
  if (d < 0n) [n, d] = [-n, -d];
  const g = bgcd(n, d) || 1n;
  return { n: n / g, d: d / g };
};
const sub = (a: Q, b: Q) => q(a.n * b.d - b.n * a.d, a.d * b.d);
const mul = (a: Q, b: Q) => q(a.n * b.n, a.d * b.d);
const div = (a: Q, b: Q) => q(a.n * b.d, a.d * b.n);

/** Rank of a dense rational matrix by Gaussian elimination with row swaps. */
function rank(matrix: Q[][]): number {
  const m = matrix.map((row) => [...row]);
  const width = m[0]?.length ?? 0;
  let r = 0;
  for (let c = 0; c < width && r < m.length; c++) {
    const p = m.findIndex((row, i) => i >= r && row[c]!.n !== 0n);
    if (p < 0) continue;
    [m[r], m[p]] = [m[p]!, m[r]!];
    for (let i = r + 1; i < m.length; i++) {
      if (m[i]![c]!.n === 0n) continue;
      const f = div(m[i]![c]!, m[r]![c]!);
      m[i] = m[i]!.map((v, j) => sub(v, mul(f, m[r]![j]!)));
    }
    r++;
  }
  return r;
}

/** Every assignment over every subset of the dimensions (the whole lattice, not the module's restricted one). */
export function allAssignments(dims: Dimension[]): Array<Record<string, string>> {
  let out: Array<Record<string, string>> = [{}];
  for (const d of dims) out = out.flatMap((a) => [a, ...d.values.map((v) => ({ ...a, [d.name]: v }))]);
  return out;
}

/**
 * Keys of the suppressed cells that the published ones determine: over the whole lattice, one equation per
 * assignment and free dimension; the unknowns are every cell not published; cell i is determined exactly when
 * removing its column lowers the rank (its column is outside the span of the other unknowns' columns).
 */
export function independentlyDerivable(cells: SuppressionCell[], dims: Dimension[], suppressed: Set<string>): string[] {
  const published = new Set(
    cells
      .filter((c) => typeof c.value === 'number' && Number.isFinite(c.value) && !suppressed.has(c.key))
      .map((c) => keyOf(c.disaggregation)),
  );
  const unknowns = allAssignments(dims)
    .map(keyOf)
    .filter((k) => !published.has(k));
  const column = new Map(unknowns.map((k, i) => [k, i]));
  const rows: Q[][] = [];
  for (const a of allAssignments(dims))
    for (const d of dims) {
      if (d.name in a) continue;
      const row = unknowns.map(() => q(0n));
      const add = (k: string, v: bigint) => {
        const i = column.get(k);
        if (i !== undefined) row[i] = q(row[i]!.n + v);
      };
      add(keyOf(a), 1n);
      for (const v of d.values) add(keyOf({ ...a, [d.name]: v }), -1n);
      rows.push(row);
    }
  const full = rank(rows);
  const out: string[] = [];
  for (const c of cells) {
    if (!suppressed.has(c.key) || typeof c.value !== 'number') continue;
    const i = column.get(keyOf(c.disaggregation))!;
    if (rank(rows.map((row) => row.filter((_, j) => j !== i))) < full) out.push(c.key);
  }
  return out.sort();
}
