/**
 * API tokens. A token belongs to one initiative (editor, contributor, viewer) or to none (admin). Only a
 * SHA-256 hash of the secret is stored: secrets are 256-bit random strings, so a fast hash is enough
 * (no password-style stretching needed) and lookups stay one indexed query.
 *
 * `initiative_id` is nullable here: administrators' tokens span initiatives. Under Citus this table would
 * be a reference table, not a distributed one.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table api_tokens (
      id uuid primary key,
      initiative_id uuid references initiatives (id) on delete cascade,
      partner_id uuid references partners (id) on delete cascade,
      name text not null,
      role text not null check (role in ('admin', 'editor', 'contributor', 'viewer')),
      secret_hash text not null unique,
      created_by text not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz,
      revoked_at timestamptz,
      last_used_at timestamptz,
      check ((role = 'admin') = (initiative_id is null)),
      check ((role = 'contributor') = (partner_id is not null))
    )`.execute(db);
  await sql`create index api_tokens_by_initiative on api_tokens (initiative_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists api_tokens`.execute(db);
}
