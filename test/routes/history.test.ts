import t from '../helpers/tap.ts';
import { buildTestApp, createFixture, databaseNow } from '../helpers/test-app.ts';

const api = await buildTestApp(t);
const pause = () => new Promise((resolve) => setTimeout(resolve, 15));

t.test('every revision is kept: who, when, how, old and new values', async (t) => {
  const { indicator } = await createFixture(api);
  const editor = await api.request({
    method: 'POST',
    url: '/api/v1/tokens',
    payload: { name: 'Ana (data team)', role: 'editor', initiativeId: indicator.initiativeId },
  });
  t.equal(editor.status, 201);

  const first = await api.request({
    method: 'PUT',
    url: `/api/v1/indicators/${indicator.id}/data-points`,
    payload: { points: [{ period: '2020', value: 9.1, note: 'first release' }] },
  });
  const id = first.body.points[0].id;
  const afterInsert = await databaseNow(api.db);
  await pause();

  const same = await api.request({
    method: 'PUT',
    url: `/api/v1/indicators/${indicator.id}/data-points`,
    payload: { points: [{ period: '2020', value: 9.1 }] },
  });
  t.equal(same.body.unchanged, 1, 're-sending the same value changes nothing');
  t.equal(same.body.points[0].version, 1, 'and records no revision');

  const revised = await api.request({
    method: 'PUT',
    url: `/api/v1/indicators/${indicator.id}/data-points`,
    as: editor.body.secret,
    payload: { points: [{ period: '2020', value: 9.4, note: 'revised by the agency' }] },
  });
  t.equal(revised.body.updated, 1);
  t.equal(revised.body.points[0].id, id, 'a revision keeps the point id');
  t.equal(revised.body.points[0].version, 2);
  t.equal(revised.body.points[0].updatedBy, 'Ana (data team)');
  const afterRevision = await databaseNow(api.db);
  await pause();

  const patched = await api.request({
    method: 'PATCH',
    url: `/api/v1/data-points/${id}`,
    headers: { 'if-match': '"2"' },
    payload: { status: 'final' },
  });
  t.equal(patched.status, 200);
  t.equal(patched.body.version, 3);
  await pause();

  const deleted = await api.request({ method: 'DELETE', url: `/api/v1/data-points/${id}`, as: editor.body.secret });
  t.equal(deleted.status, 204);
  t.equal(
    (await api.request({ method: 'GET', url: `/api/v1/data-points/${id}` })).status,
    404,
    'a deleted point is gone from current reads',
  );

  const history = await api.request({ method: 'GET', url: `/api/v1/data-points/${id}/history` });
  t.equal(history.status, 200);
  t.equal(history.body.deleted, true);
  t.same(
    history.body.revisions.map((r: { action: string; version: number; by: string; how: string }) => [
      r.action,
      r.version,
      r.by,
      r.how,
    ]),
    [
      ['insert', 1, 'admin (RBA_ADMIN_TOKEN)', 'api'],
      ['update', 2, 'Ana (data team)', 'api'],
      ['update', 3, 'admin (RBA_ADMIN_TOKEN)', 'api'],
      ['delete', 3, 'Ana (data team)', 'api'],
    ],
  );
  const unflagged = { obsStatus: 'A', footnote: null, flags: [] };
  t.same(history.body.revisions[1].old, {
    value: 9.1,
    note: 'first release',
    status: null,
    source: null,
    ...unflagged,
  });
  t.same(history.body.revisions[1].new, {
    value: 9.4,
    note: 'revised by the agency',
    status: null,
    source: null,
    ...unflagged,
  });
  t.equal(history.body.revisions[3].new, null);

  // as of: the figures as they stood then
  const asFirst = await api.request({ method: 'GET', url: `/api/v1/data-points/${id}?asOf=${afterInsert}` });
  t.equal(asFirst.body.value, 9.1);
  t.equal(asFirst.body.version, 1);
  const listed = await api.request({
    method: 'GET',
    url: `/api/v1/indicators/${indicator.id}/data-points?asOf=${afterRevision}`,
  });
  t.same(
    listed.body.items.map((p: { value: number }) => p.value),
    [9.4],
  );
  const now = await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.id}/data-points` });
  t.same(now.body.items, [], 'nothing current after the delete');
  const before = await api.request({
    method: 'GET',
    url: `/api/v1/indicators/${indicator.id}/data-points?asOf=2000-01-01T00:00:00Z`,
  });
  t.same(before.body.items, []);
  const badAsOf = await api.request({
    method: 'GET',
    url: `/api/v1/indicators/${indicator.id}/data-points?asOf=yesterday`,
  });
  t.equal(badAsOf.status, 400);
});

t.test('analysis and scorecard as of a date reproduce the figures then published', async (t) => {
  const { result, indicator } = await createFixture(api, {
    baselinePeriod: '2018',
    target: { period: '2025', value: 5 },
  });
  await api.request({
    method: 'PUT',
    url: `/api/v1/indicators/${indicator.id}/data-points`,
    payload: {
      points: [2016, 2017, 2018, 2019, 2020].map((year, i) => ({ period: String(year), value: 9 - 0.5 * i })),
    },
  });
  const published = await databaseNow(api.db);
  await pause();
  await api.request({
    method: 'PUT',
    url: `/api/v1/indicators/${indicator.id}/data-points`,
    payload: { points: [{ period: '2020', value: 8.8 }] },
  });

  const then = await api.request({
    method: 'GET',
    url: `/api/v1/indicators/${indicator.id}/analysis?asOf=${published}`,
  });
  const current = await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.id}/analysis` });
  t.equal(then.body.asOf, new Date(published).toISOString());
  t.equal(then.body.total.latest.value, 7);
  t.equal(current.body.total.latest.value, 8.8);
  t.equal(current.body.asOf, null);
  const scorecardThen = await api.request({
    method: 'GET',
    url: `/api/v1/results/${result.id}/scorecard?asOf=${published}`,
  });
  t.equal(scorecardThen.body.indicators[0].latest.value, 7);
});
