/**
 * The contracts of CSV imports and exports (zod; the OpenAPI document is generated from them): the query
 * an import takes, the report it answers with, and the stored record of an import.
 */
import { z } from 'zod';
import { Timestamp, Uuid } from './common.ts';
import { CSV_IMPORT_EXAMPLE, IMPORT_REPORT_EXAMPLE } from './examples.ts';
import { IMPORT_FORMATS, IMPORT_STATUSES, IMPORT_TARGET_KINDS } from '../vocabulary.ts';

const ImportFormat = z.enum(IMPORT_FORMATS);
const ImportStatus = z.enum(IMPORT_STATUSES);

/** Row errors kept in a report or a record; the rest are only counted. */
export const MAX_LISTED_ERRORS = 1000;

/** The largest file an import reads (413 beyond): about 20 million short rows. */
export const MAX_IMPORT_BYTES = 512 * 1024 * 1024;

const flag = (description: string) =>
  z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .meta({ description });

export const ImportQuery = z.object({
  dryRun: flag('`true`: check everything and report what would change, write nothing'),
  emptyCells: z.enum(['keep', 'clear']).default('keep').meta({
    description: 'What an empty note/status/source cell means: `keep` the stored value (default) or `clear` it',
  }),
  series: z
    .string()
    .max(200)
    .optional()
    .meta({ description: 'Open SDG files: import only the rows of this Series (others are skipped)' }),
  units: z
    .string()
    .max(200)
    .optional()
    .meta({ description: 'Open SDG files: import only the rows in these Units (others are skipped)' }),
});
export type ImportQuery = z.infer<typeof ImportQuery>;

/** The CSV body, for the OpenAPI document (the handler reads the raw stream; see routes/imports.ts). */
export const CsvBody = z.any().meta({
  type: 'string',
  description:
    'The file, as `Content-Type: text/csv` (UTF-8, with or without a byte-order mark; `,`, `;` or tab separated; any line ends). ' +
    'Row 1 names the columns: `period`, `value`, one column per declared dimension, and optionally `note`, `status`, `source` ' +
    '(a result-level import adds `indicator`: a code or an id). Open SDG files (`Year`, dimensions, `Value`, …) are read as they are. ' +
    'Up to 512 MB; `Content-Encoding: gzip` is accepted.',
  examples: [CSV_IMPORT_EXAMPLE],
});

export const RowError = z
  .object({
    row: z.number().int().meta({ description: 'The row as a spreadsheet numbers it: the header is row 1' }),
    column: z
      .string()
      .nullable()
      .meta({ description: 'The column as named in the header; null when the problem is the whole row' }),
    code: z.string(),
    message: z.string(),
  })
  .meta({ id: 'ImportRowError' });

export const RowWarning = z
  .object({
    row: z.number().int(),
    code: z.string().meta({ description: 'The rule or built-in check (outlier_history, outside_forecast)' }),
    severity: z.enum(['error', 'warning']),
    message: z.string(),
    acknowledged: z.boolean(),
  })
  .meta({ id: 'ImportRowWarning', description: 'A data-quality warning on a row (docs/data-quality.md)' });

export const ValueChange = z
  .object({
    row: z.number().int(),
    period: z.string(),
    disaggregation: z.record(z.string(), z.string()),
    old: z.number().nullable(),
    new: z.number().nullable(),
  })
  .meta({ id: 'ImportValueChange', description: 'A stored value the import changes' });

const Counts = {
  rows: z.number().int().meta({ description: 'Data rows read (the header aside)' }),
  inserted: z.number().int().meta({ description: 'New points (would be new, in a dry run)' }),
  updated: z
    .number()
    .int()
    .meta({ description: 'Points whose value, note, status or source change (a new version each)' }),
  unchanged: z.number().int().meta({ description: 'Points already stored exactly so: no new version' }),
  rejected: z.number().int().meta({ description: 'Rows that cannot be imported (see errors)' }),
  skipped: z.number().int().meta({
    description: 'Blank rows; in Open SDG files also rows without a Value, or of another series/units than asked',
  }),
};

export const ImportReport = z
  .object({
    importId: Uuid.meta({ description: 'The import; its points record `import:<importId>` as how they were written' }),
    status: ImportStatus.exclude(['failed']).meta({
      description: '`rejected` only in a dry run (a real import with errors answers 422)',
    }),
    dryRun: z.boolean(),
    format: ImportFormat,
    ...Counts,
    errorCount: z.number().int().meta({ description: 'Every row error; the first 1,000 are listed' }),
    errors: z.array(RowError),
    warningCount: z
      .number()
      .int()
      .meta({ description: 'Data-quality warnings (recorded as flags with the points); the first 1,000 are listed' }),
    warnings: z.array(RowWarning),
    changes: z
      .array(ValueChange)
      .meta({ description: 'Stored values the file changes (old → new), the first 1,000 in row order' }),
  })
  .meta({
    id: 'ImportReport',
    description: 'What the import did (or, in a dry run, would do): counts per outcome and every rejected row',
    examples: [IMPORT_REPORT_EXAMPLE],
  });
export type ImportReport = z.infer<typeof ImportReport>;

export const ImportRecord = z
  .object({
    id: Uuid,
    initiativeId: Uuid,
    target: z.object({ kind: z.enum(IMPORT_TARGET_KINDS), id: Uuid }),
    createdBy: z.string().meta({ description: 'The token name that ran the import' }),
    createdAt: Timestamp,
    finishedAt: Timestamp,
    dryRun: z.boolean(),
    format: ImportFormat.nullable().meta({ description: 'null when the header could not be read' }),
    status: ImportStatus.meta({
      description:
        '`rejected`: the file had errors (nothing written); `failed`: the import broke off (nothing written)',
    }),
    ...Counts,
    errorCount: z.number().int(),
    errors: z.array(RowError),
    message: z.string().nullable().meta({ description: 'Why a rejected or failed import stopped' }),
  })
  .meta({
    id: 'ImportRecord',
    description: 'The stored record of a CSV import: who, when, the counts and the rejected rows',
  });
export type ImportRecord = z.infer<typeof ImportRecord>;

export const ExportQuery = z.object({
  asOf: z.iso
    .datetime({ offset: true })
    .transform((v) => new Date(v))
    .optional()
    .meta({ description: 'ISO 8601 timestamp: the figures as they stood then', example: '2026-01-31T00:00:00Z' }),
  bom: flag('`true`: start the file with a UTF-8 byte-order mark, so that Excel opens accents correctly'),
});

export const CsvResponse = {
  description: 'Tidy CSV (`text/csv; charset=utf-8`), one row per data point, sent as an attachment',
  content: {
    'text/csv': {
      schema: z
        .string()
        .meta({ example: 'period,sex,value,note,status,source\n2023,,8.7,,final,LAUS\n2023,female,9.1,,,\n' }),
    },
  },
};
