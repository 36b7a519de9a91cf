/**
 * Operations and request limits: health and readiness, body size (413), content type (415), unknown
 * routes and an unreachable database — every failure in the one error shape.
 */
import { randomUUID } from 'node:crypto';
import { CamelCasePlugin, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Test } from 'tap';
import t from '../helpers/tap.ts';
import type { Database } from '../../schema/database.ts';
import { buildApp } from '../../server/app.ts';
import { buildTestApp, createFixture } from '../helpers/test-app.ts';

const LIMIT = 2048;
const api = await buildTestApp(t, { bodyLimitBytes: LIMIT });

function assertErrorShape(t: Test, body: unknown, code: string) {
  t.match(body, { error: { code, message: String, details: Array } });
  t.same(Object.keys(body as object), ['error'], 'nothing beside error');
}

t.test('/healthz and /readyz', async (t) => {
  const health = await api.request({ method: 'GET', url: '/healthz' });
  t.equal(health.status, 200);
  t.same(health.body, { status: 'ok' });
  const ready = await api.request({ method: 'GET', url: '/readyz' });
  t.equal(ready.status, 200);
  t.same(ready.body, { status: 'ready' });
});

t.test('an unreachable database: /readyz and the API answer 503 with Retry-After', async (t) => {
  // Nothing listens on port 1: every connection is refused at once.
  const pool = new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/none', connectionTimeoutMillis: 1000 });
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [new CamelCasePlugin()] });
  const app = await buildApp({ config: { bodyLimitBytes: LIMIT, logLevel: 'silent' }, db, logger: false });
  t.teardown(async () => {
    await app.close();
    await db.destroy();
  });
  const health = await app.inject({ method: 'GET', url: '/healthz' });
  t.equal(health.statusCode, 200, 'the process is alive even without its database');
  const ready = await app.inject({ method: 'GET', url: '/readyz' });
  t.equal(ready.statusCode, 503);
  t.equal(ready.headers['retry-after'], '5');
  assertErrorShape(t, ready.json(), 'database_unavailable');
  const read = await app.inject({ method: 'GET', url: `/api/v1/initiatives/${randomUUID()}` });
  t.equal(read.statusCode, 503);
  t.ok(read.headers['retry-after']);
  assertErrorShape(t, read.json(), 'database_unavailable');
  t.notMatch(read.body, /ECONNREFUSED|127\.0\.0\.1/, 'no internals leak');
});

t.test('a JSON body over the limit is a 413 on every write route', async (t) => {
  const { initiative, result, indicator } = await createFixture(api, { frequency: 'monthly' });
  const partner = await api.request({
    method: 'POST',
    url: `/api/v1/initiatives/${initiative.id}/partners`,
    payload: { name: 'P', sector: 'public' },
  });
  const outcome = await api.request({
    method: 'POST',
    url: `/api/v1/results/${result.id}/outcomes`,
    payload: { title: 'O' },
  });
  const put = await api.request({
    method: 'PUT',
    url: `/api/v1/indicators/${indicator.id}/data-points`,
    payload: { points: [{ period: '2024-01', value: 1 }] },
  });
  t.equal(put.status, 200, 'a small batch fits');
  const pointId = put.body.points[0].id;

  const long = 'x'.repeat(LIMIT + 100);
  const points = Array.from({ length: 100 }, (_, i) => ({
    period: `${2000 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`,
    value: i,
  }));
  const cases = [
    { method: 'POST' as const, url: '/api/v1/initiatives', payload: { name: long } },
    { method: 'PATCH' as const, url: `/api/v1/initiatives/${initiative.id}`, payload: { description: long } },
    {
      method: 'POST' as const,
      url: `/api/v1/initiatives/${initiative.id}/partners`,
      payload: { name: 'P', sector: 'public', role: long },
    },
    { method: 'PATCH' as const, url: `/api/v1/partners/${partner.body.id}`, payload: { role: long } },
    { method: 'POST' as const, url: `/api/v1/initiatives/${initiative.id}/results`, payload: { statement: long } },
    { method: 'PATCH' as const, url: `/api/v1/results/${result.id}`, payload: { statement: long } },
    {
      method: 'POST' as const,
      url: `/api/v1/results/${result.id}/outcomes`,
      payload: { title: 'T', description: long },
    },
    { method: 'PATCH' as const, url: `/api/v1/outcomes/${outcome.body.id}`, payload: { description: long } },
    {
      method: 'POST' as const,
      url: `/api/v1/results/${result.id}/indicators`,
      payload: { name: 'N', unit: 'count', polarity: 'higher_is_better', frequency: 'annual', definition: long },
    },
    { method: 'PATCH' as const, url: `/api/v1/indicators/${indicator.id}`, payload: { definition: long } },
    { method: 'PUT' as const, url: `/api/v1/indicators/${indicator.id}/data-points`, payload: { points } },
    { method: 'PATCH' as const, url: `/api/v1/data-points/${pointId}`, payload: { note: long } },
  ];
  for (const c of cases) {
    t.ok(JSON.stringify(c.payload).length > LIMIT);
    const res = await api.request(c);
    t.equal(res.status, 413, `${c.method} ${c.url}`);
    assertErrorShape(t, res.body, 'body_too_large');
  }
  const stored = await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.id}/data-points` });
  t.equal(stored.body.items.length, 1, 'the oversized batch wrote nothing');
  const read = await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.id}` });
  t.equal(read.body.version, 1, 'the oversized patch changed nothing');
});

t.test('a body that is not JSON is a 415 on every write route', async (t) => {
  const { initiative, result, indicator } = await createFixture(api);
  const outcome = await api.request({
    method: 'POST',
    url: `/api/v1/results/${result.id}/outcomes`,
    payload: { title: 'O' },
  });
  const partner = await api.request({
    method: 'POST',
    url: `/api/v1/initiatives/${initiative.id}/partners`,
    payload: { name: 'P', sector: 'public' },
  });
  const put = await api.request({
    method: 'PUT',
    url: `/api/v1/indicators/${indicator.id}/data-points`,
    payload: { points: [{ period: '2024', value: 1 }] },
  });
  const routes = [
    ['POST', '/api/v1/initiatives'],
    ['PATCH', `/api/v1/initiatives/${initiative.id}`],
    ['POST', `/api/v1/initiatives/${initiative.id}/partners`],
    ['PATCH', `/api/v1/partners/${partner.body.id}`],
    ['POST', `/api/v1/initiatives/${initiative.id}/results`],
    ['PATCH', `/api/v1/results/${result.id}`],
    ['POST', `/api/v1/results/${result.id}/outcomes`],
    ['PATCH', `/api/v1/outcomes/${outcome.body.id}`],
    ['POST', `/api/v1/results/${result.id}/indicators`],
    ['PATCH', `/api/v1/indicators/${indicator.id}`],
    ['PUT', `/api/v1/indicators/${indicator.id}/data-points`],
    ['PATCH', `/api/v1/data-points/${put.body.points[0].id}`],
  ] as const;
  for (const [method, url] of routes) {
    for (const contentType of ['text/plain', 'application/xml', 'multipart/form-data; boundary=x']) {
      const res = await api.request({ method, url, payload: '{"name":"x"}', headers: { 'content-type': contentType } });
      t.equal(res.status, 415, `${method} ${url} as ${contentType}`);
      assertErrorShape(t, res.body, 'unsupported_media_type');
    }
  }
  const charset = await api.request({
    method: 'POST',
    url: '/api/v1/initiatives',
    payload: '{"name":"With charset"}',
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
  t.equal(charset.status, 201, 'JSON with a charset is JSON');
});

t.test('unknown routes and methods are 404s in the error shape', async (t) => {
  const route = await api.request({ method: 'GET', url: '/api/v1/nothing-here' });
  t.equal(route.status, 404);
  assertErrorShape(t, route.body, 'route_not_found');
  const method = await api.request({ method: 'PUT', url: '/api/v1/initiatives' });
  t.equal(method.status, 404);
  assertErrorShape(t, method.body, 'route_not_found');
});
