/**
 * The analysis carries a short plain-language summary (issue 11), the same sentences the embed page shows
 * above its chart (issue 12): at most two sentences.
 */
import t from '../helpers/tap.ts';
import { buildTestApp, createFixture } from '../helpers/test-app.ts';

const api = await buildTestApp(t);

t.test('GET /indicators/{id}/analysis has a summary of at most two sentences, as the embed shows', async (t) => {
  const { indicator, result } = await createFixture(api, {
    baselinePeriod: '2018',
    target: { period: '2024', value: 5 },
    interimTargets: [{ period: '2021', value: 7.5 }],
  });
  const empty = await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.id}/analysis` });
  t.equal(empty.status, 200);
  t.match(empty.body.summary, /^No data yet for /, 'no data yet, said so');

  await api.request({ method: 'PATCH', url: `/api/v1/results/${result.id}`, payload: { visibility: 'public' } });
  await api.request({
    method: 'PUT',
    url: `/api/v1/indicators/${indicator.id}/data-points`,
    payload: { points: [9.2, 8.9, 8.5, 8.4, 7.9, 7.1].map((value, i) => ({ period: String(2016 + i), value })) },
  });
  const analysis = await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.id}/analysis`, as: null });
  t.equal(analysis.status, 200);
  const summary: string = analysis.body.summary;
  t.equal(summary.split(/(?<=\.)\s+(?=[A-Z0-9])/).length, 2, `two sentences: ${summary}`);
  t.match(summary, /fell for \d+ years in a row, to 7\.1%? in 2021/);
  t.match(summary, /baseline forecast/);
  t.notMatch(summary, /interim target/, 'details (interim targets, groups) stay out of the summary');

  const page = await api.request({ method: 'GET', url: `/embed/indicators/${indicator.id}`, as: null });
  const escaped = summary.replace(/&/g, '&amp;').replace(/'/g, '&#39;').replace(/"/g, '&quot;');
  t.ok(page.raw.includes(`<p id="summary" class="summary">${escaped}</p>`), 'the embed page shows the same words');

  const doc = (await api.request({ method: 'GET', url: '/openapi.json', as: null })).body;
  const answered =
    doc.paths['/api/v1/indicators/{indicatorId}/analysis'].get.responses['200'].content['application/json'];
  const name = String(answered.schema.$ref).split('/').pop()!;
  t.equal(doc.components.schemas[name].properties.summary.type, 'string', 'documented in the OpenAPI document');
});
