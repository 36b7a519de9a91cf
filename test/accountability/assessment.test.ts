/**
 * The self-assessment's readings and feedback rules, and the field summary, on hand-built facts with the
 * numbers worked out.
 */
import t from '../helpers/tap.ts';
import {
  assessPartnership,
  joinList,
  nameList,
  partnershipFeedback,
  readPartnership,
  type AssessedAction,
  type AssessedIndicator,
  type PartnershipFacts,
} from '../../server/domain/assessment.ts';
import { summariseField, type FieldMember } from '../../server/domain/field-summary.ts';
import { assessFreshness } from '../../server/domain/freshness.ts';

const NOW = new Date('2026-03-01T12:00:00Z');
const lag = { amount: 6, unit: 'months' } as const;

function indicator(
  over: Partial<AssessedIndicator> & { latest?: string | null; lagged?: boolean } = {},
): AssessedIndicator {
  const { latest = '2024', lagged = true, ...rest } = over;
  return {
    id: rest.id ?? `ind-${Math.random()}`,
    name: 'Unemployment rate',
    level: 'population',
    quadrant: null,
    programName: null,
    ownerPartnerId: 'p1',
    ownerPartnerName: 'Workforce Office',
    hasTarget: true,
    hasCurveReport: true,
    freshness: assessFreshness(
      { calendar: { frequency: 'annual' }, reportingLag: lagged ? lag : null, latestPeriod: latest },
      NOW,
    ),
    ...rest,
  };
}

function action(over: Partial<AssessedAction> = {}): AssessedAction {
  return {
    id: `a-${Math.random()}`,
    title: 'Hiring pledge',
    status: 'done',
    start: '2025-01-01',
    due: '2025-03-01',
    completedOn: '2025-02-20',
    ownerPartnerId: 'p2',
    ownerPartnerName: 'Employers Association',
    ...over,
  };
}

const specificResult = {
  id: 'r1',
  statement: 'Fewer residents unemployed',
  reading: 'specific' as const,
  readingReason: 'Every criterion passes.',
  shortfalls: [],
};

function facts(over: Partial<PartnershipFacts> = {}): PartnershipFacts {
  return {
    name: 'Detroit Jobs Partnership',
    profile: { formality: 'formal', stage: 'norming', workLevel: 'both' },
    results: [specificResult],
    indicators: [indicator({ name: 'Unemployment rate' })],
    actions: [action()],
    ...over,
  };
}

const codes = (items: Array<{ code: string }>) => items.map((i) => i.code);

t.test('readings: shares worked by hand', async (t) => {
  const f = facts({
    results: [
      { id: 'r1', statement: 'A', reading: 'general', readingReason: 'no target', shortfalls: [] },
      { id: 'r2', statement: 'B', reading: 'unsure', readingReason: 'no headline', shortfalls: [] },
    ],
    indicators: [
      indicator({ name: 'fresh, owned, targeted' }), // latest 2024: expected 2024 on 2026-03-01 (2025 due 2026-06-30) → fresh
      indicator({ name: 'overdue', latest: '2022', ownerPartnerId: null, ownerPartnerName: null }),
      indicator({ name: 'no data', latest: null, hasTarget: false, hasCurveReport: false }),
      indicator({
        name: 'no lag',
        lagged: false,
        level: 'performance',
        quadrant: 'how_much',
        programName: 'Pre-apprenticeship',
      }),
      indicator({
        name: 'measure 2',
        level: 'performance',
        quadrant: null,
        programName: 'Pre-apprenticeship',
        hasCurveReport: false,
      }),
    ],
    actions: [
      action({ title: 'on time' }),
      action({ title: 'late', completedOn: '2025-03-02' }),
      action({
        title: 'overdue',
        status: 'in_progress',
        completedOn: null,
        due: '2026-02-28',
        start: '2025-06-01',
        ownerPartnerId: null,
        ownerPartnerName: null,
      }),
      action({ title: 'open', status: 'planned', completedOn: null, start: '2026-02-01', due: '2026-04-01' }),
      action({ title: 'dropped', status: 'dropped', completedOn: null, due: '2020-01-01', start: '2019-01-01' }),
    ],
  });
  const r = readPartnership(f, NOW);
  t.equal(r.sharedResult.reading, 'general', 'the best reading of its results');
  t.match(r.sharedResult.basis, /best of its 2 shared results, "A": no target/);
  // On 2026-03-01 with a 6-month lag, 2024 is the expected year (2025 is due 2026-06-30): latest 2024 is fresh.
  t.same(
    r.indicators.freshness,
    { fresh: 2, overdue: 1, noData: 1, noExpectation: 1 },
    'the first and measure 2 are fresh',
  );
  t.equal(r.indicators.total, 5);
  t.equal(r.indicators.population, 3);
  t.equal(r.indicators.performance, 2);
  t.equal(r.indicators.shares.withOwner, 4 / 5);
  t.equal(r.indicators.shares.withTarget, 4 / 5);
  t.equal(r.indicators.shares.freshData, 2 / 4, 'fresh among the 4 with a lag');
  t.equal(r.indicators.shares.withCurveReport, 3 / 5);
  t.same(r.performance, {
    measures: 2,
    quadrants: { how_much: 1, how_well: 0, better_off: 0, unspecified: 1 },
    programs: 1,
  });
  t.same(r.actions.byStatus, { planned: 1, in_progress: 1, done: 2, dropped: 1 });
  t.same([r.actions.onTime, r.actions.late, r.actions.overdue], [1, 1, 1]);
  t.equal(r.actions.onTimeShare, 1 / 3, 'on time among done-or-due, dropped left out');
  t.equal(
    r.actions.quickWins,
    3,
    'on time, late and open are due 59 days after their start; overdue (272) and dropped (365) are not',
  );
  t.equal(r.actions.withoutOwner, 1);
});

t.test("unsure and informal: the research's pattern, with its reasons", async (t) => {
  const f = facts({
    profile: { formality: 'informal', stage: 'forming', workLevel: 'programs' },
    results: [
      {
        id: 'r1',
        statement: 'Youth thrive',
        reading: 'unsure',
        readingReason: 'The result has no headline indicator.',
        shortfalls: [],
      },
    ],
  });
  const feedback = partnershipFeedback(f, readPartnership(f, NOW), NOW);
  const item = feedback.find((i) => i.code === 'unsure_and_informal')!;
  t.equal(item.level, 'concern');
  t.match(item.message, /unsure of their shared result tend to be informal/);
  t.same(item.reasons, [
    '"Youth thrive" (unsure): The result has no headline indicator.',
    'The partnership describes itself as informal.',
  ]);
  t.equal(feedback[0]!.level, 'concern', 'concerns come first');
  t.ok(codes(feedback).includes('programs_only'), 'programs only: suggest systems work');
  t.ok(codes(feedback).includes('stage_forming'));
  t.notOk(codes(feedback).includes('stage_ahead_of_data'), 'forming is not ahead of anything');
});

t.test('the same data read with another profile give other feedback', async (t) => {
  const base = {
    results: [
      {
        id: 'r1',
        statement: 'Youth thrive',
        reading: 'unsure' as const,
        readingReason: 'No headline indicator.',
        shortfalls: [],
      },
    ],
  };
  const formal = partnershipFeedback(
    facts({ ...base, profile: { formality: 'formal', stage: 'performing', workLevel: 'both' } }),
    readPartnership(facts(base), NOW),
    NOW,
  );
  t.ok(codes(formal).includes('unsure_result'));
  t.notOk(codes(formal).includes('unsure_and_informal'));
  const ahead = formal.find((i) => i.code === 'stage_ahead_of_data')!;
  t.equal(ahead.level, 'concern', 'performing while the result is not measured');
  t.match(ahead.reasons[1], /the shared result is not yet measured/);
  t.match(ahead.message, /forming, storming, norming and performing/);
  t.ok(codes(formal).includes('programs_and_systems_result_not_specific'));
});

t.test('general results: formality changes the advice, shortfalls are the reasons', async (t) => {
  const general = {
    id: 'r1',
    statement: 'More jobs',
    reading: 'general' as const,
    readingReason: 'The result is general: no target is set for "Jobs".',
    shortfalls: ['Time-bound (fail): no target.'],
  };
  const informal = facts({ results: [general], profile: { formality: 'informal', stage: null, workLevel: null } });
  const fi = partnershipFeedback(informal, readPartnership(informal, NOW), NOW);
  t.match(
    fi.find((i) => i.code === 'general_and_informal')!.message,
    /Formal partnerships are more likely to have a specific shared result/,
  );
  t.ok(codes(fi).includes('profile_incomplete'));
  t.match(fi.find((i) => i.code === 'profile_incomplete')!.reasons[0], /stage, work level/);
  const formal = facts({ results: [general] });
  const ff = partnershipFeedback(formal, readPartnership(formal, NOW), NOW);
  const item = ff.find((i) => i.code === 'general_result')!;
  t.ok(item.reasons.includes('Time-bound (fail): no target.'), 'the failing criterion is a reason');
});

t.test('a specific result with both programs and systems: strengths', async (t) => {
  const f = facts();
  const feedback = partnershipFeedback(f, readPartnership(f, NOW), NOW);
  for (const code of [
    'specific_result',
    'programs_and_systems',
    'clear_owners',
    'data_on_time',
    'curve_reports_written',
    'quick_wins',
  ]) {
    t.equal(feedback.find((i) => i.code === code)?.level, 'strength', code);
  }
  t.ok(codes(feedback).includes('no_performance_measures'));
  t.notOk(codes(feedback).includes('actions_on_time'), 'one judged action is too few to praise');
});

t.test('data overdue names the owner partner to ask', async (t) => {
  const f = facts({
    indicators: [
      indicator({ name: 'Jobs', latest: '2021', ownerPartnerName: 'Workforce Office' }),
      indicator({ name: 'Wages', latest: null, ownerPartnerId: null, ownerPartnerName: null }),
      indicator({ name: 'Hours', lagged: false }),
    ],
  });
  const item = partnershipFeedback(f, readPartnership(f, NOW), NOW).find((i) => i.code === 'data_overdue')!;
  t.equal(item.level, 'concern');
  t.match(item.message, /The data of 2 indicators are overdue: ask Workforce Office for the latest figures/);
  t.same(item.reasons, [
    '"Jobs" (owner: Workforce Office): 2022 was due by 2023-06-30, 3 periods behind',
    '"Wages" (no owner): no data yet; data up to 2024 were due by 2025-06-30',
  ]);
  const lagItem = partnershipFeedback(f, readPartnership(f, NOW), NOW).find((i) => i.code === 'reporting_lag_missing')!;
  t.match(lagItem.message, /"Hours"/);
});

t.test('actions: none, overdue, late, on time, quick wins', async (t) => {
  const none = facts({ actions: [] });
  t.ok(codes(partnershipFeedback(none, readPartnership(none, NOW), NOW)).includes('no_action_plan'));

  const slipping = facts({
    actions: [
      action({ title: 'A', completedOn: '2025-04-01' }),
      action({ title: 'B', completedOn: '2025-05-01' }),
      action({ title: 'C', status: 'planned', completedOn: null, start: '2025-01-01', due: '2025-12-31' }),
    ],
  });
  const f1 = partnershipFeedback(slipping, readPartnership(slipping, NOW), NOW);
  t.ok(codes(f1).includes('actions_late'), '0 of 3 on time');
  t.same(f1.find((i) => i.code === 'actions_overdue')!.reasons, [
    '"C" (Employers Association) was due 2025-12-31 and is planned.',
  ]);
  t.ok(codes(f1).includes('no_quick_win') === false, 'A and B are quick wins (59 days)');

  const reliable = facts({
    actions: [action({ title: 'A' }), action({ title: 'B' }), action({ title: 'C', start: '2024-01-01' })],
  });
  const f2 = partnershipFeedback(reliable, readPartnership(reliable, NOW), NOW);
  t.equal(f2.find((i) => i.code === 'actions_on_time')!.level, 'strength');

  const long = facts({ actions: [action({ start: '2024-01-01', due: '2025-03-01' })] });
  t.ok(codes(partnershipFeedback(long, readPartnership(long, NOW), NOW)).includes('no_quick_win'));
});

t.test('performance measures by quadrant', async (t) => {
  const measure = (quadrant: AssessedIndicator['quadrant']) =>
    indicator({ level: 'performance', quadrant, programName: 'P' });
  const partial = facts({ indicators: [indicator(), measure('how_much'), measure('how_well')] });
  const fp = partnershipFeedback(partial, readPartnership(partial, NOW), NOW);
  t.match(fp.find((i) => i.code === 'no_better_off_measure')!.reasons[0], /"better off"/);
  const full = facts({
    indicators: [indicator(), measure('how_much'), measure('how_well'), measure('better_off'), measure(null)],
  });
  const ff = partnershipFeedback(full, readPartnership(full, NOW), NOW);
  t.ok(codes(ff).includes('all_quadrants'));
  t.ok(codes(ff).includes('quadrant_missing'));
});

t.test('the whole assessment and its summary', async (t) => {
  const a = assessPartnership(facts({ indicators: [indicator({ latest: '2020' })], actions: [] }), NOW);
  t.same(a.profile, { formality: 'formal', stage: 'norming', workLevel: 'both' });
  t.equal(
    a.summary,
    'Detroit Jobs Partnership describes itself as a formal partnership, in its norming stage, working on both programs and systems. ' +
      'Its shared result reads as specific. Of its 1 indicator, 1 has an owner, 1 a target and 0 fresh data; 1 is overdue. ' +
      'No actions are recorded. Feedback: 3 concerns, 2 suggestions, 4 strengths. Start with this: ' +
      'The data of 1 indicator are overdue: ask Workforce Office for the latest figures. Partners can only turn a curve they can see.',
  );
  t.same(
    codes(a.feedback).slice(0, 3),
    ['data_overdue', 'no_action_plan', 'stage_ahead_of_data'],
    'concerns first, the most basic first',
  );
  t.match(a.feedback[2]!.reasons[1], /there is no action plan/, 'norming without an action plan');
  const empty = assessPartnership(
    {
      name: 'New',
      profile: { formality: null, stage: null, workLevel: null },
      results: [],
      indicators: [],
      actions: [],
    },
    NOW,
  );
  t.equal(empty.readings.sharedResult.reading, 'unsure');
  t.ok(codes(empty.feedback).includes('no_shared_result'));
  t.match(
    empty.summary,
    /^New has not recorded how it sees itself\. It has no shared result yet\. It tracks no indicators yet\./,
  );
  t.equal(empty.readings.indicators.shares.withOwner, null, 'nothing to count: null, not 0');
});

t.test('lists in words', async (t) => {
  t.equal(joinList(['A']), 'A');
  t.equal(joinList(['A', 'B', 'C']), 'A, B and C');
  t.equal(joinList(['A', 'B', 'C', 'D', 'E', 'F'], 4), 'A, B, C, D and 2 more');
  t.equal(nameList(['Jobs', 'Wages']), '"Jobs" and "Wages"');
});

// ---------------------------------------------------------------------------------------------------------
// The field

function member(
  id: string,
  profile: PartnershipFacts['profile'],
  reading: 'specific' | 'general' | 'unsure',
  extra: Partial<PartnershipFacts> = {},
): FieldMember {
  const f = facts({ profile, results: [{ id, statement: id, reading, readingReason: '', shortfalls: [] }], ...extra });
  return { id, name: `P${id}`, slug: `p-${id}`, profile, readings: readPartnership(f, NOW) };
}

t.test("the field: counts, cross-tabs and the research's findings tested", async (t) => {
  const members = [
    member('1', { formality: 'formal', stage: 'performing', workLevel: 'both' }, 'specific'),
    member('2', { formality: 'formal', stage: 'norming', workLevel: 'both' }, 'specific'),
    member('3', { formality: 'formal', stage: 'storming', workLevel: 'programs' }, 'general'),
    member('4', { formality: 'informal', stage: 'forming', workLevel: 'programs' }, 'unsure', { actions: [] }),
    member('5', { formality: 'informal', stage: 'forming', workLevel: null }, 'unsure'),
    member('6', { formality: 'informal', stage: 'storming', workLevel: 'systems' }, 'general'),
    member('7', { formality: null, stage: null, workLevel: 'both' }, 'unsure'),
  ];
  const field = summariseField(members);
  t.equal(field.partnershipCount, 7);
  t.same(field.profiles.formality, { formal: 3, informal: 3, unknown: 1 });
  t.same(field.profiles.stage, { forming: 2, storming: 2, norming: 1, performing: 1, unknown: 1 });
  t.same(field.profiles.workLevel, { programs: 2, systems: 1, both: 3, unknown: 1 });
  t.same(field.readings, { specific: 2, general: 2, unsure: 3 });
  t.same(field.crossTabs.readingByFormality.unsure, { formal: 0, informal: 2, unknown: 1 });
  t.same(field.crossTabs.readingByWorkLevel.specific, { programs: 0, systems: 0, both: 2, unknown: 0 });

  const [formal, unsure, both] = field.findings;
  // 2 of 3 formal are specific (67%) vs 0 of 3 informal.
  t.same(
    [formal!.share.numerator, formal!.share.denominator, formal!.comparison.numerator, formal!.comparison.denominator],
    [2, 3, 0, 3],
  );
  t.equal(formal!.pattern, 'holds');
  t.equal(
    formal!.message,
    "2 of 3 formal partnerships (67%) have a specific shared result, against 0 of 3 informal ones (0%). The research's pattern holds in this field.",
  );
  t.match(formal!.caution, /very few partnerships \(3 in the smaller group\)/);
  // The share of informal partnerships among those unsure of their result: 2 of 2 with a known formality
  // (partnership 7 has none) vs 1 of 4 among the others.
  t.equal(unsure!.code, 'unsure_tend_to_be_informal');
  t.same([unsure!.share.share, unsure!.comparison.share], [1, 0.25]);
  t.equal(unsure!.pattern, 'holds');
  // Both programs and systems among the specific: 2 of 2, vs 1 of 4 among the others with a known work level.
  t.same(
    [both!.share.numerator, both!.share.denominator, both!.comparison.numerator, both!.comparison.denominator],
    [2, 2, 1, 4],
  );

  t.equal(field.actions.total, 6, 'one action each, but partnership 4 has none');
  t.equal(field.actions.partnershipsWithQuickWin, 6);
  t.equal(field.indicators.total, 7);
  t.equal(field.indicators.shares.freshData, 1);
  t.same(
    field.partnerships.map((p) => [p.id, p.reading]),
    members.map((m) => [m.id, m.readings.sharedResult.reading]),
  );
});

t.test('a pattern that does not hold, and an empty field', async (t) => {
  const field = summariseField([
    member('1', { formality: 'formal', stage: null, workLevel: 'programs' }, 'unsure'),
    member('2', { formality: 'informal', stage: null, workLevel: 'programs' }, 'specific'),
  ]);
  t.equal(field.findings[0]!.pattern, 'does_not_hold');
  t.match(field.findings[0]!.message, /does not hold in this field/);
  t.equal(field.findings[2]!.pattern, 'does_not_hold', '0 of 1 specific work on both, 0 of 1 others: not larger');
  const empty = summariseField([]);
  t.equal(empty.partnershipCount, 0);
  t.ok(empty.findings.every((f) => f.pattern === 'not_enough_data' && f.caution === null));
  t.equal(empty.indicators.shares.withOwner, null);
});
