/**
 * What reaches HTML: the embed snippet's links come from PUBLIC_URL (or the configured address), never from the
 * request's Host header, and JSON inside `<script>` cannot close the element or break a line in old parsers.
 */
import t from '../helpers/tap.ts';
import { buildTestApp, createFixture } from '../helpers/test-app.ts';
import { ConfigError, loadConfig } from '../../server/config.ts';

const EVIL_HOST = 'evil.example</script><script>alert(1)</script>';

t.test('PUBLIC_URL: read and normalised, or the start stops with its name', async (t) => {
  t.equal(loadConfig({}).publicUrl, null, 'unset: links are built from HOST and PORT');
  t.equal(loadConfig({ PUBLIC_URL: 'https://rba.example.org/' }).publicUrl, 'https://rba.example.org');
  t.equal(loadConfig({ PUBLIC_URL: 'https://example.org/rba/' }).publicUrl, 'https://example.org/rba');
  t.equal(loadConfig({ PUBLIC_URL: 'https://example.org/a"<b>' }).publicUrl, 'https://example.org/a%22%3Cb%3E');
  for (const bad of [
    'rba.example.org',
    'javascript:alert(1)',
    'https://x.org/?a=1',
    'https://u:p@x.org',
    'ftp://x.org',
  ])
    t.throws(() => loadConfig({ PUBLIC_URL: bad }), ConfigError, bad);
});

t.test('the snippet links to the configured public URL whatever the Host header says', async (t) => {
  const api = await buildTestApp(t, { publicUrl: 'https://rba.example.org/tracker' });
  const { indicator, result } = await createFixture(api, { name: 'Jobs </script><script>alert(2)</script>' });
  await api.request({ method: 'PATCH', url: `/api/v1/results/${result.id}`, payload: { visibility: 'public' } });
  for (const url of [`/api/v1/indicators/${indicator.id}/embed`, `/api/v1/results/${result.id}/embed`]) {
    const res = await api.request({ method: 'GET', url, headers: { host: EVIL_HOST }, as: null });
    t.equal(res.status, 200, res.raw);
    t.match(res.body.embedUrl, /^https:\/\/rba\.example\.org\/tracker\/embed\/(indicators|results)\/[0-9a-f-]{36}$/);
    t.notMatch(res.body.html, /evil/, 'the Host header is not in the snippet');
    t.match(res.body.html, `src="${res.body.embedUrl}"`);
    t.match(res.body.html, 'e.origin !== "https://rba.example.org"', 'messages are accepted from the public origin');
    t.equal(res.body.html.match(/<script>/g)?.length, 1, 'one script element');
    t.equal(res.body.html.match(/<\/script>/g)?.length, 1, 'closed once, at its end');
  }
});

t.test('without PUBLIC_URL: the default address, not the Host header', async (t) => {
  const api = await buildTestApp(t);
  const { indicator, result } = await createFixture(api);
  await api.request({ method: 'PATCH', url: `/api/v1/results/${result.id}`, payload: { visibility: 'public' } });
  const res = await api.request({
    method: 'GET',
    url: `/api/v1/indicators/${indicator.id}/embed`,
    headers: { host: EVIL_HOST, 'x-forwarded-host': 'evil.example' },
  });
  t.equal(res.status, 200);
  t.equal(res.body.embedUrl, `http://localhost:3000/embed/indicators/${indicator.id}`);
  t.notMatch(res.body.html, /evil/);
});

t.test('the embed page: names in its JSON cannot close the script element', async (t) => {
  const api = await buildTestApp(t);
  const name = 'Rate </script><script>alert(3)</script> \u2028 & <!--';
  const { indicator, result } = await createFixture(api, { name });
  await api.request({ method: 'PATCH', url: `/api/v1/results/${result.id}`, payload: { visibility: 'public' } });
  await api.request({
    method: 'PUT',
    url: `/api/v1/indicators/${indicator.id}/data-points`,
    payload: { points: [2019, 2020, 2021, 2022].map((year, i) => ({ period: String(year), value: 5 + i })) },
  });
  const page = await api.request({
    method: 'GET',
    url: `/embed/indicators/${indicator.id}`,
    headers: { host: EVIL_HOST },
    as: null,
  });
  t.equal(page.status, 200);
  t.notMatch(page.raw, /alert\(3\)<\/script>|<script>alert/, 'the name never closes or opens a script');
  t.notMatch(page.raw, /evil/, 'the Host header is not on the page');
  const json = /<script type="application\/json" id="vega-spec">([^]*?)<\/script>/.exec(page.raw);
  t.ok(json, 'the spec is in its own JSON element');
  t.match(json![1], '\\u003c/script\\u003e', 'angle brackets escaped inside the JSON');
  t.notMatch(json![1], /\u2028/, 'no raw line separator inside the script');
  t.match(json![1], '\\u2028', 'written as an escape');
  t.match(JSON.stringify(JSON.parse(json![1]!)), 'alert(3)', 'and the JSON still reads back to the name');
});
