/**
 * One person, roles in several initiatives: an editor of one partnership accepts an invitation to another as a
 * viewer with the password of the account they have (no second account), sees both, writes only where their role
 * there allows; a new invitation to the same initiative replaces the role; personal tokens pick one membership;
 * the review queue covers every initiative where the person reviews.
 */
import t from '../helpers/tap.ts';
import { buildTestApp, createFixture } from '../helpers/test-app.ts';
import { FormSession, invitedPerson, PASSWORD } from './browser-session.ts';

const api = await buildTestApp(t);
const first = await createFixture(api, { name: 'Employment rate', frequency: 'quarterly' });
const second = await createFixture(api, { name: 'Median wage', frequency: 'quarterly', unit: 'currency' });
// Private results: only members see them.
for (const { result } of [first, second])
  await api.request({ method: 'PATCH', url: `/api/v1/results/${result.id}`, payload: { visibility: 'private' } });

const EMAIL = 'rosa@example.org';
const rosa = await invitedPerson(api, { email: EMAIL, role: 'editor', initiativeId: first.initiative.id });

/** Invites an email (Rosa's unless told) through the API and answers the link's path. */
async function invite(role: string, initiativeId?: string, email = EMAIL): Promise<string> {
  const invited = await api.request({
    method: 'POST',
    url: '/api/v1/invitations',
    payload: { email, role, ...(initiativeId && { initiativeId }) },
  });
  if (invited.status !== 201) throw new Error(invited.raw);
  return new URL(invited.body.url as string).pathname;
}

t.test('a second invitation is accepted with the existing account’s password', async (t) => {
  t.equal((await rosa.get(`/app/initiatives/${second.initiative.id}`)).status, 404, 'not a member yet');
  const path = await invite('viewer', second.initiative.id);
  const browser = new FormSession(api.app);
  const form = await browser.get(path);
  t.equal(form.status, 200);
  t.match(form.html, /Accept the invitation/);
  t.match(form.html, new RegExp(`makes you viewer of ${second.initiative.name}`), 'it says what the person gets');
  t.notMatch(form.html, /Create account/, 'no second account');
  const wrong = await browser.post(`${path}/accept`, { password: 'not the password' });
  t.equal(wrong.status, 401);
  t.match(wrong.html, /The password is not right/);
  t.notOk(browser.cookies.has('rba_session'));
  const noCsrf = await browser.post(`${path}/accept`, { password: PASSWORD, _csrf: null });
  t.equal(noCsrf.status, 403, 'the form needs its CSRF token');
  const accepted = await browser.post(`${path}/accept`, { password: PASSWORD });
  t.equal(accepted.status, 303);
  t.equal(accepted.location, '/app');
  t.ok(browser.cookies.has('rba_session'), 'the person is signed in');
  t.equal((await browser.get(path)).status, 410, 'the link works once');
  const people = await api.db.selectFrom('people').select('id').where('email', '=', EMAIL).execute();
  t.equal(people.length, 1, 'still one account');
  const memberships = await api.db
    .selectFrom('memberships')
    .select(['initiativeId', 'role'])
    .where('personId', '=', people[0]!.id)
    .orderBy('role')
    .execute();
  t.same(
    memberships,
    [
      { initiativeId: first.initiative.id, role: 'editor' },
      { initiativeId: second.initiative.id, role: 'viewer' },
    ],
    'one role in each initiative',
  );
});

t.test('each initiative answers with the role held there', async (t) => {
  const home = await rosa.get('/app');
  t.match(home.html, new RegExp(`<a href="/app/initiatives/${first.initiative.id}">`), 'the first initiative');
  t.match(home.html, new RegExp(`<a href="/app/initiatives/${second.initiative.id}">`), 'and the second');
  t.match(home.html, /Signed in as rosa \(editor, viewer\)/);
  const own = await rosa.get(`/app/indicators/${first.indicator.id}`);
  t.match(own.html, /Enter data/, 'an editor of the first');
  t.equal((await rosa.get(`/app/indicators/${first.indicator.id}/data`)).status, 200);
  const other = await rosa.get(`/app/indicators/${second.indicator.id}`);
  t.equal(other.status, 200, 'reads the second initiative’s private indicator');
  t.notMatch(other.html, /Enter data/, 'a viewer there');
  t.equal((await rosa.get(`/app/indicators/${second.indicator.id}/data`)).status, 403);
});

t.test('a new invitation to the same initiative replaces the role; an admin invitation adds the flag', async (t) => {
  const browser = new FormSession(api.app);
  const path = await invite('editor', second.initiative.id);
  await browser.get(path);
  t.equal((await browser.post(`${path}/accept`, { password: PASSWORD })).status, 303);
  t.equal((await browser.get(`/app/indicators/${second.indicator.id}/data`)).status, 200, 'now an editor there');
  const down = await invite('viewer', first.initiative.id);
  await browser.get(down);
  t.equal((await browser.post(`${down}/accept`, { password: PASSWORD })).status, 303);
  t.equal((await browser.get(`/app/indicators/${first.indicator.id}/data`)).status, 403, 'and a viewer of the first');
  const admin = await invite('admin');
  const page = await browser.get(admin);
  t.match(page.html, /makes you an administrator/);
  t.equal((await browser.post(`${admin}/accept`, { password: PASSWORD })).status, 303);
  t.equal((await browser.get(`/app/indicators/${first.indicator.id}/data`)).status, 200, 'an administrator writes');
  t.match((await browser.get('/app')).html, /Signed in as rosa \(admin\)/);
});

t.test('personal tokens hold one of the person’s memberships', async (t) => {
  const kim = await invitedPerson(api, { email: 'kim@example.org', role: 'editor', initiativeId: first.initiative.id });
  const path = await invite('viewer', second.initiative.id, 'kim@example.org');
  await kim.get(path);
  t.equal((await kim.post(`${path}/accept`, { password: PASSWORD })).status, 303);
  const page = await kim.get('/app/tokens');
  const options = [...page.html.matchAll(/<option value="([^"]+)">([^<]+)<\/option>/g)].map((m) => m[1]);
  t.same(
    options.sort(),
    [`editor@${first.initiative.id}`, `viewer@${first.initiative.id}`, `viewer@${second.initiative.id}`].sort(),
    'each membership’s role and viewer',
  );
  t.equal(
    (await kim.post('/app/tokens', { name: 'Above', role: `editor@${second.initiative.id}` })).status,
    422,
    'not a role the person does not hold there',
  );
  const created = await kim.post('/app/tokens', { name: 'Reader', role: `viewer@${second.initiative.id}` });
  t.equal(created.status, 201);
  t.match(created.html, new RegExp(`viewer in ${second.initiative.name}`), 'listed with its initiative');
  const secret = /id="new-token" readonly value="(rba_[\w-]+)"/.exec(created.html)![1]!;
  const read = (id: string) => api.request({ method: 'GET', url: `/api/v1/indicators/${id}`, as: secret });
  t.equal((await read(second.indicator.id)).status, 200, 'the token reads its initiative');
  t.equal((await read(first.indicator.id)).status, 404, 'and only that one');

  const editorToken = await kim.post('/app/tokens', { name: 'Editing', role: `editor@${first.initiative.id}` });
  const editorSecret = /id="new-token" readonly value="(rba_[\w-]+)"/.exec(editorToken.html)![1]!;
  const viewerToken = await kim.post('/app/tokens', { name: 'Reading', role: `viewer@${first.initiative.id}` });
  const viewerSecret = /id="new-token" readonly value="(rba_[\w-]+)"/.exec(viewerToken.html)![1]!;
  const rename = (secret: string) =>
    api.request({
      method: 'PATCH',
      url: `/api/v1/indicators/${first.indicator.id}`,
      payload: { name: 'Employment rate' },
      as: secret,
    });
  t.equal((await rename(editorSecret)).status, 200, 'the editor token edits');
  const downgrade = await invite('viewer', first.initiative.id, 'kim@example.org');
  await kim.get(downgrade);
  t.equal((await kim.post(`${downgrade}/accept`, { password: PASSWORD })).status, 303);
  t.equal((await rename(editorSecret)).status, 401, 'a personal token above the new role is revoked');
  t.equal((await read(first.indicator.id)).status, 404, 'the other initiative’s token is untouched…');
  t.equal((await read(second.indicator.id)).status, 200, '…and still works');
  const stillReads = await api.request({
    method: 'GET',
    url: `/api/v1/indicators/${first.indicator.id}`,
    as: viewerSecret,
  });
  t.equal(stillReads.status, 200, 'the viewer token of the same initiative stays');
});

t.test('the review queue covers every initiative where the person reviews', async (t) => {
  const initiatives = [first, second];
  for (const { initiative, indicator } of initiatives) {
    await api.request({
      method: 'PATCH',
      url: `/api/v1/initiatives/${initiative.id}`,
      payload: { publication: { required: true } },
    });
    await api.request({
      method: 'PUT',
      url: `/api/v1/indicators/${indicator.id}/data-points`,
      payload: { points: [{ period: '2024-Q1', value: 5 }] },
    });
    const submitted = await api.request({
      method: 'POST',
      url: `/api/v1/indicators/${indicator.id}/publication`,
      payload: { periods: ['2024-Q1'], action: 'submit' },
    });
    t.equal(submitted.status, 200, submitted.raw);
  }
  const lee = await invitedPerson(api, { email: 'lee@example.org', role: 'editor', initiativeId: first.initiative.id });
  const path = await invite('editor', second.initiative.id, 'lee@example.org');
  await lee.get(path);
  await lee.post(`${path}/accept`, { password: PASSWORD });
  const queue = await lee.get('/app/review');
  t.match(queue.html, /Employment rate/, 'the first initiative’s period');
  t.match(queue.html, /Median wage/, 'and the second’s');
});
