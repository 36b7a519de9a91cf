/**
 * Small-cell suppression in every public output (docs/publication.md): a count by group where one group is
 * below the minimum cell size; its value and the complement that would reveal it appear nowhere the public
 * can read — data points, one point, its history, CSV, chart specs, SVG, embed pages, analysis, scorecard —
 * while members see every value. Also: unpublished values appear in no public output.
 */
import t from '../helpers/tap.ts';
import { buildTestApp } from '../helpers/test-app.ts';

// Distinctive numbers: a group of 7 (below 11), its complement 5013, and the published rest.
const TOTAL = 11_321;
const SMALL = 7;
const COMPLEMENT = 5_013;
const LARGER = 6_301;

t.test('suppressed cells and unpublished values reach no public output', async (t) => {
  const api = await buildTestApp(t);
  const call = (method: string, url: string, payload?: unknown, as?: string | null) =>
    api.request({
      method: method as 'GET',
      url,
      ...(payload !== undefined && { payload: payload as object }),
      ...(as !== undefined && { as }),
    });
  const initiative = (
    await call('POST', '/api/v1/initiatives', {
      name: 'Small numbers partnership',
      publication: { required: true, fourEyes: false },
      suppression: { minCellSize: 11 },
    })
  ).body;
  const result = (
    await call('POST', `/api/v1/initiatives/${initiative.id}/results`, {
      statement: 'Children thrive',
      visibility: 'public',
    })
  ).body;
  const indicator = (
    await call('POST', `/api/v1/results/${result.id}/indicators`, {
      name: 'Students enrolled',
      unit: 'count',
      polarity: 'higher_is_better',
      frequency: 'annual',
      dimensions: [{ name: 'school', values: ['North', 'South', 'East'] }],
    })
  ).body;
  const id = indicator.id;
  const year = (period: string, total: number, north: number, south: number, east: number) => [
    { period, value: total },
    { period, value: north, disaggregation: { school: 'North' } },
    { period, value: south, disaggregation: { school: 'South' } },
    { period, value: east, disaggregation: { school: 'East' } },
  ];
  const put = await call('PUT', `/api/v1/indicators/${id}/data-points`, {
    points: [
      ...year('2021', 12_000, 4_000, 4_000, 4_000),
      ...year('2022', TOTAL, SMALL, COMPLEMENT, LARGER),
      // Not published: a draft the public must never see.
      ...year('2023', 44_444, 14_444, 15_000, 15_000),
    ],
  });
  t.equal(put.status, 200, put.raw);
  for (const action of ['submit', 'approve', 'publish'])
    t.equal(
      (await call('POST', `/api/v1/indicators/${id}/publication`, { periods: ['2021', '2022'], action })).status,
      200,
    );

  t.test('the public list shows suppressed cells as value null, confStatus C', async (t) => {
    const items = (await call('GET', `/api/v1/indicators/${id}/data-points?slice=all`, undefined, null)).body.items;
    const at2022 = items
      .filter((p: { period: string }) => p.period === '2022')
      .map((p: { disaggregation: { school?: string }; value: number | null; confStatus: string }) => [
        p.disaggregation.school ?? 'total',
        p.value,
        p.confStatus,
      ]);
    t.same(
      at2022.sort(),
      [
        ['East', LARGER, 'F'],
        ['North', null, 'C'],
        ['South', null, 'C'],
        ['total', TOTAL, 'F'],
      ].sort(),
    );
    t.notOk(
      items.some((p: { period: string }) => p.period === '2023'),
      'the unpublished period is not listed',
    );
    const members = (await call('GET', `/api/v1/indicators/${id}/data-points?slice=all`)).body.items;
    t.ok(
      members.some((p: { value: number }) => p.value === SMALL),
      'members see the small cell',
    );
  });

  t.test('one point and its history', async (t) => {
    const members = (await call('GET', `/api/v1/indicators/${id}/data-points?slice=all&from=2022&to=2022`)).body.items;
    const small = members.find((p: { value: number }) => p.value === SMALL);
    const point = await call('GET', `/api/v1/data-points/${small.id}`, undefined, null);
    t.equal(point.body.value, null);
    t.equal(point.body.confStatus, 'C');
    const history = await call('GET', `/api/v1/data-points/${small.id}/history`, undefined, null);
    t.equal(history.status, 200);
    t.notMatch(history.raw, new RegExp(`"value":${SMALL}\\b`));
    const draft = members.find((p: { value: number }) => p.value === TOTAL);
    t.ok(draft);
    const unpublished = (await call('GET', `/api/v1/indicators/${id}/data-points?slice=all&from=2023&to=2023`)).body
      .items[0];
    t.equal((await call('GET', `/api/v1/data-points/${unpublished.id}`, undefined, null)).status, 404);
    t.equal((await call('GET', `/api/v1/data-points/${unpublished.id}/history`, undefined, null)).status, 404);
  });

  t.test('no public body holds a suppressed or unpublished value', async (t) => {
    const publicUrls = [
      `/api/v1/indicators/${id}/data-points?slice=all`,
      `/api/v1/indicators/${id}/analysis`,
      `/api/v1/indicators/${id}/chart.vl.json`,
      `/api/v1/indicators/${id}/chart.vl.json?view=groups`,
      `/api/v1/indicators/${id}/chart.svg`,
      `/api/v1/indicators/${id}/chart.svg?view=groups`,
      `/api/v1/indicators/${id}/data.csv`,
      `/api/v1/results/${result.id}/data.csv`,
      `/api/v1/results/${result.id}/scorecard`,
      `/api/v1/results/${result.id}/dashboard.vl.json`,
      `/api/v1/initiatives/${initiative.id}/assessment`,
      `/api/v1/field`,
      `/embed/indicators/${id}`,
      `/embed/results/${result.id}`,
    ];
    const secrets = [String(COMPLEMENT), '5,013', '44444', '44,444', '14444', '14,444', '15000', '15,000'];
    for (const url of publicUrls) {
      const response = await call('GET', url, undefined, null);
      t.equal(response.status, 200, `${url} answers`);
      for (const secret of secrets) t.notOk(response.raw.includes(secret), `${url} does not hold ${secret}`);
    }
    const groups = (await call('GET', `/api/v1/indicators/${id}/chart.vl.json?view=groups`, undefined, null)).raw;
    t.match(groups, /Small counts are suppressed/, 'the group chart says why its lines have gaps');
    const embed = (await call('GET', `/embed/indicators/${id}`, undefined, null)).raw;
    t.match(embed, /Suppressed \(a small number/, 'the embed table says the cell is suppressed');
    const csv = (await call('GET', `/api/v1/indicators/${id}/data.csv`, undefined, null)).raw;
    t.match(csv, /CONF_STATUS/);
    t.match(csv, /2022,North,,.*,C\n/);
  });

  t.test('members see the suppressed cells and drafts', async (t) => {
    const csv = (await call('GET', `/api/v1/indicators/${id}/data.csv`)).raw;
    t.match(csv, /2022,North,7,/);
    t.match(csv, /2023,,44444/);
    t.notMatch(csv, /CONF_STATUS/);
  });
});
