/**
 * chart.svg and chart.png (issue 12): laid out on the server at the width asked for, with the bundled fonts;
 * the PNG follows the SVG's caching, ETag and access rules.
 */
import t from '../helpers/tap.ts';
import { buildTestApp, createFixture } from '../helpers/test-app.ts';

const api = await buildTestApp(t);

async function publicIndicator() {
  const fixture = await createFixture(api, { baselinePeriod: '2018', target: { period: '2024', value: 5 } });
  await api.request({
    method: 'PATCH',
    url: `/api/v1/results/${fixture.result.id}`,
    payload: { visibility: 'public' },
  });
  await api.request({
    method: 'PUT',
    url: `/api/v1/indicators/${fixture.indicator.id}/data-points`,
    payload: { points: [9.2, 8.9, 8.5, 8.4, 7.9, 7.1].map((value, i) => ({ period: String(2016 + i), value })) },
  });
  return fixture;
}

/** Width and height of a PNG, from its IHDR chunk. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

const { indicator } = await publicIndicator();

t.test('chart.svg is laid out at the width asked for, with the bundled font', async (t) => {
  for (const width of [320, 375, 640, 1280]) {
    const svg = await api.request({
      method: 'GET',
      url: `/api/v1/indicators/${indicator.id}/chart.svg?width=${width}`,
      as: null,
    });
    t.equal(svg.status, 200);
    t.match(svg.raw, new RegExp(`^<svg[^>]* width="${width}"`), `${width} px wide`);
    t.match(svg.raw, /font-family="&quot;Source Sans 3&quot;|font-family="'Source Sans 3'/, 'in Source Sans 3');
    t.match(svg.raw, /@font-face\{font-family:&quot;Source Sans 3&quot;/, 'which it loads from this server');
  }
  const plain = await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.id}/chart.svg`, as: null });
  t.match(plain.raw, /^<svg[^>]* width="640"/, '640 px by default');
});

t.test('chart.png: the same chart as a PNG, cached like the SVG', async (t) => {
  const url = `/api/v1/indicators/${indicator.id}/chart.png?width=400`;
  const first = await api.app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'br, gzip' } });
  t.equal(first.statusCode, 200);
  t.equal(first.headers['content-type'], 'image/png');
  t.notOk(first.headers['content-encoding'], 'a PNG is not compressed again');
  const bytes = first.rawPayload;
  t.same([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG file');
  const size = pngSize(bytes);
  t.equal(size.width, 800, 'twice the chart width by default (scale 2)');
  t.ok(size.height > 400, `and tall enough for the plot, axes and legend (${size.height} px)`);
  t.match(first.headers.etag, /^"[\w-]+"$/, 'a strong ETag');
  t.match(first.headers['cache-control'], /public, max-age=60/);

  const again = await api.app.inject({
    method: 'GET',
    url,
    headers: { 'if-none-match': first.headers.etag as string },
  });
  t.equal(again.statusCode, 304);

  const scale1 = await api.app.inject({ method: 'GET', url: `${url}&scale=1` });
  t.equal(pngSize(scale1.rawPayload).width, 400, 'scale 1: one pixel per chart pixel');

  // The cache of the public fast path answers with the same bytes.
  const cached = await api.app.inject({ method: 'GET', url });
  t.ok(cached.rawPayload.equals(bytes), 'the cached answer is the same PNG');
});

t.test('chart.png and chart.svg refuse bad sizes with a 400 naming the field', async (t) => {
  for (const query of ['width=100', 'width=5000', 'width=abc', 'width=640.5', 'scale=4', 'scale=0', 'view=pie']) {
    for (const file of ['chart.png', 'chart.svg']) {
      if (file === 'chart.svg' && query.startsWith('scale')) continue;
      const response = await api.request({
        method: 'GET',
        url: `/api/v1/indicators/${indicator.id}/${file}?${query}`,
        as: null,
      });
      t.equal(response.status, 400, `${file}?${query}`);
      t.equal(response.body.error.code, 'invalid_input');
      t.match(response.body.error.details[0].path, /^querystring\.(width|scale|view)$/);
    }
  }
});

t.test('a private chart.png is a 404 for anonymous readers and an image for members', async (t) => {
  const { indicator: hidden } = await createFixture(api);
  const anonymous = await api.request({ method: 'GET', url: `/api/v1/indicators/${hidden.id}/chart.png`, as: null });
  t.equal(anonymous.status, 404);
  t.equal(anonymous.body.error.code, 'not_found');
  const member = await api.request({ method: 'GET', url: `/api/v1/indicators/${hidden.id}/chart.png` });
  t.equal(member.status, 200);
  t.match(member.headers['cache-control'], /private/);
});

t.test('chart.png is documented in the OpenAPI document', async (t) => {
  const doc = (await api.request({ method: 'GET', url: '/openapi.json', as: null })).body;
  const operation = doc.paths['/api/v1/indicators/{indicatorId}/chart.png']?.get;
  t.ok(operation, 'the route is documented');
  t.equal(operation.operationId, 'getIndicatorChartPng');
  t.ok(operation.responses['200'].content['image/png'], 'as image/png');
  const parameters = operation.parameters.map((p: { name: string }) => p.name);
  t.ok(parameters.includes('width') && parameters.includes('scale'));
});

t.test('cached JSON answers carry the headers that matter for data, not those of documents', async (t) => {
  const url = `/api/v1/indicators/${indicator.id}/chart.vl.json`;
  for (const attempt of ['first answer', 'from the public fast path']) {
    const response = await api.app.inject({ method: 'GET', url });
    t.equal(response.statusCode, 200, attempt);
    t.equal(response.headers['x-content-type-options'], 'nosniff', `${attempt}: nosniff`);
    t.equal(response.headers['access-control-allow-origin'], '*', `${attempt}: CORS`);
    t.notOk(response.headers['content-security-policy'], `${attempt}: no document policy on JSON`);
    t.notOk(response.headers['x-frame-options'], `${attempt}: no framing policy on JSON`);
  }
  const svg = await api.app.inject({ method: 'GET', url: `/api/v1/indicators/${indicator.id}/chart.svg` });
  t.ok(svg.headers['content-security-policy'], 'an SVG document keeps its policy');
  // Values are rounded for drawing: no float noise in the spec.
  const spec = JSON.parse((await api.app.inject({ method: 'GET', url })).body);
  for (const row of spec.datasets.forecast)
    for (const field of ['forecast', 'lower', 'upper'])
      if (row[field] !== undefined)
        t.ok(String(row[field]).replace(/^-?\d+\.?/, '').length <= 4, `${field} ${row[field]}`);
});
