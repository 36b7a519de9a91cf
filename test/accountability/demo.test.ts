/**
 * The demo initiative's accountability: a turn-the-curve report, an action plan with quick wins, a
 * performance measure in each quadrant (clearly illustrative), and an assessment and field summary whose
 * feedback follows from the demo's own data.
 */
import t from '../helpers/tap.ts';
import { buildDemoInitiative } from '../../seeds/demo-initiative.ts';
import { seedDemo } from '../../seeds/seed-demo.ts';
import { isQuickWin } from '../../server/domain/freshness.ts';
import { buildTestApp, TEST_ADMIN_TOKEN } from '../helpers/test-app.ts';

const demo = buildDemoInitiative();
const [entry] = demo.results;

t.test("the demo's accountability content, as built", async (t) => {
  const measures = entry!.performanceMeasures ?? [];
  t.same(
    new Set(measures.map((m) => m.measure.body.quadrant)),
    new Set(['how_much', 'how_well', 'better_off']),
    'a measure in each quadrant',
  );
  for (const { measure } of measures) {
    t.equal(measure.body.level, 'performance');
    t.ok(measure.body.programName, `${measure.body.code} names its program`);
    t.match(
      measure.body.definition,
      /ILLUSTRATIVE/,
      `${measure.body.code}: the definition says the figures are invented`,
    );
    t.match(measure.body.dataSource, /ILLUSTRATIVE/, `${measure.body.code}: so does the data source`);
    t.ok(
      measure.points.every((p) => /ILLUSTRATIVE/.test(p.source ?? '')),
      `${measure.body.code}: and every point`,
    );
  }
  t.match(demo.attribution, /ILLUSTRATIVE/);
  const actions = entry!.actions ?? [];
  t.ok(
    actions.some((a) => isQuickWin(a.start, a.due)),
    'at least one quick win',
  );
  t.ok(new Set(actions.map((a) => a.ownerPartnerName)).size >= 3, 'several partners own actions');
  const [report] = entry!.curveReports ?? [];
  t.equal(report!.indicatorCode, 'UNEMP_RATE');
  t.ok(
    report!.body.forces.some((f) => f.direction === 'helping') &&
      report!.body.forces.some((f) => f.direction === 'hindering'),
  );
  t.ok(
    report!.body.whatWorks.some((w) => w.cost === 'no_cost' || w.cost === 'low_cost'),
    'low-cost and no-cost ideas too',
  );
});

t.test('seeded through the API, the demo reads back and assesses itself from its data', async (t) => {
  const api = await buildTestApp(t);
  const seeded = await seedDemo(api.app, `Bearer ${TEST_ADMIN_TOKEN}`);
  t.equal(seeded.performanceMeasureCount, 4);
  t.equal(seeded.curveReportCount, 1);
  t.equal(seeded.actionIds.length, 6);
  t.equal(seeded.acknowledgementCount, 1);
  const get = async (url: string) => {
    const res = await api.request({ method: 'GET', url: `/api/v1${url}`, as: null });
    if (res.status !== 200) throw new Error(`${url}: ${res.status} ${res.raw}`);
    return res.body;
  };
  const [resultId] = seeded.resultIds;

  // The report, the timeline and the scorecard, as the public sees them.
  const scorecard = await get(`/results/${resultId}/scorecard`);
  const unemployment = scorecard.indicators.find((i: { code: string }) => i.code === 'UNEMP_RATE');
  const report = await get(`/indicators/${unemployment.id}/curve-report`);
  t.equal(report.version, 1);
  t.equal(report.partners.length, 5);
  t.ok(
    report.partners.filter((p: { partnerId: string | null }) => p.partnerId !== null).length === 4,
    'four partners by id, one outside organisation',
  );
  const analysis = await get(`/indicators/${unemployment.id}/analysis`);
  t.same(analysis.curveReport, report, 'the report is in the analysis');
  t.same(
    analysis.actions.map((a: { title: string }) => a.title),
    [
      'One intake and referral record for the job centers and the college',
      'Regional wage subsidy for the long-term unemployed',
    ],
    'the actions on its timeline',
  );
  const actions = await get(`/initiatives/${seeded.initiativeId}/actions`);
  t.equal(actions.items.length, 6, 'the whole plan is public');
  t.equal(actions.items.filter((a: { quickWin: boolean }) => a.quickWin).length, 2);
  const construction = scorecard.outcomes[0].outcomes[0];
  t.same(
    construction.performanceMeasures.map((m: { quadrant: string }) => m.quadrant),
    ['how_much', 'how_well', 'better_off'],
    "the college's program, apart from the population indicator it contributes to",
  );
  t.same(
    construction.indicators.map((i: { code: string }) => i.code),
    ['JOBS_CONSTR'],
  );
  t.equal(
    scorecard.rollUp.indicatorCount,
    seeded.indicatorCount - seeded.performanceMeasureCount,
    'roll-ups count population indicators only',
  );
  t.same(
    scorecard.programs.map((p: { programName: string; owner: { name: string } }) => [p.programName, p.owner.name]),
    [
      ['Construction pre-apprenticeship', 'Tri-River Community College'],
      ['Neighbourhood job outreach', 'Eastside Neighbors United'],
    ],
  );
  t.same(
    scorecard.actions.overdue.map((a: { title: string }) => a.title),
    ['One intake and referral record for the job centers and the college'],
  );

  // The assessment follows from the data: every statement below is checked against another route.
  const smart = await get(`/results/${resultId}/smart`);
  const assessment = await get(`/initiatives/${seeded.initiativeId}/assessment`);
  t.same(assessment.profile, { formality: 'formal', stage: 'performing', workLevel: 'both' });
  t.equal(assessment.readings.sharedResult.reading, smart.reading, "the SMART check's reading");
  const failing = Object.entries(smart.result as Record<string, { status: string }>)
    .filter(([, c]) => c.status !== 'pass')
    .map(([name]) => name);
  t.ok(failing.length > 0 && smart.reading === 'general', `the result reads as general (${failing.join(', ')})`);
  const codes = assessment.feedback.map((f: { code: string }) => f.code);
  const item = (code: string) => assessment.feedback.find((f: { code: string }) => f.code === code);
  t.ok(
    item('general_result').reasons.some((r: string) => /^Attainable/.test(r)),
    'the reasons name the criterion that falls short',
  );
  t.equal(item('data_overdue').level, 'concern', 'the BLS series end years ago: the data are overdue');
  t.equal(
    scorecard.dataFreshness.overdue.length,
    assessment.readings.indicators.freshness.overdue,
    'the same count as the scorecard',
  );
  t.match(item('data_overdue').message, /City of Tri-River Office of Workforce Development/, 'names a partner to ask');
  t.match(
    item('actions_overdue').reasons[0],
    /One intake and referral record .* was due 2011-06-30 and is in progress/,
  );
  t.match(item('quick_wins').reasons[0], /2 quick wins/);
  t.ok(codes.includes('all_quadrants'), 'how much, how well and better off are all measured');
  t.ok(codes.includes('clear_owners'));
  t.ok(codes.includes('programs_and_systems_result_not_specific'));
  t.ok(codes.includes('stage_performing'));
  t.notOk(codes.includes('stage_ahead_of_data'), 'owners, a measured result and a plan: consistent with performing');
  t.same(assessment.readings.actions.byStatus, { planned: 0, in_progress: 1, done: 4, dropped: 1 });
  t.equal(
    assessment.readings.actions.onTimeShare,
    3 / 5,
    'three of five judged actions on time (one late, one overdue)',
  );
  t.match(
    assessment.summary,
    /^Tri-River Jobs Compact describes itself as a formal partnership, in its performing stage, working on both programs and systems\./,
  );

  const field = await get('/field');
  t.equal(field.partnershipCount, 1);
  t.same(field.partnerships[0], {
    id: seeded.initiativeId,
    name: 'Tri-River Jobs Compact',
    slug: 'tri-river-jobs-compact',
    formality: 'formal',
    stage: 'performing',
    workLevel: 'both',
    reading: smart.reading,
    indicators: seeded.indicatorCount,
    shareWithOwner: 1,
    shareWithTarget: 1,
    shareFreshData: 0,
    actions: 6,
    overdueActions: 1,
    quickWins: 2,
  });
  t.ok(
    field.findings.every((f: { pattern: string }) => f.pattern === 'not_enough_data'),
    'one partnership cannot test the research',
  );

  // Data quality shows from the first start: rules, recorded flags, an acknowledged one (on the same seeded app:
  // seeding the demo costs ~10 s).
  const list = await api.request({ method: 'GET', url: `/api/v1/results/${resultId}/data-quality?limit=1000` });
  t.equal(list.status, 200);
  const acknowledged = list.body.items.filter((i: { acknowledged: boolean }) => i.acknowledged);
  t.equal(acknowledged.length, 1, 'one checked flag');
  t.match(acknowledged[0], { period: '2009-02', code: 'outlier_history', source: 'flag', comment: /housing bust/ });
  t.ok(
    list.body.items.some((i: { acknowledged: boolean; source: string }) => !i.acknowledged && i.source === 'flag'),
    'flags still to check',
  );
  t.notOk(
    list.body.items.some((i: { source: string; severity: string }) => i.source === 'rule' && i.severity === 'error'),
    'the demo data break no error rule',
  );
  const tree = await api.request({ method: 'GET', url: `/api/v1/results/${resultId}/tree` });
  const rate = tree.body.indicators.find((i: { code: string }) => i.code === 'UNEMP_RATE');
  t.same(
    rate.rules.map((r: { code: string }) => r.code),
    ['share_of_labour_force', 'total_within_industries', 'monthly_move'],
  );

  // Publication (docs/publication.md): one period waits for approval; a count by neighbourhood is suppressed.
  t.equal(seeded.awaitingApproval.length, 1);
  const [waiting] = seeded.awaitingApproval;
  const periods = await api.request({ method: 'GET', url: `/api/v1/indicators/${waiting!.indicatorId}/publication` });
  t.match(
    periods.body.items.find((p: { period: string }) => p.period === waiting!.period),
    { state: 'submitted', publishedAt: null },
  );
  const publicPeriods = (await get(`/indicators/${waiting!.indicatorId}/data-points`)).items.map(
    (p: { period: string }) => p.period,
  );
  t.notOk(publicPeriods.includes(waiting!.period), 'the public does not see the period awaiting approval');
  const enrolled = (await get(`/results/${resultId}/indicators?limit=1000`)).items.find(
    (i: { code: string }) => i.code === 'PM_PREAPP_ENROLLED',
  );
  const cells = (await get(`/indicators/${enrolled.id}/data-points?slice=all&limit=1000`)).items;
  const suppressed = cells.filter((p: { confStatus: string; value: number | null }) => p.confStatus === 'C');
  t.ok(suppressed.length > 0, 'small neighbourhood counts are suppressed in public');
  t.ok(
    suppressed.every((p: { value: number | null }) => p.value === null),
    'with no value',
  );
});
