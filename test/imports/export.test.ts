/**
 * Tidy CSV exports: headers, quoting, slices, asOf, private indicators hidden — and the round trip:
 * exporting and importing the file again gives 0 inserted, 0 updated, N unchanged.
 */
import t from '../helpers/tap.ts';
import { parse } from 'csv-parse/sync';
import { buildTestApp, databaseNow } from '../helpers/test-app.ts';
import { addIndicator, allPoints, createFixture, postCsv, SEX_AGE, summarize } from './helpers.ts';

const api = await buildTestApp(t);

const put = async (indicatorId: string, points: unknown[]) => {
  const res = await api.request({
    method: 'PUT',
    url: `/api/v1/indicators/${indicatorId}/data-points`,
    payload: { points },
  });
  if (res.status !== 200) throw new Error(res.raw);
  return res.body;
};
const get = (url: string, as?: string | null) => api.request({ method: 'GET', url, ...(as !== undefined && { as }) });

const TRICKY = [
  {
    period: '2019',
    value: 0.30000000000000004,
    note: 'comma, "quotes" and\na line break',
    status: 'final',
    source: 'LAUS; BLS',
  },
  { period: '2020', value: -1e-7, disaggregation: { sex: 'female' } },
  {
    period: '2020',
    value: 1e21,
    disaggregation: { sex: 'male', age_group: '55+' },
    note: '=SUM(A1) stays text',
    status: 'provisional',
  },
  { period: '2021', value: 12345678.125, note: 'Été à Zürich — ✓', source: '' },
];

t.test("an indicator's data.csv: header, quoting, the total first then each slice, file name", async (t) => {
  const { indicator } = await createFixture(api, { dimensions: SEX_AGE, code: 'UNEMP_RATE' });
  await put(indicator.id, TRICKY);
  const res = await get(`/api/v1/indicators/${indicator.id}/data.csv`);
  t.equal(res.status, 200);
  t.equal(res.headers['content-type'], 'text/csv; charset=utf-8');
  t.equal(res.headers['content-disposition'], 'attachment; filename="UNEMP_RATE.csv"');
  t.equal(
    res.raw,
    [
      'period,sex,age_group,value,note,status,source,OBS_STATUS,COMMENT_OBS',
      '2019,,,0.30000000000000004,"comma, ""quotes"" and\na line break",final,LAUS; BLS,,',
      '2021,,,12345678.125,Été à Zürich — ✓,,,,',
      "2020,male,55+,1e+21,'=SUM(A1) stays text,provisional,,P,",
      '2020,female,,-1e-7,,,,,',
      '',
    ].join('\n'),
  );
  const bom = await get(`/api/v1/indicators/${indicator.id}/data.csv?bom=true`);
  t.ok(bom.raw.startsWith('\uFEFFperiod,'), 'bom=true adds a byte-order mark for Excel');
  const empty = await createFixture(api);
  const none = await get(`/api/v1/indicators/${empty.indicator.id}/data.csv`);
  t.equal(none.raw, 'period,value,note,status,source,OBS_STATUS,COMMENT_OBS\n', 'no data: the header alone');
  t.equal((await get('/api/v1/indicators/0196f0a2-7c1e-7b3a-9d4e-2f1a3c5b7d9e/data.csv')).status, 404);
});

t.test('round trip: export → import changes nothing (indicator and result)', async (t) => {
  const { indicator, result } = await createFixture(api, { dimensions: SEX_AGE, code: 'UNEMP' });
  await put(indicator.id, TRICKY);
  const second = await addIndicator(api, result.id, {
    frequency: 'monthly',
    dimensions: [
      { name: 'age_group', values: ['15-24', '55+'] },
      { name: 'city', values: ['Detroit', 'Flint'] },
    ],
  });
  await put(second.id, [
    { period: '2024-01', value: 1, disaggregation: { city: 'Flint' } },
    { period: '2024-02', value: 2, disaggregation: { city: 'Detroit', age_group: '15-24' }, note: 'x' },
    { period: '2024-03', value: 3 },
  ]);
  const stored = summarize(await allPoints(api, indicator.id));

  const one = await get(`/api/v1/indicators/${indicator.id}/data.csv`);
  const back = await postCsv(api, indicator.id, one.raw);
  t.equal(back.status, 200, back.raw);
  t.match(back.body, { inserted: 0, updated: 0, unchanged: 4, rejected: 0 });

  const all = await get(`/api/v1/results/${result.id}/data.csv`);
  t.equal(all.status, 200);
  t.match(all.headers['content-disposition'], new RegExp(`^attachment; filename="result-${result.id}.csv"$`));
  const rows = parse(all.raw) as string[][];
  t.same(rows[0], [
    'indicator',
    'period',
    'sex',
    'age_group',
    'city',
    'value',
    'note',
    'status',
    'source',
    'OBS_STATUS',
    'COMMENT_OBS',
  ]);
  t.same(
    rows.slice(1).map((r) => r[0]),
    ['UNEMP', 'UNEMP', 'UNEMP', 'UNEMP', second.id, second.id, second.id],
    'code, or id when there is none',
  );
  const backAll = await postCsv(api, result.id, all.raw, { level: 'result' });
  t.equal(backAll.status, 200, backAll.raw);
  t.match(backAll.body, { inserted: 0, updated: 0, unchanged: 7 });

  // Into a fresh result with the same indicators, the export recreates the same data.
  const copy = await createFixture(api, { dimensions: SEX_AGE, code: 'UNEMP' });
  const fresh = await postCsv(api, copy.indicator.id, one.raw);
  t.match(fresh.body, { inserted: 4 });
  t.same(
    summarize(await allPoints(api, copy.indicator.id)).map((r) => r.slice(0, 5)),
    stored.map((r) => r.slice(0, 5)),
  );
  t.same(
    summarize(await allPoints(api, copy.indicator.id)).map((r) => r[5] ?? ''),
    stored.map((r) => r[5] ?? ''),
    'sources match (an empty source reads back as none)',
  );
});

t.test('asOf: the figures as they stood then', async (t) => {
  const { indicator } = await createFixture(api, { code: 'ASOF' });
  await put(indicator.id, [
    { period: '2020', value: 1 },
    { period: '2021', value: 2 },
  ]);
  await new Promise((resolve) => setTimeout(resolve, 20));
  const between = await databaseNow(api.db);
  await new Promise((resolve) => setTimeout(resolve, 20));
  await postCsv(api, indicator.id, 'period,value\n2020,1.5\n2022,3\n');
  const now = await get(`/api/v1/indicators/${indicator.id}/data.csv`);
  t.equal(now.raw, 'period,value,note,status,source,OBS_STATUS,COMMENT_OBS\n2020,1.5,,,,,\n2021,2,,,,,\n2022,3,,,,,\n');
  const then = await get(`/api/v1/indicators/${indicator.id}/data.csv?asOf=${encodeURIComponent(between)}`);
  t.equal(then.raw, 'period,value,note,status,source,OBS_STATUS,COMMENT_OBS\n2020,1,,,,,\n2021,2,,,,,\n');
  t.match(then.headers['content-disposition'], /filename="ASOF-as-of-\d{4}-\d{2}-\d{2}\.csv"/);
});

t.test('private data stay hidden from those who may not see them', async (t) => {
  const { initiative, result, indicator } = await createFixture(api, { code: 'PUBLIC_ONE' });
  await api.request({ method: 'PATCH', url: `/api/v1/results/${result.id}`, payload: { visibility: 'public' } });
  const hidden = await addIndicator(api, result.id, { code: 'HIDDEN', visibility: 'private' });
  await put(indicator.id, [{ period: '2020', value: 1 }]);
  await put(hidden.id, [{ period: '2020', value: 2 }]);
  const viewer = (
    await api.request({
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { name: 'viewer', role: 'viewer', initiativeId: initiative.id },
    })
  ).body.secret;
  const anonymous = await get(`/api/v1/results/${result.id}/data.csv`, null);
  t.equal(anonymous.status, 200);
  t.equal(anonymous.raw, 'indicator,period,value,note,status,source,OBS_STATUS,COMMENT_OBS\nPUBLIC_ONE,2020,1,,,,,\n');
  const insider = await get(`/api/v1/results/${result.id}/data.csv`, viewer);
  t.equal(
    insider.raw,
    'indicator,period,value,note,status,source,OBS_STATUS,COMMENT_OBS\nPUBLIC_ONE,2020,1,,,,,\nHIDDEN,2020,2,,,,,\n',
  );
  t.equal((await get(`/api/v1/indicators/${hidden.id}/data.csv`, null)).status, 404);
  const privateResult = await createFixture(api);
  t.equal((await get(`/api/v1/results/${privateResult.result.id}/data.csv`, null)).status, 404);
});
