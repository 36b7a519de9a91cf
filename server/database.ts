/**
 * Opens the database: PostgreSQL through `pg` when DATABASE_URL is set, otherwise the embedded PGlite
 * through its node-postgres adapter. Both go through the same `pg.Pool`, Kysely's PostgresDialect and
 * the same type parsers, so there is one code path (README, "Running on PostgreSQL").
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import {
  CamelCasePlugin,
  Kysely,
  Migrator,
  PostgresDialect,
  sql,
  type KyselyPlugin,
  type MigrationResultSet,
} from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from './config.ts';
import type { Database } from '../schema/database.ts';
import { migrations } from '../schema/migrations/index.ts';

// Parse once, for every pool: `date` stays a string, `int8` (count(*)) becomes a number.
pg.types.setTypeParser(1082, (value: string) => value);
pg.types.setTypeParser(20, (value: string) => Number(value));

export interface OpenDatabase {
  db: Kysely<Database>;
  /** The pool under `db` (the read replicas' routing handle sends its primary statements through it). */
  pool: pg.Pool;
  kind: DatabaseConfig['kind'];
  /**
   * PostgreSQL only: `select 1` on a fresh connection (not the pool, whose connections may all be busy or
   * stuck), for the database watchdog. Null for the embedded database.
   */
  probe: (() => Promise<void>) | null;
  /** PGlite only: its data directory as a tarball (the tests start each file from a migrated one). */
  dumpDataDir: (() => Promise<Blob>) | null;
  /** The pool's connections now (for the metrics): open, idle, and requests waiting for one. */
  poolUse(): PoolUse;
  /** Closes the pool and, for PGlite, the embedded database. Idempotent. */
  close(): Promise<void>;
}

/** pg.Pool's counts: `total` connections open, `idle` of them, `waiting` queries queued for a connection. */
export interface PoolUse {
  total: number;
  idle: number;
  waiting: number;
}

export interface OpenOptions {
  /** Largest number of pooled connections to PostgreSQL (PGlite always has one). */
  maxConnections?: number;
  /** A PostgreSQL schema to use (tests isolate themselves this way). Created when missing. */
  searchPath?: string;
  /** Client-side limit on one query against PostgreSQL, in milliseconds (default 60,000). */
  queryTimeoutMs?: number;
  /** In-memory PGlite only: start from this data directory (a `dumpDataDir` tarball) instead of an empty one. */
  loadDataDir?: Blob;
  /** An embedded database already open, to use instead (the test shards share one); `close()` leaves it open. */
  pglite?: PGlite;
}

export async function openDatabase(config: DatabaseConfig, options: OpenOptions = {}): Promise<OpenDatabase> {
  let pool: pg.Pool;
  let pglite: PGlite | null = null;
  let ownsPglite = true;
  if (config.kind === 'postgres') {
    pool = new pg.Pool({
      connectionString: config.url,
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: 2_000,
      // A query on a connection into a network partition would otherwise wait until TCP gives up
      // (minutes). Long enough for the merge of a 1,000,000-row import (~20 s measured).
      query_timeout: options.queryTimeoutMs ?? 60_000,
      keepAlive: true,
      ...(options.searchPath ? { options: `-c search_path=${options.searchPath}` } : {}),
    });
    // A client that loses its server emits 'error' — idle ones on the pool, checked-out ones on themselves;
    // without listeners the process would exit. The query in flight still fails (and answers 503).
    pool.on('error', () => undefined);
    pool.on('connect', (client) => client.on('error', () => undefined));
    if (options.searchPath) {
      await pool.query(`create schema if not exists "${options.searchPath.replaceAll('"', '')}"`);
    }
  } else {
    ownsPglite = options.pglite === undefined;
    pglite = options.pglite ?? (await openPglite(config.dataDir, options.loadDataDir));
    pool = new pg.Pool(createPgConfig(pglite) as unknown as pg.PoolConfig);
  }
  // maintainNestedObjectKeys: jsonb values (disaggregations, reference groups) keep their keys as the
  // client wrote them; without it `{ race_ethnicity: … }` would read back as `{ raceEthnicity: … }`.
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: kyselyPlugins() });
  let closed = false;
  return {
    db,
    pool,
    kind: config.kind,
    probe: config.kind === 'postgres' ? () => probePostgres(config.url, options.searchPath) : null,
    dumpDataDir: pglite ? () => pglite.dumpDataDir('none') : null,
    poolUse: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
      if (pglite && ownsPglite) await pglite.close();
    },
  };
}

/** The plugins of every Kysely handle on the database (the replicas' routing handle too). */
export function kyselyPlugins(): KyselyPlugin[] {
  return [new CamelCasePlugin({ maintainNestedObjectKeys: true })];
}

async function probePostgres(url: string, searchPath: string | undefined): Promise<void> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: 2_000,
    ...(searchPath ? { options: `-c search_path=${searchPath}` } : {}),
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
  } finally {
    // A silent server would keep a graceful end waiting: drop the socket.
    (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
  }
}

async function openPglite(dataDir: string, loadDataDir: Blob | undefined): Promise<PGlite> {
  if (dataDir.startsWith('memory://')) return PGlite.create(dataDir, loadDataDir ? { loadDataDir } : {});
  // PGlite.create does not create parent folders.
  await fs.mkdir(path.resolve(dataDir), { recursive: true });
  return PGlite.create(path.resolve(dataDir));
}

/**
 * Migrates the database `config` names (main.ts, at start). Kysely's migrator holds a session-level advisory
 * lock from before its transaction to after it, which a pooler in transaction mode cannot keep (each statement
 * may run on another server connection, and the lock would stay on one of them): with a direct connection
 * configured (DATABASE_LISTEN_URL) the migrations run there, on a connection of their own.
 */
export async function migrateDatabase(config: DatabaseConfig, db: Kysely<Database>): Promise<void> {
  if (config.kind !== 'postgres' || !config.listenUrl) {
    await migrateToLatest(db);
    return;
  }
  const direct = await openDatabase({ kind: 'postgres', url: config.listenUrl }, { maxConnections: 1 });
  try {
    await migrateToLatest(direct.db);
  } finally {
    await direct.close();
  }
}

/** Applies every pending migration; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<Database>): Promise<MigrationResultSet> {
  const result = await migrator(db, await currentSchema(db)).migrateToLatest();
  // eslint-disable-next-line @typescript-eslint/only-throw-error -- the migrator's own error, as it gave it
  if (result.error) throw result.error;
  return result;
}

/** The schema unqualified names resolve to (the first of the search path): `public` unless configured. */
export async function currentSchema(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return rows[0]!.schema;
}

/**
 * The migrator. Pass the schema the tables live in (see {@link currentSchema}): without it Kysely looks
 * for its bookkeeping tables in every schema of the database, and a second schema that has them (another
 * test file, another deployment) makes it skip creating its own.
 */
export function migrator(db: Kysely<Database>, schema?: string): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(schema !== undefined && { migrationTableSchema: schema }),
  });
}
