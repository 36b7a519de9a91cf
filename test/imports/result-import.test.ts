/**
 * The result-level import (`indicator` column: code or id) and who may import what: anonymous 401, viewers
 * 403, other initiatives 403/404, a contributor only into indicators its partner owns.
 */
import t from '../helpers/tap.ts';
import { sql } from 'kysely';
import { buildTestApp } from '../helpers/test-app.ts';
import { addIndicator, allPoints, postCsv, summarize } from './helpers.ts';

const api = await buildTestApp(t);

async function call(method: string, url: string, payload?: unknown) {
  const res = await api.request({
    method: method as 'POST',
    url: `/api/v1${url}`,
    ...(payload !== undefined && { payload: payload as object }),
  });
  if (res.status >= 300) throw new Error(`${method} ${url} → ${res.status} ${res.raw}`);
  return res.body;
}
const token = async (input: Record<string, unknown>) =>
  (await call('POST', '/tokens', { name: `t ${Math.random()}`, ...input })).secret as string;

/** An initiative with two partners, a result and three indicators (one owned by each partner, one by none). */
async function world(visibility: 'public' | 'private') {
  const initiative = await call('POST', '/initiatives', { name: `Import partnership ${Math.random()}` });
  const owner = await call('POST', `/initiatives/${initiative.id}/partners`, {
    name: 'Workforce board',
    sector: 'public',
  });
  const bystander = await call('POST', `/initiatives/${initiative.id}/partners`, { name: 'Library', sector: 'public' });
  const result = await call('POST', `/initiatives/${initiative.id}/results`, {
    statement: 'More residents work',
    visibility,
  });
  const unemp = await addIndicator(api, result.id, {
    code: 'UNEMP',
    ownerPartnerId: owner.id,
    dimensions: [{ name: 'sex', values: ['female', 'male'] }],
  });
  const jobs = await addIndicator(api, result.id, {
    code: 'JOBS',
    unit: 'count',
    polarity: 'higher_is_better',
    frequency: 'quarterly',
    ownerPartnerId: bystander.id,
  });
  const nocode = await addIndicator(api, result.id, { dimensions: [{ name: 'age', values: ['young', 'old'] }] });
  return {
    initiative,
    result,
    unemp,
    jobs,
    nocode,
    tokens: {
      editor: await token({ role: 'editor', initiativeId: initiative.id }),
      viewer: await token({ role: 'viewer', initiativeId: initiative.id }),
      contributor: await token({ role: 'contributor', initiativeId: initiative.id, partnerId: owner.id }),
      outsider: await token({
        role: 'contributor',
        initiativeId: initiative.id,
        partnerId: (
          await call('POST', `/initiatives/${initiative.id}/partners`, { name: 'Owns nothing', sector: 'other' })
        ).id,
      }),
    },
  };
}

const pub = await world('public');
const priv = await world('private');
const versions = async () =>
  (await sql<{ n: number }>`select count(*)::int as n from data_points`.execute(api.db)).rows[0]!.n;

t.test(
  'rows name their indicator by code or id; dimension columns serve the indicators that declare them',
  async (t) => {
    const csv = [
      'indicator,period,sex,age,value,note',
      'UNEMP,2020,,,8.7,',
      'unemp,2020,female,,9.1,codes match ignoring case',
      'JOBS,2020-Q1,,,1200,',
      `${pub.nocode.id},2020,,young,3,`,
    ].join('\n');
    const res = await postCsv(api, pub.result.id, csv, { level: 'result', as: pub.tokens.editor });
    t.equal(res.status, 200, res.raw);
    t.match(res.body, { inserted: 4, rows: 4 });
    t.same(summarize(await allPoints(api, pub.unemp.id)), [
      ['2020', '{"sex":"female"}', 9.1, 'codes match ignoring case', null, null],
      ['2020', '{}', 8.7, null, null, null],
    ]);
    t.same(summarize(await allPoints(api, pub.jobs.id)), [['2020-Q1', '{}', 1200, null, null, null]]);
    t.same(summarize(await allPoints(api, pub.nocode.id)), [['2020', '{"age":"young"}', 3, null, null, null]]);
    const record = await api.request({
      method: 'GET',
      url: `/api/v1/imports/${res.body.importId}`,
      as: pub.tokens.viewer,
    });
    t.match(record.body, { target: { kind: 'result', id: pub.result.id }, status: 'succeeded' });
  },
);

t.test('row errors of a result-level file', async (t) => {
  const before = await versions();
  const csv = [
    'indicator,period,sex,age,value',
    'UNEMP,2021,,old,1',
    'NOPE,2021,,,1',
    ',2021,,,1',
    'JOBS,2021,,,1',
    'UNEMP,2021,,,1',
    'unemp,2021,,,2',
  ].join('\n');
  const res = await postCsv(api, pub.result.id, csv, { level: 'result' });
  t.equal(res.status, 422);
  t.same(
    res.body.error.details.map((d: { path: string; code: string }) => [d.path, d.code]),
    [
      ['rows.2.age', 'undeclared_dimension'],
      ['rows.3.indicator', 'unknown_indicator'],
      ['rows.4.indicator', 'missing_indicator'],
      ['rows.5.period', 'period_frequency_mismatch'],
      ['rows.7', 'duplicate_row'],
    ],
  );
  t.equal(await versions(), before, 'nothing written');
  const missing = await postCsv(api, pub.result.id, 'period,value\n2020,1\n', { level: 'result' });
  t.equal(missing.status, 400);
  t.match(missing.body.error, { code: 'missing_columns', details: [{ path: 'header.indicator' }] });
});

t.test('access to the result-level import', async (t) => {
  const csv = 'indicator,period,value\nUNEMP,2022,7\n';
  const statuses = async (target: typeof pub) => ({
    anonymous: (await postCsv(api, target.result.id, csv, { level: 'result', as: null })).status,
    viewer: (await postCsv(api, target.result.id, csv, { level: 'result', as: target.tokens.viewer })).status,
    partnerOwningNothing: (await postCsv(api, target.result.id, csv, { level: 'result', as: target.tokens.outsider }))
      .status,
    otherEditor: (
      await postCsv(api, target.result.id, csv, { level: 'result', as: (target === pub ? priv : pub).tokens.editor })
    ).status,
    contributor: (
      await postCsv(api, target.result.id, csv, {
        level: 'result',
        as: target.tokens.contributor,
        query: 'dryRun=true',
      })
    ).status,
    editor: (
      await postCsv(api, target.result.id, csv, { level: 'result', as: target.tokens.editor, query: 'dryRun=true' })
    ).status,
  });
  t.same(await statuses(pub), {
    anonymous: 401,
    viewer: 403,
    partnerOwningNothing: 403,
    otherEditor: 403,
    contributor: 200,
    editor: 200,
  });
  t.same(await statuses(priv), {
    anonymous: 401,
    viewer: 403,
    partnerOwningNothing: 403,
    otherEditor: 404,
    contributor: 200,
    editor: 200,
  });
  const anonymous = await postCsv(api, pub.result.id, csv, { level: 'result', as: null });
  t.ok(anonymous.headers['www-authenticate']);
});

t.test('a contributor imports its own indicators only: other rows make the file a 403 naming them', async (t) => {
  const before = await versions();
  const csv = [
    'indicator,period,value',
    'UNEMP,2023,6.5',
    'JOBS,2023-Q1,1300',
    'JOBS,2023-Q2,1310',
    `${priv.nocode.id},2023,2`,
  ].join('\n');
  const res = await postCsv(api, priv.result.id, csv, { level: 'result', as: priv.tokens.contributor });
  t.equal(res.status, 403);
  t.equal(res.body.error.code, 'forbidden');
  t.match(res.body.error.message, new RegExp(`indicators JOBS, ${priv.nocode.id}`));
  t.same(
    res.body.error.details.map((d: { path: string; message: string }) => [d.path, d.message]),
    [
      ['indicator.JOBS', '2 rows (row 3, row 4) write JOBS, which your partner does not own'],
      [`indicator.${priv.nocode.id}`, `1 row (row 5) write ${priv.nocode.id}, which your partner does not own`],
    ],
  );
  t.equal(await versions(), before, 'nothing written');
  const own = await postCsv(api, priv.result.id, 'indicator,period,value\nUNEMP,2023,6.5\n', {
    level: 'result',
    as: priv.tokens.contributor,
  });
  t.equal(own.status, 200, own.raw);
  t.match(own.body, { inserted: 1 });
  const history = await api.request({ method: 'GET', url: `/api/v1/indicators/${priv.unemp.id}/data-points` });
  t.match(history.body.items[0], { updatedBy: /contributor|t 0\./ });
});

t.test('access to the indicator-level import and to import records', async (t) => {
  const csv = 'period,value\n2024,5\n';
  t.equal((await postCsv(api, priv.unemp.id, csv, { as: null })).status, 401);
  t.equal((await postCsv(api, priv.unemp.id, csv, { as: priv.tokens.viewer })).status, 403);
  t.equal(
    (await postCsv(api, priv.jobs.id, 'period,value\n2024-Q1,5\n', { as: priv.tokens.contributor })).status,
    403,
    "not its partner's indicator",
  );
  t.equal(
    (await postCsv(api, priv.unemp.id, csv, { as: pub.tokens.editor })).status,
    404,
    'private to another initiative',
  );
  const ok = await postCsv(api, priv.unemp.id, csv, { as: priv.tokens.contributor });
  t.equal(ok.status, 200, ok.raw);
  // A JSON body from someone who may not write learns nothing: access comes first.
  const json = await api.request({
    method: 'POST',
    url: `/api/v1/indicators/${priv.unemp.id}/data-points/import`,
    payload: { x: 1 },
    as: priv.tokens.viewer,
  });
  t.equal(json.status, 403);
  const record = `/api/v1/imports/${ok.body.importId}`;
  t.equal(
    (await api.request({ method: 'GET', url: record, as: priv.tokens.viewer })).status,
    200,
    'tokens of the initiative read it',
  );
  t.equal((await api.request({ method: 'GET', url: record, as: null })).status, 404);
  t.equal(
    (await api.request({ method: 'GET', url: record, as: pub.tokens.editor })).status,
    404,
    'other initiatives do not see it',
  );
});
