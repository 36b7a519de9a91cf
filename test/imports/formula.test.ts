/**
 * CSV formula injection (docs/csv.md, "Exporting"): cells a spreadsheet would run as formulas are written with
 * a leading quote — in anonymous downloads too — plain numbers stay numbers, and importing the export gives
 * back exactly what was stored.
 */
import t from '../helpers/tap.ts';
import { parse } from 'csv-parse/sync';
import { buildTestApp } from '../helpers/test-app.ts';
import { allPoints, createFixture, postCsv, summarize } from './helpers.ts';

const api = await buildTestApp(t);

const DIMENSIONS = [{ name: 'group', values: ['=1+1', '-1.5', "'@quoted", 'plain'] }];
const POINTS = [
  { period: '2019', value: -1.5, note: '=HYPERLINK("http://evil.example","click")', source: '@cmd' },
  { period: '2020', value: 2, note: '+1+1', source: '-1+1', disaggregation: { group: '=1+1' } },
  { period: '2020', value: -1e-7, note: '-1.5', source: "'=already quoted", disaggregation: { group: '-1.5' } },
  { period: '2021', value: 3, note: "'@quoted", disaggregation: { group: "'@quoted" } },
  { period: '2021', value: 4, note: 'a = b, plainly', disaggregation: { group: 'plain' } },
];

t.test('exports neutralise formulas; the import restores them; numbers stay numbers', async (t) => {
  const { indicator, result } = await createFixture(api, { dimensions: DIMENSIONS, code: 'FORMULA' });
  await api.request({ method: 'PATCH', url: `/api/v1/results/${result.id}`, payload: { visibility: 'public' } });
  const put = await api.request({
    method: 'PUT',
    url: `/api/v1/indicators/${indicator.id}/data-points`,
    payload: { points: POINTS },
  });
  t.equal(put.status, 200, put.raw);
  const before = summarize(await allPoints(api, indicator.id));

  const anonymous = await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.id}/data.csv`, as: null });
  t.equal(anonymous.status, 200, 'the public file is downloadable without a token');
  const rows = parse(anonymous.raw) as string[][];
  t.same(rows[0], ['period', 'group', 'value', 'note', 'status', 'source', 'OBS_STATUS', 'COMMENT_OBS']);
  // The first six columns (OBS_STATUS and COMMENT_OBS are empty here).
  const byNote = new Map(rows.slice(1).map((r) => [r[3], r.slice(0, 6)]));
  t.same(byNote.get(`'=HYPERLINK("http://evil.example","click")`), [
    '2019',
    '',
    '-1.5',
    `'=HYPERLINK("http://evil.example","click")`,
    '',
    "'@cmd",
  ]);
  t.same(byNote.get("'+1+1"), ['2020', "'=1+1", '2', "'+1+1", '', "'-1+1"], 'dimension values too');
  t.same(byNote.get('-1.5'), ['2020', '-1.5', '-1e-7', '-1.5', '', "''=already quoted"], 'a plain number is kept');
  t.same(
    byNote.get("''@quoted"),
    ['2021', "''@quoted", '3', "''@quoted", '', ''],
    'a quote already there gets one more',
  );
  t.same(byNote.get('a = b, plainly'), ['2021', 'plain', '4', 'a = b, plainly', '', '']);
  for (const cell of rows.flat())
    t.notOk(/^[=+@\t\r]/.test(cell) || /^-(?![\d.])/.test(cell), `no cell starts a formula: ${JSON.stringify(cell)}`);

  const admin = await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.id}/data.csv` });
  t.equal(admin.raw, anonymous.raw, 'the same file for the administrator');
  const again = await postCsv(api, indicator.id, admin.raw);
  t.equal(again.status, 200, again.raw);
  t.match(again.body, { inserted: 0, updated: 0, unchanged: POINTS.length }, 'importing the export changes nothing');
  t.same(summarize(await allPoints(api, indicator.id)), before, 'the stored notes, sources and slices are as entered');
});

t.test('a file written by hand: one quote before a formula is taken off, other quotes stay', async (t) => {
  const { indicator } = await createFixture(api, { code: 'HAND' });
  const res = await postCsv(api, indicator.id, "period,value,note\n2019,1,'=A1\n2020,2,'2024-07 as text\n");
  t.equal(res.status, 200, res.raw);
  const notes = (await allPoints(api, indicator.id)).map((p) => p.note);
  t.same(notes.sort(), ["'2024-07 as text", '=A1']);
});
