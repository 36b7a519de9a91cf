import { z } from 'zod';
import { FiniteValue, PeriodLabel, Text, Timestamp, Uuid } from './common.ts';
import { ConfStatus, PublicationState } from './publication.ts';
import { DATA_POINT_STATUSES, REVISION_ACTIONS } from '../vocabulary.ts';
import { DATA_POINTS_UPSERT_EXAMPLE, UPSERT_SUMMARY_EXAMPLE } from './examples.ts';
import { Disaggregation } from './indicators.ts';
import { Acknowledgements, Flag, ObsStatus, QualityWarning } from './data-quality.ts';

export const DataPointStatus = z.enum(DATA_POINT_STATUSES);
export const RevisionAction = z.enum(REVISION_ACTIONS);

const FiniteNumber = FiniteValue;

/** A value is given unless the point is marked M (missing), which has none. */
function valueMatchesObsStatus(
  point: { value?: number | null | undefined; obsStatus?: string | null | undefined },
  ctx: z.RefinementCtx,
): void {
  if (point.value === null && point.obsStatus !== 'M')
    ctx.addIssue({ code: 'custom', path: ['value'], message: 'a value is required unless obsStatus is M (missing)' });
  if (point.obsStatus === 'M' && point.value !== null && point.value !== undefined)
    ctx.addIssue({ code: 'custom', path: ['value'], message: 'a point marked M (missing) has no value: send null' });
}

export const DataPointInput = z
  .object({
    period: PeriodLabel,
    value: FiniteNumber.nullable().meta({ example: 8.7, description: 'null only with obsStatus M (missing)' }),
    disaggregation: Disaggregation.optional().meta({ description: 'Omitted or {} = the total' }),
    note: Text(5000).nullable().optional().meta({ description: 'The story behind the number' }),
    status: DataPointStatus.nullable().optional(),
    source: Text(1000).nullable().optional(),
    obsStatus: ObsStatus.nullable().optional().meta({
      description: 'SDMX OBS_STATUS: A normal, P provisional, E estimated, B break in series, M missing (no value)',
    }),
    footnote: Text(2000).nullable().optional().meta({ description: 'A footnote shown with the value (COMMENT_OBS)' }),
    acknowledge: Acknowledgements.optional(),
  })
  .strict()
  .superRefine(valueMatchesObsStatus)
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
    value: FiniteNumber.nullable().optional(),
    note: Text(5000).nullable().optional(),
    status: DataPointStatus.nullable().optional(),
    source: Text(1000).nullable().optional(),
    obsStatus: ObsStatus.nullable().optional(),
    footnote: Text(2000).nullable().optional(),
    acknowledge: Acknowledgements.optional().meta({ description: 'Acknowledge flags of the stored value' }),
  })
  .strict()
  .meta({ id: 'DataPointPatch', description: 'The fields of one data point to change; a new version is recorded' });

export const DataPoint = z
  .object({
    id: Uuid,
    indicatorId: Uuid,
    period: z.string(),
    value: z
      .number()
      .nullable()
      .meta({ description: 'null when obsStatus is M (missing), or when the cell is suppressed (confStatus C)' }),
    disaggregation: z.record(z.string(), z.string()),
    note: z.string().nullable(),
    status: DataPointStatus.nullable(),
    source: z.string().nullable(),
    obsStatus: ObsStatus.meta({ description: 'SDMX OBS_STATUS (A when none was given; P for a provisional value)' }),
    footnote: z.string().nullable(),
    confStatus: ConfStatus.default('F'),
    publicationState: PublicationState.optional().meta({
      description: "Members only: the publication state of the point's period (docs/publication.md)",
    }),
    flags: z.array(Flag).meta({ description: 'Warnings found when this version was written' }),
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
    warnings: z
      .array(QualityWarning)
      .meta({ description: 'Warnings recorded with the points (one per point and check), unacknowledged ones first' }),
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
  value: z.number().nullable(),
  note: z.string().nullable(),
  status: z.string().nullable(),
  source: z.string().nullable(),
  obsStatus: z.string().nullable(),
  footnote: z.string().nullable(),
  flags: z.array(Flag),
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
