/**
 * Hardening: the anonymous rate limit (429 + Retry-After; tokens exempt), CORS (reads from anywhere,
 * writes only from listed origins) and the security headers.
 *
 * Each rate-limit case uses its own client address (inject's remoteAddress), so cases do not share a
 * bucket.
 */
import t from '../helpers/tap.ts';
import { buildTestAppWithRoutes, call, createToken, isErrorShape } from './world.ts';

const LIMIT = 5;
const WRITE_ORIGIN = 'https://editor.example';
const { api } = await buildTestAppWithRoutes(t, { rateLimitPerMinute: LIMIT, corsWriteOrigins: [WRITE_ORIGIN] });

// Set up before the first subtest (the admin token is exempt from the limit).
const initiative = await call(api, 'POST', '/initiatives', { name: 'Limits partnership' });
const result = await call(api, 'POST', `/initiatives/${initiative.id}/results`, {
  statement: 'A public result',
  visibility: 'public',
});
const viewer = await createToken(api, { name: 'Limits viewer', role: 'viewer', initiativeId: initiative.id });

let address = 0;
const newClient = () => `10.0.0.${++address}`;

t.test('the 6th anonymous request a minute is a 429 with Retry-After, in the error shape', async (t) => {
  const client = newClient();
  for (let i = 1; i <= LIMIT; i++) {
    const res = await api.request({
      method: 'GET',
      url: `/api/v1/results/${result.id}`,
      as: null,
      remoteAddress: client,
    });
    t.equal(res.status, 200, `request ${i} passes`);
  }
  const limited = await api.request({
    method: 'GET',
    url: `/api/v1/results/${result.id}`,
    as: null,
    remoteAddress: client,
  });
  t.equal(limited.status, 429, `request ${LIMIT + 1} is limited`);
  t.match(limited.headers['retry-after'], /^\d+$/, 'Retry-After in seconds');
  t.ok(Number(limited.headers['retry-after']) > 0 && Number(limited.headers['retry-after']) <= 60);
  t.ok(isErrorShape(limited.body), 'the one error shape');
  t.equal(limited.body.error.code, 'rate_limited');
  const elsewhere = await api.request({
    method: 'GET',
    url: `/api/v1/results/${result.id}`,
    as: null,
    remoteAddress: newClient(),
  });
  t.equal(elsewhere.status, 200, 'another address has its own budget');
});

t.test('requests with a valid token are not limited, even from a limited address', async (t) => {
  const client = newClient();
  for (let i = 0; i <= LIMIT; i++)
    await api.request({ method: 'GET', url: '/api/v1/initiatives', as: null, remoteAddress: client });
  t.equal(
    (await api.request({ method: 'GET', url: '/api/v1/initiatives', as: null, remoteAddress: client })).status,
    429,
    'the address is limited',
  );
  const statuses = new Set<number>();
  for (let i = 0; i < LIMIT * 4; i++) {
    statuses.add(
      (await api.request({ method: 'GET', url: `/api/v1/results/${result.id}`, as: viewer, remoteAddress: client }))
        .status,
    );
    statuses.add((await api.request({ method: 'GET', url: '/api/v1/initiatives', remoteAddress: client })).status); // the admin
  }
  t.same([...statuses], [200], `${LIMIT * 8} token requests, all answered`);
});

t.test('requests with a bad token count as anonymous: guessing tokens is limited too', async (t) => {
  const client = newClient();
  const statuses: number[] = [];
  for (let i = 0; i < LIMIT * 2; i++) {
    const res = await api.request({
      method: 'GET',
      url: '/api/v1/initiatives',
      as: `rba_guess${i}${'A'.repeat(34)}`,
      remoteAddress: client,
    });
    statuses.push(res.status);
  }
  t.same(statuses.slice(0, LIMIT), Array(LIMIT).fill(401), 'the first guesses are 401');
  t.same(statuses.slice(LIMIT), Array(LIMIT).fill(429), 'then the address is limited');
});

t.test('anonymous write attempts count against the limit', async (t) => {
  const client = newClient();
  const statuses: number[] = [];
  for (let i = 0; i < LIMIT * 2; i++) {
    const res = await api.request({
      method: 'POST',
      url: '/api/v1/initiatives',
      payload: { name: 'spam' },
      as: null,
      remoteAddress: client,
    });
    statuses.push(res.status);
  }
  t.same(statuses.slice(0, LIMIT), Array(LIMIT).fill(401), 'the first attempts are 401');
  t.same(statuses.slice(LIMIT), Array(LIMIT).fill(429), 'then 429');
});

t.test('CORS: reads from any origin, writes only from listed origins, never with credentials', async (t) => {
  const read = await api.request({
    method: 'GET',
    url: `/api/v1/results/${result.id}`,
    as: null,
    headers: { origin: 'https://partner.example' },
    remoteAddress: newClient(),
  });
  t.equal(read.status, 200);
  t.equal(read.headers['access-control-allow-origin'], '*', 'a GET from any origin may be read');
  t.notOk(read.headers['access-control-allow-credentials'], 'no credentials');

  const preflightRead = await api.request({
    method: 'OPTIONS',
    url: `/api/v1/results/${result.id}`,
    as: null,
    headers: { origin: 'https://partner.example', 'access-control-request-method': 'GET' },
    remoteAddress: newClient(),
  });
  t.ok(preflightRead.status < 300, `preflight for GET: ${preflightRead.status}`);
  t.equal(preflightRead.headers['access-control-allow-origin'], '*');

  for (const method of ['PUT', 'PATCH', 'POST', 'DELETE']) {
    const unlisted = await api.request({
      method: 'OPTIONS',
      url: `/api/v1/results/${result.id}`,
      as: null,
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': method,
        'access-control-request-headers': 'authorization,content-type',
      },
      remoteAddress: newClient(),
    });
    t.notOk(
      unlisted.headers['access-control-allow-origin'],
      `preflight for ${method} from an unlisted origin: no allow-origin`,
    );
    const listed = await api.request({
      method: 'OPTIONS',
      url: `/api/v1/results/${result.id}`,
      as: null,
      headers: {
        origin: WRITE_ORIGIN,
        'access-control-request-method': method,
        'access-control-request-headers': 'authorization,content-type,if-match',
      },
      remoteAddress: newClient(),
    });
    t.ok(listed.status < 300, `preflight for ${method} from the listed origin: ${listed.status}`);
    t.equal(listed.headers['access-control-allow-origin'], WRITE_ORIGIN, `${method} from the listed origin is allowed`);
    t.match(
      String(listed.headers['access-control-allow-methods']),
      new RegExp(method),
      `allow-methods names ${method}`,
    );
    t.match(
      String(listed.headers['access-control-allow-headers']).toLowerCase(),
      /authorization/,
      'the Authorization header may be sent',
    );
    t.notOk(listed.headers['access-control-allow-credentials'], 'no credentials');
  }

  const expired = await api.request({
    method: 'GET',
    url: `/api/v1/results/${result.id}`,
    as: 'rba_not-a-token',
    headers: { origin: 'https://partner.example' },
    remoteAddress: newClient(),
  });
  t.equal(expired.status, 401);
  t.equal(
    expired.headers['access-control-allow-origin'],
    '*',
    'a 401 for a bad token is readable by the browser page that sent it',
  );

  const write = await api.request({
    method: 'PATCH',
    url: `/api/v1/results/${result.id}`,
    payload: { population: 'Everyone' },
    headers: { origin: 'https://evil.example' },
  });
  t.notOk(
    write.headers['access-control-allow-origin'],
    'a write response to an unlisted origin carries no allow-origin',
  );
  const listedWrite = await api.request({
    method: 'PATCH',
    url: `/api/v1/results/${result.id}`,
    payload: { population: 'Everyone' },
    headers: { origin: WRITE_ORIGIN },
  });
  t.equal(listedWrite.status, 200);
  t.equal(listedWrite.headers['access-control-allow-origin'], WRITE_ORIGIN, 'to the listed origin it does');
  t.equal(
    listedWrite.headers.vary && /origin/i.test(String(listedWrite.headers.vary)),
    true,
    'Vary: Origin, so caches keep origins apart',
  );
});

t.test('security headers on API responses, errors and the docs', async (t) => {
  for (const [url, status] of [
    [`/api/v1/results/${result.id}`, 200],
    ['/api/v1/results/00000000-0000-4000-8000-000000000000', 404],
    ['/api/v1/no-such-route', 404],
    ['/healthz', 200],
    ['/openapi.json', 200],
  ] as const) {
    const res = await api.request({ method: 'GET', url, remoteAddress: newClient() });
    t.equal(res.status, status, url);
    t.equal(res.headers['x-content-type-options'], 'nosniff', `${url}: X-Content-Type-Options`);
    const csp = String(res.headers['content-security-policy'] ?? '');
    t.match(csp, /default-src 'self'/, `${url}: a CSP`);
    t.match(csp, /frame-ancestors 'none'/, `${url}: not framable`);
    t.match(csp, /object-src 'none'/);
    t.notOk(res.headers['x-powered-by'], 'no X-Powered-By');
  }
});
