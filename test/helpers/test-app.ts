/**
 * Builds the app on a fresh, isolated database for one test file.
 *
 * The database is chosen by TEST_DATABASE: `pglite` (default; an in-memory PGlite per file, loaded from a
 * migrated snapshot, see pglite-snapshot.ts) or
 * `postgres` (the server at TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test, in a
 * schema of its own per file, dropped at the end). One suite, two real databases.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { PGlite } from '@electric-sql/pglite';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { buildApp } from '../../server/app.ts';
import type { ChangeGeneration } from '../../server/cache/change-generation.ts';
import type { MetricsConfig, TrustProxy } from '../../server/config.ts';
import { migrateToLatest, openDatabase } from '../../server/database.ts';
import type { ReadReplicas } from '../../server/database-replicas.ts';
import type { Database } from '../../schema/database.ts';
import { migratedPgliteSnapshot } from './pglite-snapshot.ts';
import { atShardEnd, inShard } from './tap.ts';

export type TestDatabaseKind = 'pglite' | 'postgres';

export const testDatabaseKind: TestDatabaseKind = process.env.TEST_DATABASE === 'postgres' ? 'postgres' : 'pglite';
export const testPostgresUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

interface Teardown {
  teardown(fn: () => unknown): void;
}

export interface TestDatabase {
  db: Kysely<Database>;
  kind: TestDatabaseKind;
  close(): Promise<void>;
  /** The pool's counts (OpenDatabase.poolUse). */
  poolUse(): { total: number; idle: number; waiting: number };
}

/** A migrated, empty database for this test file; closed (and, on PostgreSQL, dropped) at teardown. */
export async function openTestDatabase(t: Teardown, options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  let opened;
  let schema: string | null = null;
  let release = () => {};
  if (testDatabaseKind === 'postgres') {
    schema = `test_${randomBytes(6).toString('hex')}`;
    opened = await openDatabase({ kind: 'postgres', url: testPostgresUrl }, { searchPath: schema, maxConnections: 10 });
  } else if (options.migrate !== false && inShard() && !sharedPglite.inUse) {
    sharedPglite.inUse = true;
    release = () => (sharedPglite.inUse = false);
    opened = await openDatabase({ kind: 'pglite', dataDir: 'memory://' }, { pglite: await emptiedSharedPglite() });
  } else if (options.migrate !== false) {
    opened = await openDatabase(
      { kind: 'pglite', dataDir: 'memory://' },
      { loadDataDir: await migratedPgliteSnapshot() },
    );
  } else {
    opened = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
  }
  // Migrating a migrated snapshot finds nothing to do; on PostgreSQL it creates the schema's tables.
  if (options.migrate !== false) await migrateToLatest(opened.db);
  const close = async () => {
    await opened.close();
    release();
    if (schema) {
      const client = new pg.Client({ connectionString: testPostgresUrl });
      await client.connect();
      await client.query(`drop schema if exists "${schema}" cascade`);
      await client.end();
    }
  };
  t.teardown(close);
  return { db: opened.db, kind: testDatabaseKind, close, poolUse: opened.poolUse };
}

/**
 * In a shard (several test files in one process), the files take turns with one embedded database instead of
 * opening one each from the snapshot (~2.5 s of CPU): whoever asks while nobody holds it gets it emptied — every
 * table the migrations made truncated, tables a test made dropped, identities and the change sequence restarted,
 * the session reset. Asked
 * while it is held (a file with two databases), a file gets one of its own as before.
 */
const sharedPglite: { instance: PGlite | null; tables: Set<string>; inUse: boolean } = {
  instance: null,
  tables: new Set(),
  inUse: false,
};

async function emptiedSharedPglite(): Promise<PGlite> {
  const userTables = async (pglite: PGlite) =>
    (
      await pglite.query<{ name: string }>(
        `select format('%I.%I', schemaname, relname) as name from pg_stat_user_tables where schemaname = current_schema()`,
      )
    ).rows.map((row) => row.name);
  if (!sharedPglite.instance) {
    const pglite = await PGlite.create('memory://', { loadDataDir: await migratedPgliteSnapshot() });
    sharedPglite.instance = pglite;
    sharedPglite.tables = new Set(await userTables(pglite));
    atShardEnd(async () => {
      await pglite.close();
      sharedPglite.instance = null;
    });
  }
  const pglite = sharedPglite.instance;
  // A file that ended inside a transaction (a failed test) must not hand it on; DISCARD ALL runs only outside one.
  await pglite.exec('rollback');
  await pglite.exec('discard all');
  const tables = await userTables(pglite);
  // Tables a test made itself go; the migrations' are emptied (their own records, kysely_*, stay).
  const made = tables.filter((name) => !sharedPglite.tables.has(name));
  if (made.length) await pglite.exec(`drop table ${made.join(', ')} cascade`);
  const emptied = tables.filter((name) => sharedPglite.tables.has(name) && !/\.kysely_/.test(name));
  await pglite.exec(`truncate ${emptied.join(', ')} restart identity cascade`);
  await pglite.exec(`do $$ declare s record; begin
      for s in select sequencename from pg_sequences where schemaname = current_schema() loop
        execute format('alter sequence %I restart', s.sequencename);
      end loop; end $$`);
  return pglite;
}

/**
 * "Now" by the database's clock, which stamps every version (`clock_timestamp()`), rounded up to the next
 * millisecond: a moment after every version written so far, whatever the test machine's clock says.
 */
export async function databaseNow(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ now: string }>`
    select to_char((date_trunc('milliseconds', clock_timestamp()) + interval '1 millisecond') at time zone 'UTC',
                   'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as now`.execute(db);
  return rows[0]!.now;
}

/** The administrator secret test apps accept (RBA_ADMIN_TOKEN in production). */
export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

export interface TestRequest extends InjectOptions {
  /** Who sends it: the test administrator (default), nobody (`null`), or a token secret. */
  as?: string | null;
}

export interface TestApp {
  app: FastifyInstance;
  db: Kysely<Database>;
  kind: TestDatabaseKind;
  /** Injects a request (as the administrator unless `as` says otherwise) and parses a JSON body (null when empty). */
  request(
    options: TestRequest,
  ): Promise<{ status: number; body: any; headers: LightMyRequestResponse['headers']; raw: string }>;
}

export async function buildTestApp(
  t: Teardown,
  config: {
    bodyLimitBytes?: number;
    rateLimitPerMinute?: number;
    rateLimitWindowMs?: number;
    trustProxy?: TrustProxy;
    corsWriteOrigins?: string[];
    publicUrl?: string;
    maxImportBytes?: number;
    /** METRICS and METRICS_TOKEN (off unless given). */
    metrics?: MetricsConfig;
    /** A database opened by the test (through a pooler, say) instead of this file's own; the test closes it. */
    database?: TestDatabase;
    /** Shared with a change feed the test starts (a second instance); a fresh one by default. */
    generation?: ChangeGeneration;
    /** Read replicas opened on `generation` (DATABASE_READ_URL); none by default. */
    replicas?: ReadReplicas;
  } = {},
): Promise<TestApp> {
  const { db, kind, poolUse } = config.database ?? (await openTestDatabase(t));
  const app = await buildApp({
    config: {
      bodyLimitBytes: config.bodyLimitBytes ?? 1_048_576,
      logLevel: 'silent',
      adminToken: TEST_ADMIN_TOKEN,
      rateLimitPerMinute: config.rateLimitPerMinute ?? 0,
      ...(config.rateLimitWindowMs !== undefined && { rateLimitWindowMs: config.rateLimitWindowMs }),
      ...(config.trustProxy !== undefined && { trustProxy: config.trustProxy }),
      ...(config.maxImportBytes !== undefined && { maxImportBytes: config.maxImportBytes }),
      corsWriteOrigins: config.corsWriteOrigins ?? [],
      ...(config.publicUrl !== undefined && { publicUrl: config.publicUrl }),
      ...(config.metrics !== undefined && { metrics: config.metrics }),
    },
    db,
    logger: false,
    poolUse,
    ...(config.generation && { generation: config.generation }),
    ...(config.replicas && { replicas: config.replicas }),
  });
  t.teardown(() => app.close());
  return {
    app,
    db,
    kind,
    async request({ as, ...options }) {
      const secret = as === undefined ? TEST_ADMIN_TOKEN : as;
      const headers = { ...(options.headers ?? {}) } as Record<string, string>;
      if (secret !== null && headers.authorization === undefined) headers.authorization = `Bearer ${secret}`;
      const response = await app.inject({ ...options, headers });
      const raw = response.body;
      const isJson = String(response.headers['content-type'] ?? '').includes('json');
      return {
        status: response.statusCode,
        body: raw && isJson ? JSON.parse(raw) : raw || null,
        headers: response.headers,
        raw,
      };
    },
  };
}

/** Creates an initiative → result → (optional outcome) → indicator chain through the API. */
export async function createFixture(api: TestApp, indicator: Record<string, unknown> = {}) {
  const initiative = await api.request({
    method: 'POST',
    url: '/api/v1/initiatives',
    payload: { name: `Partnership ${randomBytes(3).toString('hex')}` },
  });
  const result = await api.request({
    method: 'POST',
    url: `/api/v1/initiatives/${initiative.body.id}/results`,
    payload: {
      statement: 'Fewer residents are unemployed',
      population: 'Working-age residents',
      geography: 'Detroit',
      timeFrame: { start: 2020, end: 2030 },
    },
  });
  const created = await api.request({
    method: 'POST',
    url: `/api/v1/results/${result.body.id}/indicators`,
    payload: {
      name: 'Unemployment rate',
      unit: 'percent',
      polarity: 'lower_is_better',
      frequency: 'annual',
      ...indicator,
    },
  });
  if (created.status !== 201) throw new Error(`fixture indicator not created: ${created.raw}`);
  return { initiative: initiative.body, result: result.body, indicator: created.body };
}
