/**
 * A person may belong to several initiatives, with a role in each (a coordinator who is an editor of one
 * partnership and a viewer of another). `memberships` holds one role per person and initiative; being a service
 * administrator is a flag of the person (administrators need no membership). The role columns of `people` move
 * here: each existing person keeps their one role as their one membership.
 *
 * A contributor's partner must be a partner of the same initiative (composite foreign key); removing the partner
 * removes the membership, no longer the person.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table memberships (
      person_id uuid not null references people (id) on delete cascade,
      initiative_id uuid not null references initiatives (id) on delete cascade,
      role text not null check (role in ('editor', 'contributor', 'viewer')),
      partner_id uuid,
      created_at timestamptz not null default now(),
      primary key (person_id, initiative_id),
      foreign key (initiative_id, partner_id) references partners (initiative_id, id) on delete cascade,
      check ((role = 'contributor') = (partner_id is not null))
    )`.execute(db);
  await sql`create index memberships_by_initiative on memberships (initiative_id)`.execute(db);
  await sql`
    insert into memberships (person_id, initiative_id, role, partner_id, created_at)
    select id, initiative_id, role, partner_id, created_at from people where initiative_id is not null`.execute(db);
  await sql`alter table people add column admin boolean not null default false`.execute(db);
  await sql`update people set admin = (role = 'admin')`.execute(db);
  // Dropping the columns drops their checks and foreign keys with them.
  await sql`alter table people drop column role, drop column initiative_id, drop column partner_id`.execute(db);
}

/**
 * Back to one role per person: the earliest membership (or admin). A person with no membership and no admin flag
 * cannot be expressed there and is removed, with their sessions.
 */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table people
      add column role text,
      add column initiative_id uuid references initiatives (id) on delete cascade,
      add column partner_id uuid references partners (id) on delete cascade`.execute(db);
  await sql`
    update people p set role = m.role, initiative_id = m.initiative_id, partner_id = m.partner_id
    from (
      select distinct on (person_id) person_id, role, initiative_id, partner_id
      from memberships order by person_id, created_at, initiative_id
    ) m
    where m.person_id = p.id and not p.admin`.execute(db);
  await sql`update people set role = 'admin' where admin`.execute(db);
  await sql`delete from people where role is null`.execute(db);
  await sql`
    alter table people
      alter column role set not null,
      add check (role in ('admin', 'editor', 'contributor', 'viewer')),
      add check ((role = 'admin') = (initiative_id is null)),
      add check ((role = 'contributor') = (partner_id is not null)),
      drop column admin`.execute(db);
  await sql`drop table memberships`.execute(db);
}
