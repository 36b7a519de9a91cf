/**
 * Publication and disclosure (docs/publication.md): an initiative's publication and suppression settings, the
 * publication state of an indicator's periods, and the transitions that move them.
 */
import { z } from 'zod';
import { CONF_STATUSES, PUBLICATION_ACTIONS, PUBLICATION_STATES } from '../vocabulary.ts';
import { PeriodLabel, Text, Timestamp } from './common.ts';

export const PublicationState = z.enum(PUBLICATION_STATES).meta({
  description:
    'draft (entered), submitted (sent for review), approved (checked; values locked), published (public), retracted (withdrawn, with a reason)',
});
export const PublicationAction = z.enum(PUBLICATION_ACTIONS);
export const ConfStatus = z.enum(CONF_STATUSES).meta({
  description: 'SDMX CONF_STATUS in public outputs: F free, C confidential (a suppressed small cell or its complement)',
});

export const PublicationSettings = z
  .object({
    required: z.boolean().meta({
      description:
        'true: anonymous callers and public outputs see only published periods (default false: saved = public)',
    }),
    fourEyes: z.boolean().meta({ description: 'true: whoever submitted a period may not approve it' }),
  })
  .strict()
  .meta({ id: 'PublicationSettings' });

/** A minimum cell size: 2 or more (1 would suppress nothing), at most 1,000. */
const MinCellSize = z.number().int().min(2).max(1000);

export const SuppressionSettings = z
  .object({
    minCellSize: MinCellSize.nullable().meta({
      description:
        'Counts from 1 to minCellSize − 1 are suppressed in public outputs, with complementary cells so none can be derived; null = off',
      example: 11,
    }),
  })
  .strict()
  .meta({ id: 'SuppressionSettings' });

export const PeriodPublication = z
  .object({
    period: z.string(),
    state: PublicationState,
    submittedBy: z.string().nullable(),
    approvedBy: z.string().nullable(),
    publishedAt: Timestamp.nullable().meta({
      description:
        'When the values the public sees were published; a period reopened after publication keeps it until published again',
    }),
    reason: z.string().nullable().meta({ description: 'Why it was sent back, retracted or reopened' }),
    updatedAt: Timestamp.nullable(),
    updatedBy: z.string().nullable(),
  })
  .meta({ id: 'PeriodPublication' });

export const PublicationTransition = z
  .object({
    period: z.string(),
    action: z
      .string()
      .meta({ description: 'submit, approve, publish, send_back, retract, reopen; edit: a submitted period changed' }),
    from: PublicationState.nullable(),
    to: PublicationState,
    by: z.string(),
    at: Timestamp,
    reason: z.string().nullable(),
  })
  .meta({ id: 'PublicationTransition' });

export const PublicationChange = z
  .object({
    periods: z.array(PeriodLabel).min(1).max(1000),
    action: PublicationAction,
    reason: Text(2000).min(1).optional().meta({ description: 'Required to send back, retract or reopen' }),
  })
  .strict()
  .meta({ id: 'PublicationChange' });

export const PublicationChangeResult = z
  .object({ items: z.array(PeriodPublication) })
  .meta({ id: 'PublicationChangeResult', description: 'The new states of the periods named' });

export type PublicationSettings = z.infer<typeof PublicationSettings>;
export type SuppressionSettings = z.infer<typeof SuppressionSettings>;
export type PeriodPublication = z.infer<typeof PeriodPublication>;
export type PublicationTransition = z.infer<typeof PublicationTransition>;
export type PublicationChange = z.infer<typeof PublicationChange>;
