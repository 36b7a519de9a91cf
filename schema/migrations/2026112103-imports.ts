/**
 * CSV imports: one row per attempt (dry runs included), so that `recorded_how = 'import:<id>'` on a data
 * point's version names something a person can look up (`GET /api/v1/imports/{importId}`).
 *
 * The row is written when the import ends: inside the import's transaction when it succeeds (the record and
 * the data commit together), after its rollback when the file is rejected or the import fails. A request
 * stopped before its header was accepted (not CSV, unusable header) leaves no row.
 *
 * The target is an indicator or a result (`target_kind`, `target_id`); it is not a foreign key, so the
 * record outlives a deleted indicator. Deleting the initiative deletes its imports.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table imports (
      id uuid primary key,
      initiative_id uuid not null references initiatives (id) on delete cascade,
      target_kind text not null check (target_kind in ('indicator', 'result')),
      target_id uuid not null,
      created_by text not null,
      created_at timestamptz not null default now(),
      finished_at timestamptz not null,
      dry_run boolean not null,
      format text check (format in ('tidy', 'open_sdg')),
      status text not null check (status in ('succeeded', 'rejected', 'failed')),
      rows_read integer not null default 0,
      inserted integer not null default 0,
      updated integer not null default 0,
      unchanged integer not null default 0,
      rejected integer not null default 0,
      skipped integer not null default 0,
      error_count integer not null default 0,
      errors jsonb not null default '[]',
      message text
    )`.execute(db);
  await sql`create index imports_by_target on imports (target_id, created_at)`.execute(db);
  await sql`create index imports_by_initiative on imports (initiative_id, created_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists imports`.execute(db);
}
