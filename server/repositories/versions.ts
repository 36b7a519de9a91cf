/**
 * Versioned tables (data points, turn-the-curve reports) keep every version with `valid_from`/`valid_to`:
 * the current version has no `valid_to`. These two helpers are the whole mechanism's shared part: which
 * versions a read sees, and the moment a write takes effect.
 */
import { sql, type SelectQueryBuilder, type Transaction } from 'kysely';
import type { Database } from '../../schema/database.ts';

export type VersionedTable = 'dataPoints' | 'curveReports';

/**
 * Restricts a query to the current versions, or to the versions valid at `asOf`.
 *
 * @example validAt(db.selectFrom('dataPoints').selectAll(), 'dataPoints', new Date('2026-01-31'))
 * // … where data_points.valid_from <= $1 and (data_points.valid_to is null or data_points.valid_to > $1)
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any table list that includes `table`
export function validAt<QB extends SelectQueryBuilder<Database, any, object>>(
  query: QB,
  table: VersionedTable,
  asOf: Date | undefined,
): QB {
  const validTo = sql.ref(`${table}.validTo`);
  if (asOf === undefined) return query.where(sql<boolean>`${validTo} is null`) as QB;
  const validFrom = sql.ref(`${table}.validFrom`);
  return query.where(sql<boolean>`${validFrom} <= ${asOf} and (${validTo} is null or ${validTo} > ${asOf})`) as QB;
}

/**
 * The moment a write takes effect: read once, after the indicator's lock is held, and used both to close
 * the current version (valid_to) and to open the next (valid_from). Not `now()`: that is when the
 * transaction began, which can be earlier than the version a writer that held the lock before us just
 * wrote — closing it would then end before it began (a 500 under concurrent writes). Returned as text so
 * no microseconds are lost on the way through JavaScript.
 */
export async function versionTimestamp(trx: Transaction<Database>): Promise<string> {
  const { rows } = await sql<{ at: string }>`select clock_timestamp()::text as at`.execute(trx);
  return rows[0]!.at;
}
