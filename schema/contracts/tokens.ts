import { z } from 'zod';
import { ROLES } from '../vocabulary.ts';
import { Name, Timestamp, Uuid } from './common.ts';

export const Role = z.enum(ROLES);

export const TokenCreate = z
  .object({
    name: Name.meta({
      description: 'Who or what uses it; revisions record this name',
      example: 'Data team at Detroit Employment Solutions',
    }),
    role: Role.meta({
      description:
        'admin: everything · editor: structure and data of one initiative · contributor: data points of the indicators one partner owns · viewer: reads private objects of one initiative',
    }),
    initiativeId: Uuid.optional().meta({ description: 'Required for editor, contributor and viewer' }),
    partnerId: Uuid.optional().meta({
      description: 'Required for contributor: the partner whose indicators it may enter data for',
    }),
    expiresAt: z.iso
      .datetime()
      .optional()
      .meta({ description: 'When the token stops working (ISO 8601); never when omitted' }),
  })
  .strict()
  .meta({
    id: 'TokenCreate',
    description: 'A new API token: its name and role, and the initiative (and partner) it works for',
  });

export const ApiToken = z
  .object({
    id: Uuid,
    name: z.string(),
    role: Role,
    initiativeId: Uuid.nullable(),
    partnerId: Uuid.nullable(),
    createdBy: z.string(),
    createdAt: Timestamp,
    expiresAt: Timestamp.nullable(),
    revokedAt: Timestamp.nullable(),
    lastUsedAt: Timestamp.nullable(),
  })
  .meta({ id: 'ApiToken', description: 'An API token, without its secret' });

export const CreatedToken = ApiToken.extend({
  secret: z
    .string()
    .meta({ description: 'Send as `Authorization: Bearer <secret>`. Shown once: it is stored only as a hash.' }),
}).meta({ id: 'CreatedToken', description: 'The new API token with its secret, shown this once' });

export type TokenCreate = z.infer<typeof TokenCreate>;
export type ApiToken = z.infer<typeof ApiToken>;
