import { z } from 'zod';
import { SECTORS } from '../vocabulary.ts';
import { Name, Text, Timestamp, Uuid } from './common.ts';

export const Sector = z.enum(SECTORS);

export const PartnerCreate = z
  .object({
    name: Name.meta({ example: 'Detroit Employment Solutions Corporation' }),
    sector: Sector,
    role: Text(2000)
      .nullable()
      .optional()
      .meta({ example: "Runs the city's workforce programs; owns the placement data" }),
  })
  .strict()
  .meta({ id: 'PartnerCreate', description: 'A new partner organisation of the initiative' });

export const PartnerPatch = PartnerCreate.partial()
  .strict()
  .meta({ id: 'PartnerPatch', description: 'The fields to change; omitted fields keep their value' });

export const Partner = z
  .object({
    id: Uuid,
    initiativeId: Uuid,
    name: z.string(),
    sector: Sector,
    role: z.string().nullable(),
    version: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Partner', description: 'An organisation in the partnership' });

export type PartnerCreate = z.infer<typeof PartnerCreate>;
export type PartnerPatch = z.infer<typeof PartnerPatch>;
export type Partner = z.infer<typeof Partner>;
