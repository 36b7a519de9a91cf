/**
 * Change notifications from the database itself (issue 13 item 3): every statement that writes a table whose
 * rows decide what a reader may see or what a chart shows sends `pg_notify('rba_changes', '<schema>:<n>')` inside its own
 * transaction. PostgreSQL delivers it at commit, in commit order, to every listening server instance, whatever
 * pooled connection wrote — a notification can no longer be lost because the writer's listening connection was
 * reconnecting (server/cache/postgres-change-feed.ts).
 *
 * `n` comes from the sequence `rba_change_seq`: the change token a write's answer carries (`RBA-Change-Token`,
 * read-your-writes across instances, docs/architecture.md "Several instances"). Statement-level triggers:
 * one notification per statement, not per row (an import of a million rows sends a handful). Tokens and
 * import records are left out: they never change what anyone sees (and a token's last-used time is written
 * on use).
 */
import { sql, type Kysely } from 'kysely';

export const NOTIFIED_TABLES = [
  'initiatives',
  'partners',
  'results',
  'outcomes',
  'indicators',
  'data_points',
  'curve_reports',
  'actions',
  'action_indicators',
  'action_updates',
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create sequence rba_change_seq`.execute(db);
  await sql`
    create function rba_notify_change() returns trigger language plpgsql as $$
    begin
      perform pg_notify('rba_changes', current_schema() || ':' || nextval('rba_change_seq'));
      return null;
    end
    $$`.execute(db);
  for (const table of NOTIFIED_TABLES) {
    await sql`
      create trigger rba_notify_change after insert or update or delete or truncate on ${sql.table(table)}
      for each statement execute function rba_notify_change()`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of NOTIFIED_TABLES) await sql`drop trigger rba_notify_change on ${sql.table(table)}`.execute(db);
  await sql`drop function rba_notify_change()`.execute(db);
  await sql`drop sequence rba_change_seq`.execute(db);
}
