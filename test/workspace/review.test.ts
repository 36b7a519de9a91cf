/**
 * The review queue (/app/review) and the indicator page's Publication section, over HTTP as a browser without
 * JavaScript uses them: a contributor submits a period, an editor approves and publishes it; four eyes refuses
 * the submitter's own approval next to its form; sending back needs a reason (kept when refused); a
 * contributor and a viewer see the queue read-only; anonymous callers are sent to sign in.
 */
import t from '../helpers/tap.ts';
import { buildTestApp, createFixture } from '../helpers/test-app.ts';
import { FormSession, invitedPerson } from './browser-session.ts';

const api = await buildTestApp(t);
const { initiative, indicator } = await createFixture(api, {
  name: 'Employment rate',
  unit: 'percent',
  polarity: 'higher_is_better',
  frequency: 'quarterly',
});
const partner = (
  await api.request({
    method: 'POST',
    url: `/api/v1/initiatives/${initiative.id}/partners`,
    payload: { name: 'Agency A', sector: 'public' },
  })
).body as { id: string };
const setUp = [
  await api.request({
    method: 'PATCH',
    url: `/api/v1/initiatives/${initiative.id}`,
    payload: { publication: { required: true, fourEyes: true } },
  }),
  await api.request({
    method: 'PATCH',
    url: `/api/v1/indicators/${indicator.id}`,
    payload: { ownerPartnerId: partner.id },
  }),
  await api.request({
    method: 'PUT',
    url: `/api/v1/indicators/${indicator.id}/data-points`,
    payload: {
      points: ['2024-Q1', '2024-Q2', '2024-Q3', '2024-Q4'].map((period, i) => ({ period, value: 60 + i })),
    },
  }),
];
for (const response of setUp) if (response.status !== 200) throw new Error(response.raw);

const person = (email: string, role: string, partnerId?: string) =>
  invitedPerson(api, { email, role, initiativeId: initiative.id, partnerId });
const editor = await person('editor@example.org', 'editor');
const contributor = await person('contributor@example.org', 'contributor', partner.id);
const viewer = await person('viewer@example.org', 'viewer');

const indicatorUrl = `/app/indicators/${indicator.id}`;
const states = async () =>
  Object.fromEntries(
    (
      (await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.id}/publication` })).body
        .items as Array<{
        period: string;
        state: string;
      }>
    ).map((item) => [item.period, item.state]),
  );
const act = (session: FormSession, period: string, action: string, reason?: string) =>
  session.post('/app/review', {
    indicator: indicator.id,
    period,
    action,
    ...(reason !== undefined && { reason }),
  });
const buttons = (html: string, name: string) => html.split(`>${name}</button>`).length - 1;

t.test('anonymous callers are sent to sign in', async (t) => {
  const anonymous = new FormSession(api.app);
  const page = await anonymous.get('/app/review');
  t.equal(page.status, 303);
  t.equal(page.location, '/app/sign-in?next=%2Fapp%2Freview');
});

t.test('an empty queue says so', async (t) => {
  const page = await editor.get('/app/review');
  t.equal(page.status, 200);
  t.match(page.html, /Nothing is waiting for review\./);
  t.match(page.html, /<a class="who" href="\/app\/review">Review<\/a>/, 'the header links to the review page');
});

t.test('a contributor submits a period; an editor approves it, then publishes it', async (t) => {
  const before = await contributor.get(indicatorUrl);
  t.equal(before.status, 200);
  t.match(before.html, /<h2 id="publication-heading">Publication<\/h2>/);
  t.match(before.html, /<th scope="row">2024-Q1<\/th><td>draft<\/td>/);
  t.match(
    before.html,
    /<input type="checkbox" id="submit-0" name="periods" value="2024-Q1"><label for="submit-0">Submit 2024-Q1<\/label>/,
  );
  const none = await contributor.post(`${indicatorUrl}/publication`, {});
  t.equal(none.status, 422, 'nothing ticked');
  t.match(none.html, /<p class="field-error" role="alert" id="submit-error">Tick at least one period to submit\.<\/p>/);
  const submitted = await contributor.post(`${indicatorUrl}/publication`, { periods: ['2024-Q1'] });
  t.equal(submitted.status, 303);
  t.equal(submitted.location, `${indicatorUrl}?submitted=1#publication-heading`);
  t.match((await contributor.get(`${indicatorUrl}?submitted=1`)).html, /1 period was submitted for review\./);
  t.equal((await states())['2024-Q1'], 'submitted');

  const queue = await editor.get('/app/review');
  t.equal(queue.status, 200);
  t.match(queue.html, new RegExp(`<a href="/app/indicators/${indicator.id}">Employment rate</a>`));
  t.match(
    queue.html,
    /<strong id="[^"]+">2024-Q1<\/strong> — submitted by contributor@example\.org on \d{4}-\d\d-\d\d \d\d:\d\d UTC/,
  );
  t.equal(buttons(queue.html, 'Approve'), 1);
  t.equal(buttons(queue.html, 'Send back'), 1);
  t.match(queue.html, /<label for="[^"]+-reason">Reason<\/label>/);
  t.notMatch(queue.html, /Nothing is waiting for review/);

  const approved = await act(editor, '2024-Q1', 'approve');
  t.equal(approved.status, 303);
  t.equal(approved.location, '/app/review?done=approve&period=2024-Q1');
  t.equal((await states())['2024-Q1'], 'approved');
  const toPublish = await editor.get(approved.location!);
  t.match(toPublish.html, /<p class="notice" role="status">2024-Q1 is approved\.<\/p>/);
  t.match(toPublish.html, /approved by editor@example\.org on .+ \(submitted by contributor@example\.org\)/);
  t.equal(buttons(toPublish.html, 'Approve'), 0);
  t.equal(buttons(toPublish.html, 'Publish'), 1);

  const published = await act(editor, '2024-Q1', 'publish');
  t.equal(published.status, 303);
  t.equal((await states())['2024-Q1'], 'published');
  const after = await editor.get(published.location!);
  t.match(after.html, /2024-Q1 is published\./);
  t.match(after.html, /Nothing is waiting for review\./);
  t.match((await editor.get(indicatorUrl)).html, /<th scope="row">2024-Q1<\/th><td>published<\/td>/);

  const again = await act(editor, '2024-Q1', 'publish');
  t.equal(again.status, 409, 'a period that moved meanwhile');
  t.match(again.html, /<p class="problem" role="alert">This period was moved meanwhile/);
});

t.test('four eyes: the submitter may not approve, and the page says so next to the form', async (t) => {
  t.equal((await editor.post(`${indicatorUrl}/publication`, { periods: '2024-Q2' })).status, 303);
  const refused = await act(editor, '2024-Q2', 'approve');
  t.equal(refused.status, 403);
  t.match(
    refused.html,
    /<p class="field-error" role="alert" id="([^"]+)-approve-error">You submitted this period: someone else must approve it \(four eyes\)\.<\/p><button type="submit" aria-describedby="\1-approve-error">Approve<\/button>/,
  );
  t.equal((await states())['2024-Q2'], 'submitted', 'nothing changed');
});

t.test('sending back needs a reason; the reason typed is kept when refused', async (t) => {
  const queue = await editor.get('/app/review');
  t.match(queue.html, /2024-Q2/);
  const empty = await act(editor, '2024-Q2', 'send_back', '   ');
  t.equal(empty.status, 422);
  t.match(
    empty.html,
    /<p class="field-error" role="alert" id="([^"]+)-send_back-error">Say in Reason why the period goes back\.<\/p><input type="text" id="\1-reason" name="reason" maxlength="2000" value="" aria-describedby="\1-reason-hint \1-send_back-error" aria-invalid="true">/,
  );
  t.equal((await states())['2024-Q2'], 'submitted');
  const sent = await act(editor, '2024-Q2', 'send_back', 'Q2 misses one district');
  t.equal(sent.status, 303);
  t.match((await editor.get(sent.location!)).html, /2024-Q2 was sent back\./);
  t.equal((await states())['2024-Q2'], 'draft');
});

t.test('contributors and viewers see the queue read-only', async (t) => {
  t.equal((await contributor.post(`${indicatorUrl}/publication`, { periods: ['2024-Q3'] })).status, 303);
  for (const [who, session] of [
    ['contributor', contributor],
    ['viewer', viewer],
  ] as const) {
    const page = await session.get('/app/review');
    t.equal(page.status, 200, who);
    t.match(page.html, /2024-Q3<\/strong> — submitted by contributor@example\.org/, `${who} sees what waits`);
    t.match(page.html, /Editors of the initiative review submitted periods/, `${who} is told who reviews`);
    t.equal(buttons(page.html, 'Approve'), 0, `${who}: no Approve`);
    t.equal(buttons(page.html, 'Send back'), 0, `${who}: no Send back`);
  }
  const refused = await act(contributor, '2024-Q3', 'approve');
  t.equal(refused.status, 403, 'a forged approval is refused');
  t.match(refused.html, /<p class="problem" role="alert">Only an editor of the initiative can do this\.<\/p>/);
  t.equal((await states())['2024-Q3'], 'submitted');
  const viewerPage = await viewer.get(indicatorUrl);
  t.match(viewerPage.html, /<th scope="row">2024-Q3<\/th><td>submitted<\/td>/, 'a viewer sees the states');
  t.notMatch(viewerPage.html, /Submit for review/, 'but no submit form');
});

t.test('a form without the CSRF token is refused', async (t) => {
  await editor.get('/app/review');
  const forged = await editor.post('/app/review', {
    _csrf: null,
    indicator: indicator.id,
    period: '2024-Q3',
    action: 'approve',
  });
  t.equal(forged.status, 403);
  t.equal((await states())['2024-Q3'], 'submitted');
});

t.test(
  'a member previews the public view: drafts shown as the public will see them, small counts suppressed',
  async (t) => {
    const created = await api.request({
      method: 'POST',
      url: `/api/v1/results/${indicator.resultId}/indicators`,
      payload: {
        name: 'Students enrolled',
        unit: 'count',
        polarity: 'higher_is_better',
        frequency: 'annual',
        dimensions: [{ name: 'school', values: ['North', 'South', 'East'] }],
        suppression: { minCellSize: 11 },
      },
    });
    t.equal(created.status, 201);
    const counts = created.body as { id: string };
    const written = await api.request({
      method: 'PUT',
      url: `/api/v1/indicators/${counts.id}/data-points`,
      payload: {
        points: [
          { period: '2024', value: 9321 },
          { period: '2024', value: 7, disaggregation: { school: 'North' } },
          { period: '2024', value: 4013, disaggregation: { school: 'South' } },
          { period: '2024', value: 5301, disaggregation: { school: 'East' } },
        ],
      },
    });
    t.equal(written.status, 200);
    const member = await editor.get(`/app/indicators/${counts.id}`);
    t.match(member.html, /4013/, 'members see every value');
    t.match(member.html, /Preview the public view/);
    const preview = await editor.get(`/app/indicators/${counts.id}?preview=public`);
    t.equal(preview.status, 200);
    t.match(preview.html, /Preview: the chart and values as the public will see them/);
    t.match(preview.html, /9321|9,321/, 'the draft total is in the preview');
    t.notOk(/4013|4,013/.test(preview.html), 'the complementary cell is suppressed in the preview');
  },
);

t.test("another initiative's people see its public indicator, not its working lists", async (t) => {
  const other = await createFixture(api, { name: 'Elsewhere rate' });
  await api.request({ method: 'PATCH', url: `/api/v1/results/${other.result.id}`, payload: { visibility: 'public' } });
  await api.request({
    method: 'PUT',
    url: `/api/v1/indicators/${other.indicator.id}/data-points`,
    payload: { points: [{ period: '2020', value: 41.5 }] },
  });
  const page = await editor.get(`/app/indicators/${other.indicator.id}`);
  t.equal(page.status, 200);
  t.notMatch(page.html, /\/history"/, 'no History link');
  t.notMatch(page.html, /data-quality"/, 'no Data quality link');
  t.notMatch(page.html, /Publication/, 'no publication states');
  const history = await editor.get(`/app/indicators/${other.indicator.id}/history`);
  t.equal(history.status, 403, 'the revisions (drafts, who changed what) are members only');
  t.notMatch(history.html, /41\.5/);
});

t.test('an editor retracts and reopens a period from the indicator page; a reason is required', async (t) => {
  t.equal((await states())['2024-Q1'], 'published', 'published by the first test');
  const page = await editor.get(indicatorUrl);
  t.match(page.html, /<legend><strong>Retract or reopen a period<\/strong><\/legend>/);
  t.match(page.html, /<option value="2024-Q1">2024-Q1 \(published\)<\/option>/);
  t.notMatch(page.html, /<option value="2024-Q4">/, 'drafts are not offered');
  for (const session of [contributor, viewer])
    t.notMatch((await session.get(indicatorUrl)).html, /Retract or reopen/, 'only reviewers see the form');

  const change = (session: FormSession, action: string, reason: string) =>
    session.post(`${indicatorUrl}/publication/change`, { period: '2024-Q1', action, reason });
  const publicValues = async () =>
    (
      (await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.id}/data-points`, as: null })).body
        .items as Array<{ period: string }>
    ).map((point) => point.period);
  const shown = await api.request({
    method: 'PATCH',
    url: `/api/v1/results/${indicator.resultId}`,
    payload: { visibility: 'public' },
  });
  t.equal(shown.status, 200, shown.raw);
  t.same(await publicValues(), ['2024-Q1'], 'the public sees the published quarter');

  const noReason = await change(editor, 'retract', ' ');
  t.equal(noReason.status, 422);
  t.match(noReason.html, /<p class="field-error" role="alert" id="change-error">Say in Reason/);
  t.match(
    noReason.html,
    /id="change-reason" name="reason" maxlength="2000" value="" aria-describedby="change-reason-hint change-error" aria-invalid="true"/,
  );
  t.equal((await states())['2024-Q1'], 'published', 'nothing changed');
  await contributor.get(indicatorUrl);
  t.equal((await change(contributor, 'retract', 'forged')).status, 403, 'a contributor may not retract');

  const retracted = await change(editor, 'retract', 'A district was counted twice');
  t.equal(retracted.status, 303);
  t.equal(retracted.location, `${indicatorUrl}?changed=retract&period=2024-Q1#publication-heading`);
  t.match((await editor.get(retracted.location!)).html, /2024-Q1 is retracted: the public no longer sees it\./);
  t.equal((await states())['2024-Q1'], 'retracted');
  t.same(await publicValues(), [], 'the public no longer sees it');

  const reopened = await change(editor, 'reopen', 'Fix the count');
  t.equal(reopened.status, 303);
  t.equal((await states())['2024-Q1'], 'draft');
  t.match((await editor.get(reopened.location!)).html, /2024-Q1 is reopened: its values can change again\./);
  const again = await change(editor, 'retract', 'once more');
  t.equal(again.status, 409, 'a draft cannot be retracted');
  t.match(again.html, /This period was moved meanwhile/);
});

t.test('members see the scorecard with unpublished latest values marked; the public embed does not', async (t) => {
  const page = await editor.get(`/app/results/${indicator.resultId}`);
  t.equal(page.status, 200);
  t.match(page.html, /<p class="draft"><strong>Draft<\/strong>: 2024-Q4: draft, not yet published<\/p>/);
  const embed = await api.request({ method: 'GET', url: `/embed/results/${indicator.resultId}`, as: null });
  t.equal(embed.status, 200);
  t.match(embed.raw, /Employment rate/, 'the public scorecard lists the indicator');
  t.notMatch(embed.raw, /not yet published/, 'the public scorecard has no drafts to mark');
});
