/**
 * Read replicas (DATABASE_READ_URL): PostgreSQL hot standbys that answer anonymous reads, so public embeds and
 * charts need not load the primary. One place decides where a statement goes — the routing handle made here,
 * which the routes receive as their `db` (app.ts); everything else keeps the primary's own handle.
 *
 * A statement goes to a replica only when all of these hold, and to the primary otherwise:
 *
 * - it runs inside a public read: an anonymous GET or HEAD (no token, no session), marked by `asPublicRead`
 *   after the access decisions (app.ts; those read the primary themselves);
 * - it only reads: a select (a raw one by its text) outside a transaction, or any statement of a read-only
 *   transaction (chunked reads' cursors: one replica connection for the whole transaction) — writes and the
 *   reads of any other transaction stay on the primary; a statement that fails on a standby (refused as a
 *   write, SQLSTATE 25006; cancelled by a recovery conflict…) is run again on the primary;
 * - the instance hears the other instances (its change generation is trusted: caches would not answer either);
 * - a replica has replayed every change this instance knows of: on each move of the change generation (a write
 *   of its own, a notification of another instance's, a caller's newer `RBA-Change-Token`) the primary's WAL
 *   position is read once, after the move, and a replica serves reads of that generation only once
 *   `pg_last_wal_replay_lsn()` has reached it. A read waits up to `maxWaitMs` for that, then goes to the
 *   primary. So an answer read from a replica — and cached at that generation — is never older than an answer
 *   the primary would have given at the same generation: a replica adds no staleness to the response cache's,
 *   and privacy is as fresh as the change feed makes it.
 *
 * A replica that fails (refused, unreachable within the connect timeout, shut down, no longer a standby) is
 * left out — logged once — and its statement runs again on the primary, so the caller sees no error; it is
 * tried again every `retryMs` in the background and used again once it answers. Several replicas share the
 * reads in turn.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  Kysely,
  PostgresAdapter,
  PostgresDriver,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import pg from 'pg';
import type { ChangeGeneration } from './cache/change-generation.ts';
import { kyselyPlugins } from './database.ts';
import type { Database } from '../schema/database.ts';

const publicReads = new AsyncLocalStorage<true>();

/** Runs `fn` — the rest of an anonymous GET — as a public read: the routing handle may answer it from a replica. */
export function asPublicRead<T>(fn: () => T): T {
  return publicReads.run(true, fn);
}

export interface ReadReplicaOptions {
  /** The primary's pool (OpenDatabase.pool): statements that may not go to a replica run there. */
  primary: pg.Pool;
  /** DATABASE_READ_URL: one URL per hot standby of the primary. */
  urls: readonly string[];
  /** The instance's change generation: a replica serves a generation once it has replayed what moved it. */
  generation: ChangeGeneration;
  /** A replica that goes away or comes back is logged once, here. */
  log: (message: string) => void;
  /** The schema the tables live in, when not the role's default (tests). */
  searchPath?: string;
  /** How long a read waits for a replica to replay the latest change before it goes to the primary (100 ms). */
  maxWaitMs?: number;
  /** How often a replica left out is tried again (1 s). */
  retryMs?: number;
  /** Connect timeout of a replica's connections (1 s): an unreachable replica costs at most this, once. */
  connectTimeoutMs?: number;
  /** Largest number of connections to each replica (10). */
  maxConnections?: number;
}

/** Where the routing handle's statements ran (the metrics, and the tests' proof). */
export interface ReadCounts {
  replica: number;
  primary: number;
}

export interface ReplicaState {
  /** The replica's host, port and database (no credentials). */
  name: string;
  up: boolean;
  /** The WAL position it was last seen to have replayed, `X/Y` as PostgreSQL writes it; null if never seen. */
  replayed: string | null;
}

/** One replica connection, held for a read-only transaction. */
interface ReplicaConnection {
  query<R>(query: CompiledQuery): Promise<QueryResult<R>>;
  /** Back to the pool; `failed`: dropped instead (its transaction may be left open). */
  release(failed: boolean): void;
}

interface Replica {
  name: string;
  pool: pg.Pool;
  /** The pool's largest number of connections. */
  max: number;
  up: boolean;
  /** Replayed WAL position last seen (monotonic while it stays up); -1: not known. */
  replayed: bigint;
  /** One position check at a time per replica, shared by the reads that wait for it. */
  checking: Promise<bigint | null> | null;
  retry: NodeJS.Timeout | undefined;
}

export class ReadReplicas {
  /** The handle routes receive: the primary unless a statement may and can be read from a replica. */
  readonly db: Kysely<Database>;
  readonly counts: ReadCounts = { replica: 0, primary: 0 };
  readonly #replicas: Replica[];
  readonly #generation: ChangeGeneration;
  readonly #primary: pg.Pool;
  readonly #log: (message: string) => void;
  readonly #maxWaitMs: number;
  readonly #retryMs: number;
  /** The primary's WAL position read after the generation became `generation`. */
  #barrier: { generation: number; lsn: bigint } | null = null;
  #barrierFetch: { generation: number; promise: Promise<{ generation: number; lsn: bigint } | null> } | null = null;
  /** The generation whose first reads waited for a replica in vain: its later reads do not wait. */
  #gaveUp = -1;
  #turn = 0;
  #closed = false;

  constructor(options: ReadReplicaOptions) {
    this.#generation = options.generation;
    this.#primary = options.primary;
    this.#log = options.log;
    this.#maxWaitMs = options.maxWaitMs ?? 100;
    this.#retryMs = options.retryMs ?? 1_000;
    const max = options.maxConnections ?? 10;
    this.#replicas = options.urls.map((url) => {
      const pool = new pg.Pool({
        connectionString: url,
        max,
        connectionTimeoutMillis: options.connectTimeoutMs ?? 1_000,
        query_timeout: 60_000,
        keepAlive: true,
        application_name: 'rba-read',
        ...(options.searchPath ? { options: `-c search_path=${options.searchPath}` } : {}),
      });
      const replica: Replica = {
        name: nameOf(url),
        pool,
        max,
        up: true,
        replayed: -1n,
        checking: null,
        retry: undefined,
      };
      // An idle connection that dies: the server went away (or restarted, perhaps from an earlier position).
      pool.on('error', (error) => this.#leaveOut(replica, error));
      pool.on('connect', (client) => client.on('error', () => undefined));
      return replica;
    });
    const primaryDriver = new PostgresDriver({ pool: options.primary });
    this.db = new Kysely<Database>({
      dialect: new RoutingDialect(new RoutingDriver(primaryDriver, this)),
      plugins: kyselyPlugins(),
    });
  }

  /** Each replica: whether it is used, and what it was last seen to have replayed. */
  get states(): ReplicaState[] {
    return this.#replicas.map((r) => ({
      name: r.name,
      up: r.up,
      replayed: r.replayed < 0n ? null : lsnText(r.replayed),
    }));
  }

  /**
   * Runs a read-only statement on a replica that has replayed every change this instance knows of; undefined
   * when none can, or it failed there (the caller runs it on the primary): a failure on a replica is never the
   * caller's.
   */
  async read<R>(query: CompiledQuery): Promise<QueryResult<R> | undefined> {
    const replica = await this.#pick();
    if (!replica) return undefined;
    try {
      const { rows } = await replica.pool.query(query.sql, [...query.parameters]);
      this.counts.replica++;
      return { rows: (rows ?? []) as R[] };
    } catch (error) {
      // Every connection busy (pg-pool's wait timed out): this one read goes to the primary, the replica stays.
      if (replica.pool.totalCount >= replica.max && !(error as { code?: unknown }).code) return undefined;
      // Gone: left out. Anything else (refused as a write, a recovery conflict…) is asked of the primary too,
      // which answers as it would without replicas.
      if (unavailable(error)) this.#leaveOut(replica, error);
      return undefined;
    }
  }

  /**
   * A connection of a replica that may answer now, for a read-only transaction of a public read; null when none
   * can. A statement that fails on it fails the transaction (the replica is left out when it is gone).
   */
  async connect(): Promise<ReplicaConnection | null> {
    const replica = await this.#pick();
    if (!replica) return null;
    let client: pg.PoolClient;
    try {
      client = await replica.pool.connect();
    } catch (error) {
      if (unavailable(error) && replica.pool.totalCount < replica.max) this.#leaveOut(replica, error);
      return null;
    }
    let broken = false;
    return {
      query: async <R>(query: CompiledQuery): Promise<QueryResult<R>> => {
        try {
          const { rows } = await client.query(query.sql, [...query.parameters]);
          this.counts.replica++;
          return { rows: (rows ?? []) as R[] };
        } catch (error) {
          if (unavailable(error)) {
            broken = true;
            this.#leaveOut(replica, error);
          }
          throw error;
        }
      },
      release: (failed) => client.release(failed || broken),
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const replica of this.#replicas) clearTimeout(replica.retry);
    await Promise.all(this.#replicas.map((r) => r.pool.end().catch(() => undefined)));
  }

  /**
   * A replica to read from now, or null (the primary). The first reads after the generation moved wait up to
   * maxWaitMs, together, for one to replay the change; if none has by then, the reads of that generation go to
   * the primary without waiting while the replicas are asked again in the background, until one has.
   */
  async #pick(): Promise<Replica | null> {
    if (this.#closed || !this.#generation.trusted) return null;
    const barrier = await this.#required();
    if (barrier === null) return null;
    const ready = () => {
      // With no connection open, what a replica replayed is asked again: it may have restarted meanwhile, from
      // an earlier restart point (a restart ends every connection, and each end leaves it out).
      for (const r of this.#replicas) if (r.pool.totalCount === 0) r.replayed = -1n;
      const up = this.#replicas.filter((r) => r.up && r.replayed >= barrier.lsn);
      return up.length === 0 ? null : up[this.#turn++ % up.length]!;
    };
    const found = ready();
    if (found) return found;
    if (this.#gaveUp === barrier.generation) {
      for (const replica of this.#replicas) if (replica.up) void this.#check(replica);
      return null;
    }
    const deadline = Date.now() + this.#maxWaitMs;
    for (;;) {
      const up = this.#replicas.filter((r) => r.up);
      if (up.length === 0) return null;
      const left = deadline - Date.now();
      if (left <= 0) {
        this.#gaveUp = barrier.generation;
        return null;
      }
      // Ask each what it has replayed (one question per replica at a time); a short pause between rounds.
      await Promise.race([
        Promise.all(up.map((r) => this.#check(r))),
        sleep(Math.max(0, left), undefined, { ref: false }),
      ]);
      const caughtUp = ready();
      if (caughtUp) return caughtUp;
      await sleep(Math.max(0, Math.min(5, deadline - Date.now())), undefined, { ref: false });
    }
  }

  /**
   * The WAL position a replica must have replayed to serve the current generation, read from the primary once
   * per generation, after it moved; null: the primary cannot say (it answers the read itself, or fails as
   * without replicas). `pg_current_wal_flush_lsn()`: a commit is flushed before anyone sees it or hears its
   * notification (synchronous_commit on, PostgreSQL's default; the tracker never turns it off).
   */
  async #required(): Promise<{ generation: number; lsn: bigint } | null> {
    const generation = this.#generation.value;
    if (this.#barrier?.generation === generation) return this.#barrier;
    if (this.#barrierFetch?.generation !== generation) {
      // The generation's value is taken before the question: the answer is at or past what moved it.
      const promise = this.#primary
        .query<{ lsn: string }>('select pg_current_wal_flush_lsn()::text as lsn')
        .then(({ rows }) => {
          const barrier = { generation, lsn: parseLsn(rows[0]!.lsn) };
          if (!this.#barrier || this.#barrier.generation < generation) this.#barrier = barrier;
          return barrier;
        })
        .catch(() => null)
        .finally(() => {
          if (this.#barrierFetch?.promise === promise) this.#barrierFetch = null;
        });
      this.#barrierFetch = { generation, promise };
    }
    return this.#barrierFetch.promise;
  }

  /** What `replica` has replayed now (remembered on it); null when it cannot say (then it is left out). */
  #check(replica: Replica): Promise<bigint | null> {
    replica.checking ??= replica.pool
      .query<{ lsn: string | null; standby: boolean }>(
        'select pg_last_wal_replay_lsn()::text as lsn, pg_is_in_recovery() as standby',
      )
      .then(({ rows }) => {
        const { lsn, standby } = rows[0]!;
        if (!standby || lsn === null) throw new Error('it is not a hot standby (pg_is_in_recovery() is false)');
        const replayed = parseLsn(lsn);
        if (replayed > replica.replayed) replica.replayed = replayed;
        if (!replica.up && !this.#closed) {
          replica.up = true;
          this.#log(`read replica ${replica.name} answers again: public reads use it again`);
        }
        return replica.replayed;
      })
      .catch((error: unknown) => {
        this.#leaveOut(replica, error);
        return null;
      })
      .finally(() => (replica.checking = null));
    return replica.checking;
  }

  /** Leaves a replica out of the reads (logged once) and tries it again every retryMs until it answers. */
  #leaveOut(replica: Replica, error: unknown): void {
    if (!replica.up || this.#closed) return;
    replica.up = false;
    // After a restart a standby may start from an earlier restart point: what it replayed is asked again.
    replica.replayed = -1n;
    this.#log(
      `read replica ${replica.name} left out (${(error as Error).message}): public reads go to the primary until it answers again`,
    );
    const retry = () => {
      replica.retry = setTimeout(() => {
        replica.retry = undefined;
        if (this.#closed) return;
        void this.#check(replica).then((replayed) => {
          if (replayed === null && !this.#closed) retry();
        });
      }, this.#retryMs);
      replica.retry.unref();
    };
    retry();
  }
}

/** Opens the replicas of DATABASE_READ_URL (no connection is made before the first read). */
export function openReadReplicas(options: ReadReplicaOptions): ReadReplicas {
  return new ReadReplicas(options);
}

/** A statement that only reads: a select (raw ones by their text), not one that locks rows or draws a sequence. */
const WRITES = /\b(insert|update|delete|merge|truncate|nextval|setval|pg_notify|set_config|share)\b/i;
export function onlyReads(query: CompiledQuery): boolean {
  const kind = query.query.kind;
  const select = kind === 'SelectQueryNode' || (kind === 'RawNode' && /^\s*\(?\s*(select|with)\b/i.test(query.sql));
  return select && !WRITES.test(query.sql);
}

/** The replica cannot be reached or is going away: leave it out for a while. */
function unavailable(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return true; // no SQLSTATE: the connection failed
  return code.startsWith('08') || code.startsWith('57P') || code === '53300';
}

function parseLsn(text: string): bigint {
  const [high, low] = text.split('/');
  return (BigInt(`0x${high}`) << 32n) | BigInt(`0x${low}`);
}

function lsnText(lsn: bigint): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}

function nameOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
}

class RoutingDialect implements Dialect {
  constructor(private readonly driver: RoutingDriver) {}
  createDriver(): Driver {
    return this.driver;
  }
  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }
  createAdapter() {
    return new PostgresAdapter();
  }
  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }
}

/**
 * Kysely's driver of the routing handle. A transaction runs on the primary, but a read-only one of a public read
 * (chunked reads' cursors) on a replica when one can answer; `RoutingConnection` sends each statement.
 */
class RoutingDriver implements Driver {
  constructor(
    private readonly primary: PostgresDriver,
    private readonly replicas: ReadReplicas,
  ) {}
  async init(): Promise<void> {
    await this.primary.init();
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    return new RoutingConnection(this.primary, this.replicas);
  }
  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const routing = connection as RoutingConnection;
    if (settings.accessMode === 'read only' && publicReads.getStore() && (await routing.pinToReplica())) {
      try {
        await this.primary.beginTransaction(routing, settings); // the statement, sent by the connection
        return;
      } catch {
        await routing.unpinReplica(); // it failed at once: the transaction goes to the primary
      }
    }
    await routing.pinToPrimary();
    await this.primary.beginTransaction(routing, settings);
  }
  // The rest of a transaction goes where it began (the connection is pinned): PostgresDriver sends each
  // statement through the connection it is given.
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await this.primary.commitTransaction(connection as never);
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await this.primary.rollbackTransaction(connection as never);
  }
  async savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    await this.primary.savepoint(connection as never, name, compile);
  }
  async rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    await this.primary.rollbackToSavepoint(connection as never, name, compile);
  }
  async releaseSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    await this.primary.releaseSavepoint(connection as never, name, compile);
  }
  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    await (connection as RoutingConnection).release();
  }
  async destroy(): Promise<void> {
    // The primary's pool belongs to openDatabase (closed with it), the replicas' to ReadReplicas.close.
  }
}

/**
 * One of Kysely's connections on the routing handle: a read of a public request goes to a replica when one can
 * answer; anything else takes a primary connection, kept until release. Pinned, for a transaction: every
 * statement goes to the primary, or to the one replica connection a read-only transaction began on.
 */
class RoutingConnection implements DatabaseConnection {
  #primary: Promise<DatabaseConnection> | null = null;
  #pin: 'primary' | ReplicaConnection | null = null;

  constructor(
    private readonly primaryDriver: Driver,
    private readonly replicas: ReadReplicas,
  ) {}

  async pinToPrimary(): Promise<void> {
    this.#pin = 'primary';
    await this.#primaryConnection();
  }

  /** Pins to a connection of a replica that may answer now; false when none can. */
  async pinToReplica(): Promise<boolean> {
    const connection = await this.replicas.connect();
    if (connection) this.#pin = connection;
    return connection !== null;
  }

  /** Gives the replica connection back (`failed`: dropped, its transaction may not have ended). */
  async unpinReplica(failed = true): Promise<void> {
    if (this.#pin && this.#pin !== 'primary') this.#pin.release(failed);
    this.#pin = null;
  }

  #primaryConnection(): Promise<DatabaseConnection> {
    return (this.#primary ??= this.primaryDriver.acquireConnection());
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const pin = this.#pin;
    if (pin && pin !== 'primary') return pin.query<R>(query);
    if (pin === null && publicReads.getStore() && onlyReads(query)) {
      const answer = await this.replicas.read<R>(query);
      if (answer) return answer;
    }
    this.replicas.counts.primary++;
    return (await this.#primaryConnection()).executeQuery<R>(query);
  }

  async *streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    this.replicas.counts.primary++;
    yield* (await this.#primaryConnection()).streamQuery<R>(query, chunkSize);
  }

  async release(): Promise<void> {
    await this.unpinReplica(false);
    const primary = this.#primary;
    this.#primary = null;
    if (primary) await this.primaryDriver.releaseConnection(await primary);
  }
}
