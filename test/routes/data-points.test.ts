import { randomUUID } from 'node:crypto';
import t from '../helpers/tap.ts';
import { buildTestApp, createFixture } from '../helpers/test-app.ts';

const api = await buildTestApp(t);

const paths = (body: { error: { details: Array<{ path: string }> } }) => body.error.details.map((d) => d.path).sort();

type Point = {
  id: string;
  period: string;
  value: number;
  disaggregation: Record<string, string>;
  note: string | null;
  status: string | null;
  source: string | null;
  version: number;
  updatedAt: string;
};

const dimensions = [
  { name: 'sex', values: ['female', 'male'] },
  { name: 'race_ethnicity', values: ['Black', 'White', 'Hispanic'] },
];

async function quarterly(extra: Record<string, unknown> = {}) {
  const { indicator } = await createFixture(api, { frequency: 'quarterly', dimensions, ...extra });
  return indicator as { id: string; resultId: string };
}

const put = (indicatorId: string, points: unknown[]) =>
  api.request({ method: 'PUT', url: `/api/v1/indicators/${indicatorId}/data-points`, payload: { points } });
const list = async (indicatorId: string, query = ''): Promise<Point[]> => {
  const res = await api.request({ method: 'GET', url: `/api/v1/indicators/${indicatorId}/data-points${query}` });
  if (res.status !== 200) throw new Error(`list failed: ${res.raw}`);
  return res.body.items;
};
/** Sorted-key JSON of a disaggregation, to compare slices whatever their key order. */
const canonical = (d: Record<string, string>) =>
  JSON.stringify(Object.fromEntries(Object.entries(d).sort(([a], [b]) => (a < b ? -1 : 1))));
const summary = (points: Point[]) => points.map((p) => [p.period, p.disaggregation, p.value]);

t.test('upsert by (period, disaggregation), with counts', async (t) => {
  const indicator = await quarterly();
  const batch = [
    { period: '2024-Q1', value: 8.7, note: 'Plant closure', status: 'final', source: 'LAUS' },
    { period: '2024-Q2', value: 8.1 },
    { period: '2024-Q1', value: 9.9, disaggregation: { sex: 'female' } },
    { period: '2024-Q1', value: 12.25, disaggregation: { race_ethnicity: 'Black', sex: 'male' } },
    { period: '2024-Q1', value: 0.30000000000000004, disaggregation: { race_ethnicity: 'White' } },
  ];
  const first = await put(indicator.id, batch);
  t.equal(first.status, 200);
  t.match(first.body, { inserted: 5, updated: 0, unchanged: 0 });
  t.equal(first.body.points.length, 5);
  t.same(
    first.body.points.map((p: Point) => [p.period, p.disaggregation, p.value]),
    batch.map((p) => [p.period, p.disaggregation ?? {}, p.value]),
    'the answer lists the points in the order sent',
  );
  t.match(first.body.points[0], {
    indicatorId: indicator.id,
    note: 'Plant closure',
    status: 'final',
    source: 'LAUS',
    version: 1,
    updatedBy: 'admin (RBA_ADMIN_TOKEN)',
  });
  t.match(first.body.points[1], { note: null, status: null, source: null, version: 1 });

  const again = await put(indicator.id, batch);
  t.equal(again.status, 200);
  t.match(again.body, { inserted: 0, updated: 0, unchanged: 5 }, 're-sending the same batch changes nothing');
  t.same(
    again.body.points.map((p: Point) => [p.id, p.version, p.updatedAt]),
    first.body.points.map((p: Point) => [p.id, p.version, p.updatedAt]),
    'same ids, versions and timestamps',
  );

  const mixed = await put(indicator.id, [
    { period: '2024-Q2', value: 8.2 },
    { period: '2024-Q1', value: 9.9, disaggregation: { sex: 'female' } },
    { period: '2024-Q3', value: 7.9 },
    { period: '2024-Q1', value: 12.25, disaggregation: { sex: 'male', race_ethnicity: 'Black' } },
  ]);
  t.equal(mixed.status, 200);
  t.match(mixed.body, { inserted: 1, updated: 1, unchanged: 2 });
  t.equal(mixed.body.points[0].id, first.body.points[1].id, 'an update keeps the id');
  t.equal(mixed.body.points[0].version, 2);
  t.equal(mixed.body.points[1].version, 1);
  t.equal(mixed.body.points[3].id, first.body.points[3].id, 'disaggregation key order does not matter');

  const all = await list(indicator.id, '?slice=all');
  t.equal(all.length, 6);
  const total = await list(indicator.id);
  t.same(
    summary(total),
    [
      ['2024-Q1', {}, 8.7],
      ['2024-Q2', {}, 8.2],
      ['2024-Q3', {}, 7.9],
    ],
    'the default slice is the total, by period',
  );
  const byId = new Map(all.map((p) => [p.id, p]));
  t.same(byId.get(first.body.points[4].id)?.value, 0.30000000000000004, 'values round-trip exactly');
  t.same(
    byId.get(first.body.points[3].id)?.disaggregation,
    { race_ethnicity: 'Black', sex: 'male' },
    'dimension names keep their spelling',
  );

  const emptyMeansTotal = await put(indicator.id, [{ period: '2024-Q3', value: 7.9, disaggregation: {} }]);
  t.match(emptyMeansTotal.body, { inserted: 0, updated: 0, unchanged: 1 }, '{} and omitted are both the total');
});

t.test('omitted note, status and source keep the stored value; null clears', async (t) => {
  const indicator = await quarterly();
  const created = await put(indicator.id, [
    { period: '2023-Q4', value: 5, note: 'Census revision', status: 'provisional', source: 'ACS' },
  ]);
  const id = created.body.points[0].id;
  const valueOnly = await put(indicator.id, [{ period: '2023-Q4', value: 5.5 }]);
  t.match(valueOnly.body, { updated: 1 });
  t.match(valueOnly.body.points[0], {
    id,
    value: 5.5,
    note: 'Census revision',
    status: 'provisional',
    source: 'ACS',
    version: 2,
  });
  const sameWithoutNote = await put(indicator.id, [{ period: '2023-Q4', value: 5.5, status: 'provisional' }]);
  t.match(sameWithoutNote.body, { unchanged: 1 }, 'omitting fields is not a change');
  const cleared = await put(indicator.id, [{ period: '2023-Q4', value: 5.5, note: null, status: 'final' }]);
  t.match(cleared.body, { updated: 1 });
  t.match(cleared.body.points[0], { note: null, status: 'final', source: 'ACS', version: 3 });
  const read = await api.request({ method: 'GET', url: `/api/v1/data-points/${id}` });
  t.match(read.body, { note: null, status: 'final', source: 'ACS', value: 5.5, version: 3 });
});

t.test('one bad point: a 422 naming every bad point, and nothing written', async (t) => {
  const indicator = await quarterly();
  const before = await put(indicator.id, [{ period: '2024-Q1', value: 1 }]);
  t.equal(before.status, 200);
  const bad = await put(indicator.id, [
    { period: '2024-Q1', value: 100 },
    { period: '2024-05', value: 2 },
    { period: '2024-Q2', value: 3, disaggregation: { region: 'north' } },
    { period: '2024-Q2', value: 4, disaggregation: { sex: 'nonbinary' } },
    { period: '2024-Q3', value: 5 },
    { period: '2024-Q1', value: 6 },
    { period: '2024', value: 7, disaggregation: { race_ethnicity: 'Asian' } },
  ]);
  t.equal(bad.status, 422);
  t.same(paths(bad.body), [
    'body.points.1.period',
    'body.points.2.disaggregation.region',
    'body.points.3.disaggregation.sex',
    'body.points.5',
    'body.points.6.disaggregation.race_ethnicity',
    'body.points.6.period',
  ]);
  const byPath = Object.fromEntries(
    bad.body.error.details.map((d: { path: string; code: string }) => [d.path, d.code]),
  );
  t.match(byPath, {
    'body.points.1.period': 'period_frequency_mismatch',
    'body.points.2.disaggregation.region': 'undeclared_dimension',
    'body.points.3.disaggregation.sex': 'undeclared_dimension_value',
    'body.points.5': 'duplicate_point',
  });
  t.match(bad.body.error.message, /nothing was written/);
  t.same(
    summary(await list(indicator.id, '?slice=all')),
    [['2024-Q1', {}, 1]],
    'the good points of a bad batch are not written either',
  );
  t.equal(
    (await api.request({ method: 'GET', url: `/api/v1/data-points/${before.body.points[0].id}` })).body.version,
    1,
  );

  const duplicateByKeyOrder = await put(indicator.id, [
    { period: '2024-Q2', value: 1, disaggregation: { sex: 'female', race_ethnicity: 'Black' } },
    { period: '2024-Q2', value: 2, disaggregation: { race_ethnicity: 'Black', sex: 'female' } },
  ]);
  t.equal(duplicateByKeyOrder.status, 422);
  t.same(paths(duplicateByKeyOrder.body), ['body.points.1']);
});

t.test('malformed points are a 400 naming each field', async (t) => {
  const indicator = await quarterly();
  const bad = await put(indicator.id, [
    { period: '2024-Q5', value: 1 },
    { period: '2023-W54', value: 1 },
    { period: '2024-13', value: 1 },
    { period: '2024-02-30', value: 1 },
    { period: '2024-Q1', value: '1' },
    { period: '2024-Q1', value: null },
    { period: '2024-Q1', value: 1, status: 'draft', colour: 'red' },
    { value: 1 },
  ]);
  t.equal(bad.status, 400);
  t.equal(bad.body.error.code, 'invalid_input');
  t.same(paths(bad.body), [
    'body.points.0.period',
    'body.points.1.period',
    'body.points.2.period',
    'body.points.3.period',
    'body.points.4.value',
    'body.points.5.value',
    'body.points.6.colour',
    'body.points.6.status',
    'body.points.7.period',
  ]);
  const empty = await put(indicator.id, []);
  t.equal(empty.status, 400);
  t.same(paths(empty.body), ['body.points']);
  const notWrapped = await api.request({
    method: 'PUT',
    url: `/api/v1/indicators/${indicator.id}/data-points`,
    payload: [{ period: '2024-Q1', value: 1 }],
  });
  t.equal(notWrapped.status, 400);
  const extraTop = await api.request({
    method: 'PUT',
    url: `/api/v1/indicators/${indicator.id}/data-points`,
    payload: { points: [{ period: '2024-Q1', value: 1 }], dryRun: true },
  });
  t.equal(extraTop.status, 400);
  t.same(paths(extraTop.body), ['body.dryRun']);
  const csv = await api.request({
    method: 'PUT',
    url: `/api/v1/indicators/${indicator.id}/data-points`,
    payload: 'period,value\n2024-Q1,1\n',
    headers: { 'content-type': 'text/csv' },
  });
  t.equal(csv.status, 415);
  t.equal(csv.body.error.code, 'unsupported_media_type');
  t.same(await list(indicator.id, '?slice=all'), [], 'nothing written');
});

t.test('reading with from, to and slice', async (t) => {
  const indicator = await quarterly();
  const points = [];
  for (let year = 2020; year <= 2024; year++) {
    for (let q = 1; q <= 4; q++) {
      const period = `${year}-Q${q}`;
      points.push({ period, value: year * 10 + q });
      points.push({ period, value: year + q / 10, disaggregation: { sex: 'female' } });
      points.push({ period, value: -(year + q), disaggregation: { sex: 'male', race_ethnicity: 'Hispanic' } });
    }
  }
  // Sent in reverse: storage order must not matter.
  const stored = await put(indicator.id, points.reverse());
  t.equal(stored.status, 200);
  t.equal(stored.body.inserted, 60);

  const total = await list(indicator.id, '?slice=total');
  t.equal(total.length, 20);
  t.same(
    total.map((p) => p.period).slice(0, 5),
    ['2020-Q1', '2020-Q2', '2020-Q3', '2020-Q4', '2021-Q1'],
    'by period, not by label text or insertion',
  );
  t.ok(total.every((p) => Object.keys(p.disaggregation).length === 0));

  const range = await list(indicator.id, '?from=2021-Q3&to=2022-Q2');
  t.same(summary(range), [
    ['2021-Q3', {}, 20213],
    ['2021-Q4', {}, 20214],
    ['2022-Q1', {}, 20221],
    ['2022-Q2', {}, 20222],
  ]);
  t.same(
    (await list(indicator.id, '?from=2024-Q3')).map((p) => p.period),
    ['2024-Q3', '2024-Q4'],
  );
  t.same(
    (await list(indicator.id, '?to=2020-Q2')).map((p) => p.period),
    ['2020-Q1', '2020-Q2'],
  );
  t.same(await list(indicator.id, '?from=2023-Q1&to=2022-Q1'), [], 'an empty range is empty, not an error');

  const female = await list(indicator.id, `?slice=${encodeURIComponent('{"sex":"female"}')}&from=2024-Q4`);
  t.same(summary(female), [['2024-Q4', { sex: 'female' }, 2024.4]]);
  const both = await list(
    indicator.id,
    `?slice=${encodeURIComponent('{"race_ethnicity":"Hispanic","sex":"male"}')}&to=2020-Q1`,
  );
  t.same(
    summary(both),
    [['2020-Q1', { sex: 'male', race_ethnicity: 'Hispanic' }, -2021]],
    'key order of the slice does not matter',
  );
  const notStored = await list(indicator.id, `?slice=${encodeURIComponent('{"race_ethnicity":"Black"}')}`);
  t.same(notStored, [], 'a declared slice without data is empty');

  const all = await list(indicator.id, '?slice=all&from=2024-Q4');
  t.equal(all.length, 3);
  t.same(
    all.map((p) => canonical(p.disaggregation)).sort(),
    ([{}, { race_ethnicity: 'Hispanic', sex: 'male' }, { sex: 'female' }] as Array<Record<string, string>>)
      .map(canonical)
      .sort(),
  );

  // Pagination over every slice gives each point exactly once.
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: { status: number; body: { items: Point[]; nextCursor: string | null } } = await api.request({
      method: 'GET',
      url: `/api/v1/indicators/${indicator.id}/data-points?slice=all&limit=7${cursor ? `&cursor=${cursor}` : ''}`,
    });
    t.equal(page.status, 200);
    t.ok(page.body.items.length <= 7);
    seen.push(...page.body.items.map((p) => p.id));
    cursor = page.body.nextCursor;
    pages++;
  } while (cursor);
  t.equal(pages, 9);
  t.same([...seen].sort(), stored.body.points.map((p: Point) => p.id).sort());
  const pagedTotal = await api.request({
    method: 'GET',
    url: `/api/v1/indicators/${indicator.id}/data-points?limit=15&from=2020-Q2`,
  });
  t.equal(pagedTotal.body.items.length, 15);
  const rest = await api.request({
    method: 'GET',
    url: `/api/v1/indicators/${indicator.id}/data-points?limit=15&from=2020-Q2&cursor=${pagedTotal.body.nextCursor}`,
  });
  t.same(
    rest.body.items.map((p: Point) => p.period),
    ['2024-Q1', '2024-Q2', '2024-Q3', '2024-Q4'],
  );
  t.equal(rest.body.nextCursor, null);
});

t.test('bad queries: 400 for malformed, 422 for impossible', async (t) => {
  const indicator = await quarterly();
  const url = `/api/v1/indicators/${indicator.id}/data-points`;
  for (const slice of ['{"sex":', '["female"]', '{"sex":1}', 'null', 'female']) {
    const res = await api.request({ method: 'GET', url: `${url}?slice=${encodeURIComponent(slice)}` });
    t.equal(res.status, 400, `slice=${slice}`);
    t.equal(res.body.error.code, 'invalid_slice');
    t.same(paths(res.body), ['querystring.slice']);
  }
  const undeclared = await api.request({
    method: 'GET',
    url: `${url}?slice=${encodeURIComponent('{"region":"north"}')}`,
  });
  t.equal(undeclared.status, 422);
  t.equal(undeclared.body.error.code, 'undeclared_dimension');
  t.same(paths(undeclared.body), ['querystring.slice.region']);
  const undeclaredValue = await api.request({
    method: 'GET',
    url: `${url}?slice=${encodeURIComponent('{"sex":"other"}')}`,
  });
  t.equal(undeclaredValue.status, 422);
  t.equal(undeclaredValue.body.error.code, 'undeclared_dimension_value');

  const otherFrequency = await api.request({ method: 'GET', url: `${url}?from=2024-03` });
  t.equal(otherFrequency.status, 422);
  t.equal(otherFrequency.body.error.code, 'period_frequency_mismatch');
  t.same(paths(otherFrequency.body), ['querystring.from']);
  const otherTo = await api.request({ method: 'GET', url: `${url}?to=2024` });
  t.equal(otherTo.status, 422);
  t.same(paths(otherTo.body), ['querystring.to']);
  const malformed = await api.request({ method: 'GET', url: `${url}?from=2024-Q5&to=2024-Q0` });
  t.equal(malformed.status, 400);
  t.same(paths(malformed.body), ['querystring.from', 'querystring.to']);
  const badCursor = await api.request({ method: 'GET', url: `${url}?cursor=abc` });
  t.equal(badCursor.status, 400);
  t.equal(badCursor.body.error.code, 'invalid_cursor');
  const badLimit = await api.request({ method: 'GET', url: `${url}?limit=1001` });
  t.equal(badLimit.status, 400);
  t.same(paths(badLimit.body), ['querystring.limit']);
});

t.test('one data point: read, correct with If-Match, delete', async (t) => {
  const indicator = await quarterly();
  const stored = await put(indicator.id, [
    { period: '2024-Q1', value: 10, note: 'first' },
    { period: '2024-Q2', value: 11 },
  ]);
  const [p1, p2] = stored.body.points as Point[];

  const read = await api.request({ method: 'GET', url: `/api/v1/data-points/${p1!.id}` });
  t.equal(read.status, 200);
  t.strictSame(read.body, p1);

  const corrected = await api.request({
    method: 'PATCH',
    url: `/api/v1/data-points/${p1!.id}`,
    headers: { 'if-match': '"1"' },
    payload: { value: 10.5, source: 'BLS' },
  });
  t.equal(corrected.status, 200);
  t.match(corrected.body, { value: 10.5, note: 'first', source: 'BLS', version: 2, period: '2024-Q1' });

  const stale = await api.request({
    method: 'PATCH',
    url: `/api/v1/data-points/${p1!.id}`,
    headers: { 'if-match': '"1"' },
    payload: { value: 99 },
  });
  t.equal(stale.status, 412);
  t.equal(stale.body.error.code, 'version_mismatch');
  t.match(stale.body.error.details, [{ path: 'If-Match', code: 'version_mismatch', message: /current version is 2/ }]);
  t.equal(
    (await api.request({ method: 'GET', url: `/api/v1/data-points/${p1!.id}` })).body.value,
    10.5,
    'a 412 changes nothing',
  );

  const noop = await api.request({
    method: 'PATCH',
    url: `/api/v1/data-points/${p1!.id}`,
    headers: { 'if-match': '"2"' },
    payload: { value: 10.5 },
  });
  t.equal(noop.status, 200);
  t.equal(noop.body.version, 2, 'an unchanged value is not a new version');
  const clear = await api.request({
    method: 'PATCH',
    url: `/api/v1/data-points/${p1!.id}`,
    payload: { note: null, status: 'final' },
  });
  t.match(clear.body, { note: null, status: 'final', version: 3 });

  const badPatch = await api.request({
    method: 'PATCH',
    url: `/api/v1/data-points/${p1!.id}`,
    payload: { value: 'ten', period: '2024-Q3', status: 'draft' },
  });
  t.equal(badPatch.status, 400);
  t.same(paths(badPatch.body), ['body.period', 'body.status', 'body.value']);
  const notJson = await api.request({
    method: 'PATCH',
    url: `/api/v1/data-points/${p1!.id}`,
    payload: '10',
    headers: { 'content-type': 'text/plain' },
  });
  t.equal(notJson.status, 415);

  const staleDelete = await api.request({
    method: 'DELETE',
    url: `/api/v1/data-points/${p1!.id}`,
    headers: { 'if-match': '"2"' },
  });
  t.equal(staleDelete.status, 412);
  t.equal((await api.request({ method: 'GET', url: `/api/v1/data-points/${p1!.id}` })).status, 200);
  const deleted = await api.request({
    method: 'DELETE',
    url: `/api/v1/data-points/${p1!.id}`,
    headers: { 'if-match': '"3"' },
  });
  t.equal(deleted.status, 204);
  t.equal((await api.request({ method: 'GET', url: `/api/v1/data-points/${p1!.id}` })).status, 404);
  const plainDelete = await api.request({ method: 'DELETE', url: `/api/v1/data-points/${p2!.id}` });
  t.equal(plainDelete.status, 204);
  t.same(await list(indicator.id, '?slice=all'), []);

  const reinsert = await put(indicator.id, [{ period: '2024-Q1', value: 10 }]);
  t.match(reinsert.body, { inserted: 1 }, 'a deleted point can be entered again');
});

t.test('unknown ids are 404s', async (t) => {
  const missing = randomUUID();
  const cases = [
    {
      method: 'PUT' as const,
      url: `/api/v1/indicators/${missing}/data-points`,
      payload: { points: [{ period: '2024', value: 1 }] },
    },
    { method: 'GET' as const, url: `/api/v1/indicators/${missing}/data-points` },
    { method: 'GET' as const, url: `/api/v1/data-points/${missing}` },
    { method: 'PATCH' as const, url: `/api/v1/data-points/${missing}`, payload: { value: 1 } },
    { method: 'DELETE' as const, url: `/api/v1/data-points/${missing}` },
  ];
  for (const c of cases) {
    const res = await api.request(c);
    t.equal(res.status, 404, `${c.method} ${c.url}`);
    t.equal(res.body.error.code, 'not_found');
    t.ok(Array.isArray(res.body.error.details));
  }
  const badId = await api.request({ method: 'GET', url: '/api/v1/data-points/42' });
  t.equal(badId.status, 400);
  t.same(paths(badId.body), ['params.dataPointId']);
});

t.test('every frequency takes its own labels', async (t) => {
  for (const [frequency, periods, wrong] of [
    ['annual', ['2019', '2020'], '2020-Q1'],
    ['monthly', ['2024-01', '2024-12'], '2024-W01'],
    ['weekly', ['2020-W53', '2021-W01'], '2021-01'],
    ['daily', ['2024-02-29', '2024-03-01'], '2024-W09'],
  ] as const) {
    const { indicator } = await createFixture(api, { frequency });
    const ok = await put(
      indicator.id,
      periods.map((period, i) => ({ period, value: i })),
    );
    t.equal(ok.status, 200, `${frequency} accepts ${periods.join(', ')}`);
    t.same(
      (await list(indicator.id)).map((p) => p.period),
      periods,
    );
    const no = await put(indicator.id, [{ period: wrong, value: 1 }]);
    t.equal(no.status, 422, `${frequency} rejects ${wrong}`);
    t.same(paths(no.body), ['body.points.0.period']);
  }
});

t.test('concurrent batches on one indicator neither fail nor lose a point', async (t) => {
  const { indicator } = await createFixture(api, { frequency: 'monthly' });
  const periods = Array.from(
    { length: 24 },
    (_, k) => `${2020 + Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`,
  );
  // Five writers send overlapping batches at once: every one must succeed, each point stored once.
  const batches = Array.from({ length: 5 }, (_, w) =>
    periods.slice(w * 4, w * 4 + 8).map((period) => ({ period, value: 1 })),
  );
  const answers = await Promise.all(batches.map((points) => put(indicator.id, points)));
  t.same(
    answers.map((a) => a.status),
    [200, 200, 200, 200, 200],
  );
  const inserted = answers.reduce((n, a) => n + a.body.inserted, 0);
  const unchanged = answers.reduce((n, a) => n + a.body.unchanged, 0);
  t.equal(inserted, 24, 'each distinct point inserted exactly once');
  t.equal(unchanged, 40 - 24, 'the overlap found them already there');
  const stored = await list(indicator.id, '?limit=1000');
  t.same(
    stored.map((p) => p.period),
    periods,
  );
  t.ok(stored.every((p) => p.version === 1));

  const updates = await Promise.all(
    [1, 2, 3, 4].map((v) => put(indicator.id, [{ period: '2020-01', value: 100 + v }])),
  );
  t.same(
    updates.map((a) => a.status),
    [200, 200, 200, 200],
  );
  const after = await list(indicator.id, '?to=2020-01');
  t.equal(after[0]!.version, 5, 'four updates, four new versions: none lost');
  t.ok([101, 102, 103, 104].includes(after[0]!.value));
});

t.test('a batch of 10,000 points is written and re-sent whole', async (t) => {
  const { indicator } = await createFixture(api, { frequency: 'daily' });
  const start = Date.UTC(1990, 0, 1); // 10,000 days: to 2017, all in the past
  const points = Array.from({ length: 10_000 }, (_, k) => ({
    period: new Date(start + k * 86_400_000).toISOString().slice(0, 10),
    value: k / 7,
    ...(k % 1000 === 0 && { note: `Milestone ${k}` }),
  }));
  const first = await put(indicator.id, points);
  t.equal(first.status, 200);
  t.match(first.body, { inserted: 10_000, updated: 0, unchanged: 0 });
  t.equal(first.body.points.length, 10_000);
  const again = await put(indicator.id, points);
  t.match(again.body, { inserted: 0, updated: 0, unchanged: 10_000 });
  const changed = points.map((p, k) => (k % 2 === 0 ? { ...p, value: p.value + 1 } : p));
  const third = await put(indicator.id, changed);
  t.match(third.body, { inserted: 0, updated: 5_000, unchanged: 5_000 });
  const stored = await list(indicator.id, '?limit=1000&from=2010-01-01');
  t.equal(stored.length, 1000);
  const k0 = Math.round((Date.parse('2010-01-01') - start) / 86_400_000);
  t.same(
    stored.slice(0, 3).map((p) => p.value),
    [k0, k0 + 1, k0 + 2].map((k) => (k % 2 === 0 ? k / 7 + 1 : k / 7)),
  );
  const tooMany = await put(indicator.id, [...points, { period: '2030-01-01', value: 1 }]);
  t.equal(tooMany.status, 400, 'more than 10,000 points in one batch is refused');
  t.same(paths(tooMany.body), ['body.points']);
});
