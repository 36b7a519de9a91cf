/**
 * Personal API tokens (/app/tokens): a signed-in person makes tokens for their own scripts, with at most
 * their own rights — a token holds one role in one initiative, so the person picks one of their memberships and
 * its role or `viewer` (administrators also `admin`) — lists the ones not revoked and revokes them. The secret is
 * shown once, as for tokens made through the API.
 */
import type { ApiToken } from '../../schema/contracts/tokens.ts';
import type { Role } from '../auth/policy.ts';
import type { Db } from '../dependencies.ts';
import { UnprocessableError } from '../errors.ts';
import { initiativeNames } from '../repositories/initiatives.ts';
import type { Person } from '../repositories/people.ts';
import { createToken, listPersonTokens, revokePersonToken } from '../repositories/tokens.ts';

/** A scope a personal token may have: `value` is what the form sends (`admin`, or `role@initiativeId`). */
export interface TokenGrant {
  value: string;
  role: Role;
  initiativeId: string | null;
  partnerId: string | null;
  /** The initiative's name, for the form; null for `admin`. */
  initiativeName: string | null;
}

/**
 * The scopes a person may give a personal token: `admin` for administrators; for each membership, its role and,
 * below it, `viewer`.
 *
 * @example personalTokenGrants({ admin: false, memberships: [{ initiativeId: 'i1', role: 'contributor', partnerId: 'p1' }] }, names)
 *   // [{ value: 'contributor@i1', role: 'contributor', partnerId: 'p1', … }, { value: 'viewer@i1', role: 'viewer', partnerId: null, … }]
 */
export function personalTokenGrants(
  person: Pick<Person, 'admin' | 'memberships'>,
  names: ReadonlyMap<string, string>,
): TokenGrant[] {
  const grants: TokenGrant[] = person.admin
    ? [{ value: 'admin', role: 'admin', initiativeId: null, partnerId: null, initiativeName: null }]
    : [];
  for (const membership of person.memberships) {
    const initiativeName = names.get(membership.initiativeId) ?? membership.initiativeId;
    const roles: Role[] = membership.role === 'viewer' ? ['viewer'] : [membership.role, 'viewer'];
    for (const role of roles)
      grants.push({
        value: `${role}@${membership.initiativeId}`,
        role,
        initiativeId: membership.initiativeId,
        partnerId: role === 'contributor' ? membership.partnerId : null,
        initiativeName,
      });
  }
  return grants;
}

/** The grants of the person, with their initiatives' names. */
export async function tokenGrantsOf(db: Db, person: Person): Promise<TokenGrant[]> {
  const names = await initiativeNames(
    db,
    person.memberships.map((membership) => membership.initiativeId),
  );
  return personalTokenGrants(person, names);
}

export async function createPersonalToken(
  db: Db,
  person: Person,
  input: { name: string; role: string },
): Promise<ApiToken & { secret: string }> {
  const name = input.name.trim();
  const grant = personalTokenGrants(person, new Map()).find((g) => g.value === input.role);
  const problems = [];
  if (name.length === 0 || name.length > 300) problems.push({ field: 'name', code: 'invalid_name', message: 'name' });
  if (!grant) problems.push({ field: 'role', code: 'role_above_own', message: 'role' });
  if (problems.length > 0 || !grant)
    throw new UnprocessableError('invalid_token', 'The token cannot be created.', problems);
  return createToken(
    db,
    {
      name: `${name} (${person.email})`,
      role: grant.role,
      ...(grant.initiativeId !== null && { initiativeId: grant.initiativeId }),
      ...(grant.partnerId !== null && { partnerId: grant.partnerId }),
    },
    person.email,
    person.id,
  );
}

export function listPersonalTokens(db: Db, person: Person): Promise<ApiToken[]> {
  return listPersonTokens(db, person.id);
}

export async function revokePersonalToken(db: Db, person: Person, tokenId: string): Promise<void> {
  await revokePersonToken(db, person.id, tokenId);
}
