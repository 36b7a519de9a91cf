/**
 * For benchmarks that drive the app in this process: the app on an in-memory PGlite, an administrator's
 * header, and a shared result to hang indicators on (created through the API, as a user would).
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/app.ts';
import { migrateToLatest, openDatabase } from '../server/database.ts';

const ADMIN = 'bench-admin-token-0123456789abcdef';

export interface InProcessApp {
  app: FastifyInstance;
  auth: { authorization: string };
  /** POSTs as the administrator; throws unless 201. */
  post(url: string, payload: object): Promise<{ id: string }>;
  resultId: string;
  close(): Promise<void>;
}

export async function inProcessApp(): Promise<InProcessApp> {
  const opened = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
  await migrateToLatest(opened.db);
  const app = await buildApp({
    config: { bodyLimitBytes: 1_048_576, logLevel: 'silent', adminToken: ADMIN },
    db: opened.db,
    logger: false,
  });
  const auth = { authorization: `Bearer ${ADMIN}` };
  const post = async (url: string, payload: object) => {
    const res = await app.inject({ method: 'POST', url, payload, headers: auth });
    if (res.statusCode !== 201) throw new Error(`${url} → ${res.statusCode}: ${res.body}`);
    return res.json<{ id: string }>();
  };
  const initiative = await post('/api/v1/initiatives', { name: 'Bench' });
  const result = await post(`/api/v1/initiatives/${initiative.id}/results`, {
    statement: 'Fewer residents are unemployed',
    population: 'Working-age residents',
    geography: 'Detroit',
    timeFrame: { start: 2020, end: 2030 },
  });
  return {
    app,
    auth,
    post,
    resultId: result.id,
    async close() {
      await app.close();
      await opened.close();
    },
  };
}
