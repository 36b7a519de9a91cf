/**
 * Actions through the API: commitments with owners and dates, quick wins, the record of who committed to
 * what, progress updates by the owner partner, the lists the chart's timeline uses, visibility, and every
 * way a request can fail.
 */
import t from '../helpers/tap.ts';
import { utcDate } from '../../server/domain/freshness.ts';
import { buildTestApp, createFixture, type TestApp } from '../helpers/test-app.ts';

const api = await buildTestApp(t);
const today = utcDate(new Date());

async function ok(options: Parameters<TestApp['request']>[0], status = 200) {
  const res = await api.request(options);
  if (res.status !== status)
    throw new Error(`${options.method} ${JSON.stringify(options.url)} → ${res.status}: ${res.raw}`);
  return res.body;
}

/** A partnership with a public result, two partners, two indicators (one private) and tokens of every kind. */
async function world() {
  const { initiative, result, indicator } = await createFixture(api);
  await ok({ method: 'PATCH', url: `/api/v1/results/${result.id}`, payload: { visibility: 'public' } });
  const hidden = await ok(
    {
      method: 'POST',
      url: `/api/v1/results/${result.id}/indicators`,
      payload: {
        name: 'Internal caseload',
        unit: 'count',
        polarity: 'lower_is_better',
        frequency: 'monthly',
        visibility: 'private',
      },
    },
    201,
  );
  const owner = await ok(
    {
      method: 'POST',
      url: `/api/v1/initiatives/${initiative.id}/partners`,
      payload: { name: 'Employers Association', sector: 'private' },
    },
    201,
  );
  const bystander = await ok(
    {
      method: 'POST',
      url: `/api/v1/initiatives/${initiative.id}/partners`,
      payload: { name: 'College', sector: 'academic' },
    },
    201,
  );
  const token = async (payload: object) =>
    (await ok({ method: 'POST', url: '/api/v1/tokens', payload }, 201)).secret as string;
  return {
    initiative,
    result,
    indicator,
    hidden,
    owner,
    bystander,
    editor: await token({ name: 'Ana (editor)', role: 'editor', initiativeId: initiative.id }),
    viewer: await token({ name: 'Viewer', role: 'viewer', initiativeId: initiative.id }),
    contributor: await token({
      name: 'Employers data team',
      role: 'contributor',
      initiativeId: initiative.id,
      partnerId: owner.id,
    }),
    outsider: await token({
      name: 'College team',
      role: 'contributor',
      initiativeId: initiative.id,
      partnerId: bystander.id,
    }),
  };
}

type World = Awaited<ReturnType<typeof world>>;

const create = (w: World, body: object, as?: string | null) =>
  api.request({
    method: 'POST',
    url: `/api/v1/initiatives/${w.initiative.id}/actions`,
    payload: body,
    ...(as !== undefined && { as }),
  });

t.test('an action is committed, derived fields are computed, and the commitment is recorded', async (t) => {
  const w = await world();
  const res = await create(
    w,
    {
      title: 'Employer hiring pledge',
      description: 'Interview every graduate',
      ownerPartnerId: w.owner.id,
      indicatorIds: [w.indicator.id],
      start: '2099-01-01',
      due: '2099-03-31',
      quickWin: true,
    },
    w.editor,
  );
  t.equal(res.status, 201);
  const action = res.body;
  t.match(action, {
    initiativeId: w.initiative.id,
    title: 'Employer hiring pledge',
    ownerPartnerId: w.owner.id,
    ownerPartnerName: 'Employers Association',
    indicatorIds: [w.indicator.id],
    start: '2099-01-01',
    due: '2099-03-31',
    status: 'planned',
    completedOn: null,
    quickWin: true,
    timing: 'open',
    overdue: false,
    daysOverdue: null,
    visibility: 'public',
    publiclyVisible: true,
    version: 1,
    createdBy: 'Ana (editor)',
    updatedBy: 'Ana (editor)',
  });
  t.equal(
    (await ok({ method: 'GET', url: `/api/v1/actions/${action.id}`, as: null })).title,
    'Employer hiring pledge',
    'public: anyone may read it',
  );

  const long = await ok(
    {
      method: 'POST',
      url: `/api/v1/initiatives/${w.initiative.id}/actions`,
      payload: { title: 'Shared intake record', start: '2099-01-01', due: '2099-12-31' },
    },
    201,
  );
  t.equal(long.quickWin, false, '364 days: not a quick win');

  const record = await ok({ method: 'GET', url: `/api/v1/actions/${action.id}/updates`, as: w.viewer });
  t.equal(record.items.length, 1);
  t.match(record.items[0], { kind: 'created', note: null, by: 'Ana (editor)' });
  const anonymous = await ok({ method: 'GET', url: `/api/v1/actions/${action.id}/updates`, as: null });
  t.match(anonymous.items[0], { kind: 'created', by: 'hidden' }, 'token names are for members of the initiative');
  t.same(record.items[0].changes.ownerPartnerId, { from: null, to: w.owner.id }, 'who committed to what');
  t.same(record.items[0].changes.due, { from: null, to: '2099-03-31' });
  t.notOk('completedOn' in record.items[0].changes, 'empty fields are not part of the commitment');
});

t.test('changes and progress are recorded; the owner partner reports progress', async (t) => {
  const w = await world();
  const action = await ok(
    {
      method: 'POST',
      url: `/api/v1/initiatives/${w.initiative.id}/actions`,
      payload: {
        title: 'Job fairs',
        ownerPartnerId: w.owner.id,
        indicatorIds: [w.indicator.id],
        start: '2020-01-01',
        due: '2020-03-01',
      },
    },
    201,
  );
  t.equal(action.overdue, true, 'planned and past due: overdue');
  t.equal(action.timing, 'overdue');
  t.ok(action.daysOverdue > 2000);

  const moved = await ok({
    method: 'PATCH',
    url: `/api/v1/actions/${action.id}`,
    headers: { 'if-match': '"1"' },
    payload: { due: '2099-06-01', status: 'in_progress' },
    as: w.editor,
  });
  t.match(moved, {
    version: 2,
    due: '2099-06-01',
    status: 'in_progress',
    overdue: false,
    quickWin: false,
    updatedBy: 'Ana (editor)',
  });
  const unchanged = await ok({ method: 'PATCH', url: `/api/v1/actions/${action.id}`, payload: { due: '2099-06-01' } });
  t.equal(unchanged.version, 2, 'a patch that changes nothing records nothing');

  const note = await ok(
    {
      method: 'POST',
      url: `/api/v1/actions/${action.id}/updates`,
      payload: { note: 'Two fairs held, one to go.' },
      as: w.contributor,
    },
    201,
  );
  t.match(note, { kind: 'progress', note: 'Two fairs held, one to go.', by: 'Employers data team', changes: {} });
  const done = await ok(
    {
      method: 'POST',
      url: `/api/v1/actions/${action.id}/updates`,
      payload: { note: 'All three held.', status: 'done' },
      as: w.contributor,
    },
    201,
  );
  t.same(
    done.changes,
    { status: { from: 'in_progress', to: 'done' }, completedOn: { from: null, to: today } },
    'done without a date: done today',
  );
  const after = await ok({ method: 'GET', url: `/api/v1/actions/${action.id}` });
  t.match(after, {
    status: 'done',
    completedOn: today,
    timing: 'on_time',
    overdue: false,
    version: 3,
    updatedBy: 'Employers data team',
  });

  const reopened = await ok({
    method: 'PATCH',
    url: `/api/v1/actions/${action.id}`,
    payload: { status: 'in_progress' },
  });
  t.equal(reopened.completedOn, null, 'reopened: no completion date');
  const backdated = await ok({
    method: 'PATCH',
    url: `/api/v1/actions/${action.id}`,
    payload: { status: 'done', completedOn: '2021-01-15' },
  });
  t.match(backdated, { completedOn: '2021-01-15', timing: 'on_time' });
  const linked = await ok({ method: 'PATCH', url: `/api/v1/actions/${action.id}`, payload: { indicatorIds: [] } });
  t.same(linked.indicatorIds, []);

  const record = await ok({ method: 'GET', url: `/api/v1/actions/${action.id}/updates` });
  t.same(
    record.items.map((u: { kind: string; by: string; changes: object }) => [
      u.kind,
      u.by,
      Object.keys(u.changes).sort(),
    ]),
    [
      [
        'created',
        'admin (RBA_ADMIN_TOKEN)',
        ['due', 'indicatorIds', 'ownerPartnerId', 'start', 'status', 'title', 'visibility'],
      ],
      ['edited', 'Ana (editor)', ['due', 'status']],
      ['progress', 'Employers data team', []],
      ['progress', 'Employers data team', ['completedOn', 'status']],
      ['edited', 'admin (RBA_ADMIN_TOKEN)', ['completedOn', 'status']],
      ['edited', 'admin (RBA_ADMIN_TOKEN)', ['completedOn', 'status']],
      ['edited', 'admin (RBA_ADMIN_TOKEN)', ['indicatorIds']],
    ],
    'the whole record, oldest first',
  );
  t.same(record.items[1].changes.due, { from: '2020-03-01', to: '2099-06-01' });
  const page = await ok({ method: 'GET', url: `/api/v1/actions/${action.id}/updates?limit=3` });
  t.equal(page.items.length, 3);
  const rest = await ok({
    method: 'GET',
    url: `/api/v1/actions/${action.id}/updates?limit=3&cursor=${page.nextCursor}`,
  });
  t.same(
    [
      ...page.items,
      ...rest.items,
      ...(await ok({ method: 'GET', url: `/api/v1/actions/${action.id}/updates?limit=3&cursor=${rest.nextCursor}` }))
        .items,
    ].map((u: { id: string }) => u.id),
    record.items.map((u: { id: string }) => u.id),
    'pages cover the record',
  );

  // Deleting a partner clears it as owner; the record still says who committed.
  await ok({ method: 'DELETE', url: `/api/v1/partners/${w.owner.id}` }, 204);
  const orphan = await ok({ method: 'GET', url: `/api/v1/actions/${action.id}` });
  t.same([orphan.ownerPartnerId, orphan.ownerPartnerName], [null, null]);

  await ok(
    { method: 'DELETE', url: `/api/v1/actions/${action.id}`, headers: { 'if-match': `"${orphan.version}"` } },
    204,
  );
  t.equal((await api.request({ method: 'GET', url: `/api/v1/actions/${action.id}` })).status, 404);
  t.equal((await api.request({ method: 'GET', url: `/api/v1/actions/${action.id}/updates` })).status, 404);
});

t.test('lists: by start date, by status, per indicator for the chart, only what the caller may see', async (t) => {
  const w = await world();
  const post = (body: object) =>
    ok({ method: 'POST', url: `/api/v1/initiatives/${w.initiative.id}/actions`, payload: body }, 201);
  const late = await post({
    title: 'Late start',
    start: '2021-05-01',
    due: '2021-06-01',
    indicatorIds: [w.indicator.id],
  });
  const early = await post({
    title: 'Early start',
    start: '2020-01-01',
    due: '2020-02-01',
    status: 'done',
    completedOn: '2020-01-20',
    indicatorIds: [w.indicator.id],
  });
  const secret = await post({
    title: 'Private',
    start: '2020-06-01',
    due: '2020-07-01',
    visibility: 'private',
    indicatorIds: [w.indicator.id],
  });
  const internal = await post({
    title: 'On a private indicator',
    start: '2020-03-01',
    due: '2020-04-01',
    indicatorIds: [w.indicator.id, w.hidden.id],
  });
  const unlinked = await post({ title: 'Unlinked', start: '2019-01-01', due: '2019-02-01' });

  const titles = (body: { items: Array<{ title: string }> }) => body.items.map((a) => a.title);
  const all = await ok({ method: 'GET', url: `/api/v1/initiatives/${w.initiative.id}/actions`, as: w.viewer });
  t.same(titles(all), ['Unlinked', 'Early start', 'On a private indicator', 'Private', 'Late start'], 'by start date');
  const anonymous = await ok({ method: 'GET', url: `/api/v1/initiatives/${w.initiative.id}/actions`, as: null });
  t.same(
    titles(anonymous),
    ['Unlinked', 'Early start', 'Late start'],
    'anonymous: no private action, none linked to a private indicator',
  );
  t.equal(internal.publiclyVisible, false);
  t.equal(secret.publiclyVisible, false);
  t.equal(
    (await api.request({ method: 'GET', url: `/api/v1/actions/${internal.id}`, as: null })).status,
    404,
    'hidden: 404',
  );
  t.equal((await api.request({ method: 'GET', url: `/api/v1/actions/${secret.id}/updates`, as: null })).status, 404);

  const timeline = await ok({ method: 'GET', url: `/api/v1/indicators/${w.indicator.id}/actions`, as: null });
  t.same(titles(timeline), ['Early start', 'Late start'], 'the public timeline of the indicator');
  t.same(
    timeline.items.map((a: { start: string; due: string; status: string }) => [a.start, a.due, a.status]),
    [
      ['2020-01-01', '2020-02-01', 'done'],
      ['2021-05-01', '2021-06-01', 'planned'],
    ],
  );
  const inside = await ok({ method: 'GET', url: `/api/v1/indicators/${w.indicator.id}/actions`, as: w.editor });
  t.equal(inside.items.length, 4);
  const hiddenTimeline = await ok({ method: 'GET', url: `/api/v1/indicators/${w.hidden.id}/actions`, as: w.viewer });
  t.same(titles(hiddenTimeline), ['On a private indicator']);
  t.equal(
    (await api.request({ method: 'GET', url: `/api/v1/indicators/${w.hidden.id}/actions`, as: null })).status,
    404,
  );

  const done = await ok({ method: 'GET', url: `/api/v1/initiatives/${w.initiative.id}/actions?status=done` });
  t.same(titles(done), ['Early start']);
  const first = await ok({ method: 'GET', url: `/api/v1/initiatives/${w.initiative.id}/actions?limit=2` });
  const second = await ok({
    method: 'GET',
    url: `/api/v1/initiatives/${w.initiative.id}/actions?limit=2&cursor=${first.nextCursor}`,
  });
  t.same([...titles(first), ...titles(second)], titles(all).slice(0, 4), 'pages follow the order');

  const analysis = await ok({ method: 'GET', url: `/api/v1/indicators/${w.indicator.id}/analysis`, as: null });
  t.same(
    analysis.actions.map((a: { id: string }) => a.id),
    [early.id, late.id],
    'the analysis carries the public timeline too',
  );
  t.equal(analysis.actions[1].overdue, true);
  t.ok(unlinked.id);

  // Making the indicator private hides the actions linked to it from the public.
  await ok({ method: 'PATCH', url: `/api/v1/indicators/${w.indicator.id}`, payload: { visibility: 'private' } });
  t.same(titles(await ok({ method: 'GET', url: `/api/v1/initiatives/${w.initiative.id}/actions`, as: null })), [
    'Unlinked',
  ]);
});

t.test('who may commit, change and report', async (t) => {
  const w = await world();
  const body = { title: 'Pledge', start: '2099-01-01', due: '2099-02-01', ownerPartnerId: w.owner.id };
  t.equal((await create(w, body, null)).status, 401, 'anonymous: 401');
  t.equal((await create(w, body, w.viewer)).status, 403, 'viewer: 403');
  t.equal((await create(w, body, w.contributor)).status, 403, 'a contributor may not commit the partnership');
  const action = (await create(w, body, w.editor)).body;
  const other = await createFixture(api);
  const otherEditor = (
    await ok(
      {
        method: 'POST',
        url: '/api/v1/tokens',
        payload: { name: 'Other', role: 'editor', initiativeId: other.initiative.id },
      },
      201,
    )
  ).secret;

  const patch = (as: string | null) =>
    api.request({ method: 'PATCH', url: `/api/v1/actions/${action.id}`, payload: { title: 'Renamed' }, as });
  t.equal((await patch(null)).status, 401);
  t.equal((await patch(w.contributor)).status, 403, 'the owner may report progress, not rewrite the commitment');
  t.equal((await patch(otherEditor)).status, 403, "another initiative's editor: 403 on a public action");
  t.equal((await patch(w.editor)).status, 200);

  const report = (as: string | null) =>
    api.request({ method: 'POST', url: `/api/v1/actions/${action.id}/updates`, payload: { note: 'Progress' }, as });
  t.equal((await report(null)).status, 401);
  t.equal((await report(w.viewer)).status, 403);
  t.equal((await report(w.outsider)).status, 403, 'a contributor of another partner: 403');
  t.equal((await report(w.contributor)).status, 201, "the owner partner's contributor: allowed");
  t.equal(
    (await api.request({ method: 'DELETE', url: `/api/v1/actions/${action.id}`, as: w.contributor })).status,
    403,
  );

  const secret = (await create(w, { ...body, visibility: 'private' }, w.editor)).body;
  t.equal(
    (
      await api.request({
        method: 'PATCH',
        url: `/api/v1/actions/${secret.id}`,
        payload: { title: 'x' },
        as: otherEditor,
      })
    ).status,
    404,
    'private to another initiative: 404',
  );
  t.equal(
    (await api.request({ method: 'GET', url: `/api/v1/actions/${secret.id}`, as: w.viewer })).status,
    200,
    'its own viewer sees it',
  );
});

t.test('malformed, stale and impossible actions', async (t) => {
  const w = await world();
  const other = await createFixture(api);
  const stranger = await ok(
    {
      method: 'POST',
      url: `/api/v1/initiatives/${other.initiative.id}/partners`,
      payload: { name: 'Elsewhere', sector: 'other' },
    },
    201,
  );
  const base = { title: 'Pledge', start: '2024-01-01', due: '2024-03-01' };

  const bad: Array<[string, object, RegExp]> = [
    ['no title', { start: '2024-01-01', due: '2024-02-01' }, /body\.title/],
    ['no due date', { title: 'x', start: '2024-01-01' }, /body\.due/],
    ['not a date', { ...base, due: '2024-02-30' }, /body\.due/],
    ['unknown status', { ...base, status: 'blocked' }, /body\.status/],
    ['unknown field', { ...base, priority: 1 }, /priority/],
    ['duplicate indicators', { ...base, indicatorIds: [w.indicator.id, w.indicator.id] }, /body\.indicatorIds/],
  ];
  for (const [what, payload, path] of bad) {
    const res = await create(w, payload);
    t.equal(res.status, 400, `${what}: 400`);
    t.match(JSON.stringify(res.body.error.details), path, `${what}: names the field`);
  }

  const impossible: Array<[string, object, string, string]> = [
    ['due before start', { ...base, due: '2023-12-31' }, 'due_before_start', 'body.due'],
    [
      'a stated quick win that is not one',
      { ...base, due: '2024-06-01', quickWin: true },
      'quick_win_mismatch',
      'body.quickWin',
    ],
    ['a quick win stated false that is one', { ...base, quickWin: false }, 'quick_win_mismatch', 'body.quickWin'],
    ['completed but not done', { ...base, completedOn: '2024-02-01' }, 'completed_on_not_done', 'body.completedOn'],
    [
      'done before it started',
      { ...base, status: 'done', completedOn: '2023-06-01' },
      'completed_before_start',
      'body.completedOn',
    ],
    [
      'done in the future',
      { ...base, start: '2099-01-01', due: '2099-02-01', status: 'done', completedOn: '2099-01-15' },
      'completed_in_future',
      'body.completedOn',
    ],
    [
      'an owner from another initiative',
      { ...base, ownerPartnerId: stranger.id },
      'partner_not_in_initiative',
      'body.ownerPartnerId',
    ],
    [
      'an indicator from another initiative',
      { ...base, indicatorIds: [w.indicator.id, other.indicator.id] },
      'indicator_not_in_initiative',
      'body.indicatorIds.1',
    ],
    [
      'an indicator that does not exist',
      { ...base, indicatorIds: ['0196f0a2-7c1e-7b3a-9d4e-2f1a3c5b7d9e'] },
      'indicator_not_in_initiative',
      'body.indicatorIds.0',
    ],
  ];
  for (const [what, payload, code, path] of impossible) {
    const res = await create(w, payload);
    t.equal(res.status, 422, `${what}: 422`);
    t.equal(res.body.error?.code, code, `${what}: ${code}`);
    t.equal(res.body.error?.details[0]?.path, path);
  }
  const quick = await create(w, { ...base, quickWin: true });
  t.equal(quick.status, 201, 'a stated quick win that is one');

  const action = quick.body;
  t.equal(
    (await api.request({ method: 'PATCH', url: `/api/v1/actions/${action.id}`, payload: { start: '2024-04-01' } }))
      .status,
    422,
    'a patch is judged on the merged dates',
  );
  t.equal(
    (
      await api.request({
        method: 'PATCH',
        url: `/api/v1/actions/${action.id}`,
        headers: { 'if-match': '"9"' },
        payload: { title: 'x' },
      })
    ).status,
    412,
    'stale If-Match: 412',
  );
  t.equal(
    (await api.request({ method: 'DELETE', url: `/api/v1/actions/${action.id}`, headers: { 'if-match': '"9"' } }))
      .status,
    412,
  );
  const update = await api.request({
    method: 'POST',
    url: `/api/v1/actions/${action.id}/updates`,
    payload: { note: 'x', completedOn: '2024-02-01' },
  });
  t.equal(update.status, 422, 'completedOn without done');
  t.equal(
    (await api.request({ method: 'POST', url: `/api/v1/actions/${action.id}/updates`, payload: { note: '' } })).status,
    400,
    'an empty note: 400',
  );
  t.equal(
    (
      await api.request({
        method: 'POST',
        url: `/api/v1/actions/${action.id}/updates`,
        payload: { note: 'x', status: 'finished' },
      })
    ).status,
    400,
  );
  t.equal((await ok({ method: 'GET', url: `/api/v1/actions/${action.id}` })).version, 1, 'nothing changed');

  const missing = '0196f0a2-7c1e-7b3a-9d4e-2f1a3c5b7d9e';
  for (const [method, url] of [
    ['GET', `/api/v1/actions/${missing}`],
    ['PATCH', `/api/v1/actions/${missing}`],
    ['DELETE', `/api/v1/actions/${missing}`],
    ['GET', `/api/v1/actions/${missing}/updates`],
    ['POST', `/api/v1/actions/${missing}/updates`],
    ['GET', `/api/v1/initiatives/${missing}/actions`],
    ['POST', `/api/v1/initiatives/${missing}/actions`],
    ['GET', `/api/v1/indicators/${missing}/actions`],
  ] as const) {
    const res = await api.request({
      method,
      url,
      ...(method === 'POST' || method === 'PATCH' ? { payload: { title: 'x', note: 'x' } } : {}),
    });
    t.equal(res.status, 404, `${method} ${url.replace(missing, '<unknown>')}: 404`);
  }
  t.equal((await api.request({ method: 'GET', url: '/api/v1/actions/nope' })).status, 400, 'a malformed id: 400');
  t.equal(
    (await api.request({ method: 'GET', url: `/api/v1/initiatives/${w.initiative.id}/actions?cursor=bogus` })).status,
    400,
    'a bad cursor: 400',
  );

  // Deleting an initiative takes its actions along (cascade), leaving nothing behind.
  await ok({ method: 'DELETE', url: `/api/v1/initiatives/${w.initiative.id}?cascade=true` }, 204);
  const left = await api.db.selectFrom('actions').select('id').where('initiativeId', '=', w.initiative.id).execute();
  t.same(left, []);
  const leftUpdates = await api.db
    .selectFrom('actionUpdates')
    .select('id')
    .where('initiativeId', '=', w.initiative.id)
    .execute();
  t.same(leftUpdates, []);
});
