/**
 * The publication workflow through HTTP (docs/publication.md): every role's rights, four eyes, the states'
 * order, locked periods, what the public sees (published values only, as published, also asOf), reopening and
 * retracting, and an edited submitted period going back to draft.
 */
import t from '../helpers/tap.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';
import { postCsv } from '../imports/helpers.ts';

type Call = (method: string, url: string, payload?: unknown, as?: string | null) => ReturnType<TestApp['request']>;

async function setUp(t: Parameters<typeof buildTestApp>[0]) {
  const api = await buildTestApp(t);
  const call: Call = (method, url, payload, as) =>
    api.request({
      method: method as 'GET',
      url: `/api/v1${url}`,
      ...(payload !== undefined && { payload: payload as object }),
      ...(as !== undefined && { as }),
    });
  const initiative = (
    await call('POST', '/initiatives', {
      name: 'Publishing partnership',
      publication: { required: true, fourEyes: true },
    })
  ).body;
  const owner = (await call('POST', `/initiatives/${initiative.id}/partners`, { name: 'Owner', sector: 'nonprofit' }))
    .body;
  const other = (await call('POST', `/initiatives/${initiative.id}/partners`, { name: 'Other', sector: 'public' }))
    .body;
  const result = (
    await call('POST', `/initiatives/${initiative.id}/results`, { statement: 'Residents thrive', visibility: 'public' })
  ).body;
  const indicator = (
    await call('POST', `/results/${result.id}/indicators`, {
      name: 'Adults in work',
      unit: 'percent',
      polarity: 'higher_is_better',
      frequency: 'annual',
      ownerPartnerId: owner.id,
    })
  ).body;
  const token = async (name: string, role: string, partnerId?: string) => {
    const res = await call('POST', '/tokens', {
      name,
      role,
      initiativeId: initiative.id,
      ...(partnerId && { partnerId }),
    });
    if (res.status !== 201) throw new Error(res.raw);
    return res.body.secret as string;
  };
  const as = {
    editor: await token('Editor Ana', 'editor'),
    secondEditor: await token('Editor Ben', 'editor'),
    contributor: await token('Owner data team', 'contributor', owner.id),
    otherContributor: await token('Other data team', 'contributor', other.id),
    viewer: await token('Board viewer', 'viewer'),
  };
  return { api, call, initiative, result, indicator, as };
}

const publication = (call: Call, indicatorId: string, body: object, as?: string | null) =>
  call('POST', `/indicators/${indicatorId}/publication`, body, as);

t.test('the workflow, role by role, and what the public sees', async (t) => {
  const { api, call, indicator, result, as } = await setUp(t);
  const id = indicator.id;
  const put = (points: unknown[], who = as.contributor) =>
    call('PUT', `/indicators/${id}/data-points`, { points }, who);
  t.equal(
    (
      await put([
        { period: '2020', value: 61.25 },
        { period: '2021', value: 62.5 },
        { period: '2022', value: 63.75 },
        { period: '2023', value: 98.765 },
      ])
    ).status,
    200,
  );
  const publicValues = async (query = '') =>
    (await call('GET', `/indicators/${id}/data-points?slice=all${query}`, undefined, null)).body.items.map(
      (p: { period: string; value: number }) => [p.period, p.value],
    );

  t.same(await publicValues(), [], 'nothing is published: the public sees no value');
  t.equal(
    (await call('GET', `/indicators/${id}/data-points`, undefined, as.viewer)).body.items.length,
    4,
    'members see drafts',
  );

  t.test('who may do what', async (t) => {
    const refused = [
      ['anonymous submits', 'submit', null, 401],
      ['a viewer submits', 'submit', as.viewer, 403],
      ["another partner's contributor submits", 'submit', as.otherContributor, 403],
    ] as const;
    for (const [what, action, who, status] of refused)
      t.equal((await publication(call, id, { periods: ['2020'], action }, who)).status, status, what);
    const submitted = await publication(call, id, { periods: ['2020', '2021'], action: 'submit' }, as.contributor);
    t.equal(submitted.status, 200);
    t.same(
      submitted.body.items.map((i: { period: string; state: string; submittedBy: string }) => [
        i.period,
        i.state,
        i.submittedBy,
      ]),
      [
        ['2020', 'submitted', 'Owner data team'],
        ['2021', 'submitted', 'Owner data team'],
      ],
    );
    const contributorApproves = await publication(call, id, { periods: ['2020'], action: 'approve' }, as.contributor);
    t.equal(contributorApproves.status, 403, 'contributors do not approve');
    t.equal(
      (await publication(call, id, { periods: ['2020'], action: 'publish' }, as.editor)).status,
      409,
      'not approved yet',
    );
    t.equal((await publication(call, id, { periods: ['2020', '2021'], action: 'approve' }, as.editor)).status, 200);
  });

  t.test('four eyes: whoever submitted may not approve', async (t) => {
    t.equal((await publication(call, id, { periods: ['2022'], action: 'submit' }, as.editor)).status, 200);
    const own = await publication(call, id, { periods: ['2022'], action: 'approve' }, as.editor);
    t.equal(own.status, 403);
    t.equal(own.body.error.details[0].code, 'four_eyes');
    t.equal((await publication(call, id, { periods: ['2022'], action: 'approve' }, as.secondEditor)).status, 200);
  });

  t.test('approved periods are locked', async (t) => {
    const locked = await put([{ period: '2020', value: 70 }]);
    t.equal(locked.status, 409);
    t.equal(locked.body.error.code, 'period_locked');
    t.equal(locked.body.error.details[0].path, 'body.points.0');
    const points = (await call('GET', `/indicators/${id}/data-points`, undefined, as.viewer)).body.items;
    t.equal(points[0].value, 61.25, 'nothing was written');
    const deleted = await call('DELETE', `/data-points/${points[0].id}`, undefined, as.editor);
    t.equal(deleted.status, 409, 'nor deleted');
    const dryRun = await postCsv(api, id, 'period,value\n2020,70\n2023,98.6\n', {
      query: 'dryRun=true',
      as: as.editor,
    });
    t.equal(dryRun.status, 200);
    t.match(
      dryRun.body.errors,
      [{ row: 2, code: 'period_locked' }],
      'a dry run lists the locked row (line 2 of the file)',
    );
    const imported = await postCsv(api, id, 'period,value\n2020,70\n', { as: as.editor });
    t.equal(imported.status, 409, 'an import into a locked period is refused');
    t.equal(imported.body.error.code, 'period_locked');
    t.equal((await put([{ period: '2023', value: 98.5 }])).status, 200, 'a draft period stays open');
  });

  t.test('publishing shows the published periods, and only them, to the public', async (t) => {
    t.equal((await publication(call, id, { periods: ['2020', '2021'], action: 'publish' }, as.editor)).status, 200);
    t.same(await publicValues(), [
      ['2020', 61.25],
      ['2021', 62.5],
    ]);
    const members = (await call('GET', `/indicators/${id}/data-points`, undefined, as.viewer)).body.items;
    t.same(
      members.map((p: { period: string; publicationState: string }) => [p.period, p.publicationState]),
      [
        ['2020', 'published'],
        ['2021', 'published'],
        ['2022', 'approved'],
        ['2023', 'draft'],
      ],
      'members see each period’s state',
    );
    const anonymous = (await call('GET', `/indicators/${id}/data-points`, undefined, null)).body.items;
    t.notOk('publicationState' in anonymous[0], 'the public is not told about states');
    const analysis = (await call('GET', `/indicators/${id}/analysis`, undefined, null)).body;
    t.equal(analysis.total.pointCount, 2, 'the public analysis reads the published values only');
    const csv = (await call('GET', `/indicators/${id}/data.csv`, undefined, null)).raw;
    t.notMatch(csv, /2022|2023/, 'the public CSV holds no unpublished period');
    const scorecard = (await call('GET', `/results/${result.id}/scorecard`, undefined, null)).raw;
    t.notMatch(scorecard, /63\.75|98\.5/);
  });

  t.test('reopening keeps the public on the published values until published again', async (t) => {
    t.equal(
      (await publication(call, id, { periods: ['2020'], action: 'reopen' }, as.editor)).status,
      422,
      'a reason is required',
    );
    const beforeReopen = new Date().toISOString();
    const reopened = await publication(
      call,
      id,
      { periods: ['2020'], action: 'reopen', reason: 'Revised by the source' },
      as.editor,
    );
    t.equal(reopened.status, 200);
    t.equal(reopened.body.items[0].state, 'draft');
    t.ok(reopened.body.items[0].publishedAt, 'still published as it was');
    t.equal((await put([{ period: '2020', value: 60 }])).status, 200, 'a reopened period can change');
    t.same((await publicValues())[0], ['2020', 61.25], 'the public still sees the published value');
    await publication(call, id, { periods: ['2020'], action: 'submit' }, as.contributor);
    await publication(call, id, { periods: ['2020'], action: 'approve' }, as.editor);
    await publication(call, id, { periods: ['2020'], action: 'publish' }, as.editor);
    t.same((await publicValues())[0], ['2020', 60], 'published again: the new value');
    t.same((await publicValues(`&asOf=${beforeReopen}`))[0], ['2020', 61.25], 'asOf: what was published then');
  });

  t.test('retracting withdraws a period from the public', async (t) => {
    t.equal((await publication(call, id, { periods: ['2021'], action: 'retract' }, as.editor)).status, 422);
    const retracted = await publication(
      call,
      id,
      { periods: ['2021'], action: 'retract', reason: 'Wrong source' },
      as.editor,
    );
    t.equal(retracted.body.items[0].state, 'retracted');
    t.same(await publicValues(), [['2020', 60]]);
  });

  t.test('an edit of a submitted period sends it back to draft, recorded', async (t) => {
    await publication(call, id, { periods: ['2023'], action: 'submit' }, as.contributor);
    t.equal((await put([{ period: '2023', value: 97 }])).status, 200);
    const list = await call('GET', `/indicators/${id}/publication`, undefined, as.viewer);
    t.equal(list.status, 200);
    const p2023 = list.body.items.find((i: { period: string }) => i.period === '2023');
    t.equal(p2023.state, 'draft');
    const history = (await call('GET', `/indicators/${id}/publication/history`, undefined, as.viewer)).body;
    t.match(history.items[0], {
      period: '2023',
      action: 'edit',
      from: 'submitted',
      to: 'draft',
      by: 'Owner data team',
    });
    t.ok(
      history.items.some(
        (tr: { action: string; reason: string }) => tr.action === 'retract' && tr.reason === 'Wrong source',
      ),
      'every transition is kept with its reason',
    );
    t.equal((await call('GET', `/indicators/${id}/publication`, undefined, null)).status, 401, 'members only');
  });

  t.test('bad requests', async (t) => {
    const bad = [
      [{ periods: ['2020-Q1'], action: 'submit' }, 422],
      [{ periods: [], action: 'submit' }, 400],
      [{ periods: ['2020'], action: 'promote' }, 400],
      [{ periods: ['1999'], action: 'submit' }, 422],
    ] as const;
    for (const [body, status] of bad)
      t.equal((await publication(call, id, body, as.editor)).status, status, JSON.stringify(body));
  });
});

t.test('without publication.required, saved values are public at once (as before)', async (t) => {
  const { call, initiative, indicator, as } = await setUp(t);
  await call(
    'PATCH',
    `/initiatives/${initiative.id}`,
    { publication: { required: false, fourEyes: false } },
    as.editor,
  );
  await call('PUT', `/indicators/${indicator.id}/data-points`, { points: [{ period: '2020', value: 5 }] }, as.editor);
  const items = (await call('GET', `/indicators/${indicator.id}/data-points`, undefined, null)).body.items;
  t.equal(items.length, 1);
  t.equal(items[0].confStatus, 'F');
});
