import { z } from 'zod';
import { QualitySettings, QualityWarningMode } from './data-quality.ts';
import { PublicationSettings, SuppressionSettings } from './publication.ts';
import { FORMALITIES, STAGES, WORK_LEVELS } from '../vocabulary.ts';
import { Name, Text, Timestamp, Uuid } from './common.ts';

export const Formality = z.enum(FORMALITIES);
export const Stage = z.enum(STAGES);
export const WorkLevel = z.enum(WORK_LEVELS);

const Slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lowercase letters, digits and single hyphens, e.g. detroit-jobs')
  .max(80);

const HexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a hex colour like #1f6feb');
const HttpUrl = z.url({ protocol: /^https?$/ }).max(2000);
/** An origin a partner site is served from: scheme, host and optional port, nothing else. */
// Each origin becomes part of the embed pages' Content-Security-Policy header: short, and a real origin.
const Origin = z
  .string()
  .max(300)
  .regex(/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i, 'must be an origin like https://partner.example.org (no path)')
  .refine(
    (v) => URL.canParse(v) && !new URL(v).hostname.split('.').includes(''),
    'must be an origin like https://partner.example.org (a valid host, a port up to 65535)',
  );

export const Brand = z
  .object({ color: HexColor.nullable().optional(), logoUrl: HttpUrl.nullable().optional() })
  .strict()
  .meta({ description: "A partnership's identity: styles its public dashboards" });

const fields = {
  name: Name.meta({ example: 'Detroit Jobs Partnership' }),
  slug: Slug.meta({
    description: 'URL-friendly unique name; derived from the name when omitted',
    example: 'detroit-jobs',
  }),
  description: Text(5000).nullable(),
  geography: Text(300).nullable().meta({ example: 'Detroit, Michigan' }),
  formality: Formality.nullable(),
  stage: Stage.nullable(),
  workLevel: WorkLevel.nullable(),
  brand: Brand.nullable(),
  embedOrigins: z
    .array(Origin)
    .max(50)
    .meta({ description: 'Origins allowed to frame the public dashboards; empty = any' }),
  quality: QualitySettings,
  publication: PublicationSettings,
  suppression: SuppressionSettings,
};

export const InitiativeCreate = z
  .object({
    name: fields.name,
    slug: fields.slug.optional(),
    description: fields.description.optional(),
    geography: fields.geography.optional(),
    formality: fields.formality.optional(),
    stage: fields.stage.optional(),
    workLevel: fields.workLevel.optional(),
    brand: fields.brand.optional(),
    embedOrigins: fields.embedOrigins.optional(),
    quality: fields.quality.optional(),
    publication: fields.publication.optional(),
    suppression: fields.suppression.optional(),
  })
  .strict()
  .meta({ id: 'InitiativeCreate', description: 'A new initiative: only the name is required' });

export const InitiativePatch = InitiativeCreate.partial()
  .strict()
  .meta({ id: 'InitiativePatch', description: 'The fields to change; omitted fields keep their value' });

export const Initiative = z
  .object({
    id: Uuid,
    name: z.string(),
    slug: z.string(),
    description: z.string().nullable(),
    geography: z.string().nullable(),
    formality: Formality.nullable(),
    stage: Stage.nullable(),
    workLevel: WorkLevel.nullable(),
    brand: z.object({ color: z.string().nullable(), logoUrl: z.string().nullable() }),
    embedOrigins: z.array(z.string()),
    quality: z
      .object({ warnings: QualityWarningMode })
      .optional()
      .meta({ description: 'What a data-quality warning does to a write ({ warnings: "record" } by default)' }),
    publication: z
      .object({ required: z.boolean(), fourEyes: z.boolean() })
      .optional()
      .meta({ description: 'Publication workflow (docs/publication.md); both false by default' }),
    suppression: z
      .object({ minCellSize: z.number().int().nullable() })
      .optional()
      .meta({ description: 'Small-cell suppression in public outputs (docs/publication.md); off (null) by default' }),
    version: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Initiative', description: 'A cross-sector partnership working toward shared results' });

export type InitiativeCreate = z.infer<typeof InitiativeCreate>;
export type InitiativePatch = z.infer<typeof InitiativePatch>;
export type Initiative = z.infer<typeof Initiative>;
