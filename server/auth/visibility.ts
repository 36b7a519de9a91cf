/**
 * What a request may see below the object it is anchored on (lists, trees and caches filter on this).
 * The access plugin (plugins/access.ts) fills in `principal` and `anchor` before any handler runs.
 */
import { canSeePrivate, type Anchor, type Principal } from './policy.ts';

/** The parts of a request the visibility rules read. */
export interface AccessContext {
  principal: Principal;
  /** The resolved anchor of the route's object; null for routes on no particular object. */
  anchor: Anchor | null;
}

/**
 * Whose private objects a caller sees across initiatives: every initiative (`all`: administrators), or the
 * listed ones (a token's own initiative; none for anonymous callers).
 */
export type PrivateScope = 'all' | string[];

/**
 * @example privateScopeOf(ANONYMOUS)      // []
 * @example privateScopeOf(editorOf('i1')) // ['i1']
 * @example privateScopeOf(admin)          // 'all'
 */
export function privateScopeOf(principal: Principal): PrivateScope {
  if (principal.kind === 'anonymous') return [];
  if (principal.role === 'admin') return 'all';
  return principal.initiativeId ? [principal.initiativeId] : [];
}

/** What a history shows as `by` to callers outside the initiative: token names are its members' business. */
export const HIDDEN_ACTOR = 'hidden';

/**
 * Entries of a history as the request may see them: who made each one for members of the initiative (and
 * administrators), `hidden` for anonymous callers and other initiatives' tokens.
 *
 * @example shownActors(anonymousRequest, [{ by: 'Ana (editor)', at }]) // [{ by: 'hidden', at }]
 */
export function shownActors<T extends { by: string }>(request: AccessContext, entries: T[]): T[] {
  return seesPrivate(request) ? entries : entries.map((entry) => ({ ...entry, by: HIDDEN_ACTOR }));
}

/**
 * True when the request may see the private objects under its anchor.
 *
 * @example seesPrivate({ principal: ANONYMOUS, anchor: { initiativeId: 'i1', visibility: 'public', ownerPartnerId: null } }) // false
 * @example seesPrivate({ principal: viewerOf('i1'), anchor: { initiativeId: 'i1', visibility: 'public', ownerPartnerId: null } }) // true
 */
export function seesPrivate(request: AccessContext): boolean {
  return request.anchor !== null && canSeePrivate(request.principal, request.anchor.initiativeId);
}
