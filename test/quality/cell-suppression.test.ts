/**
 * Small-cell suppression (server/domain/cell-suppression.ts): worked examples by hand, then laws checked on random
 * tables against an independent recoverability check written here (its own lattice over every combination of
 * dimensions, its own equations, and the rank of the unknowns' columns by dense rational elimination — not the
 * module's row-space elimination).
 */
import fc from 'fast-check';
import t from '../helpers/tap.ts';
import {
  derivableCells,
  MAX_LATTICE_CELLS,
  suppressedCells,
  suppressedInSeries,
  type Dimension,
  type SuppressionCell,
} from '../../server/domain/cell-suppression.ts';
import { allAssignments, independentlyDerivable, keyOf } from '../helpers/recoverability.ts';

const cell = (disaggregation: Record<string, string>, value: number | null): SuppressionCell => ({
  key: keyOf(disaggregation),
  disaggregation,
  value,
});
const sorted = (set: Set<string>) => [...set].sort();

const race: Dimension[] = [{ name: 'race', values: ['A', 'B', 'C'] }];
const oneDim = (total: number | null, a: number | null, b: number | null, c: number | null) => [
  cell({}, total),
  cell({ race: 'A' }, a),
  cell({ race: 'B' }, b),
  cell({ race: 'C' }, c),
];

t.test('one dimension, worked by hand', async (t) => {
  // 40 = A 3 + B 20 + C 17, min 11: A is primary; 40 − 20 − 17 would give it back, so the next smallest child
  // (C 17, not B 20) is the complement; the total stays.
  const cells = oneDim(40, 3, 20, 17);
  t.same(sorted(suppressedCells(cells, race, 11)), ['{"race":"A"}', '{"race":"C"}']);
  t.same(sorted(derivableCells(cells, race, new Set(['{"race":"A"}']))), ['{"race":"A"}'], 'primary alone leaks');
  t.same(sorted(derivableCells(cells, race, suppressedCells(cells, race, 11))), []);

  // A cell of 0 is published, and is not taken as the complement either: a 0 beside the 3 would tell A ≤ 3.
  t.same(sorted(suppressedCells(oneDim(40, 3, 0, 37), race, 11)), ['{"race":"A"}', '{"race":"C"}']);
  t.same(sorted(suppressedCells(oneDim(40, 0, 25, 15), race, 11)), [], '0 < v < min only');

  // Nothing below min: nothing suppressed.
  t.same(sorted(suppressedCells(oneDim(60, 11, 20, 29), race, 11)), []);

  // The total below min: it and its non-zero children are suppressed (T − A − C = 0 determines none of them).
  t.same(sorted(suppressedCells(oneDim(8, 5, 0, 3), race, 11)), ['{"race":"A"}', '{"race":"C"}', '{}']);

  // A missing (null) or absent child is an unknown already: A + B = 20 determines neither, so no complement.
  t.same(sorted(suppressedCells(oneDim(40, 3, null, 20), race, 11)), ['{"race":"A"}']);
  t.same(sorted(suppressedCells([cell({}, 40), cell({ race: 'A' }, 3), cell({ race: 'C' }, 20)], race, 11)), [
    '{"race":"A"}',
  ]);

  // Data that do not add up (30 ≠ 4 + 0): no non-zero child is left to pair with A, so the parent is the complement.
  const ab: Dimension[] = [{ name: 'race', values: ['A', 'B'] }];
  t.same(sorted(suppressedCells([cell({}, 30), cell({ race: 'A' }, 4), cell({ race: 'B' }, 0)], ab, 11)), [
    '{"race":"A"}',
    '{}',
  ]);

  // A value of the data the dimension does not declare still counts as a child: same answer as declared.
  t.same(sorted(suppressedCells(oneDim(40, 3, 20, 17), [{ name: 'race', values: ['A', 'B'] }], 11)), [
    '{"race":"A"}',
    '{"race":"C"}',
  ]);
});

t.test('two dimensions: a complement in one equation forces another in a second', async (t) => {
  const dims: Dimension[] = [
    { name: 'race', values: ['A', 'B', 'C'] },
    { name: 'sex', values: ['F', 'M'] },
  ];
  //          F    M  | race
  //   A      4   20  |  24
  //   B     12   25  |  37
  //   C     30   40  |  70
  //   sex   46   85  | 131
  const cross: Array<[string, string, number]> = [
    ['A', 'F', 4],
    ['A', 'M', 20],
    ['B', 'F', 12],
    ['B', 'M', 25],
    ['C', 'F', 30],
    ['C', 'M', 40],
  ];
  const cells = [
    cell({}, 131),
    cell({ race: 'A' }, 24),
    cell({ race: 'B' }, 37),
    cell({ race: 'C' }, 70),
    cell({ sex: 'F' }, 46),
    cell({ sex: 'M' }, 85),
    ...cross.map(([r, s, v]) => cell({ race: r, sex: s }, v)),
  ];
  // A·F 4 is primary. Row A: 24 − 20 gives it back → A·M. Column F: 46 − 12 − 30 gives it back → B·F (12, the
  // smallest). Column M now has A·M alone unknown: 85 − 25 − 40 gives it back → B·M (25). Row B has two unknowns
  // then, and the four cells form a cycle (A·F + A·M = 24, B·F + B·M = 37, A·F + B·F = 16, A·M + B·M = 45, rank 3):
  // none is determined. Row C and every margin stay published.
  const out = suppressedCells(cells, dims, 11);
  t.same(sorted(out), [
    '{"race":"A","sex":"F"}',
    '{"race":"A","sex":"M"}',
    '{"race":"B","sex":"F"}',
    '{"race":"B","sex":"M"}',
  ]);
  t.same(sorted(derivableCells(cells, dims, out)), []);
});

t.test('the exact check catches what one equation at a time misses', async (t) => {
  // A 4 × 4 table whose nine cells below 11 form two 2 × 2 cycles joined by r2·c3: every row and column has two or
  // more of them, so no single equation gives one back, but r1 + r2 − c1 − c2 = r2·c3 (a bridge of the cycles).
  const rows = ['r1', 'r2', 'r3', 'r4'];
  const cols = ['c1', 'c2', 'c3', 'c4'];
  const table = [
    [3, 5, 30, 40],
    [4, 6, 2, 12],
    [25, 35, 7, 8],
    [45, 50, 9, 1],
  ];
  const dims: Dimension[] = [
    { name: 'row', values: rows },
    { name: 'col', values: cols },
  ];
  const cells = [
    cell(
      {},
      table.flat().reduce((a, b) => a + b, 0),
    ),
  ];
  rows.forEach((r, i) =>
    cells.push(
      cell(
        { row: r },
        table[i]!.reduce((a, b) => a + b, 0),
      ),
    ),
  );
  cols.forEach((c, j) =>
    cells.push(
      cell(
        { col: c },
        table.reduce((a, row) => a + row[j]!, 0),
      ),
    ),
  );
  rows.forEach((r, i) => cols.forEach((c, j) => cells.push(cell({ row: r, col: c }, table[i]![j]!))));
  const at = (i: number, j: number) => keyOf({ row: rows[i]!, col: cols[j]! });
  const primary = new Set(cells.filter((c) => c.value! > 0 && c.value! < 11).map((c) => c.key));
  t.equal(primary.size, 9);
  t.same(
    sorted(derivableCells(cells, dims, primary)),
    [at(1, 2)],
    'r2·c3 = (78 − 70) + (24 − 12) − (77 − 70) − (96 − 85) = 2',
  );
  t.same(independentlyDerivable(cells, dims, primary), [at(1, 2)]);
  // The smallest published cell of r2·c3's equations (row r2: 24, r2·c4 12; column c3: 48, r1·c3 30) is r2·c4.
  const out = suppressedCells(cells, dims, 11);
  t.same(sorted(out), [...primary, at(1, 3)].sort());
  t.same(independentlyDerivable(cells, dims, out), []);
});

t.test('over a series each period stands alone', async (t) => {
  const points = [
    ...oneDim(40, 3, 20, 17).map((c) => ({ ...c, periodIndex: 2024 })),
    ...oneDim(60, 11, 20, 29).map((c) => ({ ...c, periodIndex: 2023 })),
    { ...cell({}, 8), periodIndex: 2022 },
  ];
  t.same(sorted(suppressedInSeries(points, race, 11)), ['2022 {}', '2024 {"race":"A"}', '2024 {"race":"C"}']);
});

t.test('beyond the cap every non-zero count is suppressed', async (t) => {
  const many = Array.from({ length: 80 }, (_, i) => `v${i}`);
  const dims: Dimension[] = [
    { name: 'x', values: many },
    { name: 'y', values: many },
  ];
  t.ok(81 * 81 > MAX_LATTICE_CELLS);
  const cells = [cell({}, 500), cell({ x: 'v0', y: 'v1' }, 40), cell({ x: 'v1' }, 0)];
  const out = suppressedCells(cells, dims, 11);
  t.same(sorted(out), ['{"x":"v0","y":"v1"}', '{}']);
  t.same(sorted(derivableCells(cells, dims, out)), []);
  t.same(sorted(derivableCells(cells, dims, new Set(['{}']))), ['{}']);
});

// ---- The independent check -------------------------------------------------------------------------------------

// ---- Random tables ---------------------------------------------------------------------------------------------

/**
 * 1–2 dimensions of 2–5 values; the finest cells drawn in 0..60 (often small) and summed up to every margin; each
 * cell present, absent or missing (null); sometimes no cross cells at all; a minimum cell size in 2..15; a
 * shuffling order.
 */
const tables = fc
  .array(fc.integer({ min: 2, max: 5 }), { minLength: 1, maxLength: 2 })
  .chain((sizes) => {
    const dims = sizes.map((n, i) => ({ name: `d${i}`, values: Array.from({ length: n }, (_, j) => `v${j}`) }));
    const lattice = allAssignments(dims);
    const finest = sizes.reduce((a, b) => a * b, 1);
    return fc.record({
      dims: fc.constant(dims),
      finest: fc.array(fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 60 })), {
        minLength: finest,
        maxLength: finest,
      }),
      presence: fc.array(fc.constantFrom(...Array<string>(8).fill('present'), 'absent', 'missing'), {
        minLength: lattice.length,
        maxLength: lattice.length,
      }),
      noCross: fc.boolean(),
      minCellSize: fc.integer({ min: 2, max: 15 }),
      order: fc.array(fc.nat(), { minLength: lattice.length, maxLength: lattice.length }),
    });
  })
  .map(({ dims, finest, presence, noCross, minCellSize, order }) => {
    // The finest cell's value by its full assignment (mixed radix), then every margin as a sum.
    const full = dims.reduce<Array<Record<string, string>>>(
      (acc, d) => acc.flatMap((a) => d.values.map((v) => ({ ...a, [d.name]: v }))),
      [{}],
    );
    const valueOf = (a: Record<string, string>) =>
      full.reduce((s, f, i) => (Object.entries(a).every(([k, v]) => f[k] === v) ? s + finest[i]! : s), 0);
    const cells: SuppressionCell[] = [];
    allAssignments(dims).forEach((a, i) => {
      if (presence[i] === 'absent' || (noCross && dims.length === 2 && Object.keys(a).length === 2)) return;
      cells.push(cell(a, presence[i] === 'missing' ? null : valueOf(a)));
    });
    const shuffled = cells
      .map((c, i) => ({ c, o: order[i]! }))
      .sort((x, y) => x.o - y.o)
      .map(({ c }) => c);
    return { dims, cells, shuffled, minCellSize };
  });

t.test('laws on random tables', async (t) => {
  t.test('(a) every cell with 0 < v < min is suppressed; only present, finite cells are', async (t) => {
    fc.assert(
      fc.property(tables, ({ dims, cells, minCellSize }) => {
        const out = suppressedCells(cells, dims, minCellSize);
        for (const c of cells)
          if (c.value !== null && c.value > 0 && c.value < minCellSize && !out.has(c.key)) return false;
        const finite = new Set(cells.filter((c) => c.value !== null).map((c) => c.key));
        return [...out].every((k) => finite.has(k));
      }),
      { numRuns: 300 },
    );
    t.pass();
  });

  t.test('(b) no suppressed cell can be recovered (independent exact check)', async (t) => {
    let suppressedTotal = 0;
    let leakyPrimaries = 0;
    let withComplement = 0;
    fc.assert(
      fc.property(tables, ({ dims, cells, minCellSize }) => {
        const out = suppressedCells(cells, dims, minCellSize);
        suppressedTotal += out.size;
        const primary = new Set(
          cells.filter((c) => c.value !== null && c.value > 0 && c.value < minCellSize).map((c) => c.key),
        );
        if (independentlyDerivable(cells, dims, primary).length > 0) leakyPrimaries++;
        if (out.size > primary.size) withComplement++;
        return independentlyDerivable(cells, dims, out).length === 0 && derivableCells(cells, dims, out).size === 0;
      }),
      { numRuns: 300 },
    );
    // The law must not hold vacuously: the random tables do suppress, and do need complements.
    t.ok(suppressedTotal > 300, `${suppressedTotal} cells suppressed`);
    t.ok(leakyPrimaries > 30, `${leakyPrimaries} tables leaked with primary suppression alone`);
    t.ok(withComplement > 30, `${withComplement} tables got complements`);
  });

  t.test('derivableCells agrees with the independent check on any suppressed set', async (t) => {
    fc.assert(
      fc.property(tables, fc.infiniteStream(fc.boolean()), ({ dims, cells }, coin) => {
        const suppressed = new Set(cells.filter(() => coin.next().value).map((c) => c.key));
        return (
          JSON.stringify(sorted(derivableCells(cells, dims, suppressed))) ===
          JSON.stringify(independentlyDerivable(cells, dims, suppressed))
        );
      }),
      { numRuns: 300 },
    );
    t.pass();
  });

  t.test('(c) determinism: the same cells in another order give the same set', async (t) => {
    fc.assert(
      fc.property(tables, ({ dims, cells, shuffled, minCellSize }) => {
        const a = sorted(suppressedCells(cells, dims, minCellSize));
        const b = sorted(suppressedCells(shuffled, dims, minCellSize));
        return JSON.stringify(a) === JSON.stringify(b);
      }),
      { numRuns: 300 },
    );
    t.pass();
  });

  t.test('(d) zero is never primary-suppressed: with min at the smallest positive count, nothing is', async (t) => {
    fc.assert(
      fc.property(tables, ({ dims, cells }) => {
        const positive = cells.map((c) => c.value).filter((v): v is number => v !== null && v > 0);
        const min = positive.length ? Math.min(...positive) : 1;
        return suppressedCells(cells, dims, min).size === 0;
      }),
      { numRuns: 300 },
    );
    t.pass();
  });
});
