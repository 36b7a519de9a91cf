/**
 * The anonymous rate limit over time and behind proxies: the window resets (the limited client is served
 * again once it has passed), and the client's address comes from `X-Forwarded-For` only when TRUST_PROXY names
 * the proxy — otherwise anyone could escape the limit by writing that header, and behind a proxy all clients
 * would share one bucket.
 */
import t from '../helpers/tap.ts';
import { loadConfig, ConfigError } from '../../server/config.ts';
import { buildTestApp } from '../helpers/test-app.ts';

const LIMIT = 2;
const read = { method: 'GET' as const, url: '/api/v1/initiatives', as: null };

t.test('the window resets: a limited client is served again once it has passed', async (t) => {
  const api = await buildTestApp(t, { rateLimitPerMinute: LIMIT, rateLimitWindowMs: 1_000 });
  for (let i = 0; i < LIMIT; i++) t.equal((await api.request(read)).status, 200, `request ${i + 1} is served`);
  const limited = await api.request(read);
  t.equal(limited.status, 429, 'the next one is limited');
  const retryAfter = Number(limited.headers['retry-after']);
  t.equal(retryAfter, 1, 'Retry-After says when, in whole seconds');
  // Wait for the window (no fixed sleep to race): ask again every 100 ms, for at most ten windows.
  let status = 429;
  for (let waited = 0; status === 429 && waited < 10_000; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    status = (await api.request(read)).status;
  }
  t.equal(status, 200, 'served again after the window');
});

t.test('without TRUST_PROXY, X-Forwarded-For is ignored: writing it escapes nothing', async (t) => {
  const api = await buildTestApp(t, { rateLimitPerMinute: LIMIT });
  const statuses = [];
  for (let i = 0; i < LIMIT + 1; i++) {
    const res = await api.request({ ...read, headers: { 'x-forwarded-for': `203.0.113.${i + 1}` } });
    statuses.push(res.status);
  }
  t.same(statuses, [200, 200, 429], 'one address, one bucket, whatever the header claims');
});

for (const [label, trustProxy] of [
  ['the proxy by address', ['127.0.0.1']],
  ['one hop', 1],
] as const) {
  t.test(`TRUST_PROXY = ${label}: each client behind the proxy has its own bucket`, async (t) => {
    const api = await buildTestApp(t, {
      rateLimitPerMinute: LIMIT,
      trustProxy: typeof trustProxy === 'number' ? trustProxy : [...trustProxy],
    });
    const via = (client: string) => api.request({ ...read, headers: { 'x-forwarded-for': client } });
    for (let i = 0; i < LIMIT; i++) t.equal((await via('198.51.100.7')).status, 200);
    t.equal((await via('198.51.100.7')).status, 429, 'the busy client is limited');
    t.equal((await via('198.51.100.8')).status, 200, 'another client behind the same proxy is not');
  });
}

t.test('TRUST_PROXY is read strictly', async (t) => {
  t.equal(loadConfig({}).trustProxy, false, 'off by default');
  t.equal(loadConfig({ TRUST_PROXY: 'true' }).trustProxy, true);
  t.equal(loadConfig({ TRUST_PROXY: '2' }).trustProxy, 2, 'a number of hops');
  t.same(loadConfig({ TRUST_PROXY: '10.0.0.1, 10.1.0.0/16' }).trustProxy, ['10.0.0.1', '10.1.0.0/16']);
  t.throws(() => loadConfig({ TRUST_PROXY: 'the load balancer' }), ConfigError, 'anything else stops the start');
});
