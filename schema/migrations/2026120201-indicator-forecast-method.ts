/**
 * The baseline forecast method of each indicator (docs/methodology.md §3): `forecast` is
 * `{ method: 'auto' | 'ets' | 'linear' | 'manual', model?, window? }`, default `{ "method": "auto" }`
 * (automatic exponential smoothing). Existing indicators get the default; their hand-drawn
 * `forecast_override` is untouched and still replaces the computed values where it has them.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table indicators
      add column forecast jsonb not null default '{"method": "auto"}'
        check (jsonb_typeof(forecast) = 'object' and forecast->>'method' in ('auto', 'ets', 'linear', 'manual'))
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table indicators drop column forecast`.execute(db);
}
