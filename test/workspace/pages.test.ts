/**
 * The workspace over HTTP, as a browser without JavaScript uses it (forms, cookies, redirects): invitation
 * → account → sign in; wrong credentials and the slow-down; CSRF refusal; session expiry and sign-out; a
 * viewer without **Enter data**; a contributor limited to its partner's indicators; saving the grid through
 * the API's batch (seen by the API); a conflicting edit shown, not overwritten.
 */
import { sql } from 'kysely';
import t from '../helpers/tap.ts';
import { buildTestApp, createFixture } from '../helpers/test-app.ts';
import { FormSession, gridFields, invitedPerson, PASSWORD } from './browser-session.ts';

const api = await buildTestApp(t);
const { initiative, result, indicator } = await createFixture(api, {
  name: 'Employment rate',
  unit: 'percent',
  polarity: 'higher_is_better',
  frequency: 'quarterly',
  dimensions: [{ name: 'sex', values: ['female', 'male'] }],
});
const partnerA = (
  await api.request({
    method: 'POST',
    url: `/api/v1/initiatives/${initiative.id}/partners`,
    payload: { name: 'Agency A', sector: 'public' },
  })
).body as { id: string };
const partnerB = (
  await api.request({
    method: 'POST',
    url: `/api/v1/initiatives/${initiative.id}/partners`,
    payload: { name: 'Agency B', sector: 'nonprofit' },
  })
).body as { id: string };
await api.request({
  method: 'PATCH',
  url: `/api/v1/indicators/${indicator.id}`,
  payload: { ownerPartnerId: partnerA.id },
});
const other = (
  await api.request({
    method: 'POST',
    url: `/api/v1/results/${result.id}/indicators`,
    payload: {
      name: 'Median wage',
      unit: 'currency',
      polarity: 'higher_is_better',
      frequency: 'quarterly',
      ownerPartnerId: partnerB.id,
    },
  })
).body as { id: string };
if (!other.id) throw new Error('the second indicator (partner B) was not created');
await api.request({
  method: 'PUT',
  url: `/api/v1/indicators/${indicator.id}/data-points`,
  payload: {
    points: [
      { period: '2024-Q1', value: 61 },
      { period: '2024-Q2', value: 62 },
    ],
  },
});

/** Invites through the API and creates the account through the pages; returns the signed-in session. */
const person = (email: string, role: string, partnerId?: string) =>
  invitedPerson(api, { email, role, initiativeId: initiative.id, partnerId });

const editor = await person('editor@example.org', 'editor');
const viewer = await person('viewer@example.org', 'viewer');
const contributor = await person('contributor@example.org', 'contributor', partnerA.id);

t.test('an invitation creates an account once, and the person is signed in', async (t) => {
  const home = await editor.get('/app');
  t.equal(home.status, 200);
  t.match(home.html, new RegExp(`<a href="/app/initiatives/${initiative.id}">${initiative.name}</a>`));
  t.match(home.html, /Sign out/);
  const invited = await api.request({
    method: 'POST',
    url: '/api/v1/invitations',
    payload: { email: 'once@example.org', role: 'viewer', initiativeId: initiative.id },
  });
  const path = new URL(invited.body.url as string).pathname;
  const browser = new FormSession(api.app);
  await browser.get(path);
  const short = await browser.post(path, { displayName: 'Once', password: 'short' });
  t.equal(short.status, 422, 'a short password is refused');
  t.match(short.html, /at least 10 characters/);
  t.equal((await browser.post(path, { displayName: 'Once', password: PASSWORD })).status, 303, 'then accepted');
  const again = new FormSession(api.app);
  const reused = await again.get(path);
  t.equal(reused.status, 410, 'the link works once');
  t.match(reused.html, /used already or has expired/);
  const stored = await api.db
    .selectFrom('people')
    .select(['email', 'passwordHash'])
    .where('email', '=', 'once@example.org')
    .executeTakeFirstOrThrow();
  t.match(stored.passwordHash, /^scrypt\$/, 'the password is stored as a scrypt hash');
  t.notOk(stored.passwordHash.includes(PASSWORD));
});

t.test('sign in: one message for a wrong email or password, then slowed down', async (t) => {
  const browser = new FormSession(api.app);
  await browser.get('/app/sign-in');
  const unknown = await browser.post('/app/sign-in', { email: 'nobody@example.org', password: PASSWORD });
  const wrong = await browser.post('/app/sign-in', { email: 'viewer@example.org', password: 'not the password' });
  t.equal(unknown.status, 401);
  t.equal(wrong.status, 401);
  const message = (html: string) => /<p class="problem" role="alert"[^>]*>([^<]+)</.exec(html)?.[1];
  t.equal(message(unknown.html), message(wrong.html), 'the same message whether the email or the password was wrong');
  t.notOk(browser.cookies.has('rba_session'), 'no session');
  const right = await browser.post('/app/sign-in', {
    email: 'VIEWER@example.org',
    password: PASSWORD,
    next: '/app/review',
  });
  t.equal(right.status, 303);
  t.equal(right.location, '/app/review', 'back where the person was going');
  t.ok(browser.cookies.has('rba_session'));

  const target = new FormSession(api.app);
  await target.get('/app/sign-in');
  for (let i = 0; i < 5; i++)
    await target.post('/app/sign-in', { email: 'contributor@example.org', password: `guess ${i}` });
  const slowed = await target.post('/app/sign-in', { email: 'contributor@example.org', password: PASSWORD });
  t.equal(slowed.status, 429, 'after five failures even the right password must wait');
  t.match(slowed.html, /Too many attempts/);
  t.notOk(target.cookies.has('rba_session'));
  await api.db.deleteFrom('signInFailures').execute();
});

t.test('forms without the CSRF token are refused and change nothing', async (t) => {
  const grid = await editor.get(`/app/indicators/${indicator.id}/data`);
  t.equal(grid.status, 200);
  const fields = gridFields(grid.html);
  const forged = await editor.post(`/app/indicators/${indicator.id}/data`, {
    ...fields,
    'v.0.0': '99',
    action: 'save',
    _csrf: 'x'.repeat(43),
  });
  t.equal(forged.status, 403);
  t.match(forged.html, /form has expired/);
  const missing = await editor.post('/app/sign-out', { _csrf: null });
  t.equal(missing.status, 403, 'sign-out needs the token too');
  const points = await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.id}/data-points` });
  t.same(
    (points.body.items as Array<{ value: number }>).map((p) => p.value),
    [61, 62],
    'nothing was written',
  );
});

t.test('a viewer sees the indicator but not Enter data; the grid is refused', async (t) => {
  const page = await viewer.get(`/app/indicators/${indicator.id}`);
  t.equal(page.status, 200);
  t.match(page.html, /<h1>Employment rate<\/h1>/);
  t.notMatch(page.html, /Enter data/);
  t.notMatch(page.html, /Import CSV/);
  t.match(page.html, /History/);
  t.equal((await viewer.get(`/app/indicators/${indicator.id}/data`)).status, 403);
});

t.test("a contributor enters data only for its partner's indicators", async (t) => {
  t.match((await contributor.get(`/app/indicators/${indicator.id}`)).html, /Enter data/);
  const others = await contributor.get(`/app/indicators/${other.id}`);
  t.equal(others.status, 200, 'it may read the other partner’s indicator');
  t.notMatch(others.html, /Enter data/);
  t.equal((await contributor.get(`/app/indicators/${other.id}/data`)).status, 403);
  const grid = await contributor.get(`/app/indicators/${indicator.id}/data`);
  t.equal(grid.status, 200);
});

t.test('the grid saves totals and groups through the API batch, all or nothing', async (t) => {
  const grid = await editor.get(`/app/indicators/${indicator.id}/data`);
  t.match(grid.html, /aria-label="Value for 2024-Q1"/);
  t.match(grid.html, /aria-label="Value for 2024-Q1, sex: female"/);
  const added = await editor.post(`/app/indicators/${indicator.id}/data`, { ...gridFields(grid.html), action: 'add' });
  t.equal(added.status, 200);
  t.match(added.html, /aria-label="Value for 2024-Q3"/, 'Add period adds the next quarter');
  const fields = gridFields(added.html);
  // Row 2 is 2024-Q3: total, female, male.
  const bad = await editor.post(`/app/indicators/${indicator.id}/data`, {
    ...fields,
    'v.2.0': '63.5',
    'v.2.1': 'sixty',
    action: 'save',
  });
  t.equal(bad.status, 422);
  t.match(bad.html, /Enter a number/);
  t.match(bad.html, /aria-invalid="true" aria-describedby="c-2-1-error"/, 'the error is tied to its cell');
  t.match(bad.html, /value="63.5"/, 'what was typed is kept');
  t.equal(
    (await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.id}/data-points?slice=all` })).body.items
      .length,
    2,
    'nothing was written',
  );
  const saved = await editor.post(`/app/indicators/${indicator.id}/data`, {
    ...gridFields(bad.html),
    'v.2.1': '64.25',
    action: 'save',
  });
  t.equal(saved.status, 303);
  t.equal(saved.location, `/app/indicators/${indicator.id}/data?saved=2`);
  t.match((await editor.get(saved.location!)).html, /Saved 2 values/);
  const points = (await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.id}/data-points?slice=all` }))
    .body.items as Array<{ period: string; value: number; disaggregation: Record<string, string>; updatedBy: string }>;
  t.same(
    points.filter((p) => p.period === '2024-Q3').map((p) => [p.value, p.disaggregation, p.updatedBy]),
    [
      [63.5, {}, 'editor@example.org'],
      [64.25, { sex: 'female' }, 'editor@example.org'],
    ].sort((a, b) => JSON.stringify(a[1]).localeCompare(JSON.stringify(b[1]))),
    'the API answers the values, recorded as the person',
  );
  const history = await editor.get(`/app/indicators/${indicator.id}/history`);
  t.match(history.html, /64\.25/);
});

t.test("someone else's edit since the grid was read is shown, not overwritten", async (t) => {
  const grid = await editor.get(`/app/indicators/${indicator.id}/data`);
  const fields = gridFields(grid.html);
  await api.request({
    method: 'PUT',
    url: `/api/v1/indicators/${indicator.id}/data-points`,
    payload: { points: [{ period: '2024-Q1', value: 60 }] },
  });
  const clash = await editor.post(`/app/indicators/${indicator.id}/data`, { ...fields, 'v.0.0': '65', action: 'save' });
  t.equal(clash.status, 422);
  t.match(clash.html, /Someone else changed this value: changed by admin \(RBA_ADMIN_TOKEN\) to 60/);
  t.match(clash.html, /value="65"/, 'the editor’s value is kept in the form');
  const q1 = (
    await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.id}/data-points?from=2024-Q1&to=2024-Q1` })
  ).body.items[0] as { value: number };
  t.equal(q1.value, 60, 'the other edit stands');
  const again = await editor.post(`/app/indicators/${indicator.id}/data`, {
    ...gridFields(clash.html),
    action: 'save',
  });
  t.equal(again.status, 303, 'saving again, knowingly, replaces it');
});

t.test('an expired session, and signing out, end access', async (t) => {
  const browser = await person('expiring@example.org', 'viewer');
  t.equal((await browser.get(`/app/indicators/${indicator.id}`)).status, 200);
  await sql`update sessions set expires_at = now() - interval '1 minute'
            where person_id = (select id from people where email = 'expiring@example.org')`.execute(api.db);
  const expired = await browser.get(`/app/indicators/${indicator.id}`);
  t.equal(expired.status, 303);
  t.equal(expired.location, `/app/sign-in?next=${encodeURIComponent(`/app/indicators/${indicator.id}`)}`);

  const home = await editor.get('/app');
  t.equal(home.status, 200);
  const out = await editor.post('/app/sign-out', {});
  t.equal(out.status, 303);
  const revoked = await api.db.selectFrom('sessions').select('revokedAt').where('revokedAt', 'is not', null).execute();
  t.ok(revoked.length >= 1, 'the session is revoked in the database');
  t.equal((await editor.get('/app')).status, 303, 'the old cookie no longer signs in');
});

t.test('personal API tokens: at most the person’s rights, shown once, revocable', async (t) => {
  const browser = await person('scripts@example.org', 'contributor', partnerA.id);
  const listed = await browser.get('/app/tokens');
  t.equal(listed.status, 200);
  t.match(
    listed.html,
    new RegExp(
      `<option value="contributor@${initiative.id}">contributor in ${initiative.name}</option>` +
        `<option value="viewer@${initiative.id}">viewer in ${initiative.name}</option></select>`,
    ),
  );
  const above = await browser.post('/app/tokens', { name: 'Sneaky', role: `editor@${initiative.id}` });
  t.equal(above.status, 422, 'a role above the person’s own is refused');
  t.match(above.html, /Choose one of the roles offered/);
  t.equal(
    (await browser.post('/app/tokens', { name: 'Bare role', role: 'contributor' })).status,
    422,
    'a role without its initiative is refused',
  );
  const created = await browser.post('/app/tokens', { name: 'Monthly upload', role: `contributor@${initiative.id}` });
  t.equal(created.status, 201);
  const secret = /id="new-token" readonly value="(rba_[\w-]+)"/.exec(created.html)?.[1];
  t.ok(secret, 'the secret is shown');
  t.notMatch((await browser.get('/app/tokens')).html, new RegExp(secret!), 'and only once');
  const write = (indicatorId: string) =>
    api.request({
      method: 'PUT',
      url: `/api/v1/indicators/${indicatorId}/data-points`,
      payload: { points: [{ period: '2025-Q1', value: 1 }] },
      as: secret!,
    });
  t.equal((await write(indicator.id)).status, 200, "the token writes its partner's indicator");
  t.equal((await write(other.id)).status, 403, 'and nothing more');
  const id = /action="\/app\/tokens\/([\w-]+)\/revoke"/.exec(created.html)?.[1];
  const revoked = await browser.post(`/app/tokens/${id}/revoke`, {});
  t.equal(revoked.status, 303);
  t.equal((await write(indicator.id)).status, 401, 'a revoked token no longer works');
  const second = await browser.post('/app/tokens', { name: 'Second', role: `viewer@${initiative.id}` });
  const otherId = /action="\/app\/tokens\/([\w-]+)\/revoke"/.exec(second.html)?.[1];
  await viewer.get('/app/tokens');
  t.equal(
    (await viewer.post(`/app/tokens/${otherId}/revoke`, {})).status,
    404,
    "nobody revokes another person's token",
  );
  t.match((await browser.get('/app/tokens')).html, /Second \(scripts@example.org\)/, 'it is still there');
});

t.test('the indicator page shows the turn-the-curve report and the actions, as they stand today', async (t) => {
  const empty = await viewer.get(`/app/indicators/${indicator.id}`);
  t.match(
    empty.html,
    /<h2 id="report-heading">Turn-the-curve report<\/h2><p>No turn-the-curve report has been written/,
  );
  t.match(empty.html, /<h2 id="actions-heading">Actions<\/h2><p>No action is linked to this indicator yet\.<\/p>/);
  const report = await api.request({
    method: 'PUT',
    url: `/api/v1/indicators/${indicator.id}/curve-report`,
    headers: { 'if-match': '"0"' },
    payload: {
      story: 'Hiring slowed in 2024.\n\nFewer women returned to work after the closures.',
      forces: [{ description: 'Childcare costs <rising>', direction: 'hindering' }],
      partners: [{ partnerId: partnerA.id, name: 'Agency A', role: 'Runs the job fairs' }],
      whatWorks: [{ idea: 'Evening classes', evidence: 'Pilot in 2023', cost: 'low_cost' }],
      actionPlan: 'Two job fairs a year.',
    },
  });
  t.equal(report.status, 200, report.raw);
  const today = new Date();
  const day = (offset: number) => new Date(today.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
  for (const action of [
    { title: 'Job fair', start: day(-100), due: day(-3), ownerPartnerId: partnerA.id },
    { title: 'Childcare vouchers', start: day(-10), due: day(200) },
  ]) {
    const created = await api.request({
      method: 'POST',
      url: `/api/v1/initiatives/${initiative.id}/actions`,
      payload: { ...action, indicatorIds: [indicator.id] },
    });
    t.equal(created.status, 201, created.raw);
  }
  const page = await viewer.get(`/app/indicators/${indicator.id}`);
  t.match(page.html, /<h3>The story behind the curve<\/h3><p>Hiring slowed in 2024\.<\/p><p>Fewer women returned/);
  t.match(page.html, /<li>Childcare costs &lt;rising&gt; \(hindering\)<\/li>/, 'escaped, with its direction');
  t.match(page.html, /<li><strong>Agency A<\/strong>: Runs the job fairs<\/li>/);
  t.match(page.html, /Evening classes \(low cost\)<span class="hint">Evidence: Pilot in 2023<\/span>/);
  t.match(page.html, /<h3>Action plan<\/h3><p>Two job fairs a year\.<\/p>/);
  t.match(
    page.html,
    /<th scope="row">Job fair<\/th><td>Agency A<\/td><td>[\d-]+ – [\d-]+<\/td><td><strong>planned, 3 days overdue<\/strong><\/td>/,
  );
  t.match(
    page.html,
    /<th scope="row">Childcare vouchers<\/th><td><\/td><td>[\d-]+ – [\d-]+<\/td><td>planned, open<\/td>/,
  );
});
