/**
 * A file of three batches (BATCH_ROWS rows each) goes through in one transaction: every row lands, a re-import
 * changes nothing, a repeat two batches away from its first row is still found (in SQL, across batches), and
 * one bad row at the very end leaves everything as it was. Three batches prove what more would: the first, one
 * in the middle, and the last.
 */
import t from 'tap';
import { sql } from 'kysely';
import { BATCH_ROWS } from '../../server/services/csv-import.ts';
import { buildTestApp } from '../helpers/test-app.ts';
import { createFixture, postCsv } from './helpers.ts';

const api = await buildTestApp(t);
const MONTHS = 500;
const ROWS = 3 * BATCH_ROWS;
const districts = Array.from({ length: ROWS / MONTHS }, (_, i) => `D${String(i).padStart(3, '0')}`);
const { indicator } = await createFixture(api, {
  frequency: 'monthly',
  unit: 'count',
  dimensions: [{ name: 'district', values: districts }],
});

const months = Array.from(
  { length: MONTHS },
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

t.test(`${ROWS} rows: imported in three batches, then re-imported unchanged`, async (t) => {
  t.equal(rows.length, ROWS);
  const first = await postCsv(api, indicator.id, file(rows));
  t.equal(first.status, 200, first.raw.slice(0, 500));
  t.match(first.body, { rows: ROWS, inserted: ROWS, updated: 0, unchanged: 0, rejected: 0 });
  const stored = await current();
  t.equal(stored.n, ROWS);
  t.equal(
    stored.sum,
    rows.reduce((sum, r) => sum + Number(r.split(',')[2]), 0),
  );
  const again = await postCsv(api, indicator.id, file(rows));
  t.match(again.body, { inserted: 0, updated: 0, unchanged: ROWS });
});

t.test(`a repeat ${ROWS - 1} rows apart and a bad last row: 422, nothing written`, async (t) => {
  const before = await current();
  const changed = rows.map((r, i) => (i === 10 ? r.replace(/,[^,]+$/, ',1e6') : r));
  const bad = await postCsv(api, indicator.id, file([...changed, rows[0]!, `${months[0]},D999,1`]));
  t.equal(bad.status, 422);
  t.same(
    bad.body.error.details.map((d: { path: string; code: string }) => [d.path, d.code]),
    [
      [`rows.${ROWS + 2}`, 'duplicate_row'],
      [`rows.${ROWS + 3}.district`, 'undeclared_dimension_value'],
    ],
  );
  t.match(bad.body.error.details[0].message, /repeats row 2:/);
  t.same(await current(), before, 'the changed row 12 was not written either');
  const dry = await postCsv(api, indicator.id, file(changed), { query: 'dryRun=true' });
  t.match(dry.body, { status: 'succeeded', inserted: 0, updated: 1, unchanged: ROWS - 1 });
  t.same(await current(), before);
});
