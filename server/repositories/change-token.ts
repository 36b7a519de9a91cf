/**
 * The database's change token: the latest value of `rba_change_seq`, which the change-notification trigger
 * draws once per writing statement (schema/migrations/2026120303-change-notify.ts). 0 before any write.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../schema/database.ts';

export async function currentChangeToken(db: Kysely<Database>): Promise<number> {
  const { rows } = await sql<{ token: string | number }>`
    select case when is_called then last_value else 0 end as token from rba_change_seq`.execute(db);
  return Number(rows[0]!.token);
}
