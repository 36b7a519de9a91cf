/**
 * Turn-the-curve reports through the API: structured fields, every edit kept (history, asOf), the report in
 * the analysis response, who may write it, and every way a request can fail.
 */
import t from '../helpers/tap.ts';
import { buildTestApp, createFixture, databaseNow, type TestApp } from '../helpers/test-app.ts';

const api = await buildTestApp(t);
const pause = () => new Promise((resolve) => setTimeout(resolve, 15));

async function ok(options: Parameters<TestApp['request']>[0], status = 200) {
  const res = await api.request(options);
  if (res.status !== status)
    throw new Error(`${options.method} ${JSON.stringify(options.url)} → ${res.status}: ${res.raw}`);
  return res.body;
}

/** A public indicator owned by one partner, another partner, and tokens of every kind. */
async function world() {
  const { initiative, result, indicator } = await createFixture(api, {
    baselinePeriod: '2019',
    target: { period: '2025', value: 5 },
  });
  await ok({ method: 'PATCH', url: `/api/v1/results/${result.id}`, payload: { visibility: 'public' } });
  const owner = await ok(
    {
      method: 'POST',
      url: `/api/v1/initiatives/${initiative.id}/partners`,
      payload: { name: 'Workforce Office', sector: 'public' },
    },
    201,
  );
  const bystander = await ok(
    {
      method: 'POST',
      url: `/api/v1/initiatives/${initiative.id}/partners`,
      payload: { name: 'Foundation', sector: 'philanthropy' },
    },
    201,
  );
  await ok({ method: 'PATCH', url: `/api/v1/indicators/${indicator.id}`, payload: { ownerPartnerId: owner.id } });
  const token = async (payload: object) =>
    (await ok({ method: 'POST', url: '/api/v1/tokens', payload }, 201)).secret as string;
  return {
    initiative,
    result,
    indicator,
    owner,
    bystander,
    editor: await token({ name: 'Ana (editor)', role: 'editor', initiativeId: initiative.id }),
    viewer: await token({ name: 'Viewer', role: 'viewer', initiativeId: initiative.id }),
    contributor: await token({
      name: 'Workforce data team',
      role: 'contributor',
      initiativeId: initiative.id,
      partnerId: owner.id,
    }),
    outsider: await token({
      name: 'Foundation team',
      role: 'contributor',
      initiativeId: initiative.id,
      partnerId: bystander.id,
    }),
  };
}

const REPORT = (ownerId: string) => ({
  story: 'The rate doubled in the recession; construction and manufacturing lost the most jobs.',
  forces: [
    { description: 'Construction employment collapsed', direction: 'hindering' },
    { description: 'Health care kept hiring', direction: 'helping' },
  ],
  partners: [
    { partnerId: ownerId, role: 'Refers displaced workers to training' },
    { name: 'State unemployment insurance agency', role: 'Approves work-sharing plans' },
  ],
  whatWorks: [
    {
      idea: 'Sector-focused training designed with employers',
      evidence: 'P/PV Sectoral Employment Impact Study (2010)',
      cost: 'higher_cost',
    },
    { idea: 'Employers post openings with the job centers first', cost: 'no_cost' },
  ],
  actionPlan: 'A hiring pledge within 90 days; a pre-apprenticeship within a year.',
});

t.test('a report is written, edited and read back; every edit is kept', async (t) => {
  const w = await world();
  const url = `/api/v1/indicators/${w.indicator.id}/curve-report`;

  const empty = await ok({ method: 'GET', url, as: null });
  t.same(
    empty,
    {
      indicatorId: w.indicator.id,
      initiativeId: w.initiative.id,
      version: 0,
      story: null,
      forces: [],
      partners: [],
      whatWorks: [],
      actionPlan: null,
      updatedAt: null,
      updatedBy: null,
    },
    'nothing written yet: version 0',
  );

  const v1 = await ok({
    method: 'PUT',
    url,
    headers: { 'if-match': '"0"' },
    payload: REPORT(w.owner.id),
    as: w.editor,
  });
  t.equal(v1.version, 1);
  t.equal(v1.updatedBy, 'Ana (editor)');
  t.same(
    v1.partners,
    [
      { partnerId: w.owner.id, name: 'Workforce Office', role: 'Refers displaced workers to training' },
      { partnerId: null, name: 'State unemployment insurance agency', role: 'Approves work-sharing plans' },
    ],
    'a partner named by id is recorded with its name',
  );
  t.same(v1.whatWorks[1], {
    idea: 'Employers post openings with the job centers first',
    evidence: null,
    cost: 'no_cost',
  });
  const afterV1 = await databaseNow(api.db);
  await pause();

  const same = await ok({ method: 'PUT', url, payload: REPORT(w.owner.id) });
  t.equal(same.version, 1, 're-sending the same report records nothing');

  const v2 = await ok({
    method: 'PATCH',
    url,
    headers: { 'if-match': '"1"' },
    payload: { actionPlan: 'Pledge first, then the pre-apprenticeship.' },
    as: w.contributor,
  });
  t.equal(v2.version, 2);
  t.equal(v2.story, v1.story, 'PATCH keeps the fields it does not name');
  t.same(v2.forces, v1.forces);
  t.equal(v2.updatedBy, 'Workforce data team', "the owner partner's contributor may write the report");
  await pause();

  const v3 = await ok({ method: 'PUT', url, payload: { story: 'Rewritten story.', actionPlan: '  ' } });
  t.equal(v3.version, 3);
  t.same(
    [v3.forces, v3.partners, v3.whatWorks, v3.actionPlan],
    [[], [], [], null],
    'PUT replaces: omitted fields are emptied, blank text is null',
  );

  const read = await ok({ method: 'GET', url, as: null });
  t.same(read, v3);
  const asOf = await ok({ method: 'GET', url: `${url}?asOf=${afterV1}`, as: null });
  t.equal(asOf.version, 1, 'as it stood then');
  t.equal(asOf.story, v1.story);
  const before = await ok({ method: 'GET', url: `${url}?asOf=2000-01-01T00:00:00Z`, as: null });
  t.equal(before.version, 0);

  const analysis = await ok({ method: 'GET', url: `/api/v1/indicators/${w.indicator.id}/analysis`, as: null });
  t.same(analysis.curveReport, v3, 'the analysis carries the report');
  t.same(analysis.actions, []);
  const pastAnalysis = await ok({
    method: 'GET',
    url: `/api/v1/indicators/${w.indicator.id}/analysis?asOf=${afterV1}`,
    as: null,
  });
  t.equal(pastAnalysis.curveReport.version, 1, 'and the report as of asOf');
  const ancient = await ok({
    method: 'GET',
    url: `/api/v1/indicators/${w.indicator.id}/analysis?asOf=2000-01-01T00:00:00Z`,
    as: null,
  });
  t.equal(ancient.curveReport, null);

  await ok({ method: 'DELETE', url, headers: { 'if-match': '"3"' }, as: w.editor }, 204);
  t.equal((await ok({ method: 'GET', url })).version, 0, 'removed: reads as none');
  const v4 = await ok({ method: 'PUT', url, headers: { 'if-match': '"0"' }, payload: { story: 'Back again.' } });
  t.equal(v4.version, 4, 'versions keep counting after a delete');

  const history = await ok({ method: 'GET', url: `${url}/history`, as: w.viewer });
  t.equal(history.deleted, false);
  t.same(
    history.revisions.map(
      (r: { action: string; version: number; by: string; how: string; changedFields: string[] }) => [
        r.action,
        r.version,
        r.by,
        r.how,
        r.changedFields,
      ],
    ),
    [
      ['insert', 1, 'Ana (editor)', 'api', ['story', 'forces', 'partners', 'whatWorks', 'actionPlan']],
      ['update', 2, 'Workforce data team', 'api', ['actionPlan']],
      ['update', 3, 'admin (RBA_ADMIN_TOKEN)', 'api', ['story', 'forces', 'partners', 'whatWorks', 'actionPlan']],
      ['delete', 3, 'Ana (editor)', 'api', ['story', 'forces', 'partners', 'whatWorks', 'actionPlan']],
      ['insert', 4, 'admin (RBA_ADMIN_TOKEN)', 'api', ['story']],
    ],
  );
  t.equal(history.revisions[1].report.actionPlan, 'Pledge first, then the pre-apprenticeship.');
  t.equal(history.revisions[3].report, null);
  const anonymous = await ok({ method: 'GET', url: `${url}/history`, as: null });
  t.same(
    anonymous.revisions.map((r: { by: string }) => r.by),
    ['hidden', 'hidden', 'hidden', 'hidden', 'hidden'],
    'token names are for members of the initiative',
  );
  t.same(
    anonymous.revisions.map((r: { version: number }) => r.version),
    history.revisions.map((r: { version: number }) => r.version),
  );
});

t.test('who may read and write a report', async (t) => {
  const w = await world();
  const url = `/api/v1/indicators/${w.indicator.id}/curve-report`;
  const put = (as: string | null) => api.request({ method: 'PUT', url, payload: { story: 'x' }, as });
  t.equal((await put(null)).status, 401, 'anonymous: 401');
  t.match((await put(null)).headers['www-authenticate'], /Bearer/);
  t.equal((await put(w.viewer)).status, 403, 'viewer: 403');
  t.equal((await put(w.outsider)).status, 403, 'a contributor of a partner that does not own the indicator: 403');
  t.equal((await put(w.contributor)).status, 200, "the owner partner's contributor: allowed");
  t.equal((await put(w.editor)).status, 200, 'editor: allowed');
  t.equal((await api.request({ method: 'DELETE', url, as: w.viewer })).status, 403);

  // A private indicator: hidden from anonymous callers and other initiatives (404), visible to its own.
  await ok({ method: 'PATCH', url: `/api/v1/indicators/${w.indicator.id}`, payload: { visibility: 'private' } });
  const other = await createFixture(api);
  const otherEditor = (
    await ok(
      {
        method: 'POST',
        url: '/api/v1/tokens',
        payload: { name: 'Other editor', role: 'editor', initiativeId: other.initiative.id },
      },
      201,
    )
  ).secret;
  t.equal((await api.request({ method: 'GET', url, as: null })).status, 404, 'private: 404 anonymously');
  t.equal((await api.request({ method: 'GET', url: `${url}/history`, as: null })).status, 404);
  t.equal(
    (await api.request({ method: 'GET', url, as: otherEditor })).status,
    404,
    'private: 404 to another initiative',
  );
  t.equal((await api.request({ method: 'PUT', url, payload: { story: 'y' }, as: otherEditor })).status, 404);
  t.equal((await api.request({ method: 'GET', url, as: w.viewer })).status, 200, 'its own viewer sees it');
  const analysis = await api.request({ method: 'GET', url: `/api/v1/indicators/${w.indicator.id}/analysis`, as: null });
  t.equal(analysis.status, 404, 'nor does the analysis reveal it');
});

t.test('malformed, conflicting and impossible reports', async (t) => {
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
  const url = `/api/v1/indicators/${w.indicator.id}/curve-report`;
  const send = (payload: unknown, headers: Record<string, string> = {}, method: 'PUT' | 'PATCH' = 'PUT') =>
    api.request({ method, url, payload: payload as object, headers });

  const bad: Array<[string, unknown, RegExp]> = [
    ['unknown field', { story: 'x', mood: 'sad' }, /mood/],
    ['force without a direction', { forces: [{ description: 'x' }] }, /body\.forces\.0\.direction/],
    [
      'force direction not in the list',
      { forces: [{ description: 'x', direction: 'up' }] },
      /body\.forces\.0\.direction/,
    ],
    ['partner with neither id nor name', { partners: [{ role: 'help' }] }, /body\.partners\.0\.name/],
    ['partner without a role', { partners: [{ name: 'X', role: '' }] }, /body\.partners\.0\.role/],
    ['unknown cost', { whatWorks: [{ idea: 'x', cost: 'free' }] }, /body\.whatWorks\.0\.cost/],
    ['story too long', { story: 'x'.repeat(10_001) }, /body\.story/],
    ['not a uuid', { partners: [{ partnerId: 'nope', role: 'r' }] }, /body\.partners\.0\.partnerId/],
  ];
  for (const [what, payload, path] of bad) {
    const res = await send(payload);
    t.equal(res.status, 400, `${what}: 400`);
    t.match(JSON.stringify(res.body.error.details), path, `${what}: names the field`);
  }
  t.equal(
    (await api.request({ method: 'GET', url: '/api/v1/indicators/not-a-uuid/curve-report' })).status,
    400,
    'a malformed id: 400',
  );
  const text = await api.request({ method: 'PUT', url, payload: 'story', headers: { 'content-type': 'text/plain' } });
  t.equal(text.status, 415, 'not JSON: 415');

  const foreign = await send({ partners: [{ partnerId: stranger.id, role: 'r' }] });
  t.equal(foreign.status, 422, 'a partner of another initiative: 422');
  t.equal(foreign.body.error.code, 'partner_not_in_initiative');
  t.same(foreign.body.error.details[0], {
    path: 'body.partners.0.partnerId',
    code: 'partner_not_in_initiative',
    message: 'is not a partner of this initiative',
  });

  const missing = '0196f0a2-7c1e-7b3a-9d4e-2f1a3c5b7d9e';
  t.equal(
    (await api.request({ method: 'GET', url: `/api/v1/indicators/${missing}/curve-report` })).status,
    404,
    'unknown indicator: 404',
  );
  t.equal(
    (await api.request({ method: 'GET', url: `/api/v1/indicators/${missing}/curve-report/history` })).status,
    404,
  );
  t.equal(
    (await api.request({ method: 'PUT', url: `/api/v1/indicators/${missing}/curve-report`, payload: { story: 'x' } }))
      .status,
    404,
  );
  const nothing = await api.request({ method: 'DELETE', url });
  t.equal(nothing.status, 404, 'deleting a report that does not exist: 404');

  t.equal((await send({ story: 'v1' }, { 'if-match': '"0"' })).status, 200);
  const stale = await send({ story: 'v2' }, { 'if-match': '"0"' });
  t.equal(stale.status, 412, 'a stale If-Match: 412');
  t.match(stale.body.error.message, /current version is 1/);
  t.equal((await send({ story: 'v2' }, { 'if-match': '"7"' }, 'PATCH')).status, 412);
  t.equal((await api.request({ method: 'DELETE', url, headers: { 'if-match': '"0"' } })).status, 412);
  t.equal((await ok({ method: 'GET', url })).story, 'v1', 'nothing changed');

  // Deleting the indicator asks for cascade, counting the report; the report goes with it.
  const refused = await api.request({ method: 'DELETE', url: `/api/v1/indicators/${w.indicator.id}` });
  t.equal(refused.status, 409);
  t.equal(refused.body.error.code, 'has_dependents');
  t.match(refused.body.error.message, /1 turn-the-curve report/);
  t.equal(
    (await api.request({ method: 'DELETE', url: `/api/v1/indicators/${w.indicator.id}?cascade=true` })).status,
    204,
  );
  t.equal((await api.request({ method: 'GET', url })).status, 404);
  const left = await api.db
    .selectFrom('curveReports')
    .select('version')
    .where('indicatorId', '=', w.indicator.id)
    .execute();
  t.same(left, [], 'no report version is orphaned');
});

t.test('a removed partner stays named in the report and its history', async (t) => {
  const w = await world();
  const url = `/api/v1/indicators/${w.indicator.id}/curve-report`;
  await ok({ method: 'PUT', url, payload: { partners: [{ partnerId: w.bystander.id, role: 'Funds the backbone' }] } });
  await ok({ method: 'DELETE', url: `/api/v1/partners/${w.bystander.id}` }, 204);
  const report = await ok({ method: 'GET', url });
  t.same(report.partners, [{ partnerId: w.bystander.id, name: 'Foundation', role: 'Funds the backbone' }]);
});
