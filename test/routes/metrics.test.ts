/**
 * `/metrics` (METRICS=1, METRICS_TOKEN) through HTTP: off by default; Prometheus text with requests timed by
 * route pattern, response-cache look-ups, the pool, imports and engine time; a token when one is set. Several
 * apps with metrics in one process keep registries of their own.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import t from '../helpers/tap.ts';
import { loadConfig } from '../../server/config.ts';
import { buildTestApp, createFixture, TEST_ADMIN_TOKEN, type TestApp } from '../helpers/test-app.ts';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

/** The value of one sample (`name{labels} value`), or undefined when the text has no such line. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]),
    );
    if (Object.entries(labels).every(([key, value]) => present[key] === value)) return Number(match[3]);
  }
  return undefined;
}

async function scrape(api: TestApp, headers: Record<string, string> = {}) {
  return api.request({ method: 'GET', url: '/metrics', as: null, headers });
}

t.test('the settings: METRICS off by default, METRICS_TOKEN of 16 characters or more', async (t) => {
  t.same(loadConfig({}).metrics, { enabled: false, token: null });
  t.same(loadConfig({ METRICS: '1', METRICS_TOKEN: METRICS_TOKEN }).metrics, { enabled: true, token: METRICS_TOKEN });
  t.throws(() => loadConfig({ METRICS: 'maybe' }), /METRICS/);
  t.throws(() => loadConfig({ METRICS: '1', METRICS_TOKEN: 'short' }), /METRICS_TOKEN: must be at least 16/);
});

t.test('off by default: /metrics is a 404 and not in the OpenAPI document', async (t) => {
  const api = await buildTestApp(t);
  const response = await scrape(api);
  t.equal(response.status, 404);
  t.equal(response.body.error.code, 'route_not_found');
  const doc = await api.request({ method: 'GET', url: '/openapi.json', as: null });
  t.notOk(doc.body.paths['/metrics'], 'not documented when not served');
});

t.test(
  'on: Prometheus text with each request under its route pattern, the cache, the pool, imports, engine',
  async (t) => {
    const api = await buildTestApp(t, { metrics: { enabled: true, token: null } });
    const other = await buildTestApp(t, { metrics: { enabled: true, token: null } });
    const { indicator, result } = await createFixture(api);
    const put = await api.request({
      method: 'PUT',
      url: `/api/v1/indicators/${indicator.id}/data-points`,
      payload: { points: [2015, 2016, 2017, 2018, 2019].map((year, i) => ({ period: String(year), value: 10 - i })) },
    });
    t.equal(put.status, 200, 'points saved');
    const analysis = await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.id}/analysis` });
    t.equal(analysis.status, 200, 'analysed');
    for (let i = 0; i < 2; i++) {
      const chart = await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.id}/chart.vl.json` });
      t.equal(chart.status, 200, 'chart');
    }
    const imported = await api.request({
      method: 'POST',
      url: `/api/v1/indicators/${indicator.id}/data-points/import`,
      payload: 'period,value\n2020,6\n2021,5\n2022,4\n',
      headers: { 'content-type': 'text/csv' },
    });
    t.equal(imported.status, 200, 'imported');
    const unknown = await api.request({ method: 'GET', url: `/no/such/page/${indicator.id}` });
    t.equal(unknown.status, 404);

    const response = await scrape(api);
    t.equal(response.status, 200, 'scraped');
    t.match(response.headers['content-type'], /^text\/plain; version=0\.0\.4/);
    const text = response.raw;
    t.match(text, /# TYPE http_request_duration_seconds histogram/);
    t.equal(
      sample(text, 'http_request_duration_seconds_count', {
        method: 'GET',
        route: '/api/v1/indicators/:indicatorId/analysis',
        status_class: '2xx',
      }),
      1,
      'the analysis request, under its pattern',
    );
    t.equal(
      sample(text, 'http_request_duration_seconds_count', {
        method: 'PUT',
        route: '/api/v1/indicators/:indicatorId/data-points',
        status_class: '2xx',
      }),
      1,
    );
    t.equal(
      sample(text, 'http_request_duration_seconds_count', { method: 'GET', route: 'unmatched', status_class: '4xx' }),
      1,
      'a URL no route serves is one label value, whatever the URL',
    );
    t.notOk(text.includes(indicator.id), 'no id of any URL is a label: the label values stay few');
    t.notOk(text.includes(result.id));

    t.equal(sample(text, 'rba_response_cache_lookups_total', { result: 'miss' }), 1, 'the first chart is computed');
    t.equal(sample(text, 'rba_response_cache_lookups_total', { result: 'hit' }), 1, 'the second is served from memory');
    t.ok((sample(text, 'rba_db_pool_connections') ?? 0) >= 1, 'the pool has a connection open');
    t.ok(sample(text, 'rba_db_pool_idle_connections') !== undefined);
    t.equal(sample(text, 'rba_db_pool_waiting_requests'), 0, 'nothing waits for a connection at the scrape');
    t.equal(sample(text, 'rba_import_rows_total'), 3, 'the three rows imported');
    t.equal(sample(text, 'rba_import_duration_seconds_count', { status: 'succeeded', dry_run: 'false' }), 1);
    t.ok((sample(text, 'rba_import_duration_seconds_sum', { status: 'succeeded', dry_run: 'false' }) ?? 0) > 0);
    t.ok(
      (sample(text, 'rba_engine_task_duration_seconds_count', { task: 'analysisAnswer', outcome: 'ok' }) ?? 0) >= 1,
      'the analysis was timed in the worker thread',
    );
    t.ok(sample(text, 'process_cpu_user_seconds_total') !== undefined, "Node's process metrics");
    t.ok(sample(text, 'nodejs_heap_size_used_bytes') !== undefined);

    const otherText = (await scrape(other)).raw;
    t.equal(sample(otherText, 'rba_import_rows_total'), 0, "another app's registry counts only its own imports");
    t.equal(
      sample(otherText, 'http_request_duration_seconds_count', {
        method: 'GET',
        route: '/api/v1/indicators/:indicatorId/analysis',
        status_class: '2xx',
      }),
      undefined,
      "nor another app's requests",
    );

    const withApiToken = await scrape(api, { authorization: `Bearer ${TEST_ADMIN_TOKEN}` });
    t.equal(withApiToken.status, 200, 'without METRICS_TOKEN the Authorization header plays no part');
    const again = await scrape(api);
    t.ok(
      (sample(again.raw, 'http_request_duration_seconds_count', {
        method: 'GET',
        route: '/metrics',
        status_class: '2xx',
      }) ?? 0) >= 2,
      'the scrapes themselves are timed',
    );

    const doc = await api.request({ method: 'GET', url: '/openapi.json', as: null });
    const operation = doc.body.paths['/metrics']?.get;
    t.equal(operation?.operationId, 'getMetrics', 'documented when served');
    t.ok(operation?.responses['200'].content['text/plain'], 'as text');
    const validation = await new Validator().validate(doc.body);
    t.ok(validation.valid, `still a valid OpenAPI document: ${JSON.stringify(validation.errors)}`);
  },
);

t.test('a public chart served by the fast path counts as a hit and is timed under its pattern', async (t) => {
  const api = await buildTestApp(t, { metrics: { enabled: true, token: null } });
  const { indicator, result } = await createFixture(api);
  const published = await api.request({
    method: 'PATCH',
    url: `/api/v1/results/${result.id}`,
    payload: { visibility: 'public' },
  });
  t.equal(published.status, 200, 'the result is public');
  const url = `/api/v1/indicators/${indicator.id}/chart.vl.json`;
  for (let i = 0; i < 3; i++) t.equal((await api.request({ method: 'GET', url, as: null })).status, 200);
  const text = (await scrape(api)).raw;
  t.equal(sample(text, 'rba_response_cache_lookups_total', { result: 'miss' }), 1);
  t.equal(sample(text, 'rba_response_cache_lookups_total', { result: 'hit' }), 2);
  t.equal(
    sample(text, 'http_request_duration_seconds_count', {
      method: 'GET',
      route: '/api/v1/indicators/:indicatorId/chart.vl.json',
      status_class: '2xx',
    }),
    3,
  );
});

t.test('METRICS_TOKEN: 401 without it or with another token, 200 with it', async (t) => {
  const api = await buildTestApp(t, { metrics: { enabled: true, token: METRICS_TOKEN } });
  for (const [what, headers] of [
    ['no header', {}],
    ['a wrong token', { authorization: 'Bearer metrics-token-0123456789abcdeX' }],
    ['an API token', { authorization: `Bearer ${TEST_ADMIN_TOKEN}` }],
    ['not Bearer', { authorization: `Basic ${METRICS_TOKEN}` }],
  ] as const) {
    const refused = await scrape(api, headers);
    t.equal(refused.status, 401, what);
    t.equal(refused.body.error.code, 'unauthenticated', what);
    t.notMatch(refused.raw, /http_request_duration_seconds/, `${what}: no metrics`);
  }
  const allowed = await scrape(api, { authorization: `Bearer ${METRICS_TOKEN}` });
  t.equal(allowed.status, 200);
  t.match(allowed.raw, /# HELP http_request_duration_seconds /);
  t.equal(
    sample(allowed.raw, 'http_request_duration_seconds_count', {
      method: 'GET',
      route: '/metrics',
      status_class: '4xx',
    }),
    4,
    'the refused scrapes were timed too',
  );
});
