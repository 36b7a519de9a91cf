/**
 * What every workspace route needs: the CSRF token (double-submit: a random value in an HTTP-only,
 * SameSite=Lax cookie, repeated in each form and compared on POST), the signed-in person (or a redirect to
 * sign in), access decisions for the page's object (auth/policy.ts, the API's rules) and HTML replies.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { decide, type Action, type Anchor } from '../../auth/policy.ts';
import { refusal } from '../../auth/refusal.ts';
import type { Db } from '../../dependencies.ts';
import { DomainError, NotFoundError } from '../../errors.ts';
import { SESSION_COOKIE } from '../../plugins/access.ts';
import { resolveAnchor, type AnchorKind } from '../../repositories/access.ts';
import type { Person } from '../../repositories/people.ts';
import { TEXT } from '../../pages/text.ts';
import { MEMBER_ROLES } from '../../../schema/vocabulary.ts';

export const CSRF_COOKIE = 'rba_csrf';

/** A refused form: missing or wrong CSRF token (a 403 page). */
export class CsrfError extends Error {}

/** Not signed in on a page that needs it: a redirect to the sign-in page. */
export class SignInRequired extends Error {}

function cookieOptions(request: FastifyRequest, maxAgeSeconds?: number) {
  return {
    path: '/app',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: request.protocol === 'https',
    ...(maxAgeSeconds !== undefined && { maxAge: maxAgeSeconds }),
  };
}

/** The CSRF token of this browser (set on first sight) for the page's forms. */
export function csrfToken(request: FastifyRequest, reply: FastifyReply): string {
  const known = request.cookies[CSRF_COOKIE];
  if (known && /^[\w-]{43}$/.test(known)) return known;
  const fresh = randomBytes(32).toString('base64url');
  request.cookies[CSRF_COOKIE] = fresh;
  void reply.setCookie(CSRF_COOKIE, fresh, cookieOptions(request));
  return fresh;
}

/** Throws CsrfError unless the form's token is the cookie's. */
export function checkCsrf(request: FastifyRequest, submitted: unknown): void {
  const cookie = request.cookies[CSRF_COOKIE];
  if (typeof submitted !== 'string' || !cookie) throw new CsrfError();
  const a = Buffer.from(submitted);
  const b = Buffer.from(cookie);
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw new CsrfError();
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, secret: string, hours: number): void {
  void reply.setCookie(SESSION_COOKIE, secret, cookieOptions(request, hours * 3600));
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  void reply.clearCookie(SESSION_COOKIE, cookieOptions(request));
}

/** The signed-in person, or SignInRequired. */
export function personOf(request: FastifyRequest) {
  if (!request.session) throw new SignInRequired();
  return request.session.person;
}

/** The page frame's person (header) and CSRF token. */
export function frameOf(request: FastifyRequest, reply: FastifyReply) {
  const person = request.session?.person ?? null;
  return {
    csrf: csrfToken(request, reply),
    person: person && { displayName: person.displayName, role: rolesShown(person) },
  };
}

/** The roles shown beside the name: admin, or the distinct roles of the person's memberships. */
function rolesShown(person: Person): string {
  if (person.admin) return 'admin';
  const held = new Set(person.memberships.map((membership) => membership.role));
  const roles = MEMBER_ROLES.filter((role) => held.has(role));
  return roles.length > 0 ? roles.join(', ') : TEXT.noRole;
}

/** The object's anchor when the signed-in person may do `action` on it; the API's refusal otherwise. */
export async function allow(
  db: Db,
  request: FastifyRequest,
  kind: AnchorKind,
  id: string,
  action: Action,
): Promise<Anchor> {
  personOf(request);
  const anchor = await resolveAnchor(db, kind, id);
  if (!anchor) throw new NotFoundError(kind, id);
  const decision = decide(request.principal, action, anchor);
  if (decision !== 'allow') throw refusal(decision, { resource: kind, id }, 'Your role may not change this.');
  return anchor;
}

/** True when the person may write data of the object (shows Enter data / Import CSV). */
export function mayWriteData(request: FastifyRequest, anchor: Anchor): boolean {
  return decide(request.principal, 'write_data', anchor) === 'allow';
}

export function html(reply: FastifyReply, body: string, status = 200): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(body);
}

/** A same-site path to go back to after signing in (never another site). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/app(\/|$|\?)/.test(next) && !next.includes('//') ? next : '/app';
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
