/**
 * The self-assessment and the field summary through the API, on partnerships built to read as specific,
 * general and unsure; each caller sees only what it may.
 */
import t from '../helpers/tap.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

const api = await buildTestApp(t);

async function ok(options: Parameters<TestApp['request']>[0], status = 200) {
  const res = await api.request(options);
  if (res.status !== status)
    throw new Error(`${options.method} ${JSON.stringify(options.url)} → ${res.status}: ${res.raw}`);
  return res.body;
}

type Profile = { formality?: string; stage?: string; workLevel?: string };

/**
 * A partnership whose result reads as asked: `specific` (a headline indicator that passes every SMART
 * criterion: defined, base point 2020 at 8.0, target 7.5 in 2025 — a 1.3 % yearly improvement where the
 * history shows 4.4 % — inside the 2020–2030 time frame), `general` (the same without a target), or `unsure`
 * (its only indicator hangs under an outcome: no headline indicator).
 */
async function partnership(
  name: string,
  profile: Profile,
  reading: 'specific' | 'general' | 'unsure',
  visibility: 'public' | 'private' = 'public',
) {
  const initiative = await ok({ method: 'POST', url: '/api/v1/initiatives', payload: { name, ...profile } }, 201);
  const result = await ok(
    {
      method: 'POST',
      url: `/api/v1/initiatives/${initiative.id}/results`,
      payload: {
        statement: `${name}: fewer residents are unemployed`,
        population: 'Working-age residents',
        geography: 'Detroit',
        timeFrame: { start: 2020, end: 2030 },
        visibility,
      },
    },
    201,
  );
  const outcome =
    reading === 'unsure'
      ? await ok({ method: 'POST', url: `/api/v1/results/${result.id}/outcomes`, payload: { title: 'Skills' } }, 201)
      : null;
  const indicator = await ok(
    {
      method: 'POST',
      url: `/api/v1/results/${result.id}/indicators`,
      payload: {
        name: 'Unemployment rate',
        unit: 'percent',
        polarity: 'lower_is_better',
        frequency: 'annual',
        definition: 'Unemployed residents as a share of the labour force',
        baselinePeriod: '2020',
        reportingLag: { amount: 6, unit: 'months' },
        ...(reading === 'general' ? {} : { target: { period: '2025', value: 7.5 } }),
        ...(outcome ? { outcomeId: outcome.id } : {}),
      },
    },
    201,
  );
  await ok({
    method: 'PUT',
    url: `/api/v1/indicators/${indicator.id}/data-points`,
    payload: { points: [10, 9.5, 9, 8.5, 8.2, 8].map((value, i) => ({ period: String(2015 + i), value })) },
  });
  return { initiative, result, indicator };
}

const formalSpecific = await partnership(
  'Formal specific',
  { formality: 'formal', stage: 'performing', workLevel: 'both' },
  'specific',
);
const informalGeneral = await partnership(
  'Informal general',
  { formality: 'informal', stage: 'storming', workLevel: 'programs' },
  'general',
);
const informalUnsure = await partnership(
  'Informal unsure',
  { formality: 'informal', stage: 'forming', workLevel: 'programs' },
  'unsure',
);
const hiddenFormal = await partnership(
  'Hidden formal',
  { formality: 'formal', stage: 'norming', workLevel: 'systems' },
  'unsure',
  'private',
);
const token = async (initiativeId: string) =>
  (await ok({ method: 'POST', url: '/api/v1/tokens', payload: { name: 'Viewer', role: 'viewer', initiativeId } }, 201))
    .secret as string;
const hiddenViewer = await token(hiddenFormal.initiative.id);
const specificViewer = await token(formalSpecific.initiative.id);

t.test('the SMART reading behind each partnership', async (t) => {
  for (const [p, reading] of [
    [formalSpecific, 'specific'],
    [informalGeneral, 'general'],
    [informalUnsure, 'unsure'],
  ] as const) {
    const smart = await ok({ method: 'GET', url: `/api/v1/results/${p.result.id}/smart`, as: null });
    t.equal(smart.reading, reading, `${p.initiative.name}: ${reading}`);
  }
});

t.test('the self-assessment reads the profile with the data', async (t) => {
  const unsure = await ok({
    method: 'GET',
    url: `/api/v1/initiatives/${informalUnsure.initiative.id}/assessment`,
    as: null,
  });
  t.same(unsure.profile, { formality: 'informal', stage: 'forming', workLevel: 'programs' });
  t.equal(unsure.readings.sharedResult.reading, 'unsure');
  const concern = unsure.feedback.find((f: { code: string }) => f.code === 'unsure_and_informal');
  t.equal(concern.level, 'concern');
  t.match(concern.message, /tend to be informal/);
  t.same(concern.reasons.at(-1), 'The partnership describes itself as informal.');
  t.match(concern.reasons[0], /has no headline indicator/);
  t.equal(unsure.feedback[0].code, 'unsure_and_informal', 'the most basic concern first');
  t.match(
    unsure.summary,
    /^Informal unsure describes itself as an informal partnership, in its forming stage, working on programs only\. Its shared result reads as unsure\./,
  );
  t.equal(unsure.indicators.length, 1);
  t.match(unsure.indicators[0], {
    level: 'population',
    owner: null,
    hasTarget: true,
    hasCurveReport: false,
    freshness: { status: 'overdue', latestPeriod: '2020' },
  });
  t.match(unsure.assessedAt, /^\d{4}-/);

  const specific = await ok({
    method: 'GET',
    url: `/api/v1/initiatives/${formalSpecific.initiative.id}/assessment`,
    as: null,
  });
  const codes = specific.feedback.map((f: { code: string }) => f.code);
  t.ok(codes.includes('specific_result'));
  t.ok(codes.includes('programs_and_systems'), "specific and both: the research's pattern, as a strength");
  t.ok(codes.includes('no_action_plan'));
  t.ok(codes.includes('data_overdue'), 'data stop in 2020');
  t.ok(codes.includes('indicators_without_owner'));

  const general = await ok({
    method: 'GET',
    url: `/api/v1/initiatives/${informalGeneral.initiative.id}/assessment`,
    as: null,
  });
  const item = general.feedback.find((f: { code: string }) => f.code === 'general_and_informal');
  t.match(item.message, /Formal partnerships are more likely to have a specific shared result/);
  t.ok(
    item.reasons.some((r: string) => /Time-bound \(fail\)|time-bound \(fail\)/.test(r)),
    'the missing target is among the reasons',
  );
  t.ok(general.feedback.some((f: { code: string }) => f.code === 'programs_only'));
});

t.test('the assessment uses only what the caller may see', async (t) => {
  t.equal(
    (
      await api.request({
        method: 'GET',
        url: `/api/v1/initiatives/${hiddenFormal.initiative.id}/assessment`,
        as: null,
      })
    ).status,
    404,
    'private: 404',
  );
  t.equal(
    (
      await api.request({
        method: 'GET',
        url: `/api/v1/initiatives/${hiddenFormal.initiative.id}/assessment`,
        as: specificViewer,
      })
    ).status,
    404,
  );
  const own = await ok({
    method: 'GET',
    url: `/api/v1/initiatives/${hiddenFormal.initiative.id}/assessment`,
    as: hiddenViewer,
  });
  t.equal(own.readings.indicators.total, 1, 'its own viewer sees it');

  // A private result and a private indicator next to public ones.
  await ok(
    {
      method: 'POST',
      url: `/api/v1/initiatives/${formalSpecific.initiative.id}/results`,
      payload: { statement: 'A private second result', visibility: 'private' },
    },
    201,
  );
  await ok(
    {
      method: 'POST',
      url: `/api/v1/results/${formalSpecific.result.id}/indicators`,
      payload: {
        name: 'Private measure',
        unit: 'count',
        polarity: 'higher_is_better',
        frequency: 'annual',
        visibility: 'private',
      },
    },
    201,
  );
  const outside = await ok({
    method: 'GET',
    url: `/api/v1/initiatives/${formalSpecific.initiative.id}/assessment`,
    as: null,
  });
  const inside = await ok({
    method: 'GET',
    url: `/api/v1/initiatives/${formalSpecific.initiative.id}/assessment`,
    as: specificViewer,
  });
  t.same(
    [outside.readings.sharedResult.results.length, outside.readings.indicators.total],
    [1, 1],
    'anonymous: the public result and indicator',
  );
  t.same(
    [inside.readings.sharedResult.results.length, inside.readings.indicators.total],
    [2, 2],
    'its viewer: everything',
  );

  const missing = '0196f0a2-7c1e-7b3a-9d4e-2f1a3c5b7d9e';
  t.equal((await api.request({ method: 'GET', url: `/api/v1/initiatives/${missing}/assessment` })).status, 404);
  t.equal((await api.request({ method: 'GET', url: '/api/v1/initiatives/nope/assessment' })).status, 400);
});

t.test('the field: counts, cross-tabs and the research tested, for what each caller may see', async (t) => {
  const anonymous = await ok({ method: 'GET', url: '/api/v1/field', as: null });
  t.equal(anonymous.partnershipCount, 3, 'anonymous: the public partnerships');
  t.same(anonymous.readings, { specific: 1, general: 1, unsure: 1 });
  t.same(anonymous.profiles.formality, { formal: 1, informal: 2, unknown: 0 });
  t.same(anonymous.crossTabs.readingByFormality.unsure, { formal: 0, informal: 1, unknown: 0 });
  const unsure = anonymous.findings.find((f: { code: string }) => f.code === 'unsure_tend_to_be_informal');
  t.same(
    [unsure.share.numerator, unsure.share.denominator, unsure.share.share],
    [1, 1, 1],
    'the share of informal partnerships among those unsure of their result',
  );
  t.same([unsure.comparison.numerator, unsure.comparison.denominator], [1, 2]);
  t.equal(unsure.pattern, 'holds');
  t.match(unsure.caution, /very few/);
  const formal = anonymous.findings.find((f: { code: string }) => f.code === 'formal_more_often_specific');
  t.same([formal.share.share, formal.comparison.share, formal.pattern], [1, 0, 'holds']);
  t.same(
    anonymous.partnerships.map((p: { name: string; reading: string }) => [p.name, p.reading]),
    [
      ['Formal specific', 'specific'],
      ['Informal general', 'general'],
      ['Informal unsure', 'unsure'],
    ],
  );
  t.equal(anonymous.indicators.total, 3, 'public indicators only');
  t.equal(anonymous.indicators.shares.freshData, 0, 'every series stops in 2020');

  const admin = await ok({ method: 'GET', url: '/api/v1/field' });
  t.equal(admin.partnershipCount, 4, 'an administrator: every partnership');
  t.same(admin.crossTabs.readingByFormality.unsure, { formal: 1, informal: 1, unknown: 0 });
  const adminUnsure = admin.findings.find((f: { code: string }) => f.code === 'unsure_tend_to_be_informal');
  t.same(
    [adminUnsure.share.numerator, adminUnsure.share.denominator],
    [1, 2],
    'with the hidden formal one, half the unsure are informal',
  );

  const own = await ok({ method: 'GET', url: '/api/v1/field', as: hiddenViewer });
  t.equal(own.partnershipCount, 4, 'a token: the public ones and its own');
  const other = await ok({ method: 'GET', url: '/api/v1/field', as: specificViewer });
  t.equal(other.partnershipCount, 3);
  t.equal(other.indicators.total, 4, 'its own private indicator counts for its own viewer');

  t.equal(
    (
      await api.request({
        method: 'GET',
        url: '/api/v1/field',
        headers: { authorization: 'Bearer nope-not-a-token-at-all' },
      })
    ).status,
    401,
    'a bad token: 401',
  );
});
