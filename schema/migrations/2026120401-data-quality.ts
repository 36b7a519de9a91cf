/**
 * Data quality (issue 14, docs/data-quality.md):
 * - `indicators.rules`: the indicator's validation rules (a JSON list, checked by the contract); every change is
 *   kept in `indicator_rule_versions` by a trigger, whatever wrote it, so "as of" reads show the rules then in force;
 * - `initiatives.quality`: `{ "warnings": "record" | "block" }`, what a warning does to a write;
 * - on each data-point version: `obs_status` (SDMX OBS_STATUS: A, P, E, B, M; F is refused as data), `footnote`,
 *   and `flags` (the warnings found when the version was written, each acknowledged or not). A point marked M
 *   (missing) has no value.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table indicators
      add column rules jsonb not null default '[]' check (jsonb_typeof(rules) = 'array')`.execute(db);
  await sql`
    alter table initiatives
      add column quality jsonb not null default '{"warnings": "record"}'
        check (jsonb_typeof(quality) = 'object' and quality->>'warnings' in ('record', 'block'))`.execute(db);
  await sql`
    alter table data_points
      add column obs_status text check (obs_status in ('A', 'P', 'E', 'B', 'M')),
      add column footnote text,
      add column flags jsonb not null default '[]' check (jsonb_typeof(flags) = 'array'),
      alter column value drop not null,
      add constraint data_points_value_or_missing check (value is not null or obs_status = 'M')`.execute(db);

  await sql`
    create table indicator_rule_versions (
      indicator_id uuid not null,
      initiative_id uuid not null,
      version integer not null,
      rules jsonb not null,
      valid_from timestamptz not null,
      valid_to timestamptz,
      primary key (indicator_id, version),
      foreign key (initiative_id, indicator_id) references indicators (initiative_id, id) on delete cascade
    )`.execute(db);
  await sql`
    create unique index indicator_rule_versions_current on indicator_rule_versions (indicator_id)
      where valid_to is null`.execute(db);
  await sql`
    create function rba_keep_rule_version() returns trigger language plpgsql as $$
    declare
      at timestamptz := clock_timestamp();
      last integer;
    begin
      if tg_op = 'UPDATE' and new.rules is not distinct from old.rules then
        return null;
      end if;
      update indicator_rule_versions set valid_to = at where indicator_id = new.id and valid_to is null
        returning version into last;
      insert into indicator_rule_versions (indicator_id, initiative_id, version, rules, valid_from)
        values (new.id, new.initiative_id, coalesce(last, 0) + 1, new.rules, at);
      return null;
    end
    $$`.execute(db);
  await sql`
    create trigger rba_keep_rule_version after insert or update of rules on indicators
      for each row execute function rba_keep_rule_version()`.execute(db);
  // The indicators that exist now start their rule history with their (empty) rules.
  await sql`
    insert into indicator_rule_versions (indicator_id, initiative_id, version, rules, valid_from)
    select id, initiative_id, 1, rules, created_at from indicators`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger rba_keep_rule_version on indicators`.execute(db);
  await sql`drop function rba_keep_rule_version()`.execute(db);
  await sql`drop table indicator_rule_versions`.execute(db);
  await sql`delete from data_points where value is null`.execute(db);
  await sql`
    alter table data_points
      drop constraint data_points_value_or_missing,
      alter column value set not null,
      drop column flags,
      drop column footnote,
      drop column obs_status`.execute(db);
  await sql`alter table initiatives drop column quality`.execute(db);
  await sql`alter table indicators drop column rules`.execute(db);
}
