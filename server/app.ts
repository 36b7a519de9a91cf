/**
 * buildApp({ config, db }) → a Fastify instance with every route; it never listens, so tests inject
 * requests into it. Whoever opened the database closes it.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { Config } from './config.ts';
import type { Database } from '../schema/database.ts';
import { access } from './plugins/access.ts';
import { errorHandler } from './plugins/error-handler.ts';
import { openApi } from './plugins/openapi.ts';
import { protection } from './plugins/protection.ts';
import { analysisRoutes } from './routes/analysis.ts';
import { dataPointRoutes } from './routes/data-points.ts';
import { healthRoutes } from './routes/health.ts';
import { indicatorRoutes } from './routes/indicators.ts';
import { initiativeRoutes } from './routes/initiatives.ts';
import { outcomeRoutes } from './routes/outcomes.ts';
import { partnerRoutes } from './routes/partners.ts';
import { resultRoutes } from './routes/results.ts';
import { tokenRoutes } from './routes/tokens.ts';

export const API_VERSION = '0.1.0';

export interface AppDependencies {
  db: Kysely<Database>;
}

export type AppConfig = Pick<Config, 'bodyLimitBytes' | 'logLevel'> &
  Partial<Pick<Config, 'adminToken' | 'rateLimitPerMinute' | 'corsWriteOrigins'>>;

export interface BuildAppOptions {
  /** adminToken defaults to none, rateLimitPerMinute to 0 (off), corsWriteOrigins to none. */
  config: AppConfig;
  db: Kysely<Database>;
  /** Pino logger options; tests pass `false`. */
  logger?: boolean | object;
  /** A secret accepted as administrator, known only to the caller (the demo seeder uses one). */
  internalAdminSecret?: string;
}

export async function buildApp({ config, db, logger, internalAdminSecret }: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: logger ?? { level: config.logLevel },
    bodyLimit: config.bodyLimitBytes,
    requestTimeout: 60_000,
    genReqId: () => crypto.randomUUID(),
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // JSON only, unless a route registers its own parser (CSV imports): anything else is a 415.
  app.removeContentTypeParser('text/plain');

  await app.register(errorHandler);
  await app.register(access, { db, adminSecrets: [...(config.adminToken ? [config.adminToken] : []), ...(internalAdminSecret ? [internalAdminSecret] : [])] });
  await app.register(protection, { rateLimitPerMinute: config.rateLimitPerMinute ?? 0, corsWriteOrigins: config.corsWriteOrigins ?? [] });
  await app.register(openApi, { version: API_VERSION });
  await app.register(healthRoutes, { db });
  await app.register(
    async (api) => {
      const deps = { db };
      await api.register(initiativeRoutes, deps);
      await api.register(partnerRoutes, deps);
      await api.register(resultRoutes, deps);
      await api.register(outcomeRoutes, deps);
      await api.register(indicatorRoutes, deps);
      await api.register(dataPointRoutes, deps);
      await api.register(analysisRoutes, deps);
      await api.register(tokenRoutes, deps);
    },
    { prefix: '/api/v1' },
  );
  return app;
}
