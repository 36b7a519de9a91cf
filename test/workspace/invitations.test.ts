/** POST /api/v1/invitations → the link's page → an account in the database that can sign in. */
import t from '../helpers/tap.ts';
import { buildTestApp } from '../helpers/test-app.ts';

const api = await buildTestApp(t);

t.test('an administrator invites; the answer is a single-use absolute link', async (t) => {
  const created = await api.request({
    method: 'POST',
    url: '/api/v1/invitations',
    payload: { email: 'Ana@Example.org', role: 'admin' },
  });
  t.equal(created.status, 201, JSON.stringify(created.body));
  const body = created.body as { id: string; url: string; expiresAt: string };
  t.match(body.url, /^http:\/\/[^/]+\/app\/invitations\/rba_[\w-]{43}$/);
  const days = (Date.parse(body.expiresAt) - Date.now()) / 86_400_000;
  t.ok(days > 6.9 && days < 7.1, 'valid for 7 days');
  const stored = await api.db.selectFrom('invitations').selectAll().executeTakeFirstOrThrow();
  t.equal(stored.email, 'ana@example.org', 'the email is stored in lower case');
  t.notOk(JSON.stringify(stored).includes(body.url.split('/').pop()!), 'the secret itself is not stored');
});

t.test('bad invitations are refused and write nothing', async (t) => {
  const before = (await api.db.selectFrom('invitations').select('id').execute()).length;
  const noInitiative = await api.request({
    method: 'POST',
    url: '/api/v1/invitations',
    payload: { email: 'b@example.org', role: 'editor' },
  });
  t.equal(noInitiative.status, 422);
  const badEmail = await api.request({
    method: 'POST',
    url: '/api/v1/invitations',
    payload: { email: 'not an email', role: 'admin' },
  });
  t.equal(badEmail.status, 400);
  const anonymous = await api.request({
    method: 'POST',
    url: '/api/v1/invitations',
    payload: { email: 'c@example.org', role: 'admin' },
    as: null,
  });
  t.equal(anonymous.status, 401);
  t.equal((await api.db.selectFrom('invitations').select('id').execute()).length, before);
});

t.test('with PUBLIC_URL the link is built on it, never on the Host header', async (t) => {
  const configured = await buildTestApp(t, { publicUrl: 'https://rba.example.org' });
  const created = await configured.request({
    method: 'POST',
    url: '/api/v1/invitations',
    payload: { email: 'host@example.org', role: 'admin' },
    headers: { host: 'evil.example' },
  });
  t.equal(created.status, 201);
  t.match(created.body.url, /^https:\/\/rba\.example\.org\/app\/invitations\/rba_[\w-]{43}$/);
});
