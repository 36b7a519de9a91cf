import { z } from 'zod';
import { CurveSignal, CurveStatus, ForecastComparison, Progress, ProgressStatus, TrendDirection } from './analysis.ts';
import { Freshness, FreshnessStatus, OwnerRef } from './assessment.ts';
import { ActionStatus } from './actions.ts';
import { Frequency, IndicatorLevel, Polarity, Quadrant, Unit } from './indicators.ts';
import { Outcome } from './outcomes.ts';
import { Result } from './results.ts';
import { Uuid, Visibility } from './common.ts';

const statusCounts = <T extends z.ZodEnum>(statuses: T) =>
  z.object(
    Object.fromEntries(statuses.options.map((s) => [s, z.number().int()])) as Record<z.infer<T> & string, z.ZodNumber>,
  );

export const RollUp = z
  .object({
    method: z.literal('mean_score'),
    status: ProgressStatus,
    label: z.string(),
    score: z.number().nullable(),
    counts: z.object({
      progress: statusCounts(ProgressStatus),
      curve: statusCounts(CurveStatus),
      trend: z.object({ good: z.number().int(), bad: z.number().int(), unknown: z.number().int() }),
    }),
    indicatorCount: z.number().int(),
    scoredCount: z.number().int(),
    shareTrendingGood: z.number().nullable(),
  })
  .meta({
    id: 'RollUp',
    description:
      'docs/methodology.md §7: the mean score of every population indicator below, with counts per status. Performance measures are shown apart and not rolled up (docs/accountability.md).',
  });

export const IndicatorSummary = z
  .object({
    id: Uuid,
    name: z.string(),
    code: z.string().nullable(),
    unit: Unit,
    unitLabel: z.string().nullable(),
    decimals: z.number().int().nullable(),
    polarity: Polarity,
    frequency: Frequency,
    level: IndicatorLevel,
    visibility: Visibility,
    ownerPartnerId: Uuid.nullable(),
    target: z.object({ period: z.string(), value: z.number() }).nullable(),
    latest: z.object({ period: z.string(), value: z.number() }).nullable(),
    trend: z.object({
      direction: TrendDirection.nullable(),
      periods: z.number().int().nullable(),
      good: z.boolean().nullable(),
      sustained: z.boolean(),
    }),
    curve: z.object({
      status: CurveStatus,
      latestVsForecast: ForecastComparison.nullable(),
      signals: z.array(CurveSignal),
    }),
    progress: Progress.pick({ method: true, status: true, label: true, score: true, value: true, onPace: true }),
    // The fields below are always present in this server's scorecards (freshness and overdueActions whenever
    // the scorecard is judged at a moment); optional in the type so hand-built summaries still type-check.
    quadrant: Quadrant.nullable()
      .optional()
      .meta({ description: 'Performance measures: how_much | how_well | better_off' }),
    programName: z.string().nullable().optional(),
    ownerPartnerName: z.string().nullable().optional(),
    freshness: Freshness.optional(),
    overdueActions: z
      .number()
      .int()
      .optional()
      .meta({ description: 'Actions linked to this indicator that are past due and not done' }),
  })
  .meta({ id: 'IndicatorSummary' });

const QuadrantIds = z.object({
  how_much: z.array(Uuid),
  how_well: z.array(Uuid),
  better_off: z.array(Uuid),
  unspecified: z.array(Uuid),
});

export const ScorecardProgram = z
  .object({
    programName: z.string().nullable(),
    owner: OwnerRef,
    outcomeIds: z
      .array(Uuid.nullable())
      .meta({ description: 'The outcomes its measures contribute to (null = the result itself)' }),
    measures: QuadrantIds.meta({ description: 'Indicator ids of its performance measures, per quadrant' }),
  })
  .meta({
    id: 'ScorecardProgram',
    description: "A partner's program and its performance measures: its contribution next to the population curves",
  });

export const ScorecardFreshness = z
  .object({
    counts: statusCounts(FreshnessStatus),
    overdue: z
      .array(
        z.object({
          indicatorId: Uuid,
          name: z.string(),
          level: IndicatorLevel,
          owner: OwnerRef,
          freshness: Freshness,
        }),
      )
      .meta({
        description: 'Indicators whose data are overdue (or missing although due), with the owner partner to ask',
      }),
  })
  .meta({ id: 'ScorecardFreshness' });

export const ScorecardActions = z
  .object({
    counts: statusCounts(ActionStatus),
    overdue: z
      .array(
        z.object({
          id: Uuid,
          title: z.string(),
          status: ActionStatus,
          start: z.string(),
          due: z.string(),
          daysOverdue: z.number().int(),
          owner: OwnerRef,
          indicatorIds: z.array(Uuid),
        }),
      )
      .meta({ description: 'Actions past due and not done' }),
  })
  .meta({ id: 'ScorecardActions', description: 'Actions linked to the indicators of this result' });

export type IndicatorSummary = z.infer<typeof IndicatorSummary>;
export type RollUpResponse = z.infer<typeof RollUp>;

export type ScorecardOutcome = z.infer<typeof Outcome> & {
  rollUp: RollUpResponse;
  indicators: IndicatorSummary[];
  /** Always present in this server's scorecards; optional so hand-built scorecards still type-check. */
  performanceMeasures?: IndicatorSummary[];
  outcomes: ScorecardOutcome[];
};

export const ScorecardOutcome: z.ZodType<ScorecardOutcome> = z
  .lazy(() =>
    z.object({
      ...Outcome.shape,
      rollUp: RollUp,
      indicators: z.array(IndicatorSummary).meta({ description: 'Population indicators of this outcome' }),
      performanceMeasures: z.array(IndicatorSummary).optional().meta({
        description: "Performance measures of partners' programs contributing to this outcome (not rolled up)",
      }),
      outcomes: z.array(ScorecardOutcome),
    }),
  )
  .meta({ id: 'ScorecardOutcome' });

export const ResultScorecard = z
  .object({
    engineVersion: z.string(),
    level: z.number(),
    asOf: z.string().nullable(),
    result: Result,
    rollUp: RollUp,
    indicators: z.array(IndicatorSummary).meta({ description: 'Headline population indicators' }),
    outcomes: z.array(ScorecardOutcome),
    // Always present in this server's scorecards (dataFreshness and actions whenever judged at a moment).
    performanceMeasures: z
      .array(IndicatorSummary)
      .optional()
      .meta({ description: 'Performance measures hung on the result itself (they belong under outcomes)' }),
    programs: z.array(ScorecardProgram).optional(),
    judgedAt: z
      .string()
      .nullable()
      .optional()
      .meta({ description: 'The moment deadlines were judged at: asOf, or the time of the request' }),
    dataFreshness: ScorecardFreshness.optional(),
    actions: ScorecardActions.optional(),
  })
  .meta({
    id: 'ResultScorecard',
    description:
      "The tree of a result with each indicator's analysis summary, the roll-ups, data freshness and overdue actions",
  });

export type ResultScorecard = z.infer<typeof ResultScorecard>;
