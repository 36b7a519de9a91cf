/**
 * Authentication and authorisation for every route.
 *
 * 1. onRequest: `Authorization: Bearer <secret>` becomes `request.principal` (the bootstrap admin token
 *    from RBA_ADMIN_TOKEN, or a stored token); a malformed, unknown, revoked or expired token is a 401.
 *    A write route without a token is a 401 before its body is even read (both answered in preParsing,
 *    after the rate limit and CORS have seen the request).
 * 2. preValidation (before the body is validated, so a caller without the right learns nothing from
 *    validation errors): the route's `config.access` names the action and which path parameter anchors
 *    it; the anchor is resolved in one query and the policy (server/auth/policy.ts) allows, or answers
 *    404 (not visible), 403 (visible, not allowed) or 401. A malformed id is left to validation (400).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { ChangeGeneration } from '../cache/change-generation.ts';
import { ANONYMOUS, decide, roleIn, tokenPrincipal, type Action, type Anchor, type Principal } from '../auth/policy.ts';
import { refusal } from '../auth/refusal.ts';
import type { Db } from '../dependencies.ts';
import { secretsEqual } from '../auth/token-secret.ts';
import { NotFoundError, UnauthenticatedError } from '../errors.ts';
import { resolveAnchor, type AnchorKind } from '../repositories/access.ts';
import { personOfSession, principalOfPerson, type Person } from '../repositories/people.ts';
import { tokenForSecret } from '../repositories/tokens.ts';

/** The workspace's session cookie (server/routes/workspace/): read on /app pages only, never by the API. */
export const SESSION_COOKIE = 'rba_session';

export interface AccessRule {
  action: Action;
  /** The object the action is on: its kind and the path parameter holding its id. None = no object. */
  anchor?: { kind: AnchorKind; param: string };
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Every route under /api/v1 declares one; routes without it are open (health, docs). */
    access?: AccessRule;
    /** The route checks its own `Authorization` (/metrics: METRICS_TOKEN); it is not read as an API token. */
    ownCredential?: boolean;
  }
  interface FastifyRequest {
    principal: Principal;
    /** The resolved anchor of the route's object (after preHandler), for filtering lists. */
    anchor: Anchor | null;
    /** On /app pages: the signed-in person and the session's secret, when the session cookie is live. */
    session: { secret: string; person: Person } | null;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const ANCHOR_CACHE_LIMIT = 50_000;
/** A remembered anchor (who may see an object) is asked again after this long, whatever else happened. */
const ANCHOR_MAX_AGE_MS = 5_000;

const RESOURCE_NAMES: Record<AnchorKind, string> = {
  initiative: 'initiative',
  partner: 'partner',
  result: 'result',
  outcome: 'outcome',
  indicator: 'indicator',
  dataPoint: 'dataPoint',
  action: 'action',
};

async function principalOf(request: FastifyRequest, db: Db, adminSecrets: string[]): Promise<Principal> {
  const header = request.headers.authorization;
  if (header === undefined || header === '') return ANONYMOUS;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new UnauthenticatedError('The Authorization header must be "Bearer <token>".');
  const secret = match[1]!;
  if (adminSecrets.some((admin) => secretsEqual(secret, admin))) {
    return tokenPrincipal({
      tokenId: null,
      name: 'admin (RBA_ADMIN_TOKEN)',
      role: 'admin',
      initiativeId: null,
      partnerId: null,
    });
  }
  const token = await tokenForSecret(db, secret);
  if (!token) throw new UnauthenticatedError('The token is unknown, revoked or expired.');
  // A personal token acts as its person (the four-eyes rule must see one person, whatever door they use).
  return tokenPrincipal(token);
}

export interface AccessOptions {
  db: Db;
  /** Anchors resolved for reads are remembered until the change generation moves (no query on hot reads). */
  generation: ChangeGeneration;
  /** Secrets accepted as administrator: RBA_ADMIN_TOKEN and, at start, the demo seeder's one-off secret. */
  adminSecrets: string[];
}

async function accessPlugin(app: FastifyInstance, options: AccessOptions): Promise<void> {
  const { db, adminSecrets, generation } = options;
  const anchors = new Map<string, { anchor: Anchor | null; generation: number; storedAt: number }>();
  const resolve = async (kind: AnchorKind, id: string, forRead: boolean): Promise<Anchor | null> => {
    if (!forRead) return resolveAnchor(db, kind, id);
    const key = `${kind} ${id}`;
    const known = anchors.get(key);
    const now = Date.now();
    if (
      known &&
      generation.trusted &&
      known.generation === generation.value &&
      now - known.storedAt <= ANCHOR_MAX_AGE_MS
    )
      return known.anchor;
    const at = generation.value;
    const anchor = await resolveAnchor(db, kind, id);
    if (anchors.size >= ANCHOR_CACHE_LIMIT) anchors.clear();
    anchors.set(key, { anchor, generation: at, storedAt: now });
    return anchor;
  };
  app.decorateRequest('principal', null as never);
  app.decorateRequest('anchor', null);
  app.decorateRequest('session', null);

  // A bad token or an anonymous write is answered 401 in preParsing, not here: the onRequest hooks of
  // the rate limit (anonymous callers, bad tokens included: they cost a lookup each) and of CORS (so a
  // browser can read the 401) registered after this one must run first. The body is still never read.
  const refusals = new WeakMap<FastifyRequest, UnauthenticatedError>();
  app.addHook('onRequest', async (request) => {
    request.principal = ANONYMOUS;
    request.session = null;
    if (request.routeOptions.config.ownCredential) return;
    // The workspace's pages act as the signed-in person. The API never reads the cookie: a cross-site form
    // cannot borrow a session to call it (and /app forms carry a CSRF token).
    const sessionSecret = request.cookies[SESSION_COOKIE];
    if (request.url.startsWith('/app') && request.headers.authorization === undefined && sessionSecret) {
      const person = await personOfSession(db, sessionSecret);
      if (person) {
        request.session = { secret: sessionSecret, person };
        request.principal = principalOfPerson(person);
      }
      return;
    }
    try {
      request.principal = await principalOf(request, db, adminSecrets);
    } catch (error) {
      if (!(error instanceof UnauthenticatedError)) throw error;
      refusals.set(request, error);
      return;
    }
    const rule = request.routeOptions.config.access;
    if (rule && rule.action !== 'read' && request.principal.kind === 'anonymous')
      refusals.set(request, new UnauthenticatedError());
  });

  app.addHook('preParsing', async (request) => {
    const refused = refusals.get(request);
    if (refused) throw refused;
  });

  app.addHook('preValidation', async (request) => {
    const rule = request.routeOptions.config.access;
    if (!rule) return;
    let anchor = null;
    let id = '';
    if (rule.anchor) {
      id = (request.params as Record<string, string>)[rule.anchor.param] ?? '';
      if (!UUID.test(id)) return; // validation answers 400 with the field's name
      anchor = await resolve(rule.anchor.kind, id, rule.action === 'read' || rule.action === 'read_internal');
      if (!anchor) throw new NotFoundError(RESOURCE_NAMES[rule.anchor.kind], id);
      request.anchor = anchor;
    }
    const decision = decide(request.principal, rule.action, anchor);
    if (decision === 'allow') return;
    const forbidden =
      rule.action === 'admin'
        ? 'Only an administrator token may do this.'
        : rule.action === 'read_internal'
          ? 'This list is for members of the partnership: a token of its initiative.'
          : `Your ${roleIn(request.principal, anchor?.initiativeId ?? null) ?? ''} token may not change this.`;
    throw refusal(decision, { resource: rule.anchor ? RESOURCE_NAMES[rule.anchor.kind] : '', id }, forbidden);
  });
}

export const access = fp(accessPlugin, { name: 'access' });
