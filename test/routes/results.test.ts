import { randomUUID } from 'node:crypto';
import t from '../helpers/tap.ts';
import { buildTestApp } from '../helpers/test-app.ts';

const api = await buildTestApp(t);

const paths = (body: { error: { details: Array<{ path: string }> } }) => body.error.details.map((d) => d.path).sort();

async function newInitiative() {
  const created = await api.request({
    method: 'POST',
    url: '/api/v1/initiatives',
    payload: { name: `Partnership ${randomUUID().slice(0, 8)}` },
  });
  if (created.status !== 201) throw new Error(`initiative not created: ${created.raw}`);
  return created.body as { id: string };
}

t.test('create, read, list, change and delete a result', async (t) => {
  const initiative = await newInitiative();
  const input = {
    statement: 'A 5 percentage point decrease in the unemployment rate in Detroit by 2030',
    population: 'Working-age residents',
    geography: 'City of Detroit',
    timeFrame: { start: 2020, end: 2030 },
    visibility: 'public',
  };
  const created = await api.request({
    method: 'POST',
    url: `/api/v1/initiatives/${initiative.id}/results`,
    payload: input,
  });
  t.equal(created.status, 201);
  t.match(created.body, { ...input, initiativeId: initiative.id, version: 1 });
  t.same(created.body.timeFrame, input.timeFrame);

  const minimal = await api.request({
    method: 'POST',
    url: `/api/v1/initiatives/${initiative.id}/results`,
    payload: { statement: 'Children are ready for school' },
  });
  t.equal(minimal.status, 201);
  t.match(
    minimal.body,
    { population: null, geography: null, timeFrame: null, visibility: 'private' },
    'visibility defaults to private',
  );

  const read = await api.request({ method: 'GET', url: `/api/v1/results/${created.body.id}` });
  t.equal(read.status, 200);
  t.strictSame(read.body, created.body);

  const list = await api.request({ method: 'GET', url: `/api/v1/initiatives/${initiative.id}/results` });
  t.equal(list.status, 200);
  t.same(list.body.items.map((r: { id: string }) => r.id).sort(), [created.body.id, minimal.body.id].sort());
  t.equal(list.body.nextCursor, null);
  const page = await api.request({ method: 'GET', url: `/api/v1/initiatives/${initiative.id}/results?limit=1` });
  t.equal(page.body.items.length, 1);
  const next = await api.request({
    method: 'GET',
    url: `/api/v1/initiatives/${initiative.id}/results?limit=1&cursor=${page.body.nextCursor}`,
  });
  t.equal(next.body.items.length, 1);
  t.not(next.body.items[0].id, page.body.items[0].id);
  t.equal(next.body.nextCursor, null);

  const patched = await api.request({
    method: 'PATCH',
    url: `/api/v1/results/${created.body.id}`,
    headers: { 'if-match': '"1"' },
    payload: { geography: null, timeFrame: { start: 2021, end: 2031 }, visibility: 'private' },
  });
  t.equal(patched.status, 200);
  t.match(patched.body, {
    statement: input.statement,
    population: input.population,
    geography: null,
    visibility: 'private',
    version: 2,
  });
  t.same(patched.body.timeFrame, { start: 2021, end: 2031 });

  const stale = await api.request({
    method: 'PATCH',
    url: `/api/v1/results/${created.body.id}`,
    headers: { 'if-match': '"1"' },
    payload: { statement: 'Stale' },
  });
  t.equal(stale.status, 412);
  t.equal(stale.body.error.code, 'version_mismatch');
  const current = await api.request({ method: 'GET', url: `/api/v1/results/${created.body.id}` });
  t.equal(current.body.statement, input.statement, 'a 412 changes nothing');
  const matching = await api.request({
    method: 'PATCH',
    url: `/api/v1/results/${created.body.id}`,
    headers: { 'if-match': '"2"' },
    payload: { timeFrame: null },
  });
  t.equal(matching.status, 200);
  t.equal(matching.body.timeFrame, null);
  t.equal(matching.body.version, 3);

  const deleted = await api.request({ method: 'DELETE', url: `/api/v1/results/${minimal.body.id}` });
  t.equal(deleted.status, 204);
  t.equal((await api.request({ method: 'GET', url: `/api/v1/results/${minimal.body.id}` })).status, 404);
});

t.test('unknown ids are 404s', async (t) => {
  const missing = randomUUID();
  const cases = [
    { method: 'POST' as const, url: `/api/v1/initiatives/${missing}/results`, payload: { statement: 'S' } },
    { method: 'GET' as const, url: `/api/v1/initiatives/${missing}/results` },
    { method: 'GET' as const, url: `/api/v1/results/${missing}` },
    { method: 'GET' as const, url: `/api/v1/results/${missing}/tree` },
    { method: 'PATCH' as const, url: `/api/v1/results/${missing}`, payload: { statement: 'S' } },
    { method: 'DELETE' as const, url: `/api/v1/results/${missing}` },
    { method: 'DELETE' as const, url: `/api/v1/results/${missing}?cascade=true` },
  ];
  for (const c of cases) {
    const res = await api.request(c);
    t.equal(res.status, 404, `${c.method} ${c.url}`);
    t.equal(res.body.error.code, 'not_found');
    t.ok(Array.isArray(res.body.error.details));
  }
});

t.test('bad input is a 400 naming each field', async (t) => {
  const initiative = await newInitiative();
  const url = `/api/v1/initiatives/${initiative.id}/results`;
  const bad = await api.request({
    method: 'POST',
    url,
    payload: { statement: '', population: 7, timeFrame: { start: 2030, end: 2020 }, visibility: 'secret', owner: 'me' },
  });
  t.equal(bad.status, 400);
  t.equal(bad.body.error.code, 'invalid_input');
  t.same(paths(bad.body), ['body.owner', 'body.population', 'body.statement', 'body.timeFrame.end', 'body.visibility']);

  const badYears = await api.request({
    method: 'POST',
    url,
    payload: { statement: 'S', timeFrame: { start: '2020', end: 2030.5, months: 3 } },
  });
  t.equal(badYears.status, 400);
  t.same(paths(badYears.body), ['body.timeFrame.end', 'body.timeFrame.months', 'body.timeFrame.start']);

  const result = await api.request({ method: 'POST', url, payload: { statement: 'S' } });
  const badPatch = await api.request({
    method: 'PATCH',
    url: `/api/v1/results/${result.body.id}`,
    payload: { visibility: 'everyone' },
  });
  t.equal(badPatch.status, 400);
  t.same(paths(badPatch.body), ['body.visibility']);

  const badCascade = await api.request({ method: 'DELETE', url: `/api/v1/results/${result.body.id}?cascade=yes` });
  t.equal(badCascade.status, 400);
  t.same(paths(badCascade.body), ['querystring.cascade']);

  const notJson = await api.request({
    method: 'POST',
    url,
    payload: '<statement/>',
    headers: { 'content-type': 'application/xml' },
  });
  t.equal(notJson.status, 415);
  t.equal(notJson.body.error.code, 'unsupported_media_type');
  const notJsonPatch = await api.request({
    method: 'PATCH',
    url: `/api/v1/results/${result.body.id}`,
    payload: 'S',
    headers: { 'content-type': 'text/plain' },
  });
  t.equal(notJsonPatch.status, 415);

  const list = await api.request({ method: 'GET', url });
  t.equal(list.body.items.length, 1, 'nothing but the good result was written');
  t.equal((await api.request({ method: 'GET', url: `/api/v1/results/${result.body.id}` })).body.version, 1);
});

t.test('deleting a result with a tree needs cascade, which removes everything below', async (t) => {
  const initiative = await newInitiative();
  const result = await api.request({
    method: 'POST',
    url: `/api/v1/initiatives/${initiative.id}/results`,
    payload: { statement: 'S' },
  });
  const outcome = await api.request({
    method: 'POST',
    url: `/api/v1/results/${result.body.id}/outcomes`,
    payload: { title: 'O' },
  });
  const indicator = await api.request({
    method: 'POST',
    url: `/api/v1/results/${result.body.id}/indicators`,
    payload: {
      name: 'I',
      unit: 'count',
      polarity: 'higher_is_better',
      frequency: 'annual',
      outcomeId: outcome.body.id,
    },
  });
  const headline = await api.request({
    method: 'POST',
    url: `/api/v1/results/${result.body.id}/indicators`,
    payload: { name: 'H', unit: 'count', polarity: 'higher_is_better', frequency: 'annual' },
  });
  const put = await api.request({
    method: 'PUT',
    url: `/api/v1/indicators/${indicator.body.id}/data-points`,
    payload: {
      points: [
        { period: '2023', value: 1 },
        { period: '2024', value: 2 },
      ],
    },
  });
  t.equal(put.status, 200);

  const refused = await api.request({ method: 'DELETE', url: `/api/v1/results/${result.body.id}` });
  t.equal(refused.status, 409);
  t.equal(refused.body.error.code, 'has_dependents');
  t.match(refused.body.error.message, /1 outcome\b/);
  t.match(refused.body.error.message, /2 indicators/);
  t.same(paths(refused.body), ['indicators', 'outcomes']);
  t.equal(
    (await api.request({ method: 'GET', url: `/api/v1/results/${result.body.id}` })).status,
    200,
    'nothing deleted',
  );
  t.equal((await api.request({ method: 'GET', url: `/api/v1/outcomes/${outcome.body.id}` })).status, 200);

  const cascaded = await api.request({ method: 'DELETE', url: `/api/v1/results/${result.body.id}?cascade=true` });
  t.equal(cascaded.status, 204);
  t.equal((await api.request({ method: 'GET', url: `/api/v1/results/${result.body.id}` })).status, 404);
  t.equal((await api.request({ method: 'GET', url: `/api/v1/outcomes/${outcome.body.id}` })).status, 404);
  t.equal((await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.body.id}` })).status, 404);
  t.equal((await api.request({ method: 'GET', url: `/api/v1/indicators/${headline.body.id}` })).status, 404);
  for (const point of put.body.points) {
    t.equal((await api.request({ method: 'GET', url: `/api/v1/data-points/${point.id}` })).status, 404);
  }
  t.equal(
    (await api.request({ method: 'GET', url: `/api/v1/initiatives/${initiative.id}` })).status,
    200,
    'the initiative stays',
  );
});

t.test('an empty result has an empty tree', async (t) => {
  const initiative = await newInitiative();
  const result = await api.request({
    method: 'POST',
    url: `/api/v1/initiatives/${initiative.id}/results`,
    payload: { statement: 'Empty' },
  });
  const tree = await api.request({ method: 'GET', url: `/api/v1/results/${result.body.id}/tree` });
  t.equal(tree.status, 200);
  t.strictSame(tree.body, { ...result.body, indicators: [], outcomes: [] });
});
