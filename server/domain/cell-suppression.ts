/**
 * Small-cell suppression of counts for public outputs: which cells of one period must be shown as suppressed
 * (value null, SDMX CONF_STATUS `C`) so that no count below the minimum cell size is published, and none can be
 * worked out exactly by adding and subtracting the published ones. Pure: no I/O.
 *
 * The rule:
 * - Only finite numbers take part. A cell whose value is null (marked missing) or not finite is an unknown,
 *   never published and never returned (it shows as missing, not as suppressed).
 * - Primary suppression: a cell with 0 < value < minCellSize. A 0 is published, as is the common practice of
 *   U.S. health data (CDC WONDER suppresses counts of 1–9 and shows 0): a zero discloses nobody.
 * - Additive relations: for every parent assignment p and every dimension d not in p,
 *   value(p) = Σ over v in d.values of value(p ∪ {d: v}). Cells absent from the data and missing cells are
 *   unknowns of these equations, like suppressed ones: an absent cell protects nobody's count, but treating it as
 *   unknown is what a reader who lacks it faces.
 * - The lattice: every assignment over every combination of dimensions that occurs in the data, and over every
 *   sub-combination (their parents), present in the data or not. Values of a declared dimension found in the data
 *   but not declared, and undeclared dimensions, are added (after the declared ones, sorted): an equation that
 *   left out a published child would be false. Treating the values as exhaustive is the conservative reading: if
 *   they are not, a reader has fewer equations than assumed here. Cap: more than {@link MAX_LATTICE_CELLS}
 *   cells is beyond the exact check, and then every non-zero cell is suppressed (safe: doubling every count
 *   keeps every equation and every published zero, so no non-zero cell is then determined).
 * - Complementary suppression, repeated until nothing changes: (1) an equation whose only unknown is one
 *   suppressed cell gets one more: its smallest published non-zero child (by value, ties by key), else its
 *   parent if published and non-zero, else a published zero (child first). Zeros come last on purpose: with a
 *   suppressed 0 beside a primary cell of 3, the pair sums to 3 and the reader still knows the primary lies in
 *   0..3. (2) The exact check: a suppressed cell that the linear system (published cells known; suppressed,
 *   missing and absent cells unknown) still determines — its unit vector lies in the row space of the unknowns'
 *   columns, equivalently every null-space vector is 0 there — gets one more cell suppressed: the smallest
 *   published cell (same order) of an equation containing it, else of an equation of its connected group of
 *   unknowns (there always is one: a table of all ones solves every equation, so equations with no published cell
 *   determine nothing). Then (1) again. The elimination is exact (fraction-free over BigInt, coefficients 0/±1),
 *   so no floating tolerance decides privacy.
 * - Termination and determinism: each round suppresses one more published cell or stops, so at most one round per
 *   cell; the cells are ordered by canonical key and the equations by parent key, so the input's order does not
 *   matter.
 *
 * Worked example (one dimension, minCellSize 11): total 40 = A 3 + B 20 + C 17. A (3) is primary. The equation
 * 40 = A + 20 + 17 gives A = 3 back, so the next smallest child, C (17), is the complement; now A + C = 20 and
 * neither is determined. The total and B stay published: suppressed {A, C}.
 *
 * @example
 * suppressedCells(
 *   [
 *     { key: '{}', disaggregation: {}, value: 40 },
 *     { key: '{"race":"A"}', disaggregation: { race: 'A' }, value: 3 },
 *     { key: '{"race":"B"}', disaggregation: { race: 'B' }, value: 20 },
 *     { key: '{"race":"C"}', disaggregation: { race: 'C' }, value: 17 },
 *   ],
 *   [{ name: 'race', values: ['A', 'B', 'C'] }],
 *   11,
 * ) // Set { '{"race":"A"}', '{"race":"C"}' }
 */
import { disaggregationKey } from './indicator-rules.ts';

/** One cell of one period: its key (canonical JSON of the disaggregation, `{}` for the total) and its count. */
export interface SuppressionCell {
  key: string;
  disaggregation: Record<string, string>;
  value: number | null;
}

/** A declared dimension and its values. */
export interface Dimension {
  name: string;
  values: string[];
}

/**
 * The most cells (present or not) the lattice of one period may have for the exact check; beyond it every
 * non-zero cell is suppressed. 3 dimensions of 10, 10 and 8 values with all cross cells make 11 × 11 × 9 = 1,089.
 */
export const MAX_LATTICE_CELLS = 5000;

/**
 * Keys of the cells of ONE period that public outputs must show as suppressed (value null, SDMX CONF_STATUS C):
 * the primary cells (0 < value < minCellSize) and their complements (module doc comment).
 *
 * @example
 * suppressedCells(
 *   [
 *     { key: '{}', disaggregation: {}, value: 40 },
 *     { key: '{"race":"A"}', disaggregation: { race: 'A' }, value: 3 },
 *     { key: '{"race":"B"}', disaggregation: { race: 'B' }, value: 20 },
 *     { key: '{"race":"C"}', disaggregation: { race: 'C' }, value: 17 },
 *   ],
 *   [{ name: 'race', values: ['A', 'B', 'C'] }],
 *   11,
 * ) // Set { '{"race":"A"}', '{"race":"C"}' }: 3 is below 11, 17 the next smallest of the same total
 */
export function suppressedCells(cells: SuppressionCell[], dimensions: Dimension[], minCellSize: number): Set<string> {
  const lattice = latticeOf(cells, dimensions);
  if (!lattice) {
    // Too large for the exact check: suppress every non-zero count (see MAX_LATTICE_CELLS).
    return new Set(cells.filter((cell) => isCount(cell.value) && cell.value !== 0).map((cell) => cell.key));
  }
  const { nodes, equations } = lattice;
  for (const node of nodes) if (node.value !== null && node.value > 0 && node.value < minCellSize) node.state = 'S';

  for (;;) {
    // (1) An equation with exactly one unknown, and that one suppressed: suppress one more of its cells.
    let changed = true;
    while (changed) {
      changed = false;
      for (const eq of equations) {
        let unknowns = 0;
        let suppressed = 0;
        for (const id of eq.cells) {
          const state = nodes[id]!.state;
          if (state !== 'P') unknowns++;
          if (state === 'S') suppressed++;
        }
        if (unknowns !== 1 || suppressed !== 1) continue;
        const pick = complementOf(nodes, eq);
        if (pick !== null) {
          nodes[pick]!.state = 'S';
          changed = true;
        }
      }
    }
    // (2) The exact check: the first suppressed cell (by key) still determined gets one more cell suppressed.
    const determined = determinedNodes(nodes, equations);
    if (determined.length === 0) break;
    const pick = complementForDetermined(nodes, equations, determined[0]!);
    if (pick === null) break; // cannot happen (module doc comment); stop rather than loop
    nodes[pick]!.state = 'S';
  }

  const out = new Set<string>();
  for (const node of nodes) if (node.state === 'S') for (const key of node.cellKeys) out.add(key);
  return out;
}

/**
 * The same over a whole series: cells grouped by periodIndex, each period on its own; returns the set of
 * `${periodIndex} ${key}`.
 *
 * @example
 * suppressedInSeries(
 *   [
 *     { periodIndex: 2023, key: '{}', disaggregation: {}, value: 8 },
 *     { periodIndex: 2024, key: '{}', disaggregation: {}, value: 30 },
 *   ],
 *   [],
 *   11,
 * ) // Set { '2023 {}' }
 */
export function suppressedInSeries(
  points: Array<SuppressionCell & { periodIndex: number }>,
  dimensions: Dimension[],
  minCellSize: number,
): Set<string> {
  const byPeriod = new Map<number, SuppressionCell[]>();
  for (const point of points) {
    let cells = byPeriod.get(point.periodIndex);
    if (!cells) byPeriod.set(point.periodIndex, (cells = []));
    cells.push(point);
  }
  const out = new Set<string>();
  for (const periodIndex of [...byPeriod.keys()].sort((a, b) => a - b))
    for (const key of suppressedCells(byPeriod.get(periodIndex)!, dimensions, minCellSize))
      out.add(`${periodIndex} ${key}`);
  return out;
}

/**
 * Exported for the tests and for callers who double-check: keys of suppressed cells (with a finite value) that the
 * published cells still determine exactly. Always empty for the output of {@link suppressedCells}; beyond
 * {@link MAX_LATTICE_CELLS} every suppressed non-zero cell is reported unless every non-zero cell is suppressed.
 *
 * @example
 * derivableCells(
 *   [
 *     { key: '{}', disaggregation: {}, value: 40 },
 *     { key: '{"race":"A"}', disaggregation: { race: 'A' }, value: 3 },
 *     { key: '{"race":"B"}', disaggregation: { race: 'B' }, value: 20 },
 *     { key: '{"race":"C"}', disaggregation: { race: 'C' }, value: 17 },
 *   ],
 *   [{ name: 'race', values: ['A', 'B', 'C'] }],
 *   new Set(['{"race":"A"}']),
 * ) // Set { '{"race":"A"}' }: 40 − 20 − 17 = 3
 */
export function derivableCells(
  cells: SuppressionCell[],
  dimensions: Dimension[],
  suppressed: Set<string>,
): Set<string> {
  const lattice = latticeOf(cells, dimensions);
  if (!lattice) {
    const finite = cells.filter((cell) => isCount(cell.value));
    const allHidden = finite.every((cell) => cell.value === 0 || suppressed.has(cell.key));
    return new Set(allHidden ? [] : finite.filter((c) => c.value !== 0 && suppressed.has(c.key)).map((c) => c.key));
  }
  const { nodes, equations } = lattice;
  for (const node of nodes)
    if (node.value !== null && node.cellKeys.some((key) => suppressed.has(key))) node.state = 'S';
  const out = new Set<string>();
  for (const id of determinedNodes(nodes, equations))
    for (const key of nodes[id]!.cellKeys) if (suppressed.has(key)) out.add(key);
  return out;
}

/** P published, S suppressed, U unknown (absent from the data, missing or not finite). */
type State = 'P' | 'S' | 'U';

interface Node {
  /** Canonical key of the assignment. */
  key: string;
  /** The finite value, or null when absent, missing or not finite. */
  value: number | null;
  state: State;
  /** Keys (as the caller gave them) of the cells at this assignment; usually one, none when absent. */
  cellKeys: string[];
}

/** value(cells[0]) = Σ value(cells[1..]): the parent first, then its children along one dimension. */
interface Equation {
  cells: number[];
}

function isCount(value: number | null): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** The lattice of one period (module doc comment), or null when it has more than MAX_LATTICE_CELLS cells. */
function latticeOf(cells: SuppressionCell[], dimensions: Dimension[]): { nodes: Node[]; equations: Equation[] } | null {
  // The dimensions: declared ones first, then the values and dimensions seen only in the data (sorted).
  const dims = dimensions.map((d) => ({ name: d.name, values: [...new Set(d.values)] }));
  const seenExtra = new Map<string, Set<string>>();
  for (const cell of cells)
    for (const [name, value] of Object.entries(cell.disaggregation)) {
      const dim = dims.find((d) => d.name === name);
      if (dim?.values.includes(value)) continue;
      let extra = seenExtra.get(name);
      if (!extra) seenExtra.set(name, (extra = new Set()));
      extra.add(value);
    }
  for (const d of dims) d.values.push(...[...(seenExtra.get(d.name) ?? [])].sort());
  for (const name of [...seenExtra.keys()].sort())
    if (!dims.some((d) => d.name === name)) dims.push({ name, values: [...seenExtra.get(name)!].sort() });
  if (dims.length > 16) return null; // 2^16 dimension combinations: far beyond the cap anyway
  const dimIndex = new Map(dims.map((d, i) => [d.name, i]));

  // The dimension combinations (bit masks) that occur, closed under taking subsets.
  const combos = new Set<number>([0]);
  for (const cell of cells) {
    let mask = 0;
    for (const name of Object.keys(cell.disaggregation)) mask |= 1 << dimIndex.get(name)!;
    for (let sub = mask; ; sub = (sub - 1) & mask) {
      combos.add(sub);
      if (sub === 0) break;
    }
  }
  const sizeOf = (mask: number) => dims.reduce((n, d, i) => (mask & (1 << i) ? n * d.values.length : n), 1);
  let total = 0;
  for (const mask of combos) total += sizeOf(mask);
  if (total > MAX_LATTICE_CELLS) return null;

  // Every assignment over every combination, in canonical-key order.
  const assignments: Array<Record<string, string>> = [];
  for (const mask of combos) {
    let partial: Array<Record<string, string>> = [{}];
    dims.forEach((d, i) => {
      if (mask & (1 << i)) partial = partial.flatMap((a) => d.values.map((v) => ({ ...a, [d.name]: v })));
    });
    assignments.push(...partial);
  }
  const keyed = assignments.map((a) => ({ a, key: disaggregationKey(a) }));
  keyed.sort((x, y) => compareKeys(x.key, y.key));
  const nodes: Node[] = keyed.map(({ key }) => ({ key, value: null, state: 'U', cellKeys: [] }));
  const idOf = new Map(keyed.map(({ key }, id) => [key, id]));

  // The cells onto their assignments: with several cells at one assignment (not expected), the smallest finite
  // value stands for all, and all are suppressed together.
  for (const cell of cells) {
    const node = nodes[idOf.get(disaggregationKey(cell.disaggregation))!]!;
    node.cellKeys.push(cell.key);
    if (isCount(cell.value) && (node.value === null || cell.value < node.value)) node.value = cell.value;
  }
  for (const node of nodes) {
    node.cellKeys.sort(compareKeys);
    if (node.value !== null) node.state = 'P';
  }

  // The equations: each assignment with each dimension it leaves free, when the finer combination is there.
  const equations: Equation[] = [];
  keyed.forEach(({ a }, id) => {
    let mask = 0;
    for (const name of Object.keys(a)) mask |= 1 << dimIndex.get(name)!;
    dims.forEach((d, i) => {
      if (mask & (1 << i) || !combos.has(mask | (1 << i))) return;
      const children = d.values.map((v) => idOf.get(disaggregationKey({ ...a, [d.name]: v }))!);
      equations.push({ cells: [id, ...children] });
    });
  });
  return { nodes, equations };
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Smaller first: non-zero before zero, then by value, then by key. */
function better(nodes: Node[], a: number, b: number): boolean {
  const x = nodes[a]!;
  const y = nodes[b]!;
  if ((x.value === 0) !== (y.value === 0)) return y.value === 0;
  if (x.value !== y.value) return x.value! < y.value!;
  return compareKeys(x.key, y.key) < 0;
}

/** Step (1)'s complement: the smallest published non-zero child, else the parent, else a zero (child first). */
function complementOf(nodes: Node[], eq: Equation): number | null {
  const [parent, ...children] = eq.cells;
  const published = children.filter((id) => nodes[id]!.state === 'P');
  let best: number | null = null;
  for (const id of published) if (nodes[id]!.value !== 0 && (best === null || better(nodes, id, best))) best = id;
  if (best !== null) return best;
  if (nodes[parent!]!.state === 'P' && nodes[parent!]!.value !== 0) return parent!;
  for (const id of published) if (best === null || better(nodes, id, best)) best = id;
  if (best !== null) return best;
  return nodes[parent!]!.state === 'P' ? parent! : null;
}

/** Step (2)'s complement for a determined cell: the smallest published cell of its equations, else of its group. */
function complementForDetermined(nodes: Node[], equations: Equation[], target: number): number | null {
  const smallestIn = (eqs: Equation[]) => {
    let best: number | null = null;
    for (const eq of eqs)
      for (const id of eq.cells) if (nodes[id]!.state === 'P' && (best === null || better(nodes, id, best))) best = id;
    return best;
  };
  const own = smallestIn(equations.filter((eq) => eq.cells.includes(target)));
  if (own !== null) return own;
  // The connected group of unknowns around the target, through equations that share them.
  const group = new Set([target]);
  let grown = true;
  while (grown) {
    grown = false;
    for (const eq of equations)
      if (eq.cells.some((id) => group.has(id)))
        for (const id of eq.cells)
          if (nodes[id]!.state !== 'P' && !group.has(id)) {
            group.add(id);
            grown = true;
          }
  }
  return smallestIn(equations.filter((eq) => eq.cells.some((id) => group.has(id))));
}

/**
 * The suppressed nodes (ids, in key order) that the published ones determine: the equations restricted to the
 * unknowns' columns, brought to reduced row echelon form by exact fraction-free elimination; an unknown is
 * determined when its column has a pivot whose row has no other entry (its unit vector is in the row space).
 */
function determinedNodes(nodes: Node[], equations: Equation[]): number[] {
  const basis = new Map<number, Map<number, bigint>>(); // pivot column → row, fully reduced
  for (const eq of equations) {
    let row = new Map<number, bigint>();
    eq.cells.forEach((id, i) => {
      if (nodes[id]!.state === 'P') return;
      const coefficient = i === 0 ? 1n : -1n;
      const sum = (row.get(id) ?? 0n) + coefficient;
      if (sum === 0n) row.delete(id);
      else row.set(id, sum);
    });
    for (const col of [...row.keys()]) {
      const pivotRow = basis.get(col);
      if (pivotRow) row = combine(row, pivotRow, col);
    }
    if (row.size === 0) continue;
    const pivot = Math.min(...row.keys());
    for (const [col, other] of basis) if (other.has(pivot)) basis.set(col, combine(other, row, pivot));
    basis.set(pivot, row);
  }
  const out: number[] = [];
  nodes.forEach((node, id) => {
    if (node.state === 'S' && basis.get(id)?.size === 1) out.push(id);
  });
  return out;
}

/** a·p − b·q with the entries at `col` cancelling (p = pivot's coefficient in b, q = a's at col), divided by the gcd. */
function combine(a: Map<number, bigint>, b: Map<number, bigint>, col: number): Map<number, bigint> {
  const p = b.get(col)!;
  const q = a.get(col) ?? 0n;
  if (q === 0n) return a;
  const out = new Map<number, bigint>();
  for (const [c, v] of a) out.set(c, v * p);
  for (const [c, v] of b) {
    const sum = (out.get(c) ?? 0n) - q * v;
    if (sum === 0n) out.delete(c);
    else out.set(c, sum);
  }
  out.delete(col);
  let g = 0n;
  for (const v of out.values()) g = gcd(g, v < 0n ? -v : v);
  if (g > 1n) for (const [c, v] of out) out.set(c, v / g);
  return out;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}
