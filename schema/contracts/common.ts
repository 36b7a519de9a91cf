/**
 * Building blocks shared by every contract: ids, period labels, the error shape, list pages.
 * The OpenAPI document is generated from these schemas; `.meta()` adds its descriptions and examples.
 */
import { z } from 'zod';
import { MAX_ABS_VALUE } from '../../server/engine/level-change.ts';
import { isPeriodLabel } from '../../server/engine/periods.ts';
import { VISIBILITIES } from '../vocabulary.ts';

export const Uuid = z.uuid().meta({ example: '0196f0a2-7c1e-7b3a-9d4e-2f1a3c5b7d9e' });

export const Timestamp = z.iso
  .datetime()
  .meta({ description: 'ISO 8601 UTC timestamp', example: '2026-11-21T09:30:00.000Z' });

/** A canonical period label of any frequency (api.md "Periods"); whether it fits the indicator is a 422 later. */
export const PeriodLabel = z
  .string()
  .refine(isPeriodLabel, {
    message:
      'is not a period label; use YYYY, YYYY-YY (fiscal year), YYYY-Qn, YYYY-MM, YYYY-Www (ISO week) or YYYY-MM-DD',
  })
  .meta({
    description: 'Canonical period label: YYYY, YYYY-YY, YYYY-Qn, YYYY-MM, YYYY-Www or YYYY-MM-DD',
    example: '2024-Q3',
  });

/** A number the engine can work with: finite and within ±1e100 (sums of squares stay finite). */
export const FiniteValue = z
  .number()
  .refine(Number.isFinite, 'must be a finite number')
  .refine((v) => Math.abs(v) <= MAX_ABS_VALUE, 'must lie within ±1e100');

export const Visibility = z.enum(VISIBILITIES);

/** Free text with a sensible cap so one field cannot fill the database. */
/**
 * Text PostgreSQL can store and JSON can carry: no NUL character, no unpaired UTF-16 surrogate. Refused here,
 * naming the field, rather than by the database.
 */
export const StoredString = z
  .string()
  .refine((s) => !s.includes('\u0000'), 'must not contain a NUL character')
  .refine(
    (s) => (s as string & { isWellFormed(): boolean }).isWellFormed(),
    'must be valid Unicode (an unpaired surrogate was sent)',
  );

export const Text = (max = 2000) => StoredString.trim().max(max);
export const Name = StoredString.trim().min(1, 'must not be empty').max(300);

export const ErrorResponse = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'snake_case machine-readable code', example: 'invalid_input' }),
      message: z.string().meta({ description: 'What went wrong, in plain words' }),
      details: z.array(
        z.object({
          path: z.string().meta({ description: 'The field at fault, e.g. body.points.3.period' }),
          code: z.string(),
          message: z.string(),
          severity: z
            .enum(['error', 'warning'])
            .optional()
            .meta({ description: 'Data-quality problems: the severity of the broken check' }),
        }),
      ),
    }),
  })
  .meta({ id: 'Error' });

/** The error statuses of the API (api.md "Conventions"), each in the words the OpenAPI document gives it. */
export const ERROR_DESCRIPTIONS = {
  400: 'Malformed input: bad JSON, a wrong type, an unknown value, a bad period label; `details` names each field',
  401: 'A token is needed and none was sent, or the token is malformed, unknown, revoked or expired',
  403: 'The token is valid but its role does not allow this',
  404: 'No such object, or one the caller may not see (the answer is the same, so nothing is revealed)',
  409: 'Conflicts with existing data: a slug or code already taken, or a delete with dependents (see `cascade`)',
  412: 'The object changed since it was read: `If-Match` is not the current version (`details` gives it)',
  413: 'The body is larger than this operation accepts',
  415: 'The `Content-Type` is not one this operation accepts',
  422: 'Well-formed but impossible (a period of the wrong frequency, an undeclared group…); nothing was written',
  429: 'Too many requests without a token from this address; retry after the seconds in `Retry-After`',
  500: 'A bug on the server; the body never shows internals and the log has the cause',
  503: 'The database is unreachable; retry after the seconds in `Retry-After`',
} as const;
export type ErrorStatus = keyof typeof ERROR_DESCRIPTIONS;

/**
 * The error responses every route can give (400 bad input, 401 bad token, 429 rate limited, 500, 503 database
 * unavailable), plus the ones a route adds. Each is the one error shape; the OpenAPI document describes each
 * status in the words of {@link ERROR_DESCRIPTIONS}.
 */
export function errorResponses(...statuses: Array<400 | 403 | 404 | 409 | 412 | 413 | 415 | 422>) {
  const responses: Record<number, typeof ErrorResponse> = {
    400: ErrorResponse,
    401: ErrorResponse,
    429: ErrorResponse,
    500: ErrorResponse,
    503: ErrorResponse,
  };
  for (const status of statuses) responses[status] = ErrorResponse;
  return responses;
}

/** `asOf`: read the figures as they stood at that moment (revised values show their earlier version). */
export const AsOfQuery = z.object({
  asOf: z.iso
    .datetime({ offset: true })
    .transform((v) => new Date(v))
    .optional()
    .meta({ description: 'ISO 8601 timestamp: the figures as they stood then', example: '2026-01-31T00:00:00Z' }),
});

export const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100).meta({ description: 'Page size (1–1000, default 100)' }),
  cursor: z.string().max(500).optional().meta({ description: "Opaque cursor from a previous page's nextCursor" }),
});

/** One page of a list: `{ items, nextCursor }`, described by the name of its items' schema. */
export function listOf<T extends z.ZodType>(item: T) {
  const name = z.globalRegistry.get(item)?.id;
  return z
    .object({
      items: z.array(item),
      nextCursor: z
        .string()
        .nullable()
        .meta({ description: 'Pass as `cursor` to get the next page; null on the last page' }),
    })
    .meta({
      description: `One page of ${name ? `${name} objects` : 'the list'}, in order; \`nextCursor\` fetches the next`,
    });
}

export const DeleteQuery = z.object({
  cascade: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .meta({
      description: 'Also delete everything below (otherwise a delete with dependents is a 409 that lists them)',
    }),
});

export const IfMatchHeaders = z.object({
  'if-match': z
    .string()
    .max(100)
    .optional()
    .meta({ description: 'The version you last read, e.g. "3"; a mismatch is a 412' }),
});
