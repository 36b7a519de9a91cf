import { z } from 'zod';
import { Timestamp, Uuid } from './common.ts';
import { Role } from './tokens.ts';

export const InvitationCreate = z
  .object({
    email: z
      .email()
      .max(320)
      .transform((email) => email.toLowerCase())
      .meta({ description: 'Who is invited; the account will sign in with this address', example: 'ana@example.org' }),
    role: Role.meta({ description: 'The role the account gets, with the same meaning as a token role' }),
    initiativeId: Uuid.optional().meta({ description: 'Required for editor, contributor and viewer' }),
    partnerId: Uuid.optional().meta({
      description: 'Required for contributor: the partner whose indicators the person may enter data for',
    }),
  })
  .strict()
  .meta({ id: 'InvitationCreate', description: 'An invitation to create a workspace account' });

export const CreatedInvitation = z
  .object({
    id: Uuid,
    url: z.url().meta({ description: 'Absolute link to /app/invitations/{secret}: single use, shown this once' }),
    expiresAt: Timestamp,
  })
  .meta({ id: 'CreatedInvitation', description: 'The invitation link to send to the person (valid 7 days)' });

export type InvitationCreate = z.infer<typeof InvitationCreate>;
export type CreatedInvitation = z.infer<typeof CreatedInvitation>;
