/**
 * buildApp({ config, db }) → a Fastify instance with every route; it never listens, so tests inject
 * requests into it. Whoever opened the database closes it.
 */
import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { Config, TrustProxy } from './config.ts';
import type { Database } from '../schema/database.ts';
import { ChangeGeneration } from './cache/change-generation.ts';
import { ResponseCache } from './cache/response-cache.ts';
import { asPublicRead, type ReadReplicas } from './database-replicas.ts';
import { publicFastPath } from './cache/send-cached.ts';
import { access } from './plugins/access.ts';
import { changeToken } from './plugins/change-token.ts';
import { databaseWatchdog } from './plugins/database-watchdog.ts';
import { assets } from './plugins/assets.ts';
import { clientErrorHandler, errorHandler } from './plugins/error-handler.ts';
import { createMetrics, metricsRoute, metricsTiming } from './plugins/metrics.ts';
import { openApi } from './plugins/openapi.ts';
import { protection, securityHeaders } from './plugins/protection.ts';
import { actionRoutes } from './routes/actions.ts';
import { analysisRoutes } from './routes/analysis.ts';
import { assessmentRoutes } from './routes/assessment.ts';
import { curveReportRoutes } from './routes/curve-reports.ts';
import { dashboardRoutes } from './routes/dashboards.ts';
import { dataPointRoutes } from './routes/data-points.ts';
import { dataQualityRoutes } from './routes/data-quality.ts';
import { publicationRoutes } from './routes/publication.ts';
import { embedRoutes } from './routes/embed.ts';
import { healthRoutes } from './routes/health.ts';
import { exportRoutes } from './routes/exports.ts';
import { importRoutes } from './routes/imports.ts';
import { indicatorRoutes } from './routes/indicators.ts';
import { homeRoutes } from './routes/home.ts';
import { initiativeRoutes } from './routes/initiatives.ts';
import { invitationRoutes } from './routes/invitations.ts';
import { outcomeRoutes } from './routes/outcomes.ts';
import { partnerRoutes } from './routes/partners.ts';
import { resultRoutes } from './routes/results.ts';
import { tokenRoutes } from './routes/tokens.ts';
import { workspaceRoutes } from './routes/workspace/index.ts';

export const API_VERSION = '0.1.0';

export type AppConfig = Pick<Config, 'bodyLimitBytes' | 'logLevel'> &
  Partial<Pick<Config, 'adminToken' | 'rateLimitPerMinute' | 'corsWriteOrigins' | 'trustProxy' | 'metrics'>> & {
    /** The rate limit's window (a minute; tests shorten it to see it reset). Not a setting. */
    rateLimitWindowMs?: number;
    /** How long a request may take to arrive (408 after). Not a setting: tests shorten it. */
    requestTimeoutMs?: number;
    /** Base of absolute links in embed snippets (main.ts: PUBLIC_URL, else HOST and PORT); default http://localhost:3000. */
    publicUrl?: string;
    /** Largest CSV import, as sent and unpacked (512 MB; tests lower it). Not a setting. */
    maxImportBytes?: number;
  };

export interface BuildAppOptions {
  /** adminToken defaults to none, rateLimitPerMinute to 0 (off), corsWriteOrigins to none. */
  config: AppConfig;
  db: Kysely<Database>;
  /** Pino logger options; tests pass `false`. */
  logger?: boolean | object;
  /** A secret accepted as administrator, known only to the caller (the demo seeder uses one). */
  internalAdminSecret?: string;
  /** Shared with the PostgreSQL change feed in main.ts (and tests' second instances); a fresh one by default. */
  generation?: ChangeGeneration;
  /** PostgreSQL's probe (OpenDatabase.probe): turns a silent database into 503s within two seconds. */
  databaseProbe?: (() => Promise<void>) | null;
  /** The database pool's counts (OpenDatabase.poolUse), for the metrics' pool gauges. */
  poolUse?: (() => { total: number; idle: number; waiting: number }) | null;
  /**
   * DATABASE_READ_URL's hot standbys (database-replicas.ts), opened on `generation`: the routes' reads of
   * anonymous GETs may go there. Null or absent: every statement goes to `db`.
   */
  replicas?: ReadReplicas | null;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export async function buildApp({
  config,
  db,
  logger,
  internalAdminSecret,
  generation = new ChangeGeneration(),
  databaseProbe,
  poolUse,
  replicas,
}: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: logger ?? { level: config.logLevel },
    bodyLimit: config.bodyLimitBytes,
    requestTimeout: config.requestTimeoutMs ?? 60_000,
    // Node looks for late requests every 30 s by default: look a few times per timeout, so a 408 comes on time.
    http: { connectionsCheckingInterval: Math.min(30_000, Math.max(50, (config.requestTimeoutMs ?? 60_000) / 4)) },
    // 408, 431 and unreadable requests in the API's error shape.
    clientErrorHandler,
    genReqId: () => crypto.randomUUID(),
    // The client's address (rate limits, logs) from X-Forwarded-For only behind the proxies configured.
    trustProxy: trustedProxies(config.trustProxy ?? false),
    routerOptions: { ignoreTrailingSlash: true },
    // Errors the router raises before any hook (a malformed percent-encoding, an over-long parameter) get
    // the one error shape and the security headers too.
    frameworkErrors: (error, request, reply) => {
      securityHeaders(request.raw, reply.raw, () => {
        reply.code(400 as never).send({
          error: { code: 'bad_request', message: `The request URL cannot be read: ${error.message}`, details: [] },
        } as never);
      });
    },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // JSON only, unless a route registers its own parser (CSV imports): anything else is a 415.
  app.removeContentTypeParser('text/plain');
  // Any successful write may change what a cached chart shows: move the generation before answering.
  app.addHook('onSend', async (request, reply, payload) => {
    if (WRITE_METHODS.has(request.method) && reply.statusCode < 400) generation.bump();
    return payload;
  });
  // Before the cached fast path: a request carrying a write's change token is answered at least that fresh.
  await app.register(changeToken, { db, generation });
  const cache = new ResponseCache(generation);
  // METRICS=1: before every route, so that each is timed (its route comes with the others, below).
  const metrics = config.metrics?.enabled
    ? createMetrics({ db, cache, token: config.metrics.token, poolUse, replicas })
    : null;
  if (metrics) {
    await app.register(metricsTiming, { metrics });
    app.addHook('onClose', async () => metrics.close());
  }

  await app.register(errorHandler);
  // First of all: anonymous reads of cached public charts and embeds are answered before anything else runs
  // (the database watchdog included: such an answer never waits on the database, so it arms no timer).
  app.addHook('onRequest', publicFastPath(cache));
  if (databaseProbe) await app.register(databaseWatchdog, { probe: databaseProbe });
  // Before access: the workspace's session cookie is read there.
  await app.register(fastifyCookie);
  await app.register(access, {
    db,
    generation,
    adminSecrets: [
      ...(config.adminToken ? [config.adminToken] : []),
      ...(internalAdminSecret ? [internalAdminSecret] : []),
    ],
  });
  // With replicas: once access is decided (on the primary, above), the rest of an anonymous GET is a public
  // read, which the routes' handle (`routesDb`) may answer from a replica. The one place that decides.
  const routesDb = replicas?.db ?? db;
  if (replicas)
    app.addHook('preHandler', (request, _reply, done) => {
      if ((request.method === 'GET' || request.method === 'HEAD') && request.principal.kind === 'anonymous')
        asPublicRead(done);
      else done();
    });
  await app.register(protection, {
    rateLimitPerMinute: config.rateLimitPerMinute ?? 0,
    ...(config.rateLimitWindowMs !== undefined && { rateLimitWindowMs: config.rateLimitWindowMs }),
    corsWriteOrigins: config.corsWriteOrigins ?? [],
  });
  await app.register(openApi, { version: API_VERSION });
  await app.register(healthRoutes, { db, cache });
  if (metrics) await app.register(metricsRoute, { metrics, token: config.metrics?.token ?? null });
  await app.register(homeRoutes, { db: routesDb, cache });
  await app.register(assets);
  await app.register(embedRoutes, { db: routesDb, cache });
  // The workspace is the members' tool: its anonymous pages (sign-in, invitations) read tables the change feed
  // does not cover, so it always reads the primary.
  await app.register(workspaceRoutes, { db, cache, publicUrl: config.publicUrl ?? null, prefix: '/app' });
  await app.register(
    async (api) => {
      const deps = { db: routesDb, cache, publicUrl: config.publicUrl ?? null };
      await api.register(initiativeRoutes, deps);
      await api.register(partnerRoutes, deps);
      await api.register(resultRoutes, deps);
      await api.register(outcomeRoutes, deps);
      await api.register(indicatorRoutes, deps);
      await api.register(dataPointRoutes, deps);
      await api.register(dataQualityRoutes, deps);
      await api.register(publicationRoutes, deps);
      // Imports and exports each keep their own scope (imports read CSV bodies with their own parsers).
      await api.register(importRoutes, {
        ...deps,
        ...(config.maxImportBytes !== undefined && { maxImportBytes: config.maxImportBytes }),
      });
      await api.register(exportRoutes, deps);
      await api.register(analysisRoutes, deps);
      await api.register(curveReportRoutes, deps);
      await api.register(actionRoutes, deps);
      await api.register(assessmentRoutes, deps);
      await api.register(tokenRoutes, deps);
      await api.register(invitationRoutes, deps);
      await api.register(dashboardRoutes, { ...deps, publicUrl: config.publicUrl ?? 'http://localhost:3000' });
    },
    { prefix: '/api/v1' },
  );
  return app;
}

/** Fastify's form of the setting: a number of hops becomes "trust the nearest N" (proxy-addr's trust function). */
function trustedProxies(setting: TrustProxy): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof setting === 'number' ? (_address, hop) => hop < setting : setting;
}
