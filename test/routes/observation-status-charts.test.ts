/**
 * What a reader of a published chart and its tables notices of observation status and data quality (issue 14):
 * the legend names each status present and only those; a value a data-quality check flagged is marked
 * "unverified" in the chart and the table until someone acknowledges the flag; a break in series gets its rule,
 * a missing period its cross and a row; the tables list statuses and footnotes.
 */
import t from '../helpers/tap.ts';
import { buildTestApp, createFixture } from '../helpers/test-app.ts';

const api = await buildTestApp(t);

type Layer = { data?: { name?: string; values?: Array<Record<string, string>> }; encoding?: Record<string, any> };
/** The legend's entries, as drawn by the chart's invisible legend layer (dashboards/chart-legend.ts). */
const legendOf = (spec: { layer: Layer[] }): string[] =>
  spec.layer.flatMap((l) => (l.encoding?.shape?.legend ? (l.encoding.shape.scale.domain as string[]) : []));
const rowsOf = (spec: any, name: string): Array<Record<string, unknown>> => spec.datasets[name] ?? [];

t.test('statuses, footnotes and unverified values in the chart, the SVG and the embed tables', async (t) => {
  const { indicator } = await createFixture(api, {
    unit: 'rate',
    polarity: 'lower_is_better',
    baselinePeriod: '2018',
    target: { period: '2026', value: 4 },
    rules: [{ code: 'at_most_10', kind: 'range', severity: 'warning', max: 10 }],
  });
  const put = (points: unknown[]) =>
    api.request({ method: 'PUT', url: `/api/v1/indicators/${indicator.id}/data-points`, payload: { points } });
  const chart = async () => {
    const res = await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.id}/chart.vl.json` });
    t.equal(res.status, 200, res.raw.slice(0, 200));
    return res.body;
  };

  // Plain values first: no status entry in the legend.
  t.equal((await put([2014, 2015, 2016].map((y, i) => ({ period: String(y), value: 8 - i * 0.2 })))).status, 200);
  const plain = legendOf(await chart());
  for (const status of ['Provisional', 'Estimated', 'Break in series', 'Missing period', 'Unverified value'])
    t.notOk(
      plain.some((label) => label.startsWith(status)),
      `no "${status}" in the legend without such a point`,
    );

  const written = await put([
    { period: '2017', value: 6.1, obsStatus: 'B', footnote: 'New survey method from 2017.' },
    { period: '2018', value: 6 },
    { period: '2019', value: null, obsStatus: 'M', footnote: 'No survey was run in 2019.' },
    { period: '2020', value: 5.8, obsStatus: 'E', footnote: 'Estimated from two of three districts.' },
    { period: '2021', value: 5.5, status: 'provisional' },
    { period: '2022', value: 12 },
  ]);
  t.equal(written.status, 200, written.raw.slice(0, 300));
  t.same(
    written.body.warnings.map((w: { code: string }) => w.code),
    ['at_most_10'],
    '2022 is recorded with an unacknowledged flag',
  );

  const spec = await chart();
  const legend = legendOf(spec);
  for (const label of [
    'Provisional (may be revised)',
    'Estimated',
    'Break in series',
    'Missing period',
    'Unverified value',
  ])
    t.ok(legend.includes(label), `the legend names "${label}"`);
  const actual = rowsOf(spec, 'actual');
  const at = (period: string) => actual.find((r) => r.period === period)!;
  t.equal(at('2022').unverified, true, 'the flagged value is unverified');
  t.match(at('2022').status, /Unverified/);
  t.equal(at('2020').dataStatus, 'Estimated');
  t.equal(at('2020').footnote, 'Estimated from two of three districts.', 'the footnote is in the tooltip');
  t.equal(at('2021').dataStatus, 'Provisional');
  t.match(at('2017').status, /Break in series/);
  t.notOk(at('2018').unverified);
  t.same(
    rowsOf(spec, 'breaks').map((r) => [r.period, r.footnote]),
    [['2017', 'New survey method from 2017.']],
  );
  t.same(
    rowsOf(spec, 'missing').map((r) => [r.period, r.footnote]),
    [['2019', 'No survey was run in 2019.']],
  );
  t.notOk(
    actual.some((r) => r.period === '2019'),
    'a missing period has no value to draw',
  );
  t.same(
    rowsOf(spec, 'line').map((r) => [String(r.date).slice(0, 4), r.value]),
    [
      ['2014', 8],
      ['2015', 7.8],
      ['2016', 7.6],
      ['2017', 6.1],
      ['2018', 6],
      ['2019', null],
      ['2020', 5.8],
      ['2021', 5.5],
      ['2022', 12],
    ],
    'the line breaks at the missing period',
  );

  // The break at 2017 starts the baseline history: 2017–2018.
  const analysis = await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.id}/analysis` });
  t.same(analysis.body.total.forecast.fittedOn, { from: '2017', to: '2018', n: 2, breakAt: '2017' });

  const svg = await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.id}/chart.svg` });
  t.equal(svg.status, 200);
  for (const label of ['Break in series', 'Missing period', 'Unverified value', 'Estimated'])
    t.ok(svg.raw.includes(`>${label}<`), `the rendered legend shows "${label}"`);
  t.match(svg.raw, /Period: 2022; Value: [^"]*Status: [^"]*Unverified/, 'a screen reader hears "Unverified"');

  const embed = await api.request({ method: 'GET', url: `/embed/indicators/${indicator.id}` });
  t.equal(embed.status, 200);
  const table = embed.raw.slice(embed.raw.indexOf('<table>'));
  t.match(table, /<th scope="col">Footnote<\/th>/, 'the table has a footnote column');
  for (const footnote of ['New survey method from 2017.', 'No survey was run in 2019.'])
    t.ok(table.includes(footnote), `the table lists the footnote "${footnote}"`);
  t.match(table, /2019<\/t[hd]>.*?Missing/s, 'the missing period has its row');
  const periods = [...table.slice(0, table.indexOf('</table>')).matchAll(/<tr><th scope="row">([^<]*)</g)].map(
    (m) => m[1],
  );
  t.same(periods, [...periods].sort(), 'rows in period order, forecast-only periods (to the target) last');
  t.ok(periods.includes('2026'), 'the forecast runs to the target period');
  t.match(table, /2022<\/t[hd]>.*?Unverified/s, 'the unverified value is marked in the table');

  // Acknowledged, the value is no longer unverified: the ring, the legend entry and the table's mark go.
  const acknowledged = await put([
    { period: '2022', value: 12, acknowledge: [{ code: 'at_most_10', comment: 'A plant closed in March.' }] },
  ]);
  t.equal(acknowledged.status, 200, acknowledged.raw.slice(0, 300));
  const after = await chart();
  t.notOk(legendOf(after).includes('Unverified value'), 'no "Unverified" legend entry once acknowledged');
  t.notOk(
    rowsOf(after, 'actual').some((r) => r.unverified),
    'no unverified value once acknowledged',
  );
  const embedAfter = await api.request({ method: 'GET', url: `/embed/indicators/${indicator.id}` });
  t.notMatch(embedAfter.raw, /Unverified/, 'the table no longer marks it');
});
