/**
 * The partnership self-assessment (`GET /initiatives/{id}/assessment`), the field summary (`GET /field`) and
 * the data-freshness reading both they and the scorecard carry. They mirror server/domain/{freshness,
 * assessment,field-summary}.ts exactly: the serializer checks every response against them.
 */
import { z } from 'zod';
import { SMART_READINGS } from '../../server/engine/vocabulary.ts';
import {
  ACTION_STATUSES,
  FEEDBACK_LEVELS,
  FEEDBACK_TOPICS,
  FINDING_PATTERNS,
  FORMALITIES,
  FRESHNESS_STATUSES,
  STAGES,
  QUADRANTS,
  WORK_LEVELS,
} from '../vocabulary.ts';
import { Timestamp, Uuid } from './common.ts';
import { Formality, Stage, WorkLevel } from './initiatives.ts';
import { IndicatorLevel, LagUnit, Quadrant } from './indicators.ts';

const Share = z.number().nullable().meta({ description: 'A fraction 0–1; null when there is nothing to count' });
const Reading = z.enum(SMART_READINGS);
/** `{ key: count }` for every key, in the order given. */
const counts = <T extends string>(keys: readonly T[]) =>
  z.object(Object.fromEntries(keys.map((k) => [k, z.number().int()])) as Record<T, z.ZodNumber>);
export const FreshnessStatus = z.enum(FRESHNESS_STATUSES);

export const Freshness = z
  .object({
    status: FreshnessStatus,
    reportingLag: z.object({ amount: z.number().int(), unit: LagUnit }).nullable(),
    latestPeriod: z.string().nullable().meta({ description: 'The latest period with data (total slice)' }),
    expectedPeriod: z.string().nullable().meta({ description: 'The latest period whose data were due before today' }),
    expectedDueDate: z.string().nullable(),
    nextPeriod: z.string().nullable().meta({ description: 'The first period not yet entered' }),
    nextDueDate: z.string().nullable().meta({ description: 'When its data are (or were) due, YYYY-MM-DD' }),
    periodsBehind: z.number().int().nullable(),
    daysOverdue: z.number().int().nullable(),
    reason: z.string(),
  })
  .meta({
    id: 'Freshness',
    description: 'Are the data in on time? due(p) = last day of p + the reporting lag (docs/accountability.md)',
  });

export const OwnerRef = z.object({ id: Uuid, name: z.string() }).nullable().meta({ description: 'The owner partner' });

const Profile = z.object({ formality: Formality.nullable(), stage: Stage.nullable(), workLevel: WorkLevel.nullable() });

const Readings = z.object({
  sharedResult: z.object({
    reading: Reading.meta({
      description: "The partnership's reading: the best among its results (SMART check); unsure without one",
    }),
    basis: z.string(),
    results: z.array(
      z.object({
        id: Uuid,
        statement: z.string(),
        reading: Reading,
        readingReason: z.string(),
        shortfalls: z
          .array(z.string())
          .meta({ description: 'The SMART criteria short of pass, for the result and then its indicators' }),
      }),
    ),
  }),
  indicators: z.object({
    total: z.number().int(),
    population: z.number().int(),
    performance: z.number().int(),
    withOwner: z.number().int(),
    withTarget: z.number().int(),
    withCurveReport: z.number().int(),
    freshness: z.object({
      fresh: z.number().int(),
      overdue: z.number().int(),
      noData: z.number().int(),
      noExpectation: z.number().int(),
    }),
    shares: z.object({
      withOwner: Share,
      withTarget: Share,
      freshData: Share.meta({ description: 'Fresh among indicators with a reporting lag' }),
      withCurveReport: Share,
    }),
  }),
  performance: z.object({
    measures: z.number().int(),
    quadrants: counts([...QUADRANTS, 'unspecified'] as const),
    programs: z.number().int(),
  }),
  actions: z.object({
    total: z.number().int(),
    byStatus: counts(ACTION_STATUSES),
    quickWins: z.number().int(),
    withoutOwner: z.number().int(),
    overdue: z.number().int(),
    onTime: z.number().int(),
    late: z.number().int(),
    onTimeShare: Share.meta({ description: 'Done on time among actions done or past due' }),
  }),
});

export const FeedbackItem = z
  .object({
    code: z.string().meta({ example: 'unsure_and_informal' }),
    topic: z.enum(FEEDBACK_TOPICS),
    level: z.enum(FEEDBACK_LEVELS),
    message: z.string().meta({ description: 'What to make of it, in plain words' }),
    reasons: z.array(z.string()).meta({ description: 'The facts it follows from' }),
  })
  .meta({ id: 'FeedbackItem' });

export const PartnershipAssessment = z
  .object({
    initiativeId: Uuid,
    name: z.string(),
    assessedAt: Timestamp.meta({ description: 'The moment deadlines (data due, actions due) were judged at' }),
    profile: Profile.meta({ description: 'How the partnership describes itself (PATCH /initiatives/{id})' }),
    readings: Readings.meta({ description: 'What the data say' }),
    feedback: z.array(FeedbackItem).meta({ description: 'Concerns first, then suggestions, then strengths' }),
    summary: z.string().meta({ description: 'A plain-language paragraph' }),
    indicators: z.array(
      z.object({
        id: Uuid,
        name: z.string(),
        resultId: Uuid,
        level: IndicatorLevel,
        quadrant: Quadrant.nullable(),
        programName: z.string().nullable(),
        owner: OwnerRef,
        hasTarget: z.boolean(),
        hasCurveReport: z.boolean(),
        freshness: Freshness,
      }),
    ),
  })
  .meta({
    id: 'PartnershipAssessment',
    description: "The partnership's profile read with what its data say, with feedback and its reasons",
  });

const FORMALITY_KEYS = [...FORMALITIES, 'unknown'] as const;
const STAGE_KEYS = [...STAGES, 'unknown'] as const;
const WORK_KEYS = [...WORK_LEVELS, 'unknown'] as const;
const byReading = <T extends z.ZodType>(inner: T) => z.object({ specific: inner, general: inner, unsure: inner });
const FindingShare = z.object({
  of: z.string(),
  numerator: z.number().int(),
  denominator: z.number().int(),
  share: Share,
});

export const FieldSummary = z
  .object({
    assessedAt: Timestamp,
    partnershipCount: z
      .number()
      .int()
      .meta({ description: 'Partnerships the caller may see (anonymous: the public ones)' }),
    profiles: z.object({ formality: counts(FORMALITY_KEYS), stage: counts(STAGE_KEYS), workLevel: counts(WORK_KEYS) }),
    readings: counts(SMART_READINGS),
    crossTabs: z.object({
      readingByFormality: byReading(counts(FORMALITY_KEYS)),
      readingByWorkLevel: byReading(counts(WORK_KEYS)),
      readingByStage: byReading(counts(STAGE_KEYS)),
    }),
    findings: z.array(
      z.object({
        code: z.enum(['formal_more_often_specific', 'unsure_tend_to_be_informal', 'specific_goes_with_both']),
        research: z.string(),
        share: FindingShare,
        comparison: FindingShare,
        pattern: z.enum(FINDING_PATTERNS),
        message: z.string(),
        caution: z.string().nullable(),
      }),
    ),
    indicators: z.object({
      total: z.number().int(),
      withOwner: z.number().int(),
      withTarget: z.number().int(),
      withLag: z.number().int(),
      fresh: z.number().int(),
      shares: z.object({ withOwner: Share, withTarget: Share, freshData: Share }),
    }),
    actions: z.object({
      total: z.number().int(),
      overdue: z.number().int(),
      onTime: z.number().int(),
      late: z.number().int(),
      quickWins: z.number().int(),
      onTimeShare: Share,
      partnershipsWithQuickWin: z.number().int(),
    }),
    partnerships: z.array(
      z.object({
        id: Uuid,
        name: z.string(),
        slug: z.string(),
        formality: Formality.nullable(),
        stage: Stage.nullable(),
        workLevel: WorkLevel.nullable(),
        reading: Reading,
        indicators: z.number().int(),
        shareWithOwner: Share,
        shareWithTarget: Share,
        shareFreshData: Share,
        actions: z.number().int(),
        overdueActions: z.number().int(),
        quickWins: z.number().int(),
      }),
    ),
  })
  .meta({
    id: 'FieldSummary',
    description:
      'The self-assessment readings of every partnership the caller may see, summarised, with the research findings tested on them',
  });

export type PartnershipAssessmentResponse = z.infer<typeof PartnershipAssessment>;
export type FieldSummaryResponse = z.infer<typeof FieldSummary>;
export type FreshnessResponse = z.infer<typeof Freshness>;
