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
 * A private object the principal may not read is a 404 (its existence is not revealed); a readable object
 * it may not change is a 403.
 */
import type { PublicationAction, Role, Visibility } from '../../schema/vocabulary.ts';

export { ROLES, type Role } from '../../schema/vocabulary.ts';

export type Principal =
  | { kind: 'anonymous' }
  | {
      kind: 'token';
      tokenId: string | null;
      name: string;
      role: Role;
      initiativeId: string | null;
      partnerId: string | null;
      /** Set when a signed-in person (workspace session) acts, not a token. */
      personId?: string;
    };

export const ANONYMOUS: Principal = { kind: 'anonymous' };

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
  if (principal.kind === 'anonymous') return false;
  return principal.role === 'admin' || principal.initiativeId === initiativeId;
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
    return principal.kind === 'token' && principal.role === 'admin' ? 'allow' : 'forbidden';
  }
  const visible = anchor.visibility === 'public' || canSeePrivate(principal, anchor.initiativeId);
  if (!visible) return 'not_found';
  if (action === 'read') return 'allow';
  if (principal.kind === 'anonymous') return 'unauthenticated';
  if (principal.role === 'admin') return 'allow';
  const sameInitiative = principal.initiativeId === anchor.initiativeId;
  switch (action) {
    case 'read_internal':
      return sameInitiative ? 'allow' : 'forbidden';
    case 'write_structure':
      return sameInitiative && principal.role === 'editor' ? 'allow' : 'forbidden';
    case 'write_data':
      if (sameInitiative && principal.role === 'editor') return 'allow';
      return sameInitiative &&
        principal.role === 'contributor' &&
        principal.partnerId !== null &&
        principal.partnerId === anchor.ownerPartnerId
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
 * @example actorKey({ kind: 'token', tokenId: 't1', name: 'Ana', role: 'editor', initiativeId: 'i1', partnerId: null, personId: 'p9' }) // 'person:p9'
 */
export function actorKey(principal: Principal): string {
  if (principal.kind === 'anonymous') return 'anonymous';
  if (principal.personId) return `person:${principal.personId}`;
  return principal.tokenId ? `token:${principal.tokenId}` : `name:${principal.name}`;
}

/** The partner a contributor token of the initiative speaks for; null for anyone else. */
export function contributorPartner(principal: Principal, initiativeId: string): string | null {
  return isContributorOf(principal, initiativeId) && principal.kind === 'token' ? principal.partnerId : null;
}

function isContributorOf(principal: Principal, initiativeId: string): boolean {
  return (
    principal.kind === 'token' &&
    principal.role === 'contributor' &&
    principal.initiativeId === initiativeId &&
    principal.partnerId !== null
  );
}

/** The name revisions record for a principal. */
export function actorName(principal: Principal): string {
  return principal.kind === 'anonymous' ? 'anonymous' : principal.name;
}
