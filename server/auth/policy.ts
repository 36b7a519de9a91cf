/**
 * Who may do what (the README's access table, as code). Pure: a principal, an action and the object's
 * anchor in, a decision out. Routes never decide access themselves.
 *
 * | role         | scope              | reads                               | writes                                      |
 * |--------------|--------------------|-------------------------------------|---------------------------------------------|
 * | anonymous    | —                  | public objects                      | nothing (401)                               |
 * | viewer       | one initiative     | public + that initiative's private  | nothing (403)                               |
 * | contributor  | one partner of one | as viewer                           | data points of indicators the partner owns  |
 * | editor       | one initiative     | as viewer                           | structure and data of that initiative       |
 * | admin        | everything         | everything                          | everything, tokens, new initiatives         |
 *
 * The roles below admin hold in one initiative: a token has one; a person (workspace) may hold one in each of
 * several initiatives, and the rules take the role they hold in the object's initiative.
 *
 * A private object the principal may not read is a 404 (its existence is not revealed); a readable object
 * it may not change is a 403.
 */
import type { MemberRole, PublicationAction, Role, Visibility } from '../../schema/vocabulary.ts';

export { ROLES, type Role } from '../../schema/vocabulary.ts';

/** A role in one initiative: a person's membership, or the scope of a token. */
export interface Membership {
  initiativeId: string;
  role: MemberRole;
  /** The partner whose indicators a contributor enters data for; null for editors and viewers. */
  partnerId: string | null;
}

/**
 * Who makes a request. A token holds one membership (or is an administrator's); a signed-in person holds one per
 * initiative they belong to — the rules below take the membership of the object's initiative.
 */
export type Principal =
  | { kind: 'anonymous' }
  | {
      kind: 'authenticated';
      /** The API token used; null for the service's admin token and for a workspace session. */
      tokenId: string | null;
      name: string;
      /** A service administrator: may do everything, everywhere. */
      admin: boolean;
      memberships: readonly Membership[];
      /** Set when a person acts: signed in to the workspace, or through one of their personal tokens. */
      personId?: string;
    };

export const ANONYMOUS: Principal = { kind: 'anonymous' };

/** The principal of a token of `role` (its initiative and partner as the token row holds them). */
export function tokenPrincipal(token: {
  tokenId: string | null;
  name: string;
  role: Role;
  initiativeId: string | null;
  partnerId: string | null;
  personId?: string | null;
}): Principal {
  const { role, initiativeId } = token;
  return {
    kind: 'authenticated',
    tokenId: token.tokenId,
    name: token.name,
    admin: role === 'admin',
    memberships:
      role === 'admin' || initiativeId === null
        ? []
        : [{ initiativeId, role, partnerId: role === 'contributor' ? token.partnerId : null }],
    ...(token.personId && { personId: token.personId }),
  };
}

/** True for the service's administrators (tokens of role admin, people with the admin flag). */
export function isAdmin(principal: Principal): boolean {
  return principal.kind === 'authenticated' && principal.admin;
}

/**
 * The principal's role in an initiative, or null when it holds none there (administrators hold none: they
 * need none).
 *
 * @example membershipIn(editorOf('i1'), 'i1') // { initiativeId: 'i1', role: 'editor', partnerId: null }
 * @example membershipIn(editorOf('i1'), 'i2') // null
 */
export function membershipIn(principal: Principal, initiativeId: string): Membership | null {
  if (principal.kind === 'anonymous') return null;
  return principal.memberships.find((membership) => membership.initiativeId === initiativeId) ?? null;
}

/** The role to name in a refusal: the principal's role in the initiative, if any. */
export function roleIn(principal: Principal, initiativeId: string | null): Role | null {
  if (principal.kind === 'anonymous') return null;
  if (principal.admin) return 'admin';
  return initiativeId === null ? null : (membershipIn(principal, initiativeId)?.role ?? null);
}

/** What an access decision needs to know about the object a request touches. */
export interface Anchor {
  initiativeId: string;
  visibility: Visibility;
  /** The partner owning the indicator's data (indicator and data-point anchors only). */
  ownerPartnerId: string | null;
}

/**
 * - `read`: see the object.
 * - `write_structure`: create/change/delete initiatives' partners, results, outcomes, indicators.
 * - `read_internal`: read the partnership's working lists (the data-quality list, with its flags and
 *   comments): members of the initiative and administrators, even on public objects.
 * - `write_data`: enter or change data points of an indicator.
 * - `admin`: administrators only (tokens, new initiatives, deleting an initiative).
 */
export type Action = 'read' | 'read_internal' | 'write_structure' | 'write_data' | 'admin';

export type Decision = 'allow' | 'unauthenticated' | 'not_found' | 'forbidden';

/** True when the principal may see private objects of the initiative. */
export function canSeePrivate(principal: Principal, initiativeId: string): boolean {
  return isAdmin(principal) || membershipIn(principal, initiativeId) !== null;
}

/**
 * @example decide(ANONYMOUS, 'read', { initiativeId: 'i1', visibility: 'public', ownerPartnerId: null }) // 'allow'
 * @example decide(ANONYMOUS, 'read', { initiativeId: 'i1', visibility: 'private', ownerPartnerId: null }) // 'not_found'
 * @example decide(viewerOf('i1'), 'write_data', { initiativeId: 'i1', visibility: 'private', ownerPartnerId: null }) // 'forbidden'
 * @example decide(editorOf('i2'), 'write_data', { initiativeId: 'i1', visibility: 'private', ownerPartnerId: null }) // 'not_found'
 */
export function decide(principal: Principal, action: Action, anchor: Anchor | null): Decision {
  if (action !== 'read' && principal.kind === 'anonymous') return 'unauthenticated';
  if (anchor === null) {
    // Actions on no particular object (create an initiative, manage tokens).
    if (action === 'read') return 'allow';
    return isAdmin(principal) ? 'allow' : 'forbidden';
  }
  const visible = anchor.visibility === 'public' || canSeePrivate(principal, anchor.initiativeId);
  if (!visible) return 'not_found';
  if (action === 'read') return 'allow';
  if (principal.kind === 'anonymous') return 'unauthenticated';
  if (principal.admin) return 'allow';
  const membership = membershipIn(principal, anchor.initiativeId);
  switch (action) {
    case 'read_internal':
      return membership ? 'allow' : 'forbidden';
    case 'write_structure':
      return membership?.role === 'editor' ? 'allow' : 'forbidden';
    case 'write_data':
      if (membership?.role === 'editor') return 'allow';
      return membership?.role === 'contributor' &&
        membership.partnerId !== null &&
        membership.partnerId === anchor.ownerPartnerId
        ? 'allow'
        : 'forbidden';
    case 'admin':
      return 'forbidden';
  }
}

/**
 * Writing data of *some* indicators of a result, as a result-level CSV import does: whoever may write data
 * of the result (editors, administrators), and also a contributor of its initiative whose partner owns at
 * least one of its indicators — each row's indicator is then checked with {@link decide}.
 *
 * @example decideResultDataWrite(contributorOf('i1', 'p1'), { initiativeId: 'i1', visibility: 'public', ownerPartnerId: null }, true)  // 'allow'
 * @example decideResultDataWrite(contributorOf('i1', 'p1'), { initiativeId: 'i1', visibility: 'public', ownerPartnerId: null }, false) // 'forbidden'
 */
export function decideResultDataWrite(principal: Principal, result: Anchor, partnerOwnsAnIndicator: boolean): Decision {
  const decision = decide(principal, 'write_data', result);
  if (decision !== 'forbidden' || !isContributorOf(principal, result.initiativeId)) return decision;
  return partnerOwnsAnIndicator ? 'allow' : 'forbidden';
}

/**
 * Moving a period through the publication workflow (server/domain/publication-rules.ts): whoever may write the
 * indicator's data submits; only reviewers — editors of the initiative and administrators — approve, publish,
 * send back, retract and reopen.
 *
 * @example decidePublication(contributorOf('i1', 'p1'), 'submit', { initiativeId: 'i1', visibility: 'public', ownerPartnerId: 'p1' })  // 'allow'
 * @example decidePublication(contributorOf('i1', 'p1'), 'approve', { initiativeId: 'i1', visibility: 'public', ownerPartnerId: 'p1' }) // 'forbidden'
 */
export function decidePublication(principal: Principal, action: PublicationAction, anchor: Anchor): Decision {
  if (action === 'submit') return decide(principal, 'write_data', anchor);
  return decide(principal, 'write_structure', anchor);
}

/**
 * Who acts, as the four-eyes rule compares them: a signed-in person by their id, a token by its id, the
 * service's admin token by its name.
 *
 * @example actorKey({ kind: 'authenticated', tokenId: 't1', name: 'Ana', admin: false, memberships: [], personId: 'p9' }) // 'person:p9'
 */
export function actorKey(principal: Principal): string {
  if (principal.kind === 'anonymous') return 'anonymous';
  if (principal.personId) return `person:${principal.personId}`;
  return principal.tokenId ? `token:${principal.tokenId}` : `name:${principal.name}`;
}

/** The partner a contributor of the initiative speaks for; null for anyone else. */
export function contributorPartner(principal: Principal, initiativeId: string): string | null {
  const membership = membershipIn(principal, initiativeId);
  return membership?.role === 'contributor' ? membership.partnerId : null;
}

function isContributorOf(principal: Principal, initiativeId: string): boolean {
  return contributorPartner(principal, initiativeId) !== null;
}

/** The name revisions record for a principal. */
export function actorName(principal: Principal): string {
  return principal.kind === 'anonymous' ? 'anonymous' : principal.name;
}
