/**
 * The files spreadsheets write: quoting, byte-order marks, `;` separators with decimal commas, CRLF,
 * UTF-16, dimensions, and the Open SDG layout; and the header problems that stop a file (400).
 */
import t from '../helpers/tap.ts';
import { gzipSync } from 'node:zlib';
import { buildTestApp } from '../helpers/test-app.ts';
import { allPoints, createFixture, postCsv, SEX_AGE, summarize } from './helpers.ts';

const api = await buildTestApp(t);

const withDims = async (extra: Record<string, unknown> = {}) =>
  (await createFixture(api, { dimensions: SEX_AGE, ...extra })).indicator as { id: string; resultId: string };

t.test('quoted cells: separators, quotes and line breaks inside', async (t) => {
  const indicator = await withDims();
  const csv =
    'period,value,note,source\n2020,8.7,"Plant closure, east side","BLS ""LAUS"""\n2021,8.1,"two\nlines",\n2022,7.5,plain,\n';
  const res = await postCsv(api, indicator.id, csv);
  t.equal(res.status, 200, res.raw);
  t.match(res.body, { inserted: 3, rows: 3, rejected: 0, format: 'tidy' });
  t.same(summarize(await allPoints(api, indicator.id)), [
    ['2020', '{}', 8.7, 'Plant closure, east side', null, 'BLS "LAUS"'],
    ['2021', '{}', 8.1, 'two\nlines', null, null],
    ['2022', '{}', 7.5, 'plain', null, null],
  ]);
  // A line break inside quotes is still one spreadsheet row: row 4 is the third data row.
  const bad = await postCsv(api, indicator.id, 'period,value,note\n2020,1,"two\nlines"\n2021,x,\n');
  t.equal(bad.status, 422);
  t.same(
    bad.body.error.details.map((d: { path: string }) => d.path),
    ['rows.3.value'],
  );
});

t.test('a UTF-8 byte-order mark, CRLF line ends, spaces around cells', async (t) => {
  const indicator = await withDims();
  const csv = '\uFEFFperiod , Sex ,value\r\n2020, female , 8.5 \r\n2020,,8\r\n';
  const res = await postCsv(api, indicator.id, Buffer.from(csv, 'utf8'));
  t.equal(res.status, 200, res.raw);
  t.same(summarize(await allPoints(api, indicator.id)), [
    ['2020', '{"sex":"female"}', 8.5, null, null, null],
    ['2020', '{}', 8, null, null, null],
  ]);
});

t.test('; separated (Excel in most of Europe), decimal commas, Windows line ends', async (t) => {
  const indicator = await withDims();
  const csv =
    'period;sex;age_group;value;note\r\n2020;female;15-24;12,5;"a; b, c"\r\n2020;male;;-3,25;\r\n2021;;;1.5e2;\r\n';
  const res = await postCsv(api, indicator.id, csv);
  t.equal(res.status, 200, res.raw);
  t.same(summarize(await allPoints(api, indicator.id)), [
    ['2020', '{"age_group":"15-24","sex":"female"}', 12.5, 'a; b, c', null, null],
    ['2020', '{"sex":"male"}', -3.25, null, null, null],
    ['2021', '{}', 150, null, null, null],
  ]);
  const comma = await postCsv(api, indicator.id, 'period,value\n2022,"12,5"\n');
  t.equal(comma.status, 422, 'a decimal comma in a ,-separated file is refused, not misread');
  t.match(comma.body.error.details[0], { path: 'rows.2.value', code: 'invalid_value' });
});

t.test('tab separated, UTF-16LE with a byte-order mark (Excel "Unicode text")', async (t) => {
  const indicator = await withDims();
  const text = '\uFEFFperiod\tsex\tvalue\tnote\r\n2020\tfemale\t4\tÉté à Zürich\r\n';
  const res = await postCsv(api, indicator.id, Buffer.from(text, 'utf16le'));
  t.equal(res.status, 200, res.raw);
  t.same(summarize(await allPoints(api, indicator.id)), [['2020', '{"sex":"female"}', 4, 'Été à Zürich', null, null]]);
});

t.test('dimension values match their declared spelling whatever the case; blank rows are skipped', async (t) => {
  const indicator = await withDims();
  const res = await postCsv(api, indicator.id, 'period,SEX,Age Group,value\n2020,Female,55+,1\n,,,\n\n2021,MALE,,2\n');
  t.equal(res.status, 200, res.raw);
  t.match(res.body, { rows: 4, inserted: 2, skipped: 2 });
  t.same(summarize(await allPoints(api, indicator.id)), [
    ['2020', '{"age_group":"55+","sex":"female"}', 1, null, null, null],
    ['2021', '{"sex":"male"}', 2, null, null, null],
  ]);
});

t.test('periods of every frequency, checked against the indicator', async (t) => {
  for (const [frequency, label, extra] of [
    ['quarterly', '2024-Q3', {}],
    ['monthly', '2024-07', {}],
    ['weekly', '2024-W05', {}],
    ['daily', '2024-07-15', {}],
    ['annual', '2024-25', { yearStartMonth: 7 }],
  ] as const) {
    const { indicator } = await createFixture(api, { frequency, ...extra });
    const res = await postCsv(api, indicator.id, `period,value\n${label},1\n`);
    t.equal(res.status, 200, `${frequency}: ${res.raw}`);
  }
  const { indicator } = await createFixture(api, { frequency: 'quarterly' });
  const res = await postCsv(api, indicator.id, 'period,value\n2024-07,1\n7/1/2024,2\n2024-Q5,3\n');
  t.equal(res.status, 422);
  t.same(
    res.body.error.details.map((d: { path: string; code: string }) => [d.path, d.code]),
    [
      ['rows.2.period', 'period_frequency_mismatch'],
      ['rows.3.period', 'malformed_period'],
      ['rows.4.period', 'malformed_period'],
    ],
  );
  t.match(res.body.error.details[1].message, /format the column as Text/, 'a date Excel made gets a hint');
});

t.test('Open SDG files load as they are', async (t) => {
  const indicator = await createFixture(api, {
    dimensions: [
      { name: 'sex', values: ['female', 'male'] },
      { name: 'age', values: ['15-24', '25+'] },
    ],
  });
  const id = indicator.indicator.id;
  const csv = [
    'Year,Series,Units,Sex,Age,GeoCode,Observation status,Unit multiplier,Value',
    '2015,SL_TLF_UEM,PERCENT,,,,Normal value,Units,5.1',
    '2015,SL_TLF_UEM,PERCENT,Female,,,Normal value,Units,5.4',
    '2015,SL_TLF_UEM,PERCENT,Male,15-24,,Estimated value,Units,11.2',
    '2016,SL_TLF_UEM,PERCENT,,,,,,',
    '2016,SL_TLF_UEM,PERCENT,,,,,,4.9',
  ].join('\n');
  const res = await postCsv(api, id, csv);
  t.equal(res.status, 200, res.raw);
  t.match(
    res.body,
    { format: 'open_sdg', rows: 5, inserted: 4, skipped: 1 },
    'a row without a Value is "no data": skipped',
  );
  t.same(summarize(await allPoints(api, id)), [
    ['2015', '{"age":"15-24","sex":"male"}', 11.2, null, null, null],
    ['2015', '{"sex":"female"}', 5.4, null, null, null],
    ['2015', '{}', 5.1, null, null, null],
    ['2016', '{}', 4.9, null, null, null],
  ]);

  const mixed = 'Year,Series,Units,Value\n2017,A,PERCENT,1\n2017,B,PERCENT,2\n2018,A,NUMBER,3\n';
  const refused = await postCsv(api, id, mixed);
  t.equal(refused.status, 422, 'one file must not mix series or units');
  t.same(
    refused.body.error.details.map((d: { path: string; code: string }) => [d.path, d.code]),
    [
      ['rows.3.Series', 'mixed_series'],
      ['rows.4.Units', 'mixed_units'],
    ],
  );
  const picked = await postCsv(api, id, mixed, { query: 'series=A&units=PERCENT' });
  t.equal(picked.status, 200, picked.raw);
  t.match(picked.body, { inserted: 1, skipped: 2 });

  const undeclared = await postCsv(api, id, 'Year,Location,Value\n2019,Urban,3\n');
  t.equal(undeclared.status, 400, 'a disaggregation the indicator does not declare stops the file');
  t.match(undeclared.body.error, {
    code: 'unknown_columns',
    details: [{ path: 'header.Location', code: 'unknown_column' }],
  });
});

t.test('header problems are a 400 naming the columns; nothing is written', async (t) => {
  const indicator = await withDims();
  const cases: Array<[string, string, string[]]> = [
    ['period,valeu,note\n2020,1,\n', 'missing_columns', ['header.value', 'header.valeu']],
    ['value\n1\n', 'missing_columns', ['header.period']],
    ['period,value,region\n2020,1,north\n', 'unknown_columns', ['header.region']],
    ['period,value,Value\n2020,1,2\n', 'duplicate_columns', ['header.Value']],
  ];
  for (const [csv, code, paths] of cases) {
    const res = await postCsv(api, indicator.id, csv);
    t.equal(res.status, 400, csv);
    t.equal(res.body.error.code, code);
    t.same(
      res.body.error.details.map((d: { path: string }) => d.path),
      paths,
    );
  }
  for (const [csv, code] of [
    ['', 'empty_file'],
    ['\n\n', 'empty_file'],
    ['period,value\n', 'empty_file'],
    ['period,value\n2020,"1\n', 'malformed_csv'],
  ] as const) {
    const res = await postCsv(api, indicator.id, csv);
    t.equal(res.status, 400, JSON.stringify(csv));
    t.equal(res.body.error.code, code);
  }
  t.same(await allPoints(api, indicator.id), []);
});

t.test('cells beyond the header, unnamed columns, invalid UTF-8', async (t) => {
  const indicator = await withDims();
  const ok = await postCsv(api, indicator.id, 'period,value,,\n2020,1,,\n2021,2\n');
  t.equal(ok.status, 200, 'empty trailing columns and short rows are fine');
  // Row 4 was saved as Windows-1252 ("café" with é = 0xE9), not UTF-8.
  const latin1 = Buffer.concat([Buffer.from('2022,3,,caf'), Buffer.from([0xe9]), Buffer.from('\n')]);
  const res = await postCsv(
    api,
    indicator.id,
    Buffer.concat([Buffer.from('period,value,,note\n2023,1,x,\n2024,1,,,y\n'), latin1]),
  );
  t.equal(res.status, 422);
  t.same(
    res.body.error.details.map((d: { path: string; code: string }) => [d.path, d.code]),
    [
      ['rows.2', 'unnamed_column'],
      ['rows.3', 'extra_cells'],
      ['rows.4', 'not_utf8'],
    ],
  );
});

t.test('a NUL character is a row error, not a database failure', async (t) => {
  const indicator = await withDims();
  const res = await postCsv(api, indicator.id, 'period,value,note\n2020,1,a\u0000b\n');
  t.equal(res.status, 422);
  t.match(res.body.error.details, [{ path: 'rows.2', code: 'nul_character' }]);
});

t.test('other media types are a 415; gzip bodies are unpacked', async (t) => {
  const indicator = await withDims();
  const json = await api.request({
    method: 'POST',
    url: `/api/v1/indicators/${indicator.id}/data-points/import`,
    payload: { period: '2020', value: 1 },
  });
  t.equal(json.status, 415);
  t.equal(json.body.error.code, 'unsupported_media_type');
  const form = await postCsv(api, indicator.id, 'period=2020', { contentType: 'application/x-www-form-urlencoded' });
  t.equal(form.status, 415);
  const plain = await postCsv(api, indicator.id, 'period,value\n2020,1\n', {
    contentType: 'text/plain; charset=utf-8',
  });
  t.equal(plain.status, 200, 'text/plain is read as CSV too');
  const gz = await postCsv(api, indicator.id, gzipSync('period,value\n2021,2\n'), {
    headers: { 'content-encoding': 'gzip' },
  });
  t.equal(gz.status, 200, gz.raw);
  t.match(gz.body, { inserted: 1 });
});
