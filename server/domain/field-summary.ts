/**
 * The state of a field: the self-assessment readings of many partnerships summarised as counts, shares and
 * cross-tabulations, so a network of partnerships can see where its members stand and check the seed
 * research's findings against its own members. Pure: readings in, summary out.
 *
 * Pipeline of {@link summariseField}:
 *   1. count the profiles (formality, stage, work level; `unknown` when not recorded) and the readings of the
 *      shared results (each partnership's best reading; `unsure` without a result);
 *   2. cross-tabulate the readings by formality, work level and stage;
 *   3. test the three findings of the research on this field: formal partnerships more often have a
 *      specific result; partnerships unsure of their result tend to be informal; a specific result goes with
 *      working on both programs and systems. Each finding gives the two shares it compares and whether the
 *      pattern holds here, with a caution when a share rests on fewer than 5 partnerships;
 *   4. pool the indicators (owners, targets, fresh data) and the actions (overdue, on time, quick wins);
 *   5. list each partnership with its own reading and shares.
 */
import type { SmartReading } from '../engine/smart-check.ts';
import type { FindingPattern } from '../../schema/vocabulary.ts';
import type { Formality, PartnershipProfile, PartnershipReadings, Stage, WorkLevel } from './assessment.ts';

export interface FieldMember {
  id: string;
  name: string;
  slug: string;
  profile: PartnershipProfile;
  readings: PartnershipReadings;
}

type WithUnknown<T extends string> = Record<T | 'unknown', number>;

export type { FindingPattern } from '../../schema/vocabulary.ts';

export interface Share {
  numerator: number;
  denominator: number;
  share: number | null;
}

export interface FieldFinding {
  code: 'formal_more_often_specific' | 'unsure_tend_to_be_informal' | 'specific_goes_with_both';
  /** The research's finding, as stated. */
  research: string;
  /** The share the finding is about, and the share it is compared with. */
  share: Share & { of: string };
  comparison: Share & { of: string };
  pattern: FindingPattern;
  message: string;
  /** Set when either share rests on fewer than 5 partnerships. */
  caution: string | null;
}

export interface FieldSummary {
  partnershipCount: number;
  profiles: {
    formality: WithUnknown<Formality>;
    stage: WithUnknown<Stage>;
    workLevel: WithUnknown<WorkLevel>;
  };
  readings: Record<SmartReading, number>;
  crossTabs: {
    readingByFormality: Record<SmartReading, WithUnknown<Formality>>;
    readingByWorkLevel: Record<SmartReading, WithUnknown<WorkLevel>>;
    readingByStage: Record<SmartReading, WithUnknown<Stage>>;
  };
  findings: FieldFinding[];
  indicators: {
    total: number;
    withOwner: number;
    withTarget: number;
    withLag: number;
    fresh: number;
    shares: { withOwner: number | null; withTarget: number | null; freshData: number | null };
  };
  actions: {
    total: number;
    overdue: number;
    onTime: number;
    late: number;
    quickWins: number;
    onTimeShare: number | null;
    partnershipsWithQuickWin: number;
  };
  partnerships: Array<{
    id: string;
    name: string;
    slug: string;
    formality: Formality | null;
    stage: Stage | null;
    workLevel: WorkLevel | null;
    reading: SmartReading;
    indicators: number;
    shareWithOwner: number | null;
    shareWithTarget: number | null;
    shareFreshData: number | null;
    actions: number;
    overdueActions: number;
    quickWins: number;
  }>;
}

const READINGS: SmartReading[] = ['specific', 'general', 'unsure'];
const FORMALITIES = ['formal', 'informal', 'unknown'] as const;
const STAGES = ['forming', 'storming', 'norming', 'performing', 'unknown'] as const;
const WORK_LEVELS = ['programs', 'systems', 'both', 'unknown'] as const;
const SMALL = 5;

const zeros = <K extends string>(keys: readonly K[]) =>
  Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
const ratio = (numerator: number, denominator: number): Share => ({
  numerator,
  denominator,
  share: denominator === 0 ? null : numerator / denominator,
});
const pct = (s: Share) => (s.share === null ? 'n/a' : `${Math.round(s.share * 100)}%`);

/**
 * Compares two shares: the pattern `holds` when the first is larger, `does_not_hold` when it is not, and
 * `not_enough_data` when either has no partnership to count.
 */
function finding(
  code: FieldFinding['code'],
  research: string,
  share: Share & { of: string },
  comparison: Share & { of: string },
  words: (pattern: FindingPattern) => string,
): FieldFinding {
  const pattern: FindingPattern =
    share.share === null || comparison.share === null
      ? 'not_enough_data'
      : share.share > comparison.share
        ? 'holds'
        : 'does_not_hold';
  const small = Math.min(share.denominator, comparison.denominator);
  return {
    code,
    research,
    share,
    comparison,
    pattern,
    message: words(pattern),
    caution:
      pattern !== 'not_enough_data' && small < SMALL
        ? `Based on very few partnerships (${small} in the smaller group): read it as an anecdote, not a pattern.`
        : null,
  };
}

const VERDICT: Record<FindingPattern, string> = {
  holds: "The research's pattern holds in this field.",
  does_not_hold: "The research's pattern does not hold in this field.",
  not_enough_data: 'There are not enough partnerships with this recorded to compare.',
};

/**
 * @example Three partnerships: formal/specific/both, formal/general/programs, informal/unsure/programs →
 * readings { specific: 1, general: 1, unsure: 1 }; formal_more_often_specific: 1 of 2 formal (50%) against
 * 0 of 1 informal (0%) → holds (with a caution: fewer than 5); unsure_tend_to_be_informal: 1 of 1 unsure is
 * informal (100%) against 0 of 2 others (0%) → holds; specific_goes_with_both: 1 of 1 (100%) against 0 of 2 → holds.
 */
export function summariseField(members: FieldMember[]): FieldSummary {
  const profiles = { formality: zeros(FORMALITIES), stage: zeros(STAGES), workLevel: zeros(WORK_LEVELS) };
  const readings = zeros(READINGS);
  const crossTabs = {
    readingByFormality: Object.fromEntries(
      READINGS.map((r) => [r, zeros(FORMALITIES)]),
    ) as FieldSummary['crossTabs']['readingByFormality'],
    readingByWorkLevel: Object.fromEntries(
      READINGS.map((r) => [r, zeros(WORK_LEVELS)]),
    ) as FieldSummary['crossTabs']['readingByWorkLevel'],
    readingByStage: Object.fromEntries(
      READINGS.map((r) => [r, zeros(STAGES)]),
    ) as FieldSummary['crossTabs']['readingByStage'],
  };
  for (const { profile, readings: r } of members) {
    const reading = r.sharedResult.reading;
    const formality = profile.formality ?? 'unknown';
    const stage = profile.stage ?? 'unknown';
    const workLevel = profile.workLevel ?? 'unknown';
    profiles.formality[formality] += 1;
    profiles.stage[stage] += 1;
    profiles.workLevel[workLevel] += 1;
    readings[reading] += 1;
    crossTabs.readingByFormality[reading][formality] += 1;
    crossTabs.readingByWorkLevel[reading][workLevel] += 1;
    crossTabs.readingByStage[reading][stage] += 1;
  }

  const byF = crossTabs.readingByFormality;
  const formalShare = {
    ...ratio(byF.specific.formal, profiles.formality.formal),
    of: 'formal partnerships with a specific shared result',
  };
  const informalShare = {
    ...ratio(byF.specific.informal, profiles.formality.informal),
    of: 'informal partnerships with a specific shared result',
  };
  const unsureKnown = byF.unsure.formal + byF.unsure.informal;
  const othersKnown = byF.specific.formal + byF.specific.informal + byF.general.formal + byF.general.informal;
  const informalAmongUnsure = {
    ...ratio(byF.unsure.informal, unsureKnown),
    of: 'informal partnerships among those unsure of their result',
  };
  const informalAmongOthers = {
    ...ratio(byF.specific.informal + byF.general.informal, othersKnown),
    of: 'informal partnerships among those with a specific or general result',
  };
  const byW = crossTabs.readingByWorkLevel;
  const specificKnown = byW.specific.programs + byW.specific.systems + byW.specific.both;
  const othersKnownW = READINGS.filter((r) => r !== 'specific').reduce(
    (s, r) => s + byW[r].programs + byW[r].systems + byW[r].both,
    0,
  );
  const bothAmongSpecific = {
    ...ratio(byW.specific.both, specificKnown),
    of: 'partnerships working on both programs and systems among those with a specific result',
  };
  const bothAmongOthers = {
    ...ratio(byW.general.both + byW.unsure.both, othersKnownW),
    of: 'partnerships working on both among the others',
  };

  const findings = [
    finding(
      'formal_more_often_specific',
      'Formal partnerships are more likely to have a specific shared result.',
      formalShare,
      informalShare,
      (p) =>
        `${formalShare.numerator} of ${formalShare.denominator} formal partnerships (${pct(formalShare)}) have a specific shared result, against ${informalShare.numerator} of ${informalShare.denominator} informal ones (${pct(informalShare)}). ${VERDICT[p]}`,
    ),
    finding(
      'unsure_tend_to_be_informal',
      'Partnerships unsure of their shared result tend to be informal.',
      informalAmongUnsure,
      informalAmongOthers,
      (p) =>
        `${informalAmongUnsure.numerator} of the ${informalAmongUnsure.denominator} partnerships unsure of their result (${pct(informalAmongUnsure)}) are informal, against ${informalAmongOthers.numerator} of ${informalAmongOthers.denominator} among the others (${pct(informalAmongOthers)}). ${VERDICT[p]}`,
    ),
    finding(
      'specific_goes_with_both',
      'A specific shared result goes with working on both programs and systems.',
      bothAmongSpecific,
      bothAmongOthers,
      (p) =>
        `${bothAmongSpecific.numerator} of the ${bothAmongSpecific.denominator} partnerships with a specific result (${pct(bothAmongSpecific)}) work on both programs and systems, against ${bothAmongOthers.numerator} of ${bothAmongOthers.denominator} among the others (${pct(bothAmongOthers)}). ${VERDICT[p]}`,
    ),
  ];

  const sum = (f: (r: PartnershipReadings) => number) => members.reduce((s, m) => s + f(m.readings), 0);
  const total = sum((r) => r.indicators.total);
  const withOwner = sum((r) => r.indicators.withOwner);
  const withTarget = sum((r) => r.indicators.withTarget);
  const withLag = sum((r) => r.indicators.total - r.indicators.freshness.noExpectation);
  const fresh = sum((r) => r.indicators.freshness.fresh);
  const onTime = sum((r) => r.actions.onTime);
  const late = sum((r) => r.actions.late);
  const overdue = sum((r) => r.actions.overdue);

  return {
    partnershipCount: members.length,
    profiles,
    readings,
    crossTabs,
    findings,
    indicators: {
      total,
      withOwner,
      withTarget,
      withLag,
      fresh,
      shares: {
        withOwner: ratio(withOwner, total).share,
        withTarget: ratio(withTarget, total).share,
        freshData: ratio(fresh, withLag).share,
      },
    },
    actions: {
      total: sum((r) => r.actions.total),
      overdue,
      onTime,
      late,
      quickWins: sum((r) => r.actions.quickWins),
      onTimeShare: ratio(onTime, onTime + late + overdue).share,
      partnershipsWithQuickWin: members.filter((m) => m.readings.actions.quickWins > 0).length,
    },
    partnerships: members.map((m) => ({
      id: m.id,
      name: m.name,
      slug: m.slug,
      formality: m.profile.formality,
      stage: m.profile.stage,
      workLevel: m.profile.workLevel,
      reading: m.readings.sharedResult.reading,
      indicators: m.readings.indicators.total,
      shareWithOwner: m.readings.indicators.shares.withOwner,
      shareWithTarget: m.readings.indicators.shares.withTarget,
      shareFreshData: m.readings.indicators.shares.freshData,
      actions: m.readings.actions.total,
      overdueActions: m.readings.actions.overdue,
      quickWins: m.readings.actions.quickWins,
    })),
  };
}
