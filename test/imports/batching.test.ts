/**
 * A file of three batches (BATCH_ROWS rows each) goes through in one transaction: every row lands, a re-import
 * changes nothing, a repeat two batches away from its first row is still found (in SQL, across batches), and
 * one bad row at the very end leaves everything as it was. Three batches prove what more would: the first, one
 * in the middle, and the last.
 */
import t from '../helpers/tap.ts';
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

t.test('changes in every batch are written at one instant: as of just before it none, just after it all', async (t) => {
  const edited = new Map([
    [10, '123456'],
    [BATCH_ROWS + 10, '234567'],
    [2 * BATCH_ROWS + 10, '345678'],
  ]);
  const noted = BATCH_ROWS + 20; // a note alone (value unchanged): that batch stages its optional fields too
  const changed = rows.map((r, i) =>
    edited.has(i) ? `${r.replace(/,[^,]+$/, `,${edited.get(i)}`)},` : `${r},${i === noted ? 'Checked again' : ''}`,
  );
  const res = await postCsv(api, indicator.id, `period,district,value,note\n${changed.join('\n')}\n`);
  t.equal(res.status, 200, res.raw.slice(0, 500));
  t.match(res.body, { inserted: 0, updated: 4, unchanged: ROWS - 4, rejected: 0 });

  const { rows: written } = await sql<{ at: string; n: number }>`
    select to_char(valid_from at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at, count(*)::int as n
    from data_points where indicator_id = ${indicator.id} and recorded_how = ${`import:${res.body.importId}`}
    group by 1`.execute(api.db);
  t.equal(written.length, 1, 'every version the import wrote starts at the same instant');
  t.equal(written[0]!.n, 4);
  const at = written[0]!.at;
  const closed = await sql<{ n: number }>`
    select count(*)::int as n from data_points
    where indicator_id = ${indicator.id} and valid_to = ${at}::timestamptz`.execute(api.db);
  t.equal(closed.rows[0]!.n, 4, 'the versions they replace end at that instant');

  const valuesAsOf = async (asOf: string) => {
    const csv = await api.request({
      method: 'GET',
      url: `/api/v1/indicators/${indicator.id}/data.csv?asOf=${encodeURIComponent(asOf)}`,
    });
    t.equal(csv.status, 200);
    const lines = csv.raw.trim().split('\n').slice(1);
    return {
      rows: lines.length,
      edited: lines.filter((l) => [...edited.values()].some((v) => l.includes(`,${v},`))).length,
      noted: lines.filter((l) => l.includes('Checked again')).length,
    };
  };
  const justBefore = new Date(Date.parse(at) - 1).toISOString();
  t.same(await valuesAsOf(justBefore), { rows: ROWS, edited: 0, noted: 0 }, 'as of just before: the file not at all');
  const justAfter = new Date(Date.parse(at) + 1).toISOString();
  t.same(await valuesAsOf(justAfter), { rows: ROWS, edited: 3, noted: 1 }, 'as of just after: the whole file');
});
