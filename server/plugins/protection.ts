/**
 * Limits and headers (issue "Access control and hardening"):
 * - security headers from helmet, built once (@fastify/helmet rebuilds its middleware on every request,
 *   a measured cost on hot cached routes); strict CSP; embed pages set their own `frame-ancestors`;
 * - CORS: any origin may read (GET/HEAD) — public dashboards and open-data portals fetch from browsers —
 *   while writes from a browser are allowed only from the origins in CORS_WRITE_ORIGINS;
 * - a per-client rate limit for anonymous requests (RATE_LIMIT_PER_MINUTE; 0 = off): token holders are
 *   known partners and are not limited.
 */
import cors from '@fastify/cors';
import helmet from 'helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ApiError } from '../errors.ts';

export interface ProtectionOptions {
  rateLimitPerMinute: number;
  /** The window the limit counts over, in milliseconds: a minute (tests shorten it to see it reset). */
  rateLimitWindowMs?: number;
  corsWriteOrigins: string[];
}

const READ_METHODS = new Set(['GET', 'HEAD']);

function isReadRequest(request: FastifyRequest): boolean {
  if (READ_METHODS.has(request.method)) return true;
  // A preflight asks on behalf of the method it names.
  if (request.method === 'OPTIONS') {
    const asked = String(request.headers['access-control-request-method'] ?? '').toUpperCase();
    return READ_METHODS.has(asked);
  }
  return false;
}

/** The security headers of every response, built once. */
export const securityHeaders = helmet({
  // Headers for browsers long gone (IE8 downloads, Flash/PDF policies, the removed XSS auditor, DNS
  // prefetch hints): not sent, since every header costs on hot cached reads and these protect nothing today.
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
  xDnsPrefetchControl: false,
  // Cross-origin embedding of GET responses (charts, CSV) is the point of a public dashboard API.
  crossOriginResourcePolicy: { policy: 'cross-origin' },
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:', 'https:'],
      connectSrc: ["'self'"],
      frameAncestors: ["'none'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
    },
  },
});

async function protectionPlugin(app: FastifyInstance, options: ProtectionOptions): Promise<void> {
  app.addHook('onRequest', (request, reply, done) => {
    securityHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined));
  });

  await app.register(cors, {
    delegator: (request, callback) => {
      if (isReadRequest(request as FastifyRequest)) {
        callback(null, { origin: '*', methods: ['GET', 'HEAD'], exposedHeaders: ['ETag', 'Retry-After'], maxAge: 600 });
        return;
      }
      const origin = String(request.headers.origin ?? '');
      callback(null, {
        origin: options.corsWriteOrigins.includes(origin) ? origin : false,
        methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
        allowedHeaders: ['Authorization', 'Content-Type', 'If-Match', 'If-None-Match', 'RBA-Change-Token'],
        exposedHeaders: ['ETag', 'Retry-After', 'RBA-Change-Token'],
        credentials: false,
        maxAge: 600,
      });
    },
  });

  if (options.rateLimitPerMinute > 0) {
    await app.register(rateLimit, {
      max: options.rateLimitPerMinute,
      timeWindow: options.rateLimitWindowMs ?? 60_000,
      allowList: (request) => request.principal?.kind === 'authenticated',
      errorResponseBuilder: (_request, context) =>
        new ApiError(
          429,
          'rate_limited',
          `Too many requests from your address: the limit is ${context.max} per ${context.after} for requests without a token. Retry in ${Math.ceil(context.ttl / 1000)} s.`,
          [],
          { 'Retry-After': String(Math.ceil(context.ttl / 1000)) },
        ),
    });
  }
}

export const protection = fp(protectionPlugin, { name: 'protection', dependencies: ['access'] });
