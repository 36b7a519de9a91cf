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
 * listed ones (a token's own initiative, a person's initiatives; none for anonymous callers).
 */
export type PrivateScope = 'all' | string[];

/**
 * @example privateScopeOf(ANONYMOUS)      // []
 * @example privateScopeOf(editorOf('i1')) // ['i1']
 * @example privateScopeOf(admin)          // 'all'
 */
export function privateScopeOf(principal: Principal): PrivateScope {
  if (principal.kind === 'anonymous') return [];
  if (principal.admin) return 'all';
  return principal.memberships.map((membership) => membership.initiativeId);
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

/** A data-quality flag as stored with a data point (schema/contracts/data-quality.ts `Flag`). */
interface StoredFlag {
  code: string;
  severity: 'error' | 'warning';
  message: string;
  acknowledged: boolean;
  comment: string | null;
  acknowledgedBy?: string | null;
}

/**
 * Points as the request may see their flags: whole for members of the initiative; for anyone else only that a
 * check flagged the value and whether the partnership confirmed it — not the messages (a `compare` rule's
 * message quotes another, possibly private, indicator), the comments or who wrote them.
 *
 * @example shownFlags(anonymousRequest, [{ flags: [{ code: 'outlier_history', acknowledged: false, message: '…', comment: null }] }])
 *   // [{ flags: [{ code: 'outlier_history', acknowledged: false, message: 'Flagged by a data-quality check (outlier_history); not yet confirmed by the partnership.', comment: null, acknowledgedBy: null }] }]
 */
export function shownFlags<T extends { flags: StoredFlag[] }>(request: AccessContext, points: T[]): T[] {
  if (seesPrivate(request)) return points;
  return points.map((point) => ({ ...point, flags: point.flags.map(publicFlag) }));
}

/** A flag as anyone outside the partnership sees it (see {@link shownFlags}). */
export function publicFlag(flag: StoredFlag): StoredFlag {
  return {
    code: flag.code,
    severity: flag.severity,
    message: `Flagged by a data-quality check (${flag.code}); ${flag.acknowledged ? 'checked and confirmed' : 'not yet confirmed'} by the partnership.`,
    acknowledged: flag.acknowledged,
    comment: null,
    acknowledgedBy: null,
  };
}
