/**
 * A 50,000-row file goes through many batches (5,000 rows each) in one transaction: every row lands, a
 * re-import changes nothing, a repeat far from its first row is still found (in SQL, across batches), and
 * one bad row at the very end leaves everything as it was.
 */
import t from 'tap';
import { sql } from 'kysely';
import { buildTestApp } from '../helpers/test-app.ts';
import { createFixture, postCsv } from './helpers.ts';

const api = await buildTestApp(t);
const districts = Array.from({ length: 100 }, (_, i) => `D${String(i).padStart(3, '0')}`);
const { indicator } = await createFixture(api, {
  frequency: 'monthly',
  unit: 'count',
  dimensions: [{ name: 'district', values: districts }],
});

const months = Array.from(
  { length: 500 },
  (_, i) => `${1980 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`,
);
const rows: string[] = [];
for (const district of districts)
  for (const [i, month] of months.entries()) rows.push(`${month},${district},${(i * 7919) % 1000}.5`);
const file = (body: string[]) => `period,district,value\n${body.join('\n')}\n`;
const current = async () =>
  (
    await sql<{
      n: number;
      sum: number;
    }>`select count(*)::int as n, sum(value)::float8 as sum from data_points where indicator_id = ${indicator.id} and valid_to is null`.execute(
      api.db,
    )
  ).rows[0]!;

t.test('50,000 rows: imported in batches, then re-imported unchanged', async (t) => {
  t.equal(rows.length, 50_000);
  const first = await postCsv(api, indicator.id, file(rows));
  t.equal(first.status, 200, first.raw.slice(0, 500));
  t.match(first.body, { rows: 50_000, inserted: 50_000, updated: 0, unchanged: 0, rejected: 0 });
  const stored = await current();
  t.equal(stored.n, 50_000);
  t.equal(
    stored.sum,
    rows.reduce((sum, r) => sum + Number(r.split(',')[2]), 0),
  );
  const again = await postCsv(api, indicator.id, file(rows));
  t.match(again.body, { inserted: 0, updated: 0, unchanged: 50_000 });
});

t.test('a repeat 49,999 rows apart and a bad last row: 422, nothing written', async (t) => {
  const before = await current();
  const changed = rows.map((r, i) => (i === 10 ? r.replace(/,[^,]+$/, ',1e6') : r));
  const bad = await postCsv(api, indicator.id, file([...changed, rows[0]!, `${months[0]},D999,1`]));
  t.equal(bad.status, 422);
  t.same(
    bad.body.error.details.map((d: { path: string; code: string }) => [d.path, d.code]),
    [
      ['rows.50002', 'duplicate_row'],
      ['rows.50003.district', 'undeclared_dimension_value'],
    ],
  );
  t.match(bad.body.error.details[0].message, /repeats row 2:/);
  t.same(await current(), before, 'the changed row 12 was not written either');
  const dry = await postCsv(api, indicator.id, file(changed), { query: 'dryRun=true' });
  t.match(dry.body, { status: 'succeeded', inserted: 0, updated: 1, unchanged: 49_999 });
  t.same(await current(), before);
});
