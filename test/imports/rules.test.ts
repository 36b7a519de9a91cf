/**
 * What an import does to stored data: all rows or none, dry runs, re-imports, empty cells, revisions
 * recorded as `import:<id>`, the import's record, and rejected rows reported by row, column and reason.
 */
import t from '../helpers/tap.ts';
import { sql } from 'kysely';
import { buildTestApp } from '../helpers/test-app.ts';
import { allPoints, createFixture, postCsv, SEX_AGE, summarize } from './helpers.ts';

const api = await buildTestApp(t);

const newIndicator = async () =>
  (await createFixture(api, { dimensions: SEX_AGE, code: 'UNEMP' })).indicator as { id: string; resultId: string };
const versions = async () =>
  (await sql<{ n: number }>`select count(*)::int as n from data_points`.execute(api.db)).rows[0]!.n;

const FILE = [
  'period,sex,age_group,value,note,status,source',
  '2020,,,8.7,Plant closure,final,LAUS',
  '2020,female,,9.1,,provisional,',
  '2020,male,15-24,14.2,,,',
  '2021,,,8.1,,,',
].join('\n');

t.test('import, then re-import the same file: nothing changes, no revision is recorded', async (t) => {
  const indicator = await newIndicator();
  const first = await postCsv(api, indicator.id, FILE);
  t.equal(first.status, 200, first.raw);
  t.match(first.body, {
    status: 'succeeded',
    dryRun: false,
    rows: 4,
    inserted: 4,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    errorCount: 0,
    errors: [],
  });
  const stored = await allPoints(api, indicator.id);
  t.same(summarize(stored), [
    ['2020', '{"age_group":"15-24","sex":"male"}', 14.2, null, null, null],
    ['2020', '{"sex":"female"}', 9.1, null, 'provisional', null],
    ['2020', '{}', 8.7, 'Plant closure', 'final', 'LAUS'],
    ['2021', '{}', 8.1, null, null, null],
  ]);
  const before = await versions();
  const again = await postCsv(api, indicator.id, FILE);
  t.equal(again.status, 200);
  t.match(again.body, { inserted: 0, updated: 0, unchanged: 4 });
  t.equal(await versions(), before, 'no new version');
  t.same(
    (await allPoints(api, indicator.id)).map((p) => [p.id, p.version]),
    stored.map((p) => [p.id, p.version]),
  );
});

t.test('revisions record import:<id>; GET /imports/{id} returns the record', async (t) => {
  const indicator = await newIndicator();
  const first = await postCsv(api, indicator.id, FILE);
  const changed = await postCsv(api, indicator.id, 'period,value,note\n2020,8.8,\n2022,7\n');
  t.match(changed.body, { inserted: 1, updated: 1, unchanged: 0 });
  const total2020 = (await allPoints(api, indicator.id)).find(
    (p) => p.period === '2020' && Object.keys(p.disaggregation).length === 0,
  )!;
  t.match(
    total2020,
    { value: 8.8, note: 'Plant closure', status: 'final', source: 'LAUS', version: 2 },
    'omitted and empty cells keep stored values',
  );
  const history = await api.request({ method: 'GET', url: `/api/v1/data-points/${total2020.id}/history` });
  t.same(
    history.body.revisions.map((r: { how: string; old: { value: number } | null; new: { value: number } }) => [
      r.how,
      r.old?.value ?? null,
      r.new.value,
    ]),
    [
      [`import:${first.body.importId}`, null, 8.7],
      [`import:${changed.body.importId}`, 8.7, 8.8],
    ],
  );
  const record = await api.request({ method: 'GET', url: `/api/v1/imports/${changed.body.importId}` });
  t.equal(record.status, 200, record.raw);
  t.match(record.body, {
    id: changed.body.importId,
    target: { kind: 'indicator', id: indicator.id },
    createdBy: 'admin (RBA_ADMIN_TOKEN)',
    dryRun: false,
    format: 'tidy',
    status: 'succeeded',
    rows: 2,
    inserted: 1,
    updated: 1,
    unchanged: 0,
    rejected: 0,
    errors: [],
    message: null,
  });
  t.ok(record.body.finishedAt >= record.body.createdAt);
  const unknown = await api.request({ method: 'GET', url: '/api/v1/imports/0196f0a2-7c1e-7b3a-9d4e-2f1a3c5b7d9e' });
  t.equal(unknown.status, 404);
});

t.test('one bad row: 422 naming row, column and reason; nothing is written', async (t) => {
  const indicator = await newIndicator();
  await postCsv(api, indicator.id, FILE);
  const before = await versions();
  const stored = summarize(await allPoints(api, indicator.id));
  const bad = [
    'period,sex,age_group,value,note,status',
    '2020,,,9.9,,',
    '2022,,,7.1,,',
    '2023,other,,7,,',
    '2024,,,7,,maybe',
    '2025,,,,,',
    '2018,,,1.2.3,,',
    '2019,,,12%,,',
    '20xx,,,1,,',
  ].join('\n');
  const res = await postCsv(api, indicator.id, bad);
  t.equal(res.status, 422);
  t.equal(res.body.error.code, 'rows_rejected');
  t.match(res.body.error.message, /^6 of 8 rows cannot be imported \(6 errors\); nothing was written\. row 4, sex: /);
  t.same(
    res.body.error.details.map((d: { path: string; code: string }) => [d.path, d.code]),
    [
      ['rows.4.sex', 'undeclared_dimension_value'],
      ['rows.5.status', 'invalid_status'],
      ['rows.6.value', 'missing_value'],
      ['rows.7.value', 'invalid_value'],
      ['rows.8.value', 'invalid_value'],
      ['rows.9.period', 'malformed_period'],
    ],
  );
  t.match(res.body.error.details[4].message, /^row 8, value: "12%" is not a number \(write the number without %\)$/);
  t.equal(await versions(), before, 'no version written');
  t.same(summarize(await allPoints(api, indicator.id)), stored, 'the valid rows were not written either');
  const importId = /import ([0-9a-f-]{36})/.exec(res.body.error.message)![1];
  const record = await api.request({ method: 'GET', url: `/api/v1/imports/${importId}` });
  t.match(record.body, { status: 'rejected', rows: 8, rejected: 6, errorCount: 6, inserted: 0 });
  t.same(
    record.body.errors.map((e: { row: number; column: string }) => [e.row, e.column]),
    [
      [4, 'sex'],
      [5, 'status'],
      [6, 'value'],
      [7, 'value'],
      [8, 'value'],
      [9, 'period'],
    ],
  );
});

t.test('a request stopped before its header is accepted leaves no trace', async (t) => {
  const indicator = await newIndicator();
  const imports = async () =>
    (await sql<{ n: number }>`select count(*)::int as n from imports`.execute(api.db)).rows[0]!.n;
  const before = await imports();
  for (const body of ['', 'x', 'period,value,colour\n2020,1,red\n'])
    t.equal((await postCsv(api, indicator.id, body)).status, 400);
  t.equal((await postCsv(api, indicator.id, '{}', { contentType: 'application/json' })).status, 415);
  t.equal(await imports(), before, 'no import recorded');
  t.equal((await postCsv(api, indicator.id, 'period,value\n2020,x\n')).status, 422);
  t.equal(await imports(), before + 1, 'a rejected file is recorded');
});

t.test('duplicate rows name both rows', async (t) => {
  const indicator = await newIndicator();
  const res = await postCsv(
    api,
    indicator.id,
    'period,sex,value\n2020,female,1\n2021,,2\n2020,Female,3\n2020,female,4\n2021,,2\n',
  );
  t.equal(res.status, 422);
  t.same(
    res.body.error.details.map((d: { path: string; message: string }) => [d.path, d.message]),
    [
      ['rows.4', 'row 4: repeats row 2: same indicator, period and disaggregation'],
      ['rows.5', 'row 5: repeats row 2: same indicator, period and disaggregation'],
      ['rows.6', 'row 6: repeats row 3: same indicator, period and disaggregation'],
    ],
  );
  t.same(await allPoints(api, indicator.id), []);
});

t.test('dry run: the same checks and counts, nothing written', async (t) => {
  const indicator = await newIndicator();
  await postCsv(api, indicator.id, FILE);
  const before = await versions();
  const dry = await postCsv(api, indicator.id, 'period,value\n2020,8.7\n2021,8.2\n2022,7\n', { query: 'dryRun=true' });
  t.equal(dry.status, 200, dry.raw);
  t.match(dry.body, { status: 'succeeded', dryRun: true, rows: 3, inserted: 1, updated: 1, unchanged: 1, rejected: 0 });
  t.equal(await versions(), before);
  const dryBad = await postCsv(api, indicator.id, 'period,value\n2020,8.7\n2021,x\n2022,7\n2022,7\n', {
    query: 'dryRun=true',
  });
  t.equal(dryBad.status, 200, 'a dry run reports its errors in the report');
  t.match(dryBad.body, {
    status: 'rejected',
    dryRun: true,
    rows: 4,
    inserted: 1,
    unchanged: 1,
    rejected: 2,
    errorCount: 2,
    errors: [
      { row: 3, column: 'value', code: 'invalid_value' },
      { row: 5, column: null, code: 'duplicate_row' },
    ],
  });
  t.equal(await versions(), before);
  const record = await api.request({ method: 'GET', url: `/api/v1/imports/${dryBad.body.importId}` });
  t.match(record.body, { dryRun: true, status: 'rejected', rejected: 2 });
});

t.test('empty cells keep stored values; emptyCells=clear clears them', async (t) => {
  const indicator = await newIndicator();
  await postCsv(api, indicator.id, 'period,value,note,status,source\n2020,1,n,final,s\n2021,2,n,final,s\n');
  const kept = await postCsv(api, indicator.id, 'period,value,note,status,source\n2020,1,,,\n');
  t.match(kept.body, { unchanged: 1 });
  const cleared = await postCsv(api, indicator.id, 'period,value,note,status,source\n2020,1,,,\n2021,2,,final,\n', {
    query: 'emptyCells=clear',
  });
  t.match(cleared.body, { updated: 2 });
  t.same(summarize(await allPoints(api, indicator.id)), [
    ['2020', '{}', 1, null, null, null],
    ['2021', '{}', 2, null, 'final', null],
  ]);
});

t.test('more than 1,000 errors: the first 1,000 are listed, then a count', async (t) => {
  const indicator = await newIndicator();
  const rows = Array.from({ length: 1500 }, (_, i) => `${1990 + (i % 30)},x${i}`);
  const res = await postCsv(api, indicator.id, `period,value\n${rows.join('\n')}\n`);
  t.equal(res.status, 422);
  t.equal(res.body.error.details.length, 1001);
  t.same(res.body.error.details[1000], {
    path: 'rows',
    code: 'more_errors',
    message: '500 more errors are not listed',
  });
  t.match(res.body.error.message, /^1500 of 1500 rows cannot be imported \(1500 errors\)/);
  const dry = await postCsv(api, indicator.id, `period,value\n${rows.join('\n')}\n`, { query: 'dryRun=true' });
  t.match(dry.body, { errorCount: 1500, rejected: 1500 });
  t.equal(dry.body.errors.length, 1000);
});

t.test('a result-level file cut to one indicator imports into that indicator', async (t) => {
  const indicator = await newIndicator();
  const res = await postCsv(
    api,
    indicator.id,
    `indicator,period,value\nUNEMP,2020,1\n${indicator.id},2021,2\n,2022,3\n`,
  );
  t.equal(res.status, 200, res.raw);
  t.match(res.body, { inserted: 3 });
  const other = await postCsv(api, indicator.id, 'indicator,period,value\nOTHER,2020,1\n');
  t.equal(other.status, 422);
  t.match(other.body.error.details[0], { path: 'rows.2.indicator', code: 'unknown_indicator' });
});
