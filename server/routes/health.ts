import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorResponse } from '../../schema/contracts/common.ts';
import { pingDatabase } from '../repositories/health.ts';
import type { AppDependencies } from '../dependencies.ts';

const tags = ['operations'];
const READY_TIMEOUT_MS = 2_000;
/**
 * What any request can meet before its handler: a token is checked on every route (401, or 503 when the
 * database must be asked about it and is down), anonymous callers are rate-limited (429), and a bug is a 500.
 */
const BEFORE_THE_HANDLER = { 401: ErrorResponse, 429: ErrorResponse, 500: ErrorResponse, 503: ErrorResponse };

export const healthRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { db }) => {
  app.get('/healthz', {
    schema: {
      operationId: 'healthz',
      summary: 'The process is alive',
      tags,
      response: { 200: z.object({ status: z.literal('ok') }), ...BEFORE_THE_HANDLER },
    },
    handler: async () => ({ status: 'ok' as const }),
  });

  app.get('/readyz', {
    schema: {
      operationId: 'readyz',
      summary: 'The database is reachable',
      tags,
      response: { 200: z.object({ status: z.literal('ready') }), ...BEFORE_THE_HANDLER },
    },
    handler: async (_request, reply) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(Object.assign(new Error('readiness check timed out'), { code: 'ETIMEDOUT' })),
          READY_TIMEOUT_MS,
        );
      });
      try {
        await Promise.race([pingDatabase(db), timeout]);
      } catch {
        if (reply.sent) return reply; // already answered (e.g. the server is closing): never a second reply
        reply.header('Retry-After', '5');
        return reply
          .code(503)
          .send({ error: { code: 'database_unavailable', message: 'The database is not reachable.', details: [] } });
      } finally {
        clearTimeout(timer);
      }
      return { status: 'ready' as const };
    },
  });
};
