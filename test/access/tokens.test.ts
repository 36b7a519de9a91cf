/**
 * API tokens end to end: each role, secrets shown once and stored only as a hash, expiry, revocation,
 * malformed headers, who may manage tokens, the contributor's partner, the name revisions record, and
 * what private objects each token can see.
 */
import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import t from '../helpers/tap.ts';
import { TEST_ADMIN_TOKEN } from '../helpers/test-app.ts';
import { buildTestAppWithRoutes, call, isErrorShape } from './world.ts';

const { api, routes } = await buildTestAppWithRoutes(t);
const SECRET_FORMAT = /^rba_[A-Za-z0-9_-]{43}$/;

// The world of this file, set up before the first subtest (tap tears the app down once its queue drains).
const initiative = await call(api, 'POST', '/initiatives', { name: 'Token partnership' });
const owner = await call(api, 'POST', `/initiatives/${initiative.id}/partners`, {
  name: 'Owner org',
  sector: 'public',
});
const otherInitiative = await call(api, 'POST', '/initiatives', { name: 'Another partnership' });
const otherPartner = await call(api, 'POST', `/initiatives/${otherInitiative.id}/partners`, {
  name: 'Elsewhere org',
  sector: 'community',
});
const publicResult = await call(api, 'POST', `/initiatives/${initiative.id}/results`, {
  statement: 'Public result',
  visibility: 'public',
});
const privateResult = await call(api, 'POST', `/initiatives/${initiative.id}/results`, {
  statement: 'Private result',
  visibility: 'private',
});
const outcome = await call(api, 'POST', `/results/${publicResult.id}/outcomes`, {
  title: 'Outcome of the public result',
});
const indicatorInput = {
  unit: 'count',
  polarity: 'higher_is_better',
  frequency: 'annual',
  ownerPartnerId: owner.id,
} as const;
const publicIndicator = await call(api, 'POST', `/results/${publicResult.id}/indicators`, {
  name: 'Public indicator',
  code: 'PUB',
  ...indicatorInput,
});
const privateIndicator = await call(api, 'POST', `/results/${publicResult.id}/indicators`, {
  name: 'Private indicator of the public result',
  code: 'PRIV',
  outcomeId: outcome.id,
  visibility: 'private',
  ...indicatorInput,
});
const indicatorOfPrivateResult = await call(api, 'POST', `/results/${privateResult.id}/indicators`, {
  name: 'Indicator of the private result',
  ...indicatorInput,
});
for (const indicator of [publicIndicator, privateIndicator, indicatorOfPrivateResult]) {
  await call(api, 'PUT', `/indicators/${indicator.id}/data-points`, {
    points: [
      { period: '2022', value: 1 },
      { period: '2023', value: 2 },
      { period: '2024', value: 3 },
    ],
  });
}
// An initiative with nothing public at all.
const hiddenInitiative = await call(api, 'POST', '/initiatives', { name: 'Hidden partnership' });
await call(api, 'POST', `/initiatives/${hiddenInitiative.id}/results`, { statement: 'Hidden result' });

const secrets: string[] = [];
async function tokenFor(input: Record<string, unknown>) {
  const res = await api.request({ method: 'POST', url: '/api/v1/tokens', payload: input });
  if (res.status !== 201) throw new Error(`token ${JSON.stringify(input)} → ${res.status}: ${res.raw}`);
  secrets.push(res.body.secret);
  return res.body as {
    id: string;
    secret: string;
    name: string;
    role: string;
    initiativeId: string | null;
    partnerId: string | null;
  };
}
const created = {
  admin: await tokenFor({ name: 'Second administrator', role: 'admin' }),
  editor: await tokenFor({ name: 'Backbone editor', role: 'editor', initiativeId: initiative.id }),
  contributor: await tokenFor({
    name: 'Data team at Owner org',
    role: 'contributor',
    initiativeId: initiative.id,
    partnerId: owner.id,
  }),
  viewer: await tokenFor({ name: 'Board viewer', role: 'viewer', initiativeId: initiative.id }),
};
const otherViewer = await tokenFor({ name: 'Viewer elsewhere', role: 'viewer', initiativeId: otherInitiative.id });
const otherEditor = await tokenFor({ name: 'Editor elsewhere', role: 'editor', initiativeId: otherInitiative.id });

t.test('every role gets a token; the secret is in the creation response only', async (t) => {
  for (const [role, token] of Object.entries(created)) {
    t.match(token.secret, SECRET_FORMAT, `${role}: rba_ + 43 base64url characters (256 bits)`);
    t.equal(token.role, role);
    t.equal(token.initiativeId, role === 'admin' ? null : initiative.id);
    t.equal(token.partnerId, role === 'contributor' ? owner.id : null);
    const works = await api.request({ method: 'GET', url: `/api/v1/results/${privateResult.id}`, as: token.secret });
    t.equal(works.status, 200, `${role}: the secret works and sees its initiative's private result`);
  }
  t.equal(new Set(secrets).size, secrets.length, 'every secret is different');

  const listed = [];
  let cursor: string | null = null;
  do {
    const res = await api.request({
      method: 'GET',
      url: `/api/v1/tokens?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    });
    t.equal(res.status, 200);
    for (const secret of secrets) t.notOk(res.raw.includes(secret), 'no secret in a list page');
    t.notOk(/secret/i.test(res.raw), 'not even a field named secret');
    listed.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  t.same(
    new Set(listed.map((item: { id: string }) => item.id)),
    new Set([...Object.values(created), otherViewer, otherEditor].map((c) => c.id)),
    'the list pages through every token',
  );
  const editor = listed.find((item: { id: string }) => item.id === created.editor.id);
  t.match(editor, {
    name: 'Backbone editor',
    role: 'editor',
    initiativeId: initiative.id,
    createdBy: String,
    revokedAt: null,
    expiresAt: null,
  });
});

t.test('only a hash of each secret is stored: no row of any table contains a secret', async (t) => {
  const { rows: tables } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(
    api.db,
  );
  for (const secret of [...secrets, TEST_ADMIN_TOKEN]) {
    for (const { name } of tables) {
      const { rows } = await sql<{
        n: number;
      }>`select count(*)::int as n from ${sql.table(name)} t where to_jsonb(t)::text like ${`%${secret}%`}`.execute(
        api.db,
      );
      if (rows[0]!.n !== 0) t.fail(`table ${name} contains a secret`);
    }
  }
  const stored = await api.db
    .selectFrom('apiTokens')
    .select(['id', 'secretHash'])
    .where('id', '=', created.editor.id)
    .executeTakeFirstOrThrow();
  t.equal(
    stored.secretHash,
    createHash('sha256').update(created.editor.secret).digest('hex'),
    'the stored value is the SHA-256 of the secret',
  );
  t.pass(`${tables.length} tables searched for ${secrets.length + 1} secrets`);
});

t.test('an expired token is a 401', async (t) => {
  const soon = await tokenFor({
    name: 'Short-lived',
    role: 'viewer',
    initiativeId: initiative.id,
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
  });
  t.equal(
    (await api.request({ method: 'GET', url: `/api/v1/results/${privateResult.id}`, as: soon.secret })).status,
    200,
    'works before it expires',
  );
  // The database's clock decides (`expires_at > now()`): the moment passes on that clock, not by sleeping.
  await api.db
    .updateTable('apiTokens')
    .set({ expiresAt: sql<Date>`now() - interval '1 millisecond'` })
    .where('id', '=', soon.id)
    .execute();
  for (const url of [
    `/api/v1/results/${privateResult.id}`,
    `/api/v1/results/${publicResult.id}`,
    '/api/v1/initiatives',
  ]) {
    const res = await api.request({ method: 'GET', url, as: soon.secret });
    t.equal(res.status, 401, `${url}: expired is 401, even where anonymous could read`);
    t.ok(res.headers['www-authenticate'], 'with WWW-Authenticate');
    t.ok(isErrorShape(res.body));
  }
  const past = await api.request({
    method: 'POST',
    url: '/api/v1/tokens',
    payload: { name: 'Born expired', role: 'admin', expiresAt: '2001-01-01T00:00:00Z' },
  });
  if (past.status === 201) {
    t.equal(
      (await api.request({ method: 'GET', url: '/api/v1/tokens', as: past.body.secret })).status,
      401,
      'a token created already expired never works',
    );
  } else {
    t.equal(past.status, 422, 'or creating an already-expired token is refused');
  }
});

t.test('a revoked token is a 401 at once; revoking is idempotent; unknown ids are 404', async (t) => {
  const doomed = await tokenFor({ name: 'Doomed editor', role: 'editor', initiativeId: initiative.id });
  t.equal(
    (await api.request({ method: 'GET', url: `/api/v1/results/${privateResult.id}`, as: doomed.secret })).status,
    200,
  );
  t.equal((await api.request({ method: 'DELETE', url: `/api/v1/tokens/${doomed.id}` })).status, 204);
  const after = await api.request({
    method: 'PATCH',
    url: `/api/v1/results/${publicResult.id}`,
    payload: { population: 'x' },
    as: doomed.secret,
  });
  t.equal(after.status, 401, 'revoked: 401 on writes');
  t.ok(after.headers['www-authenticate']);
  t.equal(
    (await api.request({ method: 'GET', url: `/api/v1/results/${publicResult.id}`, as: doomed.secret })).status,
    401,
    'and on reads',
  );
  t.equal(
    (await api.request({ method: 'DELETE', url: `/api/v1/tokens/${doomed.id}` })).status,
    204,
    'revoking again is fine',
  );
  const listed = await api.request({ method: 'GET', url: '/api/v1/tokens?limit=1000' });
  t.match(
    listed.body.items.find((item: { id: string }) => item.id === doomed.id),
    { revokedAt: String },
    'the list shows when it was revoked',
  );
  t.equal((await api.request({ method: 'DELETE', url: `/api/v1/tokens/${randomUUID()}` })).status, 404);
  t.equal((await api.request({ method: 'DELETE', url: '/api/v1/tokens/not-a-uuid' })).status, 400);
});

t.test('a token goes with its initiative or its partner', async (t) => {
  const temp = await call(api, 'POST', '/initiatives', { name: 'Short-lived partnership' });
  const partner = await call(api, 'POST', `/initiatives/${temp.id}/partners`, {
    name: 'Short-lived org',
    sector: 'other',
  });
  const contributor = await tokenFor({
    name: 'Temp contributor',
    role: 'contributor',
    initiativeId: temp.id,
    partnerId: partner.id,
  });
  const viewer = await tokenFor({ name: 'Temp viewer', role: 'viewer', initiativeId: temp.id });
  t.equal((await api.request({ method: 'GET', url: '/api/v1/initiatives', as: contributor.secret })).status, 200);
  await call(api, 'DELETE', `/partners/${partner.id}`, undefined, [204]);
  t.equal(
    (await api.request({ method: 'GET', url: '/api/v1/initiatives', as: contributor.secret })).status,
    401,
    "a contributor's token dies with its partner",
  );
  t.equal((await api.request({ method: 'GET', url: '/api/v1/initiatives', as: viewer.secret })).status, 200);
  await call(api, 'DELETE', `/initiatives/${temp.id}?cascade=true`, undefined, [204]);
  t.equal(
    (await api.request({ method: 'GET', url: '/api/v1/initiatives', as: viewer.secret })).status,
    401,
    'a token dies with its initiative',
  );
});

t.test(
  'a malformed or unknown Authorization header is a 401 with WWW-Authenticate, on every kind of route',
  async (t) => {
    const headers = [
      'Bearer',
      'Bearer ',
      'Basic dXNlcjpwYXNz',
      'Token rba_abc',
      `Bearer ${created.viewer.secret} extra`,
      `Bearer ${created.viewer.secret.slice(0, -1)}`,
      `Bearer ${created.viewer.secret}x`,
      `${created.viewer.secret}`,
      'Bearer rba_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      `Bearer ${'x'.repeat(5000)}`,
      'Bearer \u00e9\u00e8',
    ];
    const urls = [
      ['GET', `/api/v1/results/${publicResult.id}`],
      ['GET', '/api/v1/initiatives'],
      ['PATCH', `/api/v1/results/${publicResult.id}`],
      ['POST', '/api/v1/tokens'],
    ] as const;
    for (const authorization of headers) {
      for (const [method, url] of urls) {
        const res = await api.request({
          method,
          url,
          headers: { authorization },
          payload: method === 'GET' ? undefined : { name: 'x', role: 'admin' },
        });
        t.equal(res.status, 401, `${method} ${url} with Authorization: ${authorization.slice(0, 40)}`);
        t.match(res.headers['www-authenticate'], /^Bearer/);
        t.equal(res.body?.error?.code, 'unauthenticated');
      }
    }
    const ok = await api.request({
      method: 'GET',
      url: `/api/v1/results/${privateResult.id}`,
      headers: { authorization: `bearer   ${created.viewer.secret}  ` },
    });
    t.equal(ok.status, 200, 'the scheme is case-insensitive and surrounding spaces are tolerated');
    const anonymousWrite = await api.request({
      method: 'POST',
      url: '/api/v1/initiatives',
      payload: { name: 'x' },
      as: null,
    });
    t.equal(anonymousWrite.status, 401, 'no token on a write route: 401');
    t.match(anonymousWrite.headers['www-authenticate'], /^Bearer/);
  },
);

t.test('only administrators manage tokens', async (t) => {
  const victim = created.viewer;
  for (const [role, secret] of [
    ['editor', created.editor.secret],
    ['contributor', created.contributor.secret],
    ['viewer', created.viewer.secret],
  ] as const) {
    for (const payload of [
      { name: 'escalate', role: 'admin' },
      { name: 'same initiative', role: 'editor', initiativeId: initiative.id },
      { name: 'viewer', role: 'viewer', initiativeId: initiative.id },
    ]) {
      const res = await api.request({ method: 'POST', url: '/api/v1/tokens', payload, as: secret });
      t.equal(res.status, 403, `${role} cannot create a ${payload.role} token`);
      t.equal(res.body.error.code, 'forbidden');
    }
    t.equal(
      (await api.request({ method: 'GET', url: '/api/v1/tokens', as: secret })).status,
      403,
      `${role} cannot list tokens`,
    );
    t.equal(
      (await api.request({ method: 'DELETE', url: `/api/v1/tokens/${victim.id}`, as: secret })).status,
      403,
      `${role} cannot revoke a token`,
    );
    t.equal(
      (await api.request({ method: 'DELETE', url: `/api/v1/tokens/${randomUUID()}`, as: secret })).status,
      403,
      `${role} cannot probe token ids`,
    );
  }
  t.equal((await api.request({ method: 'GET', url: '/api/v1/tokens', as: null })).status, 401, 'anonymous: 401');
  t.equal(
    (await api.request({ method: 'GET', url: `/api/v1/results/${privateResult.id}`, as: victim.secret })).status,
    200,
    'the viewer token still works',
  );
  const second = await api.request({
    method: 'POST',
    url: '/api/v1/tokens',
    payload: { name: 'Third admin', role: 'admin' },
    as: created.admin.secret,
  });
  t.equal(second.status, 201, 'a stored admin token may create tokens');
  t.equal(second.body.createdBy, 'Second administrator', 'createdBy names the creating token');
});

t.test('role scoping on creation: 422 for impossible combinations', async (t) => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['contributor without partner', { role: 'contributor', initiativeId: initiative.id }, 'body.partnerId'],
    [
      'contributor with a partner of another initiative',
      { role: 'contributor', initiativeId: initiative.id, partnerId: otherPartner.id },
      'body.partnerId',
    ],
    [
      'contributor with an unknown partner',
      { role: 'contributor', initiativeId: initiative.id, partnerId: randomUUID() },
      'body.partnerId',
    ],
    ['contributor without initiative', { role: 'contributor', partnerId: owner.id }, 'body.initiativeId'],
    ['editor without initiative', { role: 'editor' }, 'body.initiativeId'],
    ['viewer without initiative', { role: 'viewer' }, 'body.initiativeId'],
    ['viewer of an unknown initiative', { role: 'viewer', initiativeId: randomUUID() }, 'body.initiativeId'],
  ];
  for (const [label, input, path] of cases) {
    const res = await api.request({ method: 'POST', url: '/api/v1/tokens', payload: { name: label, ...input } });
    t.equal(res.status, 422, label);
    t.ok(isErrorShape(res.body));
    t.ok(
      res.body.error.details.some((d: { path: string }) => d.path === path),
      `${label}: names ${path}`,
    );
  }
  for (const bad of [
    { name: 'x', role: 'root' },
    { name: '', role: 'admin' },
    { name: 'x', role: 'admin', expiresAt: 'tomorrow' },
    { name: 'x', role: 'admin', secret: 'mine' },
  ]) {
    t.equal(
      (await api.request({ method: 'POST', url: '/api/v1/tokens', payload: bad })).status,
      400,
      `malformed: ${JSON.stringify(bad)}`,
    );
  }
  const editorWithPartner = await tokenFor({
    name: 'Editor with a partner',
    role: 'editor',
    initiativeId: initiative.id,
    partnerId: owner.id,
  });
  t.equal(editorWithPartner.partnerId, null, 'a partner given to a non-contributor is dropped');
  const adminWithInitiative = await tokenFor({
    name: 'Admin with an initiative',
    role: 'admin',
    initiativeId: initiative.id,
  });
  t.equal(adminWithInitiative.initiativeId, null, 'an initiative given to an admin is dropped');
});

t.test('writes record the name of the token that made them', async (t) => {
  const put = await api.request({
    method: 'PUT',
    url: `/api/v1/indicators/${publicIndicator.id}/data-points`,
    payload: { points: [{ period: '2025', value: 7 }] },
    as: created.contributor.secret,
  });
  t.equal(put.status, 200);
  const point = put.body.points[0];
  t.equal(point.updatedBy, 'Data team at Owner org', 'updatedBy is the token name');
  const patched = await api.request({
    method: 'PATCH',
    url: `/api/v1/data-points/${point.id}`,
    payload: { value: 8 },
    as: created.editor.secret,
  });
  t.equal(patched.status, 200);
  t.equal(patched.body.updatedBy, 'Backbone editor');
  const read = await api.request({ method: 'GET', url: `/api/v1/data-points/${point.id}`, as: null });
  t.equal(read.body.updatedBy, 'Backbone editor', 'and it is what a later read shows');
  if (routes.some((r) => r.method === 'GET' && r.url === '/api/v1/data-points/:dataPointId/history')) {
    const history = await api.request({ method: 'GET', url: `/api/v1/data-points/${point.id}/history` });
    t.equal(history.status, 200);
    t.same(
      history.body.revisions.map((r: { by: string }) => r.by),
      ['Data team at Owner org', 'Backbone editor'],
      'every revision names its token',
    );
  }
  const denied = await api.request({
    method: 'PUT',
    url: `/api/v1/indicators/${publicIndicator.id}/data-points`,
    payload: { points: [{ period: '2025', value: 9 }] },
    as: created.viewer.secret,
  });
  t.equal(denied.status, 403, 'a viewer cannot write');
});

t.test(
  'private results and indicators are invisible to anonymous and other initiatives, visible to their own viewer',
  async (t) => {
    const hiddenIds = [privateResult.id, privateIndicator.id, indicatorOfPrivateResult.id];
    const hiddenUrls = [
      `/api/v1/results/${privateResult.id}`,
      `/api/v1/results/${privateResult.id}/tree`,
      `/api/v1/results/${privateResult.id}/scorecard`,
      `/api/v1/results/${privateResult.id}/smart`,
      `/api/v1/results/${privateResult.id}/indicators`,
      `/api/v1/results/${privateResult.id}/outcomes`,
      `/api/v1/indicators/${privateIndicator.id}`,
      `/api/v1/indicators/${privateIndicator.id}/data-points`,
      `/api/v1/indicators/${privateIndicator.id}/analysis`,
      `/api/v1/indicators/${indicatorOfPrivateResult.id}`,
      `/api/v1/indicators/${indicatorOfPrivateResult.id}/data-points`,
      `/api/v1/initiatives/${hiddenInitiative.id}`,
      `/api/v1/initiatives/${hiddenInitiative.id}/results`,
      `/api/v1/initiatives/${hiddenInitiative.id}/partners`,
    ];
    const listUrls = [
      '/api/v1/initiatives?limit=1000',
      `/api/v1/initiatives/${initiative.id}/results`,
      `/api/v1/results/${publicResult.id}/indicators`,
      `/api/v1/results/${publicResult.id}/tree`,
      `/api/v1/results/${publicResult.id}/scorecard`,
      `/api/v1/results/${publicResult.id}/smart`,
    ];
    const outsiders = {
      anonymous: null,
      'viewer of another initiative': otherViewer.secret,
      'editor of another initiative': otherEditor.secret,
    };
    for (const [who, secret] of Object.entries(outsiders)) {
      for (const url of hiddenUrls) {
        const res = await api.request({ method: 'GET', url, as: secret });
        t.equal(res.status, 404, `${who}: ${url} is a 404`);
        t.equal(res.body?.error?.code, 'not_found');
      }
      for (const url of listUrls) {
        const res = await api.request({ method: 'GET', url, as: secret });
        t.equal(res.status, 200, `${who}: ${url} answers`);
        const leaked = [...hiddenIds, hiddenInitiative.id].filter((id) => res.raw.includes(id));
        t.same(leaked, [], `${who}: ${url} mentions no private object`);
        t.notMatch(
          res.raw,
          /Private indicator of the public result|Hidden partnership|Private result/,
          `${who}: nor their names`,
        );
      }
      const listed = await api.request({
        method: 'GET',
        url: `/api/v1/results/${publicResult.id}/indicators`,
        as: secret,
      });
      t.same(
        listed.body.items.map((i: { id: string }) => i.id),
        [publicIndicator.id],
        `${who}: the public result lists only its public indicator`,
      );
      const tree = await api.request({ method: 'GET', url: `/api/v1/results/${publicResult.id}/tree`, as: secret });
      t.same(tree.body.outcomes[0].indicators, [], `${who}: the tree's outcome shows no private indicator`);
    }

    const own = created.viewer.secret;
    for (const url of hiddenUrls.filter((u) => !u.includes(hiddenInitiative.id))) {
      t.equal((await api.request({ method: 'GET', url, as: own })).status, 200, `own viewer: ${url}`);
    }
    const results = await api.request({ method: 'GET', url: `/api/v1/initiatives/${initiative.id}/results`, as: own });
    t.same(
      new Set(results.body.items.map((r: { id: string }) => r.id)),
      new Set([publicResult.id, privateResult.id]),
      'own viewer: both results listed',
    );
    const indicators = await api.request({
      method: 'GET',
      url: `/api/v1/results/${publicResult.id}/indicators`,
      as: own,
    });
    t.same(
      new Set(indicators.body.items.map((i: { id: string }) => i.id)),
      new Set([publicIndicator.id, privateIndicator.id]),
      'own viewer: both indicators listed',
    );
    for (const url of [
      `/api/v1/results/${publicResult.id}/tree`,
      `/api/v1/results/${publicResult.id}/scorecard`,
      `/api/v1/results/${publicResult.id}/smart`,
    ]) {
      const res = await api.request({ method: 'GET', url, as: own });
      t.ok(res.raw.includes(privateIndicator.id), `own viewer: ${url} includes the private indicator`);
    }
    const initiatives = await api.request({ method: 'GET', url: '/api/v1/initiatives?limit=1000', as: own });
    const ids = initiatives.body.items.map((i: { id: string }) => i.id);
    t.ok(ids.includes(initiative.id), 'own viewer: lists its initiative');
    t.notOk(ids.includes(hiddenInitiative.id), 'own viewer: not an unrelated private initiative');
    const all = await api.request({ method: 'GET', url: '/api/v1/initiatives?limit=1000' });
    t.ok(
      all.body.items.some((i: { id: string }) => i.id === hiddenInitiative.id),
      'an administrator lists every initiative',
    );
    const hiddenForViewerElsewhere = await api.request({
      method: 'GET',
      url: `/api/v1/initiatives/${hiddenInitiative.id}`,
      as: otherViewer.secret,
    });
    t.equal(hiddenForViewerElsewhere.status, 404);
  },
);

t.test(
  'an object turned private is hidden at once, from cached answers too (charts, embeds, CSV, conditional requests)',
  async (t) => {
    const own = await call(api, 'POST', '/initiatives', { name: 'Cached partnership' });
    const cachedResult = await call(api, 'POST', `/initiatives/${own.id}/results`, {
      statement: 'Cached public result',
      visibility: 'public',
    });
    const cachedIndicator = await call(api, 'POST', `/results/${cachedResult.id}/indicators`, {
      name: 'Cached indicator',
      unit: 'count',
      polarity: 'higher_is_better',
      frequency: 'annual',
      code: 'CACHED',
    });
    await call(api, 'PUT', `/indicators/${cachedIndicator.id}/data-points`, {
      points: [2019, 2020, 2021, 2022, 2023].map((year, i) => ({ period: String(year), value: 10 + i })),
    });
    const viewer = (await tokenFor({ name: 'Cached viewer', role: 'viewer', initiativeId: own.id })).secret;

    // Every anonymous GET route on an indicator or a result, straight from the route table.
    const urlsOf = (kind: 'indicator' | 'result', id: string) =>
      routes
        .filter(
          (r) =>
            r.method === 'GET' &&
            r.access?.action === 'read' &&
            r.access.anchor?.kind === kind &&
            r.params.length === 1,
        )
        .map((r) => r.url.replace(`:${r.params[0]}`, id));
    const indicatorUrls = urlsOf('indicator', cachedIndicator.id);
    const resultUrls = urlsOf('result', cachedResult.id);
    t.ok(
      indicatorUrls.some((u) => u.includes('chart')) || indicatorUrls.length >= 5,
      `${indicatorUrls.length} indicator reads, ${resultUrls.length} result reads`,
    );

    const etags = new Map<string, string>();
    for (const url of [...indicatorUrls, ...resultUrls]) {
      for (let i = 0; i < 2; i++) {
        const res = await api.request({ method: 'GET', url, as: null });
        if (res.status !== 200 && res.status !== 422) t.fail(`public ${url}: ${res.status} ${res.raw.slice(0, 120)}`);
        if (res.headers.etag) etags.set(url, String(res.headers.etag));
      }
    }
    t.pass(
      `read twice while public (the second from the cache where there is one); ${etags.size} answers carry an ETag`,
    );

    await call(api, 'PATCH', `/results/${cachedResult.id}`, { visibility: 'private' });
    for (const url of [...indicatorUrls, ...resultUrls]) {
      for (const [who, secret] of [
        ['anonymous', null],
        ['viewer of another initiative', otherViewer.secret],
      ] as const) {
        const res = await api.request({ method: 'GET', url, as: secret });
        t.equal(res.status, 404, `private now: ${who} gets 404 for ${url}`);
      }
      const etag = etags.get(url);
      if (etag) {
        const conditional = await api.request({ method: 'GET', url, as: null, headers: { 'if-none-match': etag } });
        t.equal(
          conditional.status,
          404,
          `private now: a conditional request with the old ETag is a 404, not a 304: ${url}`,
        );
      }
      const member = await api.request({ method: 'GET', url, as: viewer });
      t.not(member.status, 404, `its own viewer still reads ${url} (${member.status})`);
    }

    // Back to public, but the indicator itself private: the result's reads leave it out.
    await call(api, 'PATCH', `/results/${cachedResult.id}`, { visibility: 'public' });
    for (const url of resultUrls) await api.request({ method: 'GET', url, as: null }); // cache them again
    await call(api, 'PATCH', `/indicators/${cachedIndicator.id}`, { visibility: 'private' });
    for (const url of indicatorUrls) {
      t.equal(
        (await api.request({ method: 'GET', url, as: null })).status,
        404,
        `private indicator: anonymous gets 404 for ${url}`,
      );
    }
    for (const url of resultUrls) {
      const res = await api.request({ method: 'GET', url, as: null });
      if (res.status === 200) {
        t.notOk(
          res.raw.includes(cachedIndicator.id) || res.raw.includes('Cached indicator') || res.raw.includes('CACHED'),
          `the private indicator is not in ${url}`,
        );
      }
    }
  },
);
