import { z } from 'zod';
import { Text, Timestamp, Uuid } from './common.ts';

export const OutcomeCreate = z
  .object({
    title: Text(500).min(1, 'must not be empty').meta({ example: 'Residents have the skills employers need' }),
    description: Text(5000).nullable().optional(),
    parentOutcomeId: Uuid.nullable().optional().meta({ description: 'null or omitted = directly under the result' }),
    position: z
      .number()
      .int()
      .min(0)
      .max(100_000)
      .optional()
      .meta({ description: 'Order among siblings (default: last)' }),
  })
  .strict()
  .meta({ id: 'OutcomeCreate', description: 'A new outcome under the result or under another outcome' });

export const OutcomePatch = OutcomeCreate.partial().strict().meta({
  id: 'OutcomePatch',
  description: 'The fields to change (a new parentOutcomeId moves the outcome); omitted fields keep their value',
});

export const Outcome = z
  .object({
    id: Uuid,
    initiativeId: Uuid,
    resultId: Uuid,
    parentOutcomeId: Uuid.nullable(),
    title: z.string(),
    description: z.string().nullable(),
    position: z.number().int(),
    version: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Outcome', description: 'A node of the tree of outcomes under a shared result' });

export type OutcomeCreate = z.infer<typeof OutcomeCreate>;
export type OutcomePatch = z.infer<typeof OutcomePatch>;
export type Outcome = z.infer<typeof Outcome>;
