/**
 * Keyset pagination: a cursor is the sort key of the last item of a page, base64url-encoded JSON.
 * Opaque to clients; a cursor that does not decode is invalid input (BadRequestError).
 */
import { BadRequestError } from '../errors.ts';

export type CursorKey = Array<string | number>;

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export type CursorPart = 'string' | 'number' | 'uuid' | 'date';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function fits(part: unknown, kind: CursorPart): boolean {
  switch (kind) {
    case 'string':
      return typeof part === 'string' && part.length <= 1000 && !part.includes('\u0000');
    case 'number':
      return typeof part === 'number' && Number.isSafeInteger(part);
    case 'uuid':
      return typeof part === 'string' && UUID.test(part);
    case 'date':
      return typeof part === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(part) && !Number.isNaN(Date.parse(part));
  }
}

/**
 * Decodes a cursor whose key has `shape` (the kind of each part), or throws BadRequestError: a forged cursor never
 * reaches the database with a value it would refuse.
 */
export function decodeCursor(cursor: string, shape: CursorPart[]): CursorKey {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === shape.length && key.every((part, i) => fits(part, shape[i]!))) {
      return key as CursorKey;
    }
  } catch {
    // fall through to the error below
  }
  throw new BadRequestError('invalid_cursor', 'The cursor is not one this server gave out.', [
    { field: 'cursor', code: 'invalid_cursor', message: 'pass back the nextCursor of a previous page' },
  ]);
}

/** Splits the `limit + 1` rows a query fetched into a page and the cursor of the next one. */
export function toPage<Row, Item>(
  rows: Row[],
  limit: number,
  toItem: (row: Row) => Item,
  keyOf: (row: Row) => CursorKey,
) {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return { items: pageRows.map(toItem), nextCursor: hasMore && last !== undefined ? encodeCursor(keyOf(last)) : null };
}
