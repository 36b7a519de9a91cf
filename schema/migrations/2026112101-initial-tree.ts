/**
 * The shared-result tree: initiatives → partners, results → outcomes (a tree) → indicators → data points.
 *
 * Integrity is enforced by the database, not only by the API:
 * - every child references its parent by (initiative_id, id), so it cannot point into another initiative;
 * - an outcome's parent and an indicator's outcome are referenced by (result_id, id), so neither can
 *   cross results;
 * - deleting a parent cascades to everything below it (the API refuses such a delete unless the client
 *   asks for `cascade=true`, see the README); deleting a partner clears `owner_partner_id`.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table initiatives (
      id uuid primary key,
      initiative_id uuid generated always as (id) stored not null,
      slug text not null unique,
      name text not null,
      description text,
      geography text,
      formality text,
      stage text,
      work_level text,
      brand jsonb,
      embed_origins jsonb not null default '[]',
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (initiative_id, id)
    )`.execute(db);

  await sql`
    create table partners (
      id uuid primary key,
      initiative_id uuid not null references initiatives (id) on delete cascade,
      name text not null,
      sector text not null,
      role text,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (initiative_id, id)
    )`.execute(db);

  await sql`
    create table results (
      id uuid primary key,
      initiative_id uuid not null references initiatives (id) on delete cascade,
      statement text not null,
      population text,
      geography text,
      time_frame_start integer,
      time_frame_end integer,
      visibility text not null default 'private',
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (initiative_id, id)
    )`.execute(db);
  await sql`create index results_by_initiative on results (initiative_id, created_at, id)`.execute(db);

  await sql`
    create table outcomes (
      id uuid primary key,
      initiative_id uuid not null,
      result_id uuid not null,
      parent_outcome_id uuid,
      title text not null,
      description text,
      position integer not null default 0,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (result_id, id),
      foreign key (initiative_id, result_id) references results (initiative_id, id) on delete cascade,
      foreign key (result_id, parent_outcome_id) references outcomes (result_id, id) on delete cascade,
      check (parent_outcome_id is null or parent_outcome_id <> id)
    )`.execute(db);
  await sql`create index outcomes_by_result on outcomes (result_id, parent_outcome_id, position)`.execute(db);

  await sql`
    create table indicators (
      id uuid primary key,
      initiative_id uuid not null,
      result_id uuid not null,
      outcome_id uuid,
      name text not null,
      code text,
      unit text not null,
      polarity text not null,
      frequency text not null,
      definition text,
      unit_label text,
      decimals smallint,
      year_start_month smallint not null default 1,
      baseline_period text,
      target jsonb,
      interim_targets jsonb not null default '[]',
      natural_limit double precision,
      bounds jsonb,
      forecast_override jsonb not null default '[]',
      dimensions jsonb not null default '[]',
      reference_group jsonb,
      data_source text,
      owner_partner_id uuid references partners (id) on delete set null,
      level text not null default 'population',
      visibility text,
      position integer not null default 0,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (initiative_id, id),
      unique (result_id, code),
      foreign key (initiative_id, result_id) references results (initiative_id, id) on delete cascade,
      foreign key (result_id, outcome_id) references outcomes (result_id, id) on delete cascade
    )`.execute(db);
  await sql`create index indicators_by_result on indicators (result_id, outcome_id, position)`.execute(db);

  // Data points keep every version (valid_from/valid_to): the current value is the version with no
  // valid_to; a revision closes the current version and adds the next one under the same id; a delete
  // closes it with no successor. History and "as of" reads are then the same query, and a bulk load costs
  // one write per row. (A separate revisions table would cost a second write per row and a reconstruction
  // for "as of" reads.)
  await sql`
    create table data_points (
      id uuid not null,
      version integer not null,
      initiative_id uuid not null,
      indicator_id uuid not null,
      period text not null,
      period_index integer not null,
      disaggregation jsonb not null default '{}',
      disaggregation_key text not null default '{}',
      value double precision not null,
      note text,
      status text,
      source text,
      valid_from timestamptz not null default now(),
      valid_to timestamptz,
      recorded_by text not null,
      recorded_how text not null,
      closed_by text,
      closed_how text,
      primary key (id, version),
      foreign key (initiative_id, indicator_id) references indicators (initiative_id, id) on delete cascade,
      check (valid_to is null or valid_to >= valid_from)
    )`.execute(db);
  await sql`
    create unique index data_points_current_key on data_points (indicator_id, disaggregation_key, period)
    where valid_to is null`.execute(db);
  await sql`
    create index data_points_current_by_period on data_points (indicator_id, disaggregation_key, period_index)
    where valid_to is null`.execute(db);
  await sql`create index data_points_by_validity on data_points (indicator_id, valid_from, valid_to)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['data_points', 'indicators', 'outcomes', 'results', 'partners', 'initiatives']) {
    await sql`drop table if exists ${sql.table(table)}`.execute(db);
  }
}
