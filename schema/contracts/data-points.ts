import { z } from 'zod';
import { FiniteValue, PeriodLabel, Text, Timestamp, Uuid } from './common.ts';
import { DATA_POINT_STATUSES, REVISION_ACTIONS } from '../vocabulary.ts';
import { DATA_POINTS_UPSERT_EXAMPLE, UPSERT_SUMMARY_EXAMPLE } from './examples.ts';
import { Disaggregation } from './indicators.ts';

export const DataPointStatus = z.enum(DATA_POINT_STATUSES);
export const RevisionAction = z.enum(REVISION_ACTIONS);

const FiniteNumber = FiniteValue;

export const DataPointInput = z
  .object({
    period: PeriodLabel,
    value: FiniteNumber.meta({ example: 8.7 }),
    disaggregation: Disaggregation.optional().meta({ description: 'Omitted or {} = the total' }),
    note: Text(5000).nullable().optional().meta({ description: 'The story behind the number' }),
    status: DataPointStatus.nullable().optional(),
    source: Text(1000).nullable().optional(),
  })
  .strict()
  .meta({
    id: 'DataPointEntry',
    description: 'One value to store, for one period and group (upserted by period and disaggregation)',
  });

export const DataPointsUpsert = z
  .object({ points: z.array(DataPointInput).min(1, 'send at least one point').max(10_000) })
  .strict()
  .meta({
    id: 'DataPointsUpsert',
    description: 'A batch of values, written all or none',
    examples: [DATA_POINTS_UPSERT_EXAMPLE],
  });

export const DataPointPatch = z
  .object({
    value: FiniteNumber.optional(),
    note: Text(5000).nullable().optional(),
    status: DataPointStatus.nullable().optional(),
    source: Text(1000).nullable().optional(),
  })
  .strict()
  .meta({ id: 'DataPointPatch', description: 'The fields of one data point to change; a new version is recorded' });

export const DataPoint = z
  .object({
    id: Uuid,
    indicatorId: Uuid,
    period: z.string(),
    value: z.number(),
    disaggregation: z.record(z.string(), z.string()),
    note: z.string().nullable(),
    status: DataPointStatus.nullable(),
    source: z.string().nullable(),
    version: z.number().int(),
    updatedAt: Timestamp,
    updatedBy: z.string(),
  })
  .meta({
    id: 'DataPoint',
    description: 'One value of an indicator for one period and group, as it stands (or stood at asOf)',
  });

export const UpsertSummary = z
  .object({
    inserted: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    points: z.array(DataPoint),
  })
  .meta({
    description: 'What the batch did: counts of new, changed and unchanged points, and the points as stored',
    examples: [UPSERT_SUMMARY_EXAMPLE],
  });

export const DataPointsQuery = z.object({
  from: PeriodLabel.optional().meta({ description: 'First period (inclusive)' }),
  to: PeriodLabel.optional().meta({ description: 'Last period (inclusive)' }),
  slice: z
    .string()
    .max(2000)
    .default('total')
    .meta({ description: '`total` (default), `all`, or a JSON disaggregation such as {"sex":"female"}' }),
});

const PointFields = z.object({
  value: z.number(),
  note: z.string().nullable(),
  status: z.string().nullable(),
  source: z.string().nullable(),
});

export const DataPointHistory = z
  .object({
    point: DataPoint.meta({ description: 'The latest version (the deleted one when the point was deleted)' }),
    deleted: z.boolean(),
    revisions: z.array(
      z.object({
        action: RevisionAction,
        version: z.number().int(),
        at: Timestamp,
        by: z.string().meta({
          description: 'The token name that made the change; `hidden` for callers outside the initiative',
        }),
        how: z.string().meta({ description: '`api` or `import:<importId>`' }),
        old: PointFields.nullable(),
        new: PointFields.nullable(),
      }),
    ),
  })
  .meta({
    id: 'DataPointHistory',
    description: 'Every revision of a data point: old and new values, who, when and how',
  });

export type DataPointInput = z.infer<typeof DataPointInput>;
export type DataPointPatch = z.infer<typeof DataPointPatch>;
export type DataPoint = z.infer<typeof DataPoint>;
