/**
 * Stored baseline fits (docs/methodology.md §3): the baseline forecast is frozen, so the fitted model of each
 * indicator slice is kept and reused instead of refitted on every read. `fit_key` is a hash of everything the
 * fit depends on — the engine version, the forecast method, the bounds, the calendar, the baseline period and
 * the history up to it (server/services/stored-fits.ts) — so a stored model is used only when that key still
 * matches; otherwise it is refitted and the row replaced. `slice_key` is the engine's slice key ('[]' =
 * the total). Rows go with their indicator.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table baseline_fits (
      initiative_id uuid not null,
      indicator_id uuid not null,
      slice_key text not null,
      fit_key text not null,
      model jsonb not null check (jsonb_typeof(model) = 'object'),
      fitted_at timestamptz not null default now(),
      primary key (indicator_id, slice_key),
      foreign key (initiative_id, indicator_id) references indicators (initiative_id, id) on delete cascade
    )
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table baseline_fits`.execute(db);
}
