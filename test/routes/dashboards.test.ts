import t from '../helpers/tap.ts';
import { buildTestApp, createFixture } from '../helpers/test-app.ts';

const api = await buildTestApp(t);

async function publicIndicator(overrides: Record<string, unknown> = {}) {
  const fixture = await createFixture(api, {
    baselinePeriod: '2018',
    target: { period: '2024', value: 5 },
    dimensions: [{ name: 'sex', values: ['female', 'male'] }],
    dataSource: 'Local Area Unemployment Statistics',
    ...overrides,
  });
  await api.request({
    method: 'PATCH',
    url: `/api/v1/results/${fixture.result.id}`,
    payload: { visibility: 'public' },
  });
  await api.request({
    method: 'PUT',
    url: `/api/v1/indicators/${fixture.indicator.id}/data-points`,
    payload: {
      points: [
        ...[9.2, 8.9, 8.5, 8.4, 7.9, 7.1].map((value, i) => ({
          period: String(2016 + i),
          value,
          ...(i === 5 ? { status: 'provisional', note: 'Preliminary <estimate>' } : {}),
        })),
        ...[10.1, 9.5, 9.0].map((value, i) => ({ period: String(2019 + i), value, disaggregation: { sex: 'female' } })),
      ],
    },
  });
  return fixture;
}

t.test('chart.vl.json: a Vega-Lite spec with data inline, cached with a strong ETag', async (t) => {
  const { indicator } = await publicIndicator();
  const first = await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.id}/chart.vl.json`, as: null });
  t.equal(first.status, 200);
  t.match(first.headers['content-type'], /application\/json/);
  t.match(first.body.$schema, /vega-lite\/v6/);
  t.match(first.headers.etag, /^"[\w-]+"$/, 'a strong ETag');
  t.match(first.headers['cache-control'], /public, max-age=60/);
  t.ok(JSON.stringify(first.body).includes('Preliminary <estimate>'), 'notes travel in the data for tooltips');

  const notModified = await api.request({
    method: 'GET',
    url: `/api/v1/indicators/${indicator.id}/chart.vl.json`,
    as: null,
    headers: { 'if-none-match': first.headers.etag as string },
  });
  t.equal(notModified.status, 304);

  // a change of data invalidates it
  await api.request({
    method: 'PUT',
    url: `/api/v1/indicators/${indicator.id}/data-points`,
    payload: { points: [{ period: '2021', value: 6.9 }] },
  });
  const changed = await api.request({
    method: 'GET',
    url: `/api/v1/indicators/${indicator.id}/chart.vl.json`,
    as: null,
    headers: { 'if-none-match': first.headers.etag as string },
  });
  t.equal(changed.status, 200, 'new data, new ETag');
  t.not(changed.headers.etag, first.headers.etag);

  // so does a change of the indicator
  await api.request({
    method: 'PATCH',
    url: `/api/v1/indicators/${indicator.id}`,
    payload: { name: 'Unemployment rate, residents 16+' },
  });
  const renamed = await api.request({
    method: 'GET',
    url: `/api/v1/indicators/${indicator.id}/chart.vl.json`,
    as: null,
  });
  t.ok(JSON.stringify(renamed.body).includes('Unemployment rate, residents 16+'));

  const groups = await api.request({
    method: 'GET',
    url: `/api/v1/indicators/${indicator.id}/chart.vl.json?view=groups`,
    as: null,
  });
  t.equal(groups.status, 200);
  t.not(groups.headers.etag, renamed.headers.etag);
  const badView = await api.request({
    method: 'GET',
    url: `/api/v1/indicators/${indicator.id}/chart.vl.json?view=pie`,
    as: null,
  });
  t.equal(badView.status, 400);
});

t.test('chart.svg is rendered on the server with a title and description', async (t) => {
  const { indicator } = await publicIndicator();
  const svg = await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.id}/chart.svg`, as: null });
  t.equal(svg.status, 200);
  t.match(svg.headers['content-type'], /image\/svg\+xml/);
  t.match(svg.raw, /^<svg/);
  t.match(svg.raw, /<title>Unemployment rate<\/title>/);
  t.match(svg.raw, /<desc>[^<]*Unemployment rate/);
});

t.test('private means private: anonymous requests get a 404 that reveals nothing', async (t) => {
  const { indicator, result } = await createFixture(api);
  for (const url of [
    `/api/v1/indicators/${indicator.id}/chart.vl.json`,
    `/api/v1/indicators/${indicator.id}/chart.svg`,
    `/api/v1/results/${result.id}/dashboard.vl.json`,
    `/embed/indicators/${indicator.id}`,
    `/embed/results/${result.id}`,
  ]) {
    const response = await api.request({ method: 'GET', url, as: null });
    t.equal(response.status, 404, url);
    const missing = await api.request({
      method: 'GET',
      url: url.replace(/[0-9a-f-]{36}/, '01a1fd4c-0000-7000-8000-000000000000'),
      as: null,
    });
    t.same(Object.keys(response.body.error), Object.keys(missing.body.error), 'same shape as an unknown id');
  }
  const asAdmin = await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.id}/chart.vl.json` });
  t.equal(asAdmin.status, 200, 'members still see it');
  t.match(asAdmin.headers['cache-control'], /private/);
  const snippet = await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.id}/embed` });
  t.equal(snippet.status, 422);
  t.equal(snippet.body.error.code, 'not_public');
});

t.test('embed pages: accessible, framed only by the partner origins, scripts from this server only', async (t) => {
  const { indicator, result, initiative } = await publicIndicator();
  const page = await api.request({ method: 'GET', url: `/embed/indicators/${indicator.id}`, as: null });
  t.equal(page.status, 200);
  t.match(page.headers['content-type'], /text\/html/);
  t.match(page.headers['content-security-policy'], /frame-ancestors \*/, 'any origin when embedOrigins is empty');
  t.notOk(page.headers['x-frame-options'], 'no X-Frame-Options to block the iframe');
  const html = page.raw;
  t.match(html, /<title>Unemployment rate — /);
  t.match(html, /<h1>Unemployment rate<\/h1>/);
  t.match(html, /<p id="summary" class="summary">Unemployment rate [^<]+<\/p>/, 'a plain-language summary');
  t.match(html, /role="img" aria-labelledby="chart-description"><svg/, 'the server SVG works without scripts');
  t.match(html, /<table><caption>/, 'a data table alternative');
  t.match(html, /<th scope="row">2021<\/th><td>7\.1/);
  t.match(html, /Preliminary &lt;estimate&gt;/, 'notes are escaped');
  t.match(html, /class="skip" href="#data"/, 'a skip link for keyboard users');
  const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
  t.ok(
    sources.every((s) => s.startsWith('/') || s === 'data:,' || s === '#data'),
    `every asset is served from here: ${sources.join(', ')}`,
  );
  for (const src of sources.filter((s) => s.startsWith('/assets/'))) {
    const asset = await api.request({ method: 'GET', url: src, as: null, headers: { 'accept-encoding': 'gzip' } });
    t.equal(asset.status, 200, src);
    t.match(asset.headers['cache-control'], /immutable/);
  }

  await api.request({
    method: 'PATCH',
    url: `/api/v1/initiatives/${initiative.id}`,
    payload: { embedOrigins: ['https://partner.example.org', 'https://city.example.gov'] },
  });
  const framed = await api.request({ method: 'GET', url: `/embed/indicators/${indicator.id}`, as: null });
  t.match(
    framed.headers['content-security-policy'],
    /frame-ancestors https:\/\/partner\.example\.org https:\/\/city\.example\.gov/,
  );

  const scorecardPage = await api.request({ method: 'GET', url: `/embed/results/${result.id}`, as: null });
  t.equal(scorecardPage.status, 200);
  t.match(scorecardPage.raw, /Overall: /);
  t.match(scorecardPage.raw, /<caption>Scorecard<\/caption>/);

  const snippet = await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.id}/embed`, as: null });
  t.equal(snippet.status, 200);
  t.match(snippet.body.embedUrl, new RegExp(`/embed/indicators/${indicator.id}$`));
  t.match(snippet.body.html, /<iframe src="[^"]+" title="Unemployment rate" data-rba-embed/);
  t.match(snippet.body.html, /rba-embed:height/);
  const resultSnippet = await api.request({ method: 'GET', url: `/api/v1/results/${result.id}/embed`, as: null });
  t.equal(resultSnippet.status, 200);
});

t.test('the fast path for public reads keeps the headers and follows visibility changes at once', async (t) => {
  const { indicator, result } = await publicIndicator();
  const url = `/embed/indicators/${indicator.id}`;
  const first = await api.request({ method: 'GET', url, as: null });
  const second = await api.request({ method: 'GET', url, as: null });
  t.equal(second.status, 200);
  t.equal(second.headers.etag, first.headers.etag);
  t.equal(second.headers['content-security-policy'], first.headers['content-security-policy']);
  t.notOk(second.headers['x-frame-options'], 'still frameable from the cache');
  t.equal(second.headers['x-content-type-options'], 'nosniff', 'security headers still applied');
  t.equal(second.headers['access-control-allow-origin'], '*');
  const compressed = await api.request({ method: 'GET', url, as: null, headers: { 'accept-encoding': 'br' } });
  t.equal(compressed.headers['content-encoding'], 'br');

  await api.request({ method: 'PATCH', url: `/api/v1/results/${result.id}`, payload: { visibility: 'private' } });
  const hidden = await api.request({ method: 'GET', url, as: null });
  t.equal(hidden.status, 404, 'made private: the cached public page is gone at once');
  const chart = await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.id}/chart.vl.json`, as: null });
  t.equal(chart.status, 404);
});

t.test('dashboard.vl.json: the scorecard of a result as one spec', async (t) => {
  const { result } = await publicIndicator();
  const spec = await api.request({ method: 'GET', url: `/api/v1/results/${result.id}/dashboard.vl.json`, as: null });
  t.equal(spec.status, 200);
  t.match(spec.body.$schema, /vega-lite/);
  t.match(spec.body.description, /Scorecard/);
});
