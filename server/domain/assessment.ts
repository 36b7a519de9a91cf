/**
 * The partnership self-assessment: the partnership's own profile (formality, stage, work level) read together
 * with what its data say, turned into tailored feedback in plain words, each item with its reasons. Pure:
 * loaded facts and `now` in, assessment out.
 *
 * Pipeline of {@link assessPartnership}:
 *   1. read the data (`readPartnership`): the SMART reading of each shared result and of the partnership (its
 *      best result), the shares of indicators with an owner, a target, fresh data and a turn-the-curve report,
 *      the performance measures per quadrant, and the actions (quick wins, overdue, done on time);
 *   2. apply the feedback rules (`partnershipFeedback`), grounded in the seed research on cross-sector
 *      partnerships (more than 750 assessed): formal partnerships are more likely to have a specific shared
 *      result; partnerships unsure of their result tend to be informal; a specific result goes with working
 *      on both programs and systems; every partnership passes through forming, storming, norming and
 *      performing; quick wins inside a 90-day cycle, clear owners and a record of commitments keep partners
 *      engaged;
 *   3. order the feedback (concerns, then suggestions, then strengths; within each, the shared result first, then
 *      data freshness, actions, owners, targets, quick wins, performance measures, reports, work level, stage,
 *      profile) and write a summary paragraph that starts with the first concern.
 *
 * The rules are associations the research observed, not laws: the feedback says "tend to", and the field
 * summary (field-summary.ts) lets a network check them against its own partnerships.
 */
import { SMART_CRITERIA, type SmartCriterionName, type SmartReading } from '../engine/smart-check.ts';
import type { Initiative } from '../../schema/contracts/initiatives.ts';
import type { StoredAction } from './actions.ts';
import { actionTiming, assessFreshness, isQuickWin, utcDate, type ActionStatus, type Freshness } from './freshness.ts';
import type { ResultForAnalysis } from './result-for-analysis.ts';
import { buildSmartCheck } from './smart.ts';
import type { FeedbackLevel, FeedbackTopic, Formality, Quadrant, Stage, WorkLevel } from '../../schema/vocabulary.ts';

export type { FeedbackLevel, FeedbackTopic, Formality, Quadrant, Stage, WorkLevel } from '../../schema/vocabulary.ts';

/** What the assessment reads of one partnership: only what the caller may see of it. */
export interface LoadedPartnership {
  initiative: Initiative;
  /** One per visible result, ready for the SMART check (outcomes are not needed by it). */
  results: ResultForAnalysis[];
  partners: Array<{ id: string; name: string }>;
  actions: StoredAction[];
  /** The indicators that have a turn-the-curve report. */
  reported: Set<string>;
}

export interface PartnershipProfile {
  formality: Formality | null;
  stage: Stage | null;
  workLevel: WorkLevel | null;
}

export interface AssessedResult {
  id: string;
  statement: string;
  reading: SmartReading;
  readingReason: string;
  /** The SMART criteria short of pass (the result's, then its indicators'), in words. */
  shortfalls: string[];
}

export interface AssessedIndicator {
  id: string;
  name: string;
  level: 'population' | 'performance';
  quadrant: Quadrant | null;
  programName: string | null;
  ownerPartnerId: string | null;
  ownerPartnerName: string | null;
  hasTarget: boolean;
  freshness: Freshness;
  hasCurveReport: boolean;
}

export interface AssessedAction {
  id: string;
  title: string;
  status: ActionStatus;
  start: string;
  due: string;
  completedOn: string | null;
  ownerPartnerId: string | null;
  ownerPartnerName: string | null;
}

export interface PartnershipFacts {
  name: string;
  profile: PartnershipProfile;
  results: AssessedResult[];
  indicators: AssessedIndicator[];
  actions: AssessedAction[];
}

const READING_RANK: Record<SmartReading, number> = { unsure: 0, general: 1, specific: 2 };
const SMART_WORDS: Record<SmartCriterionName, string> = {
  specific: 'Specific',
  measurable: 'Measurable',
  attainable: 'Attainable',
  relevant: 'Relevant',
  timeBound: 'Time-bound',
};

export interface PartnershipReadings {
  sharedResult: {
    /** The partnership's reading: the best reading among its results; `unsure` when it has none. */
    reading: SmartReading;
    basis: string;
    results: AssessedResult[];
  };
  indicators: {
    total: number;
    population: number;
    performance: number;
    withOwner: number;
    withTarget: number;
    withCurveReport: number;
    freshness: { fresh: number; overdue: number; noData: number; noExpectation: number };
    shares: {
      withOwner: number | null;
      withTarget: number | null;
      /** Fresh among the indicators with a reporting lag (the others cannot be judged). */
      freshData: number | null;
      withCurveReport: number | null;
    };
  };
  performance: {
    measures: number;
    quadrants: { how_much: number; how_well: number; better_off: number; unspecified: number };
    programs: number;
  };
  actions: {
    total: number;
    byStatus: Record<ActionStatus, number>;
    quickWins: number;
    withoutOwner: number;
    overdue: number;
    onTime: number;
    late: number;
    /** On time among the actions that are done or past due (dropped ones are not judged). */
    onTimeShare: number | null;
  };
}

const share = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

/**
 * The data's side of the assessment.
 *
 * @example Two results read `general` and `unsure` → sharedResult.reading `general` (the best one).
 * @example 4 indicators, 3 with an owner → shares.withOwner 0.75.
 * @example Actions done on time, done late and open past due → onTimeShare 1/3; a dropped one is not counted.
 */
export function readPartnership(facts: PartnershipFacts, now: Date): PartnershipReadings {
  const today = utcDate(now);
  const best = facts.results.reduce<AssessedResult | null>(
    (b, r) => (b === null || READING_RANK[r.reading] > READING_RANK[b.reading] ? r : b),
    null,
  );
  const sharedResult = best
    ? {
        reading: best.reading,
        basis:
          facts.results.length === 1
            ? best.readingReason
            : `The best of its ${facts.results.length} shared results, "${best.statement}": ${best.readingReason}`,
        results: facts.results,
      }
    : { reading: 'unsure' as const, basis: 'It has no shared result (none that you can see).', results: [] };

  const ind = facts.indicators;
  const count = (f: (i: AssessedIndicator) => boolean) => ind.filter(f).length;
  const freshness = {
    fresh: count((i) => i.freshness.status === 'fresh'),
    overdue: count((i) => i.freshness.status === 'overdue'),
    noData: count((i) => i.freshness.status === 'no_data'),
    noExpectation: count((i) => i.freshness.status === 'no_expectation'),
  };
  const withOwner = count((i) => i.ownerPartnerId !== null);
  const withTarget = count((i) => i.hasTarget);
  const withCurveReport = count((i) => i.hasCurveReport);
  const measures = ind.filter((i) => i.level === 'performance');
  const quadrants = { how_much: 0, how_well: 0, better_off: 0, unspecified: 0 };
  for (const m of measures) quadrants[m.quadrant ?? 'unspecified'] += 1;
  const programs = new Set(measures.map((m) => `${m.ownerPartnerId ?? ''}\u0000${m.programName ?? ''}`)).size;

  const byStatus: Record<ActionStatus, number> = { planned: 0, in_progress: 0, done: 0, dropped: 0 };
  let overdue = 0;
  let onTime = 0;
  let late = 0;
  for (const action of facts.actions) {
    byStatus[action.status] += 1;
    const timing = actionTiming(action, today);
    if (timing === 'overdue') overdue += 1;
    if (timing === 'on_time') onTime += 1;
    if (timing === 'late') late += 1;
  }
  return {
    sharedResult,
    indicators: {
      total: ind.length,
      population: ind.length - measures.length,
      performance: measures.length,
      withOwner,
      withTarget,
      withCurveReport,
      freshness,
      shares: {
        withOwner: share(withOwner, ind.length),
        withTarget: share(withTarget, ind.length),
        freshData: share(freshness.fresh, ind.length - freshness.noExpectation),
        withCurveReport: share(withCurveReport, ind.length),
      },
    },
    performance: { measures: measures.length, quadrants, programs },
    actions: {
      total: facts.actions.length,
      byStatus,
      quickWins: facts.actions.filter((a) => isQuickWin(a.start, a.due)).length,
      withoutOwner: facts.actions.filter((a) => a.ownerPartnerId === null).length,
      overdue,
      onTime,
      late,
      onTimeShare: share(onTime, onTime + late + overdue),
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Feedback

export interface FeedbackItem {
  code: string;
  topic: FeedbackTopic;
  level: FeedbackLevel;
  /** What to make of it, in plain words. */
  message: string;
  /** The facts it follows from. */
  reasons: string[];
}

const LEVEL_ORDER: Record<FeedbackLevel, number> = { concern: 0, suggestion: 1, strength: 2 };
/** Within a level, what to look at first: the result, then whether the data come in, then the commitments. */
const TOPIC_ORDER: Record<FeedbackTopic, number> = {
  shared_result: 0,
  data_freshness: 1,
  actions: 2,
  owners: 3,
  targets: 4,
  quick_wins: 5,
  performance: 6,
  curve_reports: 7,
  work_level: 8,
  stage: 9,
  profile: 10,
};
/** Below this many actions done or past due, the on-time share says too little to praise or worry about. */
export const MIN_JUDGED_ACTIONS = 3;

/**
 * @example joinList(['A', 'B', 'C']) // 'A, B and C'
 * @example joinList(['A', 'B', 'C', 'D', 'E', 'F'], 4) // 'A, B, C, D and 2 more'
 */
export function joinList(items: string[], max = 4): string {
  if (items.length <= max)
    return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** @example nameList(['Jobs', 'Wages']) // '"Jobs" and "Wages"' */
export function nameList(names: string[], max = 4): string {
  return joinList(
    names.map((n) => `"${n}"`),
    max,
  );
}

const percent = (value: number | null) => (value === null ? 'n/a' : `${Math.round(value * 100)}%`);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const WORK_WORDS: Record<WorkLevel, string> = {
  programs: 'programs only',
  systems: 'systems only',
  both: 'both programs and systems',
};

const STAGE_ADVICE: Record<Stage, string> = {
  forming:
    'While forming, agree on one shared result and the headline indicator that measures it, name the partner that owns each data series, and plan a quick win inside the first 90-day cycle.',
  storming:
    'Storming is normal: every partnership passes through it. Clear owners and written commitments (actions with an owner and a due date) settle who does what; quick wins rebuild trust.',
  norming:
    'While norming, make the routines stick: data entered on time, a turn-the-curve conversation for each curve, and the action plan reviewed every 90-day cycle.',
  performing:
    'Performing: keep the routines that got you here, share what works with the field, and look beyond programs to the systems that hold the curves where they are.',
};

/**
 * The feedback rules (see the module comment for their grounds). Each item names the facts it follows from.
 *
 * @example An informal partnership with no headline indicator gets the concern `unsure_and_informal`:
 * "Partnerships that are unsure of their shared result tend to be informal…", reasons ["The result has no
 * headline indicator…", "The partnership describes itself as informal."]
 */
export function partnershipFeedback(facts: PartnershipFacts, readings: PartnershipReadings, now: Date): FeedbackItem[] {
  const today = utcDate(now);
  const { profile } = facts;
  const items: FeedbackItem[] = [];
  const add = (level: FeedbackLevel, topic: FeedbackTopic, code: string, message: string, reasons: string[]) =>
    items.push({ code, topic, level, message, reasons });
  const reading = readings.sharedResult.reading;
  const readingFacts = facts.results.map((r) => `"${r.statement}" (${r.reading}): ${r.readingReason}`);

  // 1. The profile itself
  const missing = (['formality', 'stage', 'workLevel'] as const).filter((k) => profile[k] === null);
  if (missing.length > 0) {
    add(
      'suggestion',
      'profile',
      'profile_incomplete',
      'Record how the partnership sees itself (formal or informal, its stage, whether it works on programs, systems or both): the feedback is tailored to it.',
      [`Not recorded: ${missing.map((k) => (k === 'workLevel' ? 'work level' : k)).join(', ')}.`],
    );
  }

  // 2. The shared result, read with formality
  if (facts.results.length === 0) {
    add(
      'concern',
      'shared_result',
      'no_shared_result',
      'Agree on a shared result: one population-level condition of well-being, with a metric, a place and a time frame. Everything else in RBA hangs on it.',
      [
        'The partnership has no shared result (none that you can see).',
        ...(profile.formality === 'informal' ? ['The partnership describes itself as informal.'] : []),
      ],
    );
  } else if (reading === 'unsure') {
    if (profile.formality === 'informal') {
      add(
        'concern',
        'shared_result',
        'unsure_and_informal',
        'Partnerships that are unsure of their shared result tend to be informal (research on more than 750 cross-sector partnerships). Agree on how the result will be measured, and write down who does what: the two tend to come together.',
        [...readingFacts, 'The partnership describes itself as informal.'],
      );
    } else {
      add(
        'concern',
        'shared_result',
        'unsure_result',
        'The partnership is not yet sure of its shared result: give it a headline indicator, a population-level measure of the result itself, so every partner knows what "better" means.',
        [
          ...readingFacts,
          ...(profile.formality === 'formal'
            ? [
                'The partnership describes itself as formal: formal partnerships usually get to a specific result, so this is within reach.',
              ]
            : []),
        ],
      );
    }
  } else if (reading === 'general') {
    add(
      'suggestion',
      'shared_result',
      profile.formality === 'informal' ? 'general_and_informal' : 'general_result',
      profile.formality === 'informal'
        ? 'The shared result is still general. Formal partnerships are more likely to have a specific shared result: codifying roles, procedures and commitments may help the partners agree on targets and dates.'
        : profile.formality === 'formal'
          ? 'Make the shared result specific. Formal partnerships are the most likely to get there: work through the SMART criteria that fall short (GET /results/{resultId}/smart).'
          : 'Make the shared result specific: every criterion of the SMART check should pass, for the result and each of its indicators (GET /results/{resultId}/smart).',
      [
        ...readingFacts,
        ...facts.results.filter((r) => r.reading === 'general').flatMap((r) => r.shortfalls.slice(0, 5)),
        ...(profile.formality ? [`The partnership describes itself as ${profile.formality}.`] : []),
      ],
    );
  } else {
    add(
      'strength',
      'shared_result',
      'specific_result',
      profile.formality === 'informal'
        ? 'The shared result is specific, which informal partnerships reach less often than formal ones: writing down roles and commitments will help keep it.'
        : 'The shared result is specific: it names a population, a place, a time frame, and indicators with baselines and targets.',
      readingFacts,
    );
  }

  // 3. Work level, read with the result
  if (profile.workLevel !== null) {
    const workFact = `The partnership works on ${WORK_WORDS[profile.workLevel]}.`;
    if (profile.workLevel === 'both' && reading === 'specific') {
      add(
        'strength',
        'work_level',
        'programs_and_systems',
        'A specific result goes with working on both programs and systems, as this partnership does.',
        [workFact],
      );
    } else if (profile.workLevel === 'both') {
      add(
        'strength',
        'work_level',
        'programs_and_systems_result_not_specific',
        'Working on both programs and systems is what partnerships with a specific result tend to do; making the result itself specific is the step left.',
        [workFact, `The shared result reads as ${reading}.`],
      );
    } else {
      add(
        'suggestion',
        'work_level',
        profile.workLevel === 'programs' ? 'programs_only' : 'systems_only',
        profile.workLevel === 'programs'
          ? 'Partnerships with a specific result tend to work on both programs and systems. Look at the systems that hold the curve where it is (policies, funding flows, how services connect, data sharing), not only at programs.'
          : 'Partnerships with a specific result tend to work on both programs and systems. Programs give partners visible, near-term results to report; pair the systems work with a few.',
        [workFact, `The shared result reads as ${reading}.`],
      );
    }
  }

  // 4. Stage
  if (profile.stage !== null) {
    const stageFact = `The partnership describes itself as ${profile.stage}.`;
    const ahead =
      (profile.stage === 'norming' || profile.stage === 'performing') &&
      (reading === 'unsure' || (readings.indicators.shares.withOwner ?? 0) < 0.5 || readings.actions.total === 0);
    if (ahead) {
      const gaps = [
        ...(reading === 'unsure' ? ['the shared result is not yet measured'] : []),
        ...((readings.indicators.shares.withOwner ?? 0) < 0.5
          ? [`only ${readings.indicators.withOwner} of ${readings.indicators.total} indicators have an owner`]
          : []),
        ...(readings.actions.total === 0 ? ['there is no action plan'] : []),
      ];
      add(
        'concern',
        'stage',
        'stage_ahead_of_data',
        `The data do not yet show a ${profile.stage} partnership. Every partnership passes through forming, storming, norming and performing, and can slip back: revisit the basics of the earlier stages.`,
        [stageFact, `The data: ${gaps.join('; ')}.`],
      );
    }
    add('suggestion', 'stage', `stage_${profile.stage}`, STAGE_ADVICE[profile.stage], [stageFact]);
  }

  // 5. Owners and targets
  const unowned = facts.indicators.filter((i) => i.ownerPartnerId === null);
  if (facts.indicators.length > 0 && unowned.length === 0) {
    add('strength', 'owners', 'clear_owners', 'Every indicator names the partner that owns its data: clear owners.', [
      `${facts.indicators.length} of ${facts.indicators.length} indicators have an owner.`,
    ]);
  } else if (unowned.length > 0) {
    add(
      (readings.indicators.shares.withOwner ?? 0) < 0.5 ? 'concern' : 'suggestion',
      'owners',
      'indicators_without_owner',
      `Name the partner that owns the data of ${nameList(unowned.map((i) => i.name))}: data without an owner are the first to go stale.`,
      [
        `${readings.indicators.withOwner} of ${readings.indicators.total} indicators have an owner (${percent(readings.indicators.shares.withOwner)}).`,
      ],
    );
  }
  const untargeted = facts.indicators.filter((i) => !i.hasTarget);
  if (untargeted.length > 0) {
    add(
      'suggestion',
      'targets',
      'indicators_without_target',
      `Set a target (a value and a period) for ${nameList(untargeted.map((i) => i.name))}, so progress can be judged.`,
      [
        `${readings.indicators.withTarget} of ${readings.indicators.total} indicators have a target (${percent(readings.indicators.shares.withTarget)}).`,
      ],
    );
  }

  // 6. Data freshness
  const late = facts.indicators.filter((i) => i.freshness.status === 'overdue' || i.freshness.status === 'no_data');
  if (late.length > 0) {
    const who = late.map((i) => {
      const owner = i.ownerPartnerName ? ` (owner: ${i.ownerPartnerName})` : ' (no owner)';
      return i.freshness.status === 'no_data'
        ? `"${i.name}"${owner}: no data yet; data up to ${i.freshness.expectedPeriod} were due by ${i.freshness.expectedDueDate}`
        : `"${i.name}"${owner}: ${i.freshness.nextPeriod} was due by ${i.freshness.nextDueDate}, ${plural(i.freshness.periodsBehind ?? 0, 'period')} behind`;
    });
    const owners = [...new Set(late.map((i) => i.ownerPartnerName).filter((n): n is string => n !== null))];
    add(
      'concern',
      'data_freshness',
      'data_overdue',
      `The data of ${plural(late.length, 'indicator')} are overdue${owners.length > 0 ? `: ask ${joinList(owners, 3)} for the latest figures` : ''}. Partners can only turn a curve they can see.`,
      who.slice(0, 10).concat(who.length > 10 ? [`… and ${who.length - 10} more`] : []),
    );
  } else if (readings.indicators.total - readings.indicators.freshness.noExpectation > 0) {
    add('strength', 'data_freshness', 'data_on_time', 'Every indicator with a reporting lag has its data in on time.', [
      `${readings.indicators.freshness.fresh} of ${readings.indicators.total - readings.indicators.freshness.noExpectation} indicators with a reporting lag are fresh.`,
    ]);
  }
  const unexpected = facts.indicators.filter((i) => i.freshness.status === 'no_expectation');
  if (unexpected.length > 0) {
    add(
      'suggestion',
      'data_freshness',
      'reporting_lag_missing',
      `Say when data are due (a reporting lag, e.g. annual data 6 months after the year ends) for ${nameList(unexpected.map((i) => i.name))}, so late data can be flagged.`,
      [`${plural(unexpected.length, 'indicator')} of ${readings.indicators.total} declare no reporting lag.`],
    );
  }

  // 7. Actions and quick wins
  const a = readings.actions;
  if (a.total === 0) {
    add(
      'concern',
      'actions',
      'no_action_plan',
      'Commit to an action plan: actions with an owner partner, a start and a due date, linked to the curves they are meant to turn. A record of who committed to what is what partners hold each other accountable to.',
      ['No actions are recorded.'],
    );
  } else {
    const overdue = facts.actions.filter((x) => actionTiming(x, today) === 'overdue');
    if (overdue.length > 0) {
      add(
        'concern',
        'actions',
        'actions_overdue',
        `${plural(overdue.length, 'action is', 'actions are')} past due and not done: mark them done (with the date), move the date with a note, or drop them, so the plan stays true.`,
        overdue
          .map(
            (x) =>
              `"${x.title}" (${x.ownerPartnerName ?? 'no owner'}) was due ${x.due} and is ${x.status.replace('_', ' ')}.`,
          )
          .slice(0, 10),
      );
    }
    const judged = a.onTime + a.late + a.overdue;
    if (judged >= MIN_JUDGED_ACTIONS && a.onTimeShare !== null && a.onTimeShare >= 0.8) {
      add('strength', 'actions', 'actions_on_time', 'Partners do what they commit to, on time.', [
        `${a.onTime} of ${a.onTime + a.late + a.overdue} actions done or due were done on time (${percent(a.onTimeShare)}).`,
      ]);
    } else if (judged >= MIN_JUDGED_ACTIONS && a.onTimeShare !== null && a.onTimeShare < 0.5) {
      add(
        'concern',
        'actions',
        'actions_late',
        'Most commitments slip: plan fewer, smaller actions with clear owners, and review them every 90-day cycle.',
        [
          `${a.onTime} of ${a.onTime + a.late + a.overdue} actions done or due were done on time (${percent(a.onTimeShare)}).`,
        ],
      );
    }
    const ownerless = facts.actions.filter((x) => x.ownerPartnerId === null && x.status !== 'dropped');
    if (ownerless.length > 0) {
      add(
        'suggestion',
        'actions',
        'actions_without_owner',
        `Give ${nameList(ownerless.map((x) => x.title))} an owner partner: an action nobody owns is nobody's job.`,
        [`${plural(ownerless.length, 'action has', 'actions have')} no owner.`],
      );
    }
    const wins = facts.actions.filter((x) => isQuickWin(x.start, x.due));
    if (wins.length === 0) {
      add(
        'suggestion',
        'quick_wins',
        'no_quick_win',
        'Plan a quick win: an action due within 90 days of its start, so partners see results inside one reporting cycle and stay engaged.',
        [`None of the ${plural(a.total, 'action')} is due within 90 days of its start.`],
      );
    } else {
      const done = wins.filter((x) => x.status === 'done');
      add('strength', 'quick_wins', 'quick_wins', 'The plan has quick wins inside a 90-day cycle.', [
        `${plural(wins.length, 'quick win')} (${nameList(
          wins.map((x) => x.title),
          3,
        )}), ${done.length} done.`,
      ]);
    }
  }

  // 8. Performance measures
  const p = readings.performance;
  if (p.measures === 0) {
    add(
      'suggestion',
      'performance',
      'no_performance_measures',
      "Add performance measures for the partners' programs (how much did we do, how well did we do it, is anyone better off), under the outcome each contributes to, so each partner's contribution shows next to the population curve.",
      ['No indicator has level performance.'],
    );
  } else {
    const missingQuadrants = (['how_much', 'how_well', 'better_off'] as const).filter((q) => p.quadrants[q] === 0);
    if (p.quadrants.unspecified > 0) {
      add(
        'suggestion',
        'performance',
        'quadrant_missing',
        'Say which question each performance measure answers: how much, how well, or is anyone better off.',
        [`${plural(p.quadrants.unspecified, 'performance measure has', 'performance measures have')} no quadrant.`],
      );
    }
    if (missingQuadrants.length === 0) {
      add(
        'strength',
        'performance',
        'all_quadrants',
        'Programs report how much they did, how well, and whether anyone is better off.',
        [`${p.quadrants.how_much} how much, ${p.quadrants.how_well} how well, ${p.quadrants.better_off} better off.`],
      );
    } else {
      add(
        'suggestion',
        'performance',
        missingQuadrants.includes('better_off') ? 'no_better_off_measure' : 'quadrant_gap',
        missingQuadrants.includes('better_off')
          ? 'Add a "better off" measure: how much a program did matters less than whether anyone is better off for it.'
          : `Add ${missingQuadrants.map((q) => q.replace('_', ' ')).join(' and ')} measures, so each program's story is complete.`,
        [`No performance measure answers ${missingQuadrants.map((q) => `"${q.replace('_', ' ')}"`).join(' or ')}.`],
      );
    }
  }

  // 9. Turn-the-curve reports
  const unreported = facts.indicators.filter((i) => i.level === 'population' && !i.hasCurveReport);
  const population = facts.indicators.filter((i) => i.level === 'population');
  if (unreported.length > 0) {
    add(
      'suggestion',
      'curve_reports',
      'curve_reports_missing',
      `Write the turn-the-curve report for ${nameList(unreported.map((i) => i.name))}: the story behind the curve, the partners with a role to play, what works, and the action plan.`,
      [
        `${population.length - unreported.length} of ${population.length} population indicators have a turn-the-curve report.`,
      ],
    );
  } else if (population.length > 0) {
    add('strength', 'curve_reports', 'curve_reports_written', 'Every population curve has its turn-the-curve report.', [
      `${population.length} of ${population.length} population indicators have a report.`,
    ]);
  }

  return items
    .map((item, order) => ({ item, order }))
    .sort(
      (x, y) =>
        LEVEL_ORDER[x.item.level] - LEVEL_ORDER[y.item.level] ||
        TOPIC_ORDER[x.item.topic] - TOPIC_ORDER[y.item.topic] ||
        x.order - y.order,
    )
    .map((x) => x.item);
}

export interface PartnershipAssessment {
  profile: PartnershipProfile;
  readings: PartnershipReadings;
  feedback: FeedbackItem[];
  summary: string;
}

const STAGE_WORDS: Record<Stage, string> = {
  forming: 'forming',
  storming: 'storming',
  norming: 'norming',
  performing: 'performing',
};

/** A paragraph a partner can read aloud at the next meeting. */
export function summarise(facts: PartnershipFacts, readings: PartnershipReadings, feedback: FeedbackItem[]): string {
  const { formality, stage, workLevel } = facts.profile;
  const who = [
    formality ? `${formality === 'informal' ? 'an' : 'a'} ${formality} partnership` : 'a partnership',
    stage ? `in its ${STAGE_WORDS[stage]} stage` : null,
    workLevel ? `working on ${WORK_WORDS[workLevel]}` : null,
  ]
    .filter(Boolean)
    .join(', ');
  const i = readings.indicators;
  const late = i.freshness.overdue + i.freshness.noData;
  const parts = [
    formality || stage || workLevel
      ? `${facts.name} describes itself as ${who}.`
      : `${facts.name} has not recorded how it sees itself.`,
    facts.results.length === 0
      ? 'It has no shared result yet.'
      : `Its shared result reads as ${readings.sharedResult.reading}.`,
    i.total === 0
      ? 'It tracks no indicators yet.'
      : `Of its ${plural(i.total, 'indicator')}${i.performance > 0 ? ` (${i.performance} of them performance measures)` : ''}, ${i.withOwner} ${i.withOwner === 1 ? 'has' : 'have'} an owner, ${i.withTarget} a target and ${i.freshness.fresh} fresh data${late > 0 ? `; ${late} ${late === 1 ? 'is' : 'are'} overdue` : ''}.`,
    readings.actions.total === 0
      ? 'No actions are recorded.'
      : `Of its ${plural(readings.actions.total, 'action')}, ${readings.actions.byStatus.done} are done and ${readings.actions.overdue} overdue; ${plural(readings.actions.quickWins, 'is a quick win', 'are quick wins')}.`,
  ];
  const counts = (level: FeedbackLevel) => feedback.filter((f) => f.level === level).length;
  parts.push(
    `Feedback: ${plural(counts('concern'), 'concern')}, ${plural(counts('suggestion'), 'suggestion')}, ${plural(counts('strength'), 'strength')}.`,
  );
  const first = feedback.find((f) => f.level === 'concern');
  if (first) parts.push(`Start with this: ${first.message}`);
  return parts.join(' ');
}

/**
 * The whole self-assessment.
 *
 * @example assessPartnership({ name: 'Detroit Jobs Partnership', profile: { formality: 'informal', stage: 'forming',
 *   workLevel: 'programs' }, results: [], indicators: [], actions: [] }, now)
 * // feedback starts with the concerns `no_shared_result` and `no_action_plan`; readings.sharedResult.reading 'unsure'.
 */
export function assessPartnership(facts: PartnershipFacts, now: Date): PartnershipAssessment {
  const readings = readPartnership(facts, now);
  const feedback = partnershipFeedback(facts, readings, now);
  return { profile: facts.profile, readings, feedback, summary: summarise(facts, readings, feedback) };
}

// ---------------------------------------------------------------------------------------------------------
// From loaded rows to facts

export interface AssessedIndicatorDetail extends AssessedIndicator {
  resultId: string;
}

/**
 * The facts of one loaded partnership: the SMART reading of each result (`buildSmartCheck`, the same check
 * as `GET /results/{id}/smart`), each indicator's freshness at `now` (latest period of its total slice),
 * owner names, and its actions.
 */
export function partnershipFacts(
  loaded: LoadedPartnership,
  now: Date,
): { facts: PartnershipFacts; indicators: AssessedIndicatorDetail[] } {
  const partnerName = new Map(loaded.partners.map((p) => [p.id, p.name]));
  const results: AssessedResult[] = [];
  const indicators: AssessedIndicatorDetail[] = [];
  for (const entry of loaded.results) {
    const smart = buildSmartCheck(entry);
    const words = (c: SmartCriterionName) => SMART_WORDS[c];
    const shortfalls = [
      ...SMART_CRITERIA.filter((c) => smart.result[c].status !== 'pass').map(
        (c) => `${words(c)} (${smart.result[c].status}): ${smart.result[c].reasons.join(' ')}`,
      ),
      ...smart.indicators.flatMap((i) =>
        SMART_CRITERIA.filter((c) => i.criteria[c].status !== 'pass').map(
          (c) => `"${i.name}", ${words(c).toLowerCase()} (${i.criteria[c].status}): ${i.criteria[c].reasons.join(' ')}`,
        ),
      ),
    ];
    results.push({
      id: entry.result.id,
      statement: entry.result.statement,
      reading: smart.reading,
      readingReason: smart.readingReason,
      shortfalls,
    });
    for (const { indicator, totalPoints } of entry.indicators) {
      indicators.push({
        id: indicator.id,
        name: indicator.name,
        resultId: indicator.resultId,
        level: indicator.level,
        quadrant: indicator.quadrant ?? null,
        programName: indicator.programName ?? null,
        ownerPartnerId: indicator.ownerPartnerId,
        ownerPartnerName: indicator.ownerPartnerId ? (partnerName.get(indicator.ownerPartnerId) ?? null) : null,
        hasTarget: indicator.target !== null,
        hasCurveReport: loaded.reported.has(indicator.id),
        freshness: assessFreshness(
          {
            calendar: { frequency: indicator.frequency, yearStartMonth: indicator.yearStartMonth },
            reportingLag: indicator.reportingLag ?? null,
            latestPeriod: totalPoints.at(-1)?.period ?? null,
          },
          now,
        ),
      });
    }
  }
  const { initiative } = loaded;
  return {
    facts: {
      name: initiative.name,
      profile: {
        formality: initiative.formality,
        stage: initiative.stage,
        workLevel: initiative.workLevel,
      },
      results,
      indicators,
      actions: loaded.actions.map((a) => ({
        id: a.id,
        title: a.title,
        status: a.status,
        start: a.start,
        due: a.due,
        completedOn: a.completedOn,
        ownerPartnerId: a.ownerPartnerId,
        ownerPartnerName: a.ownerPartnerName,
      })),
    },
    indicators,
  };
}
