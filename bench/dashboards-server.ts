/**
 * The servers the dashboard benchmark loads, in a process of their own (so the load generator does not
 * share their event loop): a bare Fastify route returning a small JSON (the reference) and the real app
 * on an embedded database with one public indicator of 120 monthly points. Prints their addresses as one
 * JSON line, then serves until killed.
 */
import Fastify from 'fastify';
import { buildApp } from '../server/app.ts';
import { migrateToLatest, openDatabase } from '../server/database.ts';

const ADMIN = 'bench-admin-token-0123456789abcdef';

const bare = Fastify({ logger: false });
bare.get('/hello', async () => ({ hello: 'world' }));
const bareUrl = await bare.listen({ host: '127.0.0.1', port: 0 });

const database = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
await migrateToLatest(database.db);
const app = await buildApp({
  config: { bodyLimitBytes: 10_000_000, logLevel: 'silent', adminToken: ADMIN, rateLimitPerMinute: 0 },
  db: database.db,
  logger: false,
});
const call = async (method: 'POST' | 'PUT' | 'PATCH', url: string, payload: object) => {
  const response = await app.inject({ method, url, payload, headers: { authorization: `Bearer ${ADMIN}` } });
  if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
  return response.json() as { id: string };
};
const initiative = await call('POST', '/api/v1/initiatives', {
  name: 'Bench partnership',
  brand: { color: '#1f6feb' },
});
const result = await call('POST', `/api/v1/initiatives/${initiative.id}/results`, {
  statement: 'Fewer residents unemployed',
  visibility: 'public',
});
const indicator = await call('POST', `/api/v1/results/${result.id}/indicators`, {
  name: 'Unemployment rate',
  unit: 'percent',
  polarity: 'lower_is_better',
  frequency: 'monthly',
  baselinePeriod: '2015-12',
  target: { period: '2022-12', value: 4 },
});
const points = Array.from({ length: 120 }, (_, i) => ({
  period: `${2011 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`,
  value: Math.round((8 - i * 0.03 + Math.sin(i / 3) * 0.4) * 100) / 100,
}));
await call('PUT', `/api/v1/indicators/${indicator.id}/data-points`, { points });
const appUrl = await app.listen({ host: '127.0.0.1', port: 0 });
console.log(JSON.stringify({ bareUrl, appUrl, indicatorId: indicator.id, resultId: result.id }));
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
