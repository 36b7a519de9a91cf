/**
 * People who sign in to the workspace (/app): accounts created by invitation, sessions stored here (so every
 * instance shares them and an administrator can revoke them), and failed sign-ins (the per-account and
 * per-address slow-down reads them). A person has one role, with the same meaning and scope as an API token's.
 *
 * Secrets (invitation links, session ids) are 256-bit random strings: only their SHA-256 is stored, as for
 * tokens. Passwords are stored as scrypt hashes (server/auth/password.ts).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table people (
      id uuid primary key,
      email text not null unique check (email = lower(email)),
      display_name text not null,
      password_hash text not null,
      role text not null check (role in ('admin', 'editor', 'contributor', 'viewer')),
      initiative_id uuid references initiatives (id) on delete cascade,
      partner_id uuid references partners (id) on delete cascade,
      created_at timestamptz not null default now(),
      check ((role = 'admin') = (initiative_id is null)),
      check ((role = 'contributor') = (partner_id is not null))
    )`.execute(db);
  await sql`
    create table invitations (
      id uuid primary key,
      secret_hash text not null unique,
      email text not null check (email = lower(email)),
      role text not null check (role in ('admin', 'editor', 'contributor', 'viewer')),
      initiative_id uuid references initiatives (id) on delete cascade,
      partner_id uuid references partners (id) on delete cascade,
      created_by text not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      accepted_at timestamptz,
      check ((role = 'admin') = (initiative_id is null)),
      check ((role = 'contributor') = (partner_id is not null))
    )`.execute(db);
  await sql`
    create table sessions (
      id_hash text primary key,
      person_id uuid not null references people (id) on delete cascade,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      revoked_at timestamptz
    )`.execute(db);
  await sql`create index sessions_by_person on sessions (person_id)`.execute(db);
  // Personal API tokens (/app/tokens): a token made by a person goes with the person.
  await sql`alter table api_tokens add column person_id uuid references people (id) on delete cascade`.execute(db);
  await sql`create index api_tokens_by_person on api_tokens (person_id)`.execute(db);
  await sql`
    create table sign_in_failures (
      id bigint generated always as identity primary key,
      email text not null,
      address text not null,
      at timestamptz not null default now()
    )`.execute(db);
  await sql`create index sign_in_failures_by_email on sign_in_failures (email, at)`.execute(db);
  await sql`create index sign_in_failures_by_address on sign_in_failures (address, at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists sign_in_failures`.execute(db);
  await sql`alter table api_tokens drop column if exists person_id`.execute(db);
  await sql`drop table if exists sessions`.execute(db);
  await sql`drop table if exists invitations`.execute(db);
  await sql`drop table if exists people`.execute(db);
}
