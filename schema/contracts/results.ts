import { z } from 'zod';
import { Text, Timestamp, Uuid, Visibility } from './common.ts';

const Year = z.number().int().min(1000).max(9999);

export const TimeFrame = z
  .object({ start: Year, end: Year })
  .strict()
  .refine((t) => t.end >= t.start, { message: 'end must not be before start', path: ['end'] })
  .meta({ example: { start: 2020, end: 2030 } });

export const ResultCreate = z
  .object({
    statement: Text(2000)
      .min(1, 'must not be empty')
      .meta({ example: 'A 5 percentage point decrease in the unemployment rate in Detroit by 2030' }),
    population: Text(500).nullable().optional().meta({ example: 'Working-age residents of Detroit' }),
    geography: Text(300).nullable().optional().meta({ example: 'City of Detroit' }),
    timeFrame: TimeFrame.nullable().optional(),
    visibility: Visibility.optional().meta({ description: 'Default private' }),
  })
  .strict()
  .meta({
    id: 'ResultCreate',
    description: 'A new shared result: a population-level condition of well-being, private until made public',
  });

export const ResultPatch = ResultCreate.partial()
  .strict()
  .meta({ id: 'ResultPatch', description: 'The fields to change; omitted fields keep their value' });

export const Result = z
  .object({
    id: Uuid,
    initiativeId: Uuid,
    statement: z.string(),
    population: z.string().nullable(),
    geography: z.string().nullable(),
    timeFrame: z.object({ start: z.number().int(), end: z.number().int() }).nullable(),
    visibility: Visibility,
    version: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({
    id: 'Result',
    description:
      'A shared result: a population-level condition of well-being, with its population, place and time frame',
  });

export type ResultCreate = z.infer<typeof ResultCreate>;
export type ResultPatch = z.infer<typeof ResultPatch>;
export type Result = z.infer<typeof Result>;
