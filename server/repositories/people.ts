/**
 * People, their memberships, invitations, sessions and failed sign-ins (schema/migrations/2026120302-people.ts,
 * 2026120601-memberships.ts). Secrets arrive here already hashed or are hashed with auth/token-secret.ts;
 * passwords arrive hashed.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Database, InvitationRow, PersonRow } from '../../schema/database.ts';
import type { Membership, Principal, Role } from '../auth/policy.ts';
import { hashTokenSecret } from '../auth/token-secret.ts';
import { ConflictError } from '../errors.ts';

export interface Person {
  id: string;
  email: string;
  displayName: string;
  /** A service administrator (needs no membership). */
  admin: boolean;
  /** One role per initiative the person belongs to, ordered by initiative name. */
  memberships: Membership[];
}

/** The principal a signed-in person acts as: in each initiative, the role of their membership there. */
export function principalOfPerson(person: Person): Principal {
  return {
    kind: 'authenticated',
    tokenId: null,
    name: person.email,
    admin: person.admin,
    memberships: person.memberships,
    personId: person.id,
  };
}

/** The person of a row, with their memberships (one query). */
async function withMemberships(db: Kysely<Database>, row: PersonRow): Promise<Person> {
  const memberships = await db
    .selectFrom('memberships')
    .innerJoin('initiatives', 'initiatives.id', 'memberships.initiativeId')
    .select(['memberships.initiativeId', 'memberships.role', 'memberships.partnerId'])
    .where('memberships.personId', '=', row.id)
    .orderBy('initiatives.name')
    .orderBy('memberships.initiativeId')
    .execute();
  return { id: row.id, email: row.email, displayName: row.displayName, admin: row.admin, memberships };
}

/**
 * Gives the person what an invitation offers: the admin flag, or the role in its initiative (replacing one held).
 * A personal token of that initiative above what the person now holds there (a role they lost, another partner)
 * is revoked with it: a token never keeps rights its person no longer has.
 */
async function grantInvitation(trx: Transaction<Database>, personId: string, invitation: InvitationRow): Promise<void> {
  if (invitation.role === 'admin' || invitation.initiativeId === null) {
    await trx.updateTable('people').set({ admin: true }).where('id', '=', personId).execute();
    return;
  }
  const membership = {
    role: invitation.role,
    partnerId: invitation.role === 'contributor' ? invitation.partnerId : null,
  };
  await trx
    .insertInto('memberships')
    .values({ personId, initiativeId: invitation.initiativeId, ...membership })
    .onConflict((oc) => oc.columns(['personId', 'initiativeId']).doUpdateSet(membership))
    .execute();
  await trx
    .updateTable('apiTokens')
    .set({ revokedAt: sql<Date>`now()` })
    .where('personId', '=', personId)
    .where('initiativeId', '=', invitation.initiativeId)
    .where('revokedAt', 'is', null)
    .where((eb) =>
      eb.not(
        eb.or([
          eb('role', '=', 'viewer'),
          eb.and([
            eb('role', '=', membership.role),
            membership.partnerId === null ? eb('partnerId', 'is', null) : eb('partnerId', '=', membership.partnerId),
          ]),
        ]),
      ),
    )
    .execute();
}

/** Marks an open invitation used and answers it; a ConflictError when it was used already or has expired. */
async function takeInvitation(trx: Transaction<Database>, secret: string): Promise<InvitationRow> {
  const invitation = await trx
    .updateTable('invitations')
    .set({ acceptedAt: sql<Date>`now()` })
    .where('secretHash', '=', hashTokenSecret(secret))
    .where('acceptedAt', 'is', null)
    .where('expiresAt', '>', sql<Date>`now()`)
    .returningAll()
    .executeTakeFirst();
  if (!invitation) throw new ConflictError('invitation_used', 'This invitation was used already or has expired.');
  return invitation;
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

/**
 * An invitation that can still be accepted (not used, not expired), and whether its email has an account
 * already (then the person accepts by signing in, not by creating one); null when there is none.
 */
export async function findOpenInvitation(
  db: Kysely<Database>,
  secret: string,
): Promise<{ invitation: InvitationRow; initiativeName: string | null; hasAccount: boolean } | null> {
  const row = await db
    .selectFrom('invitations')
    .leftJoin('initiatives', 'initiatives.id', 'invitations.initiativeId')
    .selectAll('invitations')
    .select('initiatives.name as initiativeName')
    .select((eb) =>
      eb
        .exists(eb.selectFrom('people').select('people.id').whereRef('people.email', '=', 'invitations.email'))
        .as('hasAccount'),
    )
    .where('secretHash', '=', hashTokenSecret(secret))
    .where('acceptedAt', 'is', null)
    .where('expiresAt', '>', sql<Date>`now()`)
    .executeTakeFirst();
  if (!row) return null;
  const { hasAccount, initiativeName, ...invitation } = row;
  return { invitation, initiativeName, hasAccount: Boolean(hasAccount) };
}

/**
 * Accepts an invitation once with a new account: creates the person with what the invitation offers and marks
 * the invitation used, in one transaction. A second use, an expired link or an email that already has an
 * account (it accepts with {@link acceptInvitationAsPerson}) is a ConflictError; nothing is written.
 */
export async function acceptInvitation(
  db: Kysely<Database>,
  secret: string,
  account: { displayName: string; passwordHash: string },
): Promise<Person> {
  return db.transaction().execute(async (trx) => {
    const invitation = await takeInvitation(trx, secret);
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
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await grantInvitation(trx, row.id, invitation);
    return withMemberships(trx, row);
  });
}

/**
 * Accepts an invitation once for the person who has an account with its email already (they proved it with their
 * password): adds the invitation's role in its initiative — replacing the role they held there, so an
 * administrator changes a person's role by inviting them again — or makes them an administrator.
 */
export async function acceptInvitationAsPerson(
  db: Kysely<Database>,
  secret: string,
  personId: string,
): Promise<Person> {
  return db.transaction().execute(async (trx) => {
    const invitation = await takeInvitation(trx, secret);
    const row = await trx.selectFrom('people').selectAll().where('id', '=', personId).executeTakeFirst();
    if (row?.email !== invitation.email)
      throw new ConflictError('invitation_other_email', 'This invitation is for another email address.');
    await grantInvitation(trx, row.id, invitation);
    return withMemberships(trx, row);
  });
}

export async function findPersonForSignIn(
  db: Kysely<Database>,
  email: string,
): Promise<{ person: Person; passwordHash: string } | null> {
  const row = await db.selectFrom('people').selectAll().where('email', '=', email).executeTakeFirst();
  return row ? { person: await withMemberships(db, row), passwordHash: row.passwordHash } : null;
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
  return row ? withMemberships(db, row) : null;
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
