/**
 * People of a partnership: invitations, accounts, sign-in and sessions for the workspace (/app).
 *  1. An administrator invites an email with a role; the link carries a random secret, stored hashed, single
 *     use, valid 7 days.
 *  2. The invited person picks a name and password (scrypt) and is signed in. A person who has an account
 *     already accepts with their password instead: the invitation's role is added to their memberships (one
 *     role per initiative; a new invitation to the same initiative replaces the role held there).
 *  3. Sign-in compares the password (also for unknown emails, so timing says nothing); failures are recorded
 *     and, past a threshold per account or per address within 15 minutes, further attempts are refused.
 *  4. A session is a random secret (cookie) whose hash is stored with its expiry; sign-out revokes it.
 */
import type { CreatedInvitation, InvitationCreate } from '../../schema/contracts/invitations.ts';
import { actorName, isAdmin, type Principal, type Role } from '../auth/policy.ts';
import { dummyHash, hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from '../auth/password.ts';
import { newTokenSecret } from '../auth/token-secret.ts';
import type { Db } from '../dependencies.ts';
import { ConflictError, ForbiddenError, UnprocessableError } from '../errors.ts';
import {
  acceptInvitation,
  acceptInvitationAsPerson,
  findOpenInvitation,
  findPersonForSignIn,
  insertInvitation,
  insertSession,
  personOfSession,
  principalOfPerson,
  recentSignInFailures,
  recordSignInFailure,
  revokeSession,
  type Person,
} from '../repositories/people.ts';
import { checkRoleScope } from '../repositories/tokens.ts';

export const INVITATION_DAYS = 7;
export const SESSION_HOURS = 12;
/** Failed sign-ins within the window after which an account (or an address) must wait. */
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_ADDRESS = 20;
export const FAILURE_WINDOW_MINUTES = 15;

export async function invitePerson(
  db: Db,
  principal: Principal,
  input: InvitationCreate,
  origin: string,
): Promise<CreatedInvitation> {
  // Roles other than admin span one initiative each, so only administrators hand them out (as tokens).
  if (!isAdmin(principal)) throw new ForbiddenError('Only an administrator may invite people.');
  const scope = await checkRoleScope(db, input, 'invitation');
  const secret = newTokenSecret();
  const created = await insertInvitation(db, {
    secret,
    email: input.email,
    role: input.role,
    ...scope,
    createdBy: actorName(principal),
    validDays: INVITATION_DAYS,
  });
  return {
    id: created.id,
    url: `${origin.replace(/\/$/, '')}/app/invitations/${secret}`,
    expiresAt: created.expiresAt.toISOString(),
  };
}

/** What an open invitation page shows. */
export interface OpenInvitation {
  email: string;
  role: Role;
  /** The initiative it is for; null for an administrator's invitation. */
  initiativeName: string | null;
  /** The email has an account already: the person accepts with their password. */
  hasAccount: boolean;
}

/** The open invitation of a link, or null when it is unknown, used or expired. */
export async function openInvitation(db: Db, secret: string): Promise<OpenInvitation | null> {
  const open = await findOpenInvitation(db, secret);
  return (
    open && {
      email: open.invitation.email,
      role: open.invitation.role,
      initiativeName: open.initiativeName,
      hasAccount: open.hasAccount,
    }
  );
}

/** Creates the account of an invitation and signs the person in: the new session's secret. */
export async function createAccount(
  db: Db,
  invitationSecret: string,
  input: { displayName: string; password: string },
): Promise<{ person: Person; sessionSecret: string }> {
  const displayName = input.displayName.trim();
  const problems = [];
  if (displayName.length === 0 || displayName.length > 200)
    problems.push({ field: 'displayName', code: 'invalid_name', message: 'name' });
  if (input.password.length < MIN_PASSWORD_LENGTH || input.password.length > 1000)
    problems.push({ field: 'password', code: 'weak_password', message: 'password' });
  if (problems.length > 0) throw new UnprocessableError('invalid_account', 'The account cannot be created.', problems);
  const person = await acceptInvitation(db, invitationSecret, {
    displayName,
    passwordHash: await hashPassword(input.password),
  });
  return { person, sessionSecret: await startSession(db, person.id) };
}

async function startSession(db: Db, personId: string): Promise<string> {
  const secret = newTokenSecret();
  await insertSession(db, personId, secret, SESSION_HOURS);
  return secret;
}

export type SignInOutcome = { kind: 'signed_in'; sessionSecret: string } | { kind: 'wrong' } | { kind: 'slowed_down' };

type CredentialCheck = { kind: 'right'; person: Person } | { kind: 'wrong' } | { kind: 'slowed_down' };

/** Compares a password, counting failures (the slow-down applies to every door that asks for one). */
async function checkCredentials(db: Db, email: string, password: string, address: string): Promise<CredentialCheck> {
  const normalised = email.trim().toLowerCase();
  const failures = await recentSignInFailures(db, normalised, address, FAILURE_WINDOW_MINUTES);
  if (failures.forEmail >= MAX_FAILURES_PER_ACCOUNT || failures.fromAddress >= MAX_FAILURES_PER_ADDRESS)
    return { kind: 'slowed_down' };
  const found = await findPersonForSignIn(db, normalised);
  const matches = await verifyPassword(password, found?.passwordHash ?? (await dummyHash()));
  if (!found || !matches) {
    await recordSignInFailure(db, normalised, address);
    return { kind: 'wrong' };
  }
  return { kind: 'right', person: found.person };
}

export async function signIn(db: Db, email: string, password: string, address: string): Promise<SignInOutcome> {
  const check = await checkCredentials(db, email, password, address);
  if (check.kind !== 'right') return check;
  return { kind: 'signed_in', sessionSecret: await startSession(db, check.person.id) };
}

/**
 * Accepts an invitation for an email that has an account: the person proves it with their password (counted
 * like a sign-in), gets the invitation's role and is signed in. A used or expired invitation is a ConflictError.
 */
export async function acceptInvitationWithAccount(
  db: Db,
  invitationSecret: string,
  password: string,
  address: string,
): Promise<SignInOutcome> {
  const open = await findOpenInvitation(db, invitationSecret);
  if (!open) throw new ConflictError('invitation_used', 'This invitation was used already or has expired.');
  const check = await checkCredentials(db, open.invitation.email, password, address);
  if (check.kind !== 'right') return check;
  const person = await acceptInvitationAsPerson(db, invitationSecret, check.person.id);
  return { kind: 'signed_in', sessionSecret: await startSession(db, person.id) };
}

export async function signOut(db: Db, sessionSecret: string): Promise<void> {
  await revokeSession(db, sessionSecret);
}

/** The principal of a live session, or null (unknown, expired or revoked). */
export async function sessionPrincipal(
  db: Db,
  sessionSecret: string,
): Promise<{ principal: Principal; person: Person } | null> {
  const person = await personOfSession(db, sessionSecret);
  return person ? { principal: principalOfPerson(person), person } : null;
}
