/**
 * Personal API tokens (/app/tokens): a signed-in person makes tokens for their own scripts, with at most
 * their own rights — their role or `viewer`, always in their own initiative (and partner) — lists the ones
 * not revoked and revokes them. The secret is shown once, as for tokens made through the API.
 */
import type { ApiToken } from '../../schema/contracts/tokens.ts';
import type { Role } from '../auth/policy.ts';
import type { Db } from '../dependencies.ts';
import { UnprocessableError } from '../errors.ts';
import type { Person } from '../repositories/people.ts';
import { createToken, listPersonTokens, revokePersonToken } from '../repositories/tokens.ts';

/** The roles a person may give a personal token: their own, and viewer when they belong to an initiative. */
export function personalTokenRoles(person: Person): Role[] {
  return person.role !== 'viewer' && person.initiativeId !== null ? [person.role, 'viewer'] : [person.role];
}

export async function createPersonalToken(
  db: Db,
  person: Person,
  input: { name: string; role: string },
): Promise<ApiToken & { secret: string }> {
  const name = input.name.trim();
  const role = personalTokenRoles(person).find((r) => r === input.role);
  const problems = [];
  if (name.length === 0 || name.length > 300) problems.push({ field: 'name', code: 'invalid_name', message: 'name' });
  if (!role) problems.push({ field: 'role', code: 'role_above_own', message: 'role' });
  if (problems.length > 0 || !role)
    throw new UnprocessableError('invalid_token', 'The token cannot be created.', problems);
  return createToken(
    db,
    {
      name: `${name} (${person.email})`,
      role,
      ...(person.initiativeId !== null && { initiativeId: person.initiativeId }),
      ...(role === 'contributor' && person.partnerId !== null && { partnerId: person.partnerId }),
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
