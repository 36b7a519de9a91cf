/**
 * Performance measures (quadrant, program) shown apart from the population indicators and left out of the
 * roll-ups; data freshness with the owner partner; overdue actions flagged in the scorecard.
 */
import t from '../helpers/tap.ts';
import { sql } from 'kysely';
import { expectedPeriod, utcDate } from '../../server/domain/freshness.ts';
import { periodIndex, periodLabel } from '../../server/engine/periods.ts';
import { buildTestApp, createFixture, type TestApp } from '../helpers/test-app.ts';

const api = await buildTestApp(t);

async function ok(options: Parameters<TestApp['request']>[0], status = 200) {
  const res = await api.request(options);
  if (res.status !== status)
    throw new Error(`${options.method} ${JSON.stringify(options.url)} → ${res.status}: ${res.raw}`);
  return res.body;
}

const years = (from: number, values: number[]) => values.map((value, i) => ({ period: String(from + i), value }));

t.test('performance measures carry a quadrant and a program; population indicators may not', async (t) => {
  const { result } = await createFixture(api);
  const url = `/api/v1/results/${result.id}/indicators`;
  const base = { unit: 'count', polarity: 'higher_is_better', frequency: 'quarterly' };
  const measure = await ok(
    {
      method: 'POST',
      url,
      payload: {
        ...base,
        name: 'Residents enrolled',
        level: 'performance',
        quadrant: 'how_much',
        programName: 'Pre-apprenticeship',
        reportingLag: { amount: 45, unit: 'days' },
      },
    },
    201,
  );
  t.match(measure, {
    level: 'performance',
    quadrant: 'how_much',
    programName: 'Pre-apprenticeship',
    reportingLag: { amount: 45, unit: 'days' },
  });
  const plain = await ok({ method: 'POST', url, payload: { ...base, name: 'Jobs' } }, 201);
  t.match(
    plain,
    { level: 'population', quadrant: null, programName: null, reportingLag: null },
    'every indicator carries the fields',
  );

  const wrong = await api.request({
    method: 'POST',
    url,
    payload: { ...base, name: 'Bad', quadrant: 'how_well', programName: 'X' },
  });
  t.equal(wrong.status, 422);
  t.equal(wrong.body.error.code, 'performance_field_on_population');
  t.same(
    wrong.body.error.details.map((d: { path: string }) => d.path),
    ['body.quadrant', 'body.programName'],
  );

  const demote = await api.request({
    method: 'PATCH',
    url: `/api/v1/indicators/${measure.id}`,
    payload: { level: 'population' },
  });
  t.equal(demote.status, 422, 'a measure made population must shed its quadrant and program');
  const demoted = await ok({
    method: 'PATCH',
    url: `/api/v1/indicators/${measure.id}`,
    payload: { level: 'population', quadrant: null, programName: null },
  });
  t.match(demoted, { level: 'population', quadrant: null, programName: null });
  const promoted = await ok({
    method: 'PATCH',
    url: `/api/v1/indicators/${plain.id}`,
    payload: { level: 'performance', quadrant: 'better_off', reportingLag: { amount: 6, unit: 'months' } },
  });
  t.match(promoted, { quadrant: 'better_off', reportingLag: { amount: 6, unit: 'months' } });
  t.match(await ok({ method: 'PATCH', url: `/api/v1/indicators/${plain.id}`, payload: { reportingLag: null } }), {
    reportingLag: null,
  });

  for (const [what, payload] of [
    ['unknown quadrant', { quadrant: 'how_often' }],
    ['lag in years', { reportingLag: { amount: 1, unit: 'years' } }],
    ['negative lag', { reportingLag: { amount: -1, unit: 'days' } }],
    ['lag with extra fields', { reportingLag: { amount: 1, unit: 'days', grace: 2 } }],
    ['empty program', { programName: '' }],
  ] as const) {
    t.equal(
      (await api.request({ method: 'PATCH', url: `/api/v1/indicators/${plain.id}`, payload })).status,
      400,
      `${what}: 400`,
    );
  }

  // The database holds the same rule.
  const refused = await sql`update indicators set quadrant = 'how_much', level = 'population' where id = ${plain.id}`
    .execute(api.db)
    .then(
      () => null,
      (error: { code?: string }) => error.code,
    );
  t.equal(refused, '23514', 'a check constraint refuses a quadrant on a population indicator');
});

t.test('the scorecard shows performance measures apart and rolls up population indicators only', async (t) => {
  const {
    initiative,
    result,
    indicator: headline,
  } = await createFixture(api, { baselinePeriod: '2016', target: { period: '2024', value: 4 } });
  const college = await ok(
    {
      method: 'POST',
      url: `/api/v1/initiatives/${initiative.id}/partners`,
      payload: { name: 'College', sector: 'academic' },
    },
    201,
  );
  const neighbours = await ok(
    {
      method: 'POST',
      url: `/api/v1/initiatives/${initiative.id}/partners`,
      payload: { name: 'Neighbours', sector: 'community' },
    },
    201,
  );
  const outcome = await ok(
    { method: 'POST', url: `/api/v1/results/${result.id}/outcomes`, payload: { title: 'Construction jobs return' } },
    201,
  );
  const add = (body: object) =>
    ok(
      {
        method: 'POST',
        url: `/api/v1/results/${result.id}/indicators`,
        payload: { unit: 'count', polarity: 'higher_is_better', frequency: 'annual', outcomeId: outcome.id, ...body },
      },
      201,
    );
  const jobs = await add({ name: 'Construction jobs', baselinePeriod: '2016', target: { period: '2024', value: 120 } });
  const program = {
    level: 'performance',
    programName: 'Pre-apprenticeship',
    ownerPartnerId: college.id,
    baselinePeriod: '2016',
    target: { period: '2024', value: 100 },
  };
  const enrolled = await add({ ...program, name: 'Enrolled', quadrant: 'how_much' });
  const completed = await add({ ...program, name: 'Completed', quadrant: 'how_well', unit: 'percent' });
  const employed = await add({
    ...program,
    name: 'Employed after six months',
    quadrant: 'better_off',
    unit: 'percent',
  });
  const reached = await add({
    level: 'performance',
    programName: 'Outreach',
    ownerPartnerId: neighbours.id,
    name: 'Residents reached',
  });
  const put = (id: string, points: object[]) =>
    ok({ method: 'PUT', url: `/api/v1/indicators/${id}/data-points`, payload: { points } });
  await put(headline.id, years(2014, [9, 8.6, 8.2, 7.5, 7.0, 6.2, 5.8]));
  await put(jobs.id, years(2014, [100, 98, 97, 99, 104, 108, 111]));
  // A booming program: its progress would lift the roll-up if it were counted.
  for (const measure of [enrolled, completed, employed])
    await put(measure.id, years(2014, [10, 20, 40, 60, 80, 95, 99]));

  const card = await ok({ method: 'GET', url: `/api/v1/results/${result.id}/scorecard` });
  const [jobsOutcome] = card.outcomes;
  t.same(
    jobsOutcome.indicators.map((i: { name: string }) => i.name),
    ['Construction jobs'],
    "the outcome's population indicators",
  );
  t.same(
    jobsOutcome.performanceMeasures.map(
      (i: { name: string; quadrant: string; programName: string; ownerPartnerName: string }) => [
        i.name,
        i.quadrant,
        i.programName,
        i.ownerPartnerName,
      ],
    ),
    [
      ['Enrolled', 'how_much', 'Pre-apprenticeship', 'College'],
      ['Completed', 'how_well', 'Pre-apprenticeship', 'College'],
      ['Employed after six months', 'better_off', 'Pre-apprenticeship', 'College'],
      ['Residents reached', null, 'Outreach', 'Neighbours'],
    ],
    'performance measures apart, each with its quadrant and program',
  );
  t.ok(jobsOutcome.performanceMeasures[0].progress.score !== null, 'measures keep their own analysis summary');
  t.equal(jobsOutcome.rollUp.indicatorCount, 1, 'the outcome rolls up its population indicator only');
  t.equal(card.rollUp.indicatorCount, 2, 'the result rolls up its 2 population indicators');
  t.same(card.performanceMeasures, [], 'no measure hangs on the result itself');
  t.same(card.programs, [
    {
      programName: 'Pre-apprenticeship',
      owner: { id: college.id, name: 'College' },
      outcomeIds: [outcome.id],
      measures: { how_much: [enrolled.id], how_well: [completed.id], better_off: [employed.id], unspecified: [] },
    },
    {
      programName: 'Outreach',
      owner: { id: neighbours.id, name: 'Neighbours' },
      outcomeIds: [outcome.id],
      measures: { how_much: [], how_well: [], better_off: [], unspecified: [reached.id] },
    },
  ]);

  // The same population data without the measures give the same roll-up.
  const twin = await createFixture(api, { baselinePeriod: '2016', target: { period: '2024', value: 4 } });
  const twinOutcome = await ok(
    {
      method: 'POST',
      url: `/api/v1/results/${twin.result.id}/outcomes`,
      payload: { title: 'Construction jobs return' },
    },
    201,
  );
  const twinJobs = await ok(
    {
      method: 'POST',
      url: `/api/v1/results/${twin.result.id}/indicators`,
      payload: {
        name: 'Construction jobs',
        unit: 'count',
        polarity: 'higher_is_better',
        frequency: 'annual',
        outcomeId: twinOutcome.id,
        baselinePeriod: '2016',
        target: { period: '2024', value: 120 },
      },
    },
    201,
  );
  await put(twin.indicator.id, years(2014, [9, 8.6, 8.2, 7.5, 7.0, 6.2, 5.8]));
  await put(twinJobs.id, years(2014, [100, 98, 97, 99, 104, 108, 111]));
  const twinCard = await ok({ method: 'GET', url: `/api/v1/results/${twin.result.id}/scorecard` });
  t.same(card.rollUp, twinCard.rollUp, 'performance measures change nothing in the roll-up');
  t.same(jobsOutcome.rollUp, twinCard.outcomes[0].rollUp);
});

t.test('data freshness: overdue data flagged with the partner to ask', async (t) => {
  const {
    initiative,
    result,
    indicator: stale,
  } = await createFixture(api, { reportingLag: { amount: 6, unit: 'months' } });
  const office = await ok(
    {
      method: 'POST',
      url: `/api/v1/initiatives/${initiative.id}/partners`,
      payload: { name: 'Workforce Office', sector: 'public' },
    },
    201,
  );
  await ok({ method: 'PATCH', url: `/api/v1/indicators/${stale.id}`, payload: { ownerPartnerId: office.id } });
  const add = (body: object) =>
    ok(
      {
        method: 'POST',
        url: `/api/v1/results/${result.id}/indicators`,
        payload: { unit: 'count', polarity: 'higher_is_better', frequency: 'quarterly', ...body },
      },
      201,
    );
  const lag = { amount: 45, unit: 'days' } as const;
  const fresh = await add({ name: 'Fresh', reportingLag: lag });
  const _empty = await add({ name: 'Nothing yet', reportingLag: lag });
  const unknown = await add({ name: 'No lag' });
  const quarterly = { frequency: 'quarterly' } as const;
  const expected = expectedPeriod(quarterly, lag, utcDate(new Date()));
  const previous = periodLabel(periodIndex(expected, quarterly) - 1, quarterly);
  await ok({
    method: 'PUT',
    url: `/api/v1/indicators/${fresh.id}/data-points`,
    payload: {
      points: [
        { period: previous, value: 1 },
        { period: expected, value: 2 },
      ],
    },
  });
  await ok({
    method: 'PUT',
    url: `/api/v1/indicators/${stale.id}/data-points`,
    payload: { points: years(2015, [9, 8, 7]) },
  });
  await ok({
    method: 'PUT',
    url: `/api/v1/indicators/${unknown.id}/data-points`,
    payload: { points: [{ period: '2015-Q1', value: 1 }] },
  });

  const card = await ok({ method: 'GET', url: `/api/v1/results/${result.id}/scorecard` });
  const byName = new Map(card.indicators.map((i: { name: string }) => [i.name, i]));
  const status = (name: string) => (byName.get(name) as { freshness: { status: string } }).freshness.status;
  t.same(['Unemployment rate', 'Fresh', 'Nothing yet', 'No lag'].map(status), [
    'overdue',
    'fresh',
    'no_data',
    'no_expectation',
  ]);
  t.same(card.dataFreshness.counts, { fresh: 1, overdue: 1, no_data: 1, no_expectation: 1 });
  t.same(
    card.dataFreshness.overdue.map((o: { name: string }) => o.name),
    ['Unemployment rate', 'Nothing yet'],
    'overdue and missing data are flagged',
  );
  const flagged = card.dataFreshness.overdue[0];
  t.same(flagged.owner, { id: office.id, name: 'Workforce Office' }, 'names the owner partner');
  t.match(flagged.freshness, {
    latestPeriod: '2017',
    nextPeriod: '2018',
    nextDueDate: '2019-06-30',
    reportingLag: { amount: 6, unit: 'months' },
  });
  t.ok(flagged.freshness.daysOverdue > 2000);
  t.equal(card.dataFreshness.overdue[1].owner, null);
  t.match(card.judgedAt, /^\d{4}-\d\d-\d\dT/);
});

t.test('overdue actions are flagged in the scorecard', async (t) => {
  const { initiative, result, indicator } = await createFixture(api);
  await ok({ method: 'PATCH', url: `/api/v1/results/${result.id}`, payload: { visibility: 'public' } });
  const owner = await ok(
    {
      method: 'POST',
      url: `/api/v1/initiatives/${initiative.id}/partners`,
      payload: { name: 'Employers', sector: 'private' },
    },
    201,
  );
  const post = (body: object) =>
    ok(
      {
        method: 'POST',
        url: `/api/v1/initiatives/${initiative.id}/actions`,
        payload: { indicatorIds: [indicator.id], ownerPartnerId: owner.id, ...body },
      },
      201,
    );
  const late = await post({
    title: 'Shared intake record',
    start: '2020-01-01',
    due: '2021-06-30',
    status: 'in_progress',
  });
  await post({
    title: 'Hiring pledge',
    start: '2020-01-01',
    due: '2020-03-01',
    status: 'done',
    completedOn: '2020-02-20',
  });
  await post({ title: 'Wage subsidy', start: '2020-01-01', due: '2020-12-31', status: 'dropped' });
  await post({ title: 'Future plan', start: '2099-01-01', due: '2099-03-01' });
  const hidden = await post({
    title: 'Internal review',
    start: '2020-01-01',
    due: '2020-02-01',
    visibility: 'private',
  });
  await ok(
    {
      method: 'POST',
      url: `/api/v1/initiatives/${initiative.id}/actions`,
      payload: { title: 'Not linked', start: '2020-01-01', due: '2020-02-01' },
    },
    201,
  );

  const card = await ok({ method: 'GET', url: `/api/v1/results/${result.id}/scorecard` });
  t.same(
    card.actions.counts,
    { planned: 2, in_progress: 1, done: 1, dropped: 1 },
    "actions linked to the result's indicators",
  );
  t.same(
    card.actions.overdue.map((a: { title: string }) => a.title),
    ['Shared intake record', 'Internal review'],
  );
  t.match(card.actions.overdue[0], {
    id: late.id,
    status: 'in_progress',
    due: '2021-06-30',
    owner: { id: owner.id, name: 'Employers' },
    indicatorIds: [indicator.id],
  });
  t.equal(card.indicators[0].overdueActions, 2);

  const publicCard = await ok({ method: 'GET', url: `/api/v1/results/${result.id}/scorecard`, as: null });
  t.same(
    publicCard.actions.overdue.map((a: { title: string }) => a.title),
    ['Shared intake record'],
    'a private action stays private',
  );
  t.equal(publicCard.indicators[0].overdueActions, 1);
  t.ok(hidden.id);

  const past = await ok({ method: 'GET', url: `/api/v1/results/${result.id}/scorecard?asOf=2000-01-01T00:00:00Z` });
  t.equal(past.judgedAt, '2000-01-01T00:00:00.000Z', 'asOf: judged then');
  t.same(past.actions.overdue, [], 'actions recorded later did not exist then');
});
