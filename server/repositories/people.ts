/**
 * People, invitations, sessions and failed sign-ins (schema/migrations/2026120302-people.ts). Secrets arrive
 * here already hashed or are hashed with auth/token-secret.ts; passwords arrive hashed.
 */
import { sql, type Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Database, InvitationRow, PersonRow } from '../../schema/database.ts';
import type { Principal, Role } from '../auth/policy.ts';
import { hashTokenSecret } from '../auth/token-secret.ts';
import { ConflictError } from '../errors.ts';

export interface Person {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  initiativeId: string | null;
  partnerId: string | null;
}

function toPerson(row: PersonRow): Person {
  return {
    id: row.id,
    email: row.email,
    displayName: row.displayName,
    role: row.role,
    initiativeId: row.initiativeId,
    partnerId: row.partnerId,
  };
}

/** The principal a signed-in person acts as: the policy treats it like a token with the person's role. */
export function principalOfPerson(person: Person): Principal {
  return {
    kind: 'token',
    tokenId: null,
    name: person.email,
    role: person.role,
    initiativeId: person.initiativeId,
    partnerId: person.partnerId,
    personId: person.id,
  };
}

export async function insertInvitation(
  db: Kysely<Database>,
  input: {
    secret: string;
    email: string;
    role: Role;
    initiativeId: string | null;
    partnerId: string | null;
    createdBy: string;
    validDays: number;
  },
): Promise<{ id: string; expiresAt: Date }> {
  return db
    .insertInto('invitations')
    .values({
      id: uuidv7(),
      secretHash: hashTokenSecret(input.secret),
      email: input.email,
      role: input.role,
      initiativeId: input.initiativeId,
      partnerId: input.partnerId,
      createdBy: input.createdBy,
      expiresAt: sql<Date>`now() + make_interval(days => ${input.validDays})`,
    })
    .returning(['id', 'expiresAt'])
    .executeTakeFirstOrThrow();
}

/** An invitation that can still be accepted (not used, not expired), or null. */
export async function findOpenInvitation(db: Kysely<Database>, secret: string): Promise<InvitationRow | null> {
  const row = await db
    .selectFrom('invitations')
    .selectAll()
    .where('secretHash', '=', hashTokenSecret(secret))
    .where('acceptedAt', 'is', null)
    .where('expiresAt', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return row ?? null;
}

/**
 * Accepts an invitation once: creates the person and marks the invitation used in one transaction. A second
 * use, an expired link or an email that already has an account is a ConflictError; nothing is written.
 */
export async function acceptInvitation(
  db: Kysely<Database>,
  secret: string,
  account: { displayName: string; passwordHash: string },
): Promise<Person> {
  return db.transaction().execute(async (trx) => {
    const invitation = await trx
      .updateTable('invitations')
      .set({ acceptedAt: sql<Date>`now()` })
      .where('secretHash', '=', hashTokenSecret(secret))
      .where('acceptedAt', 'is', null)
      .where('expiresAt', '>', sql<Date>`now()`)
      .returningAll()
      .executeTakeFirst();
    if (!invitation) throw new ConflictError('invitation_used', 'This invitation was used already or has expired.');
    const existing = await trx
      .selectFrom('people')
      .select('id')
      .where('email', '=', invitation.email)
      .executeTakeFirst();
    if (existing) throw new ConflictError('account_exists', 'An account with this email exists already.');
    const row = await trx
      .insertInto('people')
      .values({
        id: uuidv7(),
        email: invitation.email,
        displayName: account.displayName,
        passwordHash: account.passwordHash,
        role: invitation.role,
        initiativeId: invitation.initiativeId,
        partnerId: invitation.partnerId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toPerson(row);
  });
}

export async function findPersonForSignIn(
  db: Kysely<Database>,
  email: string,
): Promise<{ person: Person; passwordHash: string } | null> {
  const row = await db.selectFrom('people').selectAll().where('email', '=', email).executeTakeFirst();
  return row ? { person: toPerson(row), passwordHash: row.passwordHash } : null;
}

export async function insertSession(
  db: Kysely<Database>,
  personId: string,
  secret: string,
  lifetimeHours: number,
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      idHash: hashTokenSecret(secret),
      personId,
      expiresAt: sql<Date>`now() + make_interval(hours => ${lifetimeHours})`,
    })
    .execute();
}

/** The person of a live session (not revoked, not expired), or null. */
export async function personOfSession(db: Kysely<Database>, secret: string): Promise<Person | null> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('people', 'people.id', 'sessions.personId')
    .selectAll('people')
    .where('sessions.idHash', '=', hashTokenSecret(secret))
    .where('sessions.revokedAt', 'is', null)
    .where('sessions.expiresAt', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return row ? toPerson(row) : null;
}

export async function revokeSession(db: Kysely<Database>, secret: string): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revokedAt: sql<Date>`coalesce(revoked_at, now())` })
    .where('idHash', '=', hashTokenSecret(secret))
    .execute();
}

export async function recordSignInFailure(db: Kysely<Database>, email: string, address: string): Promise<void> {
  await db.insertInto('signInFailures').values({ email, address }).execute();
}

/** Failed sign-ins in the last `minutes`, for this account and from this address. */
export async function recentSignInFailures(
  db: Kysely<Database>,
  email: string,
  address: string,
  minutes: number,
): Promise<{ forEmail: number; fromAddress: number }> {
  const since = sql<Date>`now() - make_interval(mins => ${minutes})`;
  const row = await db
    .selectFrom('signInFailures')
    .select([
      sql<string>`count(*) filter (where email = ${email})`.as('forEmail'),
      sql<string>`count(*) filter (where address = ${address})`.as('fromAddress'),
    ])
    .where('at', '>', since)
    .where((eb) => eb.or([eb('email', '=', email), eb('address', '=', address)]))
    .executeTakeFirstOrThrow();
  return { forEmail: Number(row.forEmail), fromAddress: Number(row.fromAddress) };
}
