/** The rule for deleting a parent that still has things below it: a ConflictError that counts them, unless cascade. */
import { ConflictError } from '../errors.ts';

const singular = (kind: string) => kind.replace(/s$/, '');

/**
 * @example assertNoDependents('outcome', { outcomes: 2, indicators: 0 }) // throws ConflictError has_dependents "The outcome still has 2 outcomes…"
 */
export function assertNoDependents(
  what: string,
  counts: Record<string, number | string | bigint | null>,
  consequence: string,
): void {
  const details = Object.entries(counts)
    .filter(([, n]) => Number(n) > 0)
    .map(([kind, n]) => ({
      field: kind,
      code: 'has_dependents',
      message: `${Number(n)} ${Number(n) === 1 ? singular(kind) : kind}`,
    }));
  if (details.length === 0) return;
  throw new ConflictError(
    'has_dependents',
    `The ${what} still has ${details.map((d) => d.message).join(' and ')}. Delete or move them first, or repeat with ?cascade=true to delete the ${what} ${consequence}.`,
    details,
  );
}
