/**
 * RBA accountability beyond the curves: turn-the-curve reports, action plans, performance measures and
 * data freshness.
 *
 * - `indicators` gains `quadrant` and `program_name` (performance measures only: the database refuses them on
 *   a population indicator) and `reporting_lag` (`{ amount, unit }`: how long after a period ends its data
 *   are due).
 * - `curve_reports` keeps every version of an indicator's turn-the-curve report the way `data_points` does
 *   (valid_from/valid_to): the current report is the version with no valid_to; an edit closes it and adds
 *   the next; a delete closes it with who and how. History and "as of" reads are one query.
 * - `actions` are the partnership's commitments; `action_indicators` links each to the indicators whose
 *   curves it is meant to turn (both by (initiative_id, id): an action can never point into another
 *   initiative); `action_updates` is the append-only record of who committed to what, and every change since.
 *   Deleting a partner clears it as owner (`on delete set null (owner_partner_id)`, PostgreSQL 15+).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table indicators
      add column quadrant text check (quadrant in ('how_much', 'how_well', 'better_off')),
      add column program_name text,
      add column reporting_lag jsonb,
      add constraint indicators_performance_fields check (level = 'performance' or (quadrant is null and program_name is null))
  `.execute(db);

  await sql`
    create table curve_reports (
      indicator_id uuid not null,
      version integer not null,
      initiative_id uuid not null,
      story text,
      forces jsonb not null default '[]',
      partners jsonb not null default '[]',
      what_works jsonb not null default '[]',
      action_plan text,
      valid_from timestamptz not null default now(),
      valid_to timestamptz,
      recorded_by text not null,
      recorded_how text not null,
      closed_by text,
      closed_how text,
      primary key (indicator_id, version),
      foreign key (initiative_id, indicator_id) references indicators (initiative_id, id) on delete cascade,
      check (valid_to is null or valid_to >= valid_from)
    )`.execute(db);
  await sql`create unique index curve_reports_current on curve_reports (indicator_id) where valid_to is null`.execute(
    db,
  );

  await sql`
    create table actions (
      id uuid primary key,
      initiative_id uuid not null references initiatives (id) on delete cascade,
      title text not null,
      description text,
      owner_partner_id uuid,
      start_date date not null,
      due_date date not null,
      status text not null default 'planned' check (status in ('planned', 'in_progress', 'done', 'dropped')),
      completed_on date,
      visibility text not null default 'public' check (visibility in ('public', 'private')),
      version integer not null default 1,
      created_by text not null,
      updated_by text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (initiative_id, id),
      foreign key (initiative_id, owner_partner_id) references partners (initiative_id, id) on delete set null (owner_partner_id),
      check (due_date >= start_date),
      check ((status = 'done') = (completed_on is not null))
    )`.execute(db);
  await sql`create index actions_by_initiative on actions (initiative_id, due_date, id)`.execute(db);

  await sql`
    create table action_indicators (
      initiative_id uuid not null,
      action_id uuid not null,
      indicator_id uuid not null,
      primary key (action_id, indicator_id),
      foreign key (initiative_id, action_id) references actions (initiative_id, id) on delete cascade,
      foreign key (initiative_id, indicator_id) references indicators (initiative_id, id) on delete cascade
    )`.execute(db);
  await sql`create index action_indicators_by_indicator on action_indicators (indicator_id)`.execute(db);

  await sql`
    create table action_updates (
      id uuid primary key,
      initiative_id uuid not null,
      action_id uuid not null,
      kind text not null check (kind in ('created', 'edited', 'progress')),
      note text,
      changes jsonb not null default '{}',
      recorded_by text not null,
      recorded_at timestamptz not null default now(),
      foreign key (initiative_id, action_id) references actions (initiative_id, id) on delete cascade
    )`.execute(db);
  await sql`create index action_updates_by_action on action_updates (action_id, recorded_at, id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['action_updates', 'action_indicators', 'actions', 'curve_reports']) {
    await sql`drop table if exists ${sql.table(table)}`.execute(db);
  }
  await sql`
    alter table indicators
      drop constraint if exists indicators_performance_fields,
      drop column if exists reporting_lag,
      drop column if exists program_name,
      drop column if exists quadrant
  `.execute(db);
}
