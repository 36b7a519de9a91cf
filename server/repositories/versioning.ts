/**
 * Optimistic concurrency (`If-Match: "<version>"`) and the PostgreSQL error codes repositories turn
 * into domain errors.
 */
import { VersionMismatchError } from '../errors.ts';

/**
 * Throws VersionMismatchError when an `If-Match` header is present and names another version. Accepts `"3"`, `3`,
 * `W/"3"` and `*` (any version).
 *
 * @example assertVersion(3, '"3"') // ok
 * @example assertVersion(4, '"3"') // throws VersionMismatchError (current version 4)
 */
export function assertVersion(currentVersion: number, ifMatch: string | undefined): void {
  if (ifMatch === undefined) return;
  const tags = ifMatch.split(',').map((tag) =>
    tag
      .trim()
      .replace(/^W\//, '')
      .replace(/^"(.*)"$/, '$1'),
  );
  if (tags.includes('*') || tags.includes(String(currentVersion))) return;
  throw new VersionMismatchError(currentVersion, ifMatch);
}

function pgCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? ((error as { code?: string }).code ?? undefined) : undefined;
}

export const isUniqueViolation = (error: unknown): boolean => pgCode(error) === '23505';
export const isForeignKeyViolation = (error: unknown): boolean => pgCode(error) === '23503';
