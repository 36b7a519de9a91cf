import { z } from 'zod';
import { CurveStatus, Progress, ProgressStatus } from './analysis.ts';
import { Frequency, IndicatorLevel, Polarity, Unit } from './indicators.ts';
import { Outcome } from './outcomes.ts';
import { Result } from './results.ts';
import { Uuid, Visibility } from './common.ts';

const statusCounts = <T extends z.ZodEnum>(statuses: T) =>
  z.object(Object.fromEntries(statuses.options.map((s) => [s, z.number().int()])) as Record<z.infer<T> & string, z.ZodNumber>);

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
  .meta({ id: 'RollUp', description: 'engine.md §7: the mean score of every indicator below, with counts per status' });

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
      direction: z.enum(['up', 'down', 'flat']).nullable(),
      periods: z.number().int().nullable(),
      good: z.boolean().nullable(),
      sustained: z.boolean(),
    }),
    curve: z.object({
      status: CurveStatus,
      latestVsForecast: z.enum(['better', 'worse', 'equal']).nullable(),
      signals: z.array(z.enum(['interval', 'run'])),
    }),
    progress: Progress.pick({ method: true, status: true, label: true, score: true, value: true, onPace: true }),
  })
  .meta({ id: 'IndicatorSummary' });

export type IndicatorSummary = z.infer<typeof IndicatorSummary>;
export type RollUpResponse = z.infer<typeof RollUp>;

export type ScorecardOutcome = z.infer<typeof Outcome> & {
  rollUp: RollUpResponse;
  indicators: IndicatorSummary[];
  outcomes: ScorecardOutcome[];
};

export const ScorecardOutcome: z.ZodType<ScorecardOutcome> = z
  .lazy(() =>
    z.object({
      ...Outcome.shape,
      rollUp: RollUp,
      indicators: z.array(IndicatorSummary),
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
    indicators: z.array(IndicatorSummary).meta({ description: 'Headline indicators' }),
    outcomes: z.array(ScorecardOutcome),
  })
  .meta({ id: 'ResultScorecard' });

export type ResultScorecard = z.infer<typeof ResultScorecard>;
