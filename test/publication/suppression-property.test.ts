/**
 * Small-cell suppression tried to be broken through HTTP: random groupings of counts (one or two dimensions,
 * cross cells, some cells absent) are written through the API, then read as the public reads them — the data
 * points and the CSV export. In both: every count below the minimum is withheld, the two agree, the values shown
 * are the values written, and no withheld value can be recovered from the shown ones by adding and subtracting
 * (test/helpers/recoverability.ts: an independent exact check over the whole lattice).
 */
import fc from 'fast-check';
import t from '../helpers/tap.ts';
import type { Dimension, SuppressionCell } from '../../server/domain/cell-suppression.ts';
import { buildTestApp } from '../helpers/test-app.ts';
import { allAssignments, independentlyDerivable, keyOf } from '../helpers/recoverability.ts';

const NAMES = ['school', 'grade'];

/** 1–2 dimensions of 2–4 values; the finest cells in 0..30 (often small) summed up to every margin; some absent. */
const groupings = fc
  .record({
    sizes: fc.array(fc.integer({ min: 2, max: 4 }), { minLength: 1, maxLength: 2 }),
    seed: fc.array(fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 30 })), {
      minLength: 16,
      maxLength: 16,
    }),
    absent: fc.array(fc.boolean(), { minLength: 32, maxLength: 32 }),
    minCellSize: fc.integer({ min: 3, max: 15 }),
  })
  .map(({ sizes, seed, absent, minCellSize }) => {
    const dims: Dimension[] = sizes.map((n, i) => ({
      name: NAMES[i]!,
      values: Array.from({ length: n }, (_, j) => `g${j + 1}`),
    }));
    const finest = allAssignments(dims).filter((a) => Object.keys(a).length === dims.length);
    const valueOf = new Map(finest.map((a, i) => [keyOf(a), seed[i % seed.length]!]));
    const cells: SuppressionCell[] = allAssignments(dims).map((a, i) => {
      const value = finest
        .filter((f) => Object.entries(a).every(([k, v]) => f[k] === v))
        .reduce((sum, f) => sum + valueOf.get(keyOf(f))!, 0);
      // The total is always there; other cells are absent about one time in four.
      const present = Object.keys(a).length === 0 || !(absent[i % absent.length]! && absent[(i + 7) % absent.length]!);
      return { key: keyOf(a), disaggregation: a, value: present ? value : null };
    });
    return { dims, cells: cells.filter((c) => c.value !== null), minCellSize };
  });

t.test('no public output lets a withheld count be recovered', async (t) => {
  const api = await buildTestApp(t);
  const initiative = (await api.request({ method: 'POST', url: '/api/v1/initiatives', payload: { name: 'Counts' } }))
    .body;
  const result = (
    await api.request({
      method: 'POST',
      url: `/api/v1/initiatives/${initiative.id}/results`,
      payload: { statement: 'Children thrive', visibility: 'public' },
    })
  ).body;
  let withheldSeen = 0;
  await fc.assert(
    fc.asyncProperty(groupings, async ({ dims, cells, minCellSize }) => {
      const indicator = await api.request({
        method: 'POST',
        url: `/api/v1/results/${result.id}/indicators`,
        payload: {
          name: 'Students',
          unit: 'count',
          polarity: 'higher_is_better',
          frequency: 'annual',
          dimensions: dims,
          suppression: { minCellSize },
        },
      });
      if (indicator.status !== 201) throw new Error(indicator.raw);
      const id = indicator.body.id as string;
      const written = await api.request({
        method: 'PUT',
        url: `/api/v1/indicators/${id}/data-points`,
        payload: {
          points: cells.map((c) => ({ period: '2024', value: c.value, disaggregation: c.disaggregation })),
        },
      });
      if (written.status !== 200) throw new Error(written.raw);

      // The data points, as the public reads them.
      const items = (
        await api.request({ method: 'GET', url: `/api/v1/indicators/${id}/data-points?slice=all&limit=1000`, as: null })
      ).body.items as Array<{ disaggregation: Record<string, string>; value: number | null; confStatus: string }>;
      const truth = new Map(cells.map((c) => [c.key, c.value]));
      const withheld = new Set(items.filter((p) => p.confStatus === 'C').map((p) => keyOf(p.disaggregation)));
      for (const p of items) {
        if (p.confStatus === 'C') t.equal(p.value, null);
        else if (p.value !== truth.get(keyOf(p.disaggregation))) throw new Error('a shown value was changed');
      }
      for (const c of cells)
        if (c.value! > 0 && c.value! < minCellSize && !withheld.has(c.key))
          throw new Error(`${c.key} = ${c.value} is below ${minCellSize} and shown`);
      const recoverable = independentlyDerivable(cells, dims, withheld);
      if (recoverable.length > 0) throw new Error(`recoverable from the public data points: ${recoverable.join(' ')}`);

      // The public CSV withholds the same cells.
      const csv = (await api.request({ method: 'GET', url: `/api/v1/indicators/${id}/data.csv`, as: null })).raw;
      const [header, ...lines] = csv
        .trim()
        .split('\n')
        .map((line) => line.split(','));
      const column = (name: string) => header!.indexOf(name);
      const withheldInCsv = new Set(
        lines
          .filter((cellsOfRow) => cellsOfRow[column('CONF_STATUS')] === 'C')
          .map((row) => {
            const disaggregation: Record<string, string> = {};
            for (const d of dims) if (row[column(d.name)]) disaggregation[d.name] = row[column(d.name)]!;
            if (row[column('value')] !== '') throw new Error('a withheld CSV cell has a value');
            return keyOf(disaggregation);
          }),
      );
      if ([...withheldInCsv].sort().join() !== [...withheld].sort().join())
        throw new Error('the CSV and the data points withhold different cells');
      withheldSeen += withheld.size;
    }),
    { numRuns: 15 },
  );
  t.ok(withheldSeen > 0, `cells were withheld (${withheldSeen} over the runs): the property was not vacuous`);
});
