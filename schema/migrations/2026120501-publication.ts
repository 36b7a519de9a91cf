/**
 * Publication and disclosure (issue 15, docs/publication.md):
 * - `initiatives.publication`: `{ "required": bool, "fourEyes": bool }` — with `required`, the public sees only
 *   published periods; with `fourEyes`, whoever submitted a period may not approve it;
 * - `initiatives.suppression` and `indicators.suppression` (an override; null inherits):
 *   `{ "minCellSize": integer >= 2 | null }`, small-cell suppression of counts in public outputs;
 * - `period_publications`: the publication state of each (indicator, period), versioned like data points
 *   (valid_from/valid_to), so every transition is kept (who, when, why, by which action) and an `asOf` read finds
 *   what was published then. `published_at` is the moment of the publication the public sees: the public reads
 *   each data point as it stood at that moment (a period reopened after publication stays public, as it was
 *   published, until it is published again or retracted).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table initiatives
      add column publication jsonb not null default '{"required": false, "fourEyes": false}'
        check (jsonb_typeof(publication) = 'object'),
      add column suppression jsonb not null default '{"minCellSize": null}'
        check (jsonb_typeof(suppression) = 'object')`.execute(db);
  await sql`
    alter table indicators
      add column suppression jsonb check (suppression is null or jsonb_typeof(suppression) = 'object')`.execute(db);
  await sql`
    create table period_publications (
      indicator_id uuid not null,
      initiative_id uuid not null,
      period text not null,
      period_index integer not null,
      version integer not null,
      state text not null check (state in ('draft', 'submitted', 'approved', 'published', 'retracted')),
      submitted_by text,
      submitted_by_key text,
      approved_by text,
      approved_by_key text,
      published_at timestamptz,
      reason text,
      action text not null,
      actor text not null,
      valid_from timestamptz not null,
      valid_to timestamptz,
      primary key (indicator_id, period_index, version),
      foreign key (initiative_id, indicator_id) references indicators (initiative_id, id) on delete cascade
    )`.execute(db);
  await sql`
    create unique index period_publications_current on period_publications (indicator_id, period_index)
      where valid_to is null`.execute(db);
  await sql`
    create trigger rba_notify_change after insert or update or delete or truncate on period_publications
      for each statement execute function rba_notify_change()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table period_publications`.execute(db);
  await sql`alter table indicators drop column suppression`.execute(db);
  await sql`alter table initiatives drop column publication, drop column suppression`.execute(db);
}
