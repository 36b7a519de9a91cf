/**
 * Read replicas (DATABASE_READ_URL, docs/deployment.md "Read replicas"), against a real streaming hot standby of
 * the test's PostgreSQL: `pg_basebackup -R` into a temporary directory, started on a free port (as the
 * `postgres` user when the test runs as root: PostgreSQL refuses root), stopped and removed at the end whatever
 * happens. Two instances on the primary, each with its change feed and the replica, wired as main.ts wires
 * them. What a user would notice: an anonymous read is answered by the replica; a read after a write (the same
 * instance, or another with `RBA-Change-Token`) sees the write; a replica that has not replayed a change is not
 * read — and nothing stale is cached — until it has; the replica stopped, public reads still answer (from the
 * primary); started again, it is used again.
 *
 * PostgreSQL only. Needs the server's binaries (Debian: /usr/lib/postgresql/<major>/bin) and replication
 * connections from 127.0.0.1 (`.ci/run` adds `host replication all 127.0.0.1/32 trust` to pg_hba.conf); without
 * them the test says why and skips — under CI (`CI=true`) it fails instead.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Kysely, PostgresDialect, sql, type CompiledQuery, type RawBuilder } from 'kysely';
import pg from 'pg';
import t from '../helpers/tap.ts';
import { freePort } from '../helpers/free-port.ts';
import { ChangeGeneration } from '../../server/cache/change-generation.ts';
import { startPostgresChangeFeed } from '../../server/cache/postgres-change-feed.ts';
import { loadConfig } from '../../server/config.ts';
import { currentSchema, migrateToLatest, openDatabase } from '../../server/database.ts';
import { asPublicRead, onlyReads, openReadReplicas, type ReadReplicas } from '../../server/database-replicas.ts';
import { readInChunks } from '../../server/repositories/chunked-read.ts';
import type { Database } from '../../schema/database.ts';
import { buildTestApp, createFixture, testDatabaseKind, testPostgresUrl, type TestApp } from '../helpers/test-app.ts';

const run = promisify(execFile);

t.test('the setting: DATABASE_READ_URL, one or more hot standbys of DATABASE_URL', async (t) => {
  const primary = 'postgres://rba@db:5432/rba';
  const database = loadConfig({
    DATABASE_URL: primary,
    DATABASE_READ_URL: ' postgres://rba@replica-1/rba, postgresql://rba@replica-2:5433/rba ,',
  }).database;
  t.same(database, {
    kind: 'postgres',
    url: primary,
    readUrls: ['postgres://rba@replica-1/rba', 'postgresql://rba@replica-2:5433/rba'],
  });
  t.notOk('readUrls' in loadConfig({ DATABASE_URL: primary }).database, 'unset: every read goes to DATABASE_URL');
  t.throws(
    () => loadConfig({ DATABASE_READ_URL: 'postgres://rba@replica/rba' }),
    /DATABASE_READ_URL: needs DATABASE_URL/,
  );
  t.throws(
    () => loadConfig({ DATABASE_URL: primary, DATABASE_READ_URL: 'postgres://rba@replica/rba,mysql://x' }),
    /DATABASE_READ_URL\.1: each must be a postgres:\/\/ URL/,
  );
  t.throws(() => loadConfig({ DATABASE_URL: primary, DATABASE_READ_URL: ' , ' }), /DATABASE_READ_URL: must name/);
  t.same(loadConfig({}).database, { kind: 'pglite', dataDir: './data/pglite' }, 'PGlite as before');
});

t.test('a standby is sent only statements that read', async (t) => {
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool() }) });
  const compiled = (query: { compile(): CompiledQuery }) => query.compile();
  const raw = (query: RawBuilder<unknown>) => query.compile(db);
  t.teardown(() => db.destroy());
  t.ok(onlyReads(compiled(db.selectFrom('indicators').selectAll())), 'a select');
  t.ok(onlyReads(raw(sql`select 1 as one`)), 'a raw select');
  t.ok(onlyReads(raw(sql`with x as (select 1) select * from x`)), 'a raw select with a common table expression');
  t.notOk(onlyReads(compiled(db.selectFrom('indicators').selectAll().forUpdate())), 'not a select that locks rows');
  t.notOk(onlyReads(raw(sql`select * from indicators for share`)), 'nor a raw one');
  t.notOk(onlyReads(compiled(db.deleteFrom('indicators'))), 'not a delete');
  t.notOk(
    onlyReads(raw(sql`with gone as (delete from indicators returning id) select * from gone`)),
    'nor one in a select',
  );
  t.notOk(onlyReads(raw(sql`insert into baseline_fits select 1`)), 'not a raw insert');
  t.notOk(onlyReads(raw(sql`select nextval('rba_change_seq')`)), 'not a sequence drawn');
});

const inCi = process.env.CI === 'true';

/** Why a standby cannot be made here, or null. Under CI a reason is a failure, elsewhere a skip. */
async function standbyUnavailable(): Promise<string | null> {
  if (testDatabaseKind !== 'postgres')
    return 'PostgreSQL only (TEST_DATABASE=postgres): replicas follow a PostgreSQL primary';
  return null;
}

const skip = await standbyUnavailable();
if (skip) {
  t.test('a streaming hot standby', { skip }, () => undefined);
} else {
  await replicaTests();
}

async function replicaTests(): Promise<void> {
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  const { rows: settings } = await admin.query<{ name: string; setting: string }>(
    `select name, setting from pg_settings where name in ('server_version_num', 'max_connections',
       'max_worker_processes', 'max_wal_senders', 'max_prepared_transactions', 'max_locks_per_transaction')`,
  );
  const setting = (name: string) => settings.find((s) => s.name === name)!.setting;
  const bin = `/usr/lib/postgresql/${Math.floor(Number(setting('server_version_num')) / 10_000)}/bin`;
  const missing = await fs.access(path.join(bin, 'pg_basebackup'), fsConstants.X_OK).then(
    () => null,
    () => `no PostgreSQL binaries in ${bin} (Debian's postgresql package)`,
  );
  if (missing) {
    await admin.end();
    if (inCi) throw new Error(`read replicas cannot be tested: ${missing}`);
    t.test('a streaming hot standby', { skip: missing }, () => undefined);
    return;
  }

  // 1. A database of its own on the primary, migrated.
  const server = new URL(testPostgresUrl);
  const database = `rba_replica_${randomBytes(4).toString('hex')}`;
  await admin.query(`create database ${database}`);
  await admin.end();
  const primaryUrl = Object.assign(new URL(testPostgresUrl), { pathname: `/${database}` }).href;

  // 2. A hot standby of the whole server, in a temporary directory, on a free port.
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'rba-replica-'));
  const dataDir = path.join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  const runAs = asRoot ? ['runuser', '-u', 'postgres', '--'] : [];
  const pgRun = (binary: string, args: string[]) => {
    const [command, ...rest] = [...runAs, path.join(bin, binary), ...args];
    return run(command!, rest, { timeout: 120_000 });
  };
  if (asRoot) await run('chown', ['postgres:postgres', dir]);
  await fs.chmod(dir, 0o700);
  const port = await freePort();
  let started = false;
  const closers: Array<() => Promise<unknown>> = [];
  t.teardown(async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    if (started) await pgRun('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
    const cleanup = new pg.Client({ connectionString: testPostgresUrl });
    await cleanup.connect();
    await cleanup.query(`drop database if exists ${database} with (force)`);
    await cleanup.end();
    await fs.rm(dir, { recursive: true, force: true });
  });

  const user = decodeURIComponent(server.username || 'postgres');
  const backup = await pgRun('pg_basebackup', [
    '-h',
    server.hostname,
    '-p',
    server.port || '5432',
    '-U',
    user,
    '-D',
    dataDir,
    '-R',
    '-X',
    'stream',
    '-c',
    'fast',
  ]).then(
    () => null,
    (error: Error & { stderr?: string }) => error.stderr?.trim() || error.message,
  );
  if (backup) {
    const reason = /replication connection/.test(backup)
      ? `the server refuses replication connections (${backup}); allow them from 127.0.0.1 in pg_hba.conf — .ci/run does`
      : `pg_basebackup failed: ${backup}`;
    if (inCi) throw new Error(`read replicas cannot be tested: ${reason}`);
    t.test('a streaming hot standby', { skip: reason }, () => undefined);
    return;
  }
  // Debian keeps the configuration outside the data directory: the standby gets its own, with the settings a
  // standby must not have lower than its primary's.
  const write = async (name: string, text: string) => {
    await fs.writeFile(path.join(dataDir, name), text, { mode: 0o600 });
    if (asRoot) await run('chown', ['postgres:postgres', path.join(dataDir, name)]);
  };
  await write(
    'postgresql.conf',
    [
      `listen_addresses = '127.0.0.1'`,
      `port = ${port}`,
      `unix_socket_directories = '${dir}'`,
      'hot_standby = on',
      'shared_buffers = 16MB',
      ...['max_connections', 'max_worker_processes', 'max_wal_senders', 'max_prepared_transactions'].map(
        (name) => `${name} = ${setting(name)}`,
      ),
      `max_locks_per_transaction = ${setting('max_locks_per_transaction')}`,
      '',
    ].join('\n'),
  );
  await write('pg_hba.conf', 'local all all trust\nhost all all 127.0.0.1/32 trust\n');
  await write('pg_ident.conf', '');
  const start = async () => {
    await pgRun('pg_ctl', ['-D', dataDir, '-l', path.join(dir, 'log'), '-w', '-t', '60', 'start']);
    started = true;
  };
  const stop = async () => {
    await pgRun('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
    started = false;
  };
  await start();
  const replicaUrl = Object.assign(new URL(primaryUrl), { port: String(port), hostname: '127.0.0.1' }).href;
  const onReplica = async <R extends pg.QueryResultRow>(text: string, values: unknown[] = []) => {
    const client = new pg.Client({ connectionString: replicaUrl });
    await client.connect();
    try {
      return (await client.query<R>(text, values)).rows;
    } finally {
      await client.end();
    }
  };

  // 3. Migrated on the primary; the standby replays it.
  {
    const starting = await openDatabase({ kind: 'postgres', url: primaryUrl }, { maxConnections: 2 });
    await migrateToLatest(starting.db);
    await starting.close();
  }
  await until(
    async () => {
      const rows = await onReplica<{ n: number }>(
        `select count(*)::int as n from information_schema.tables where table_name = 'data_points'`,
      ).catch(() => [{ n: 0 }]);
      return rows[0]!.n === 1;
    },
    'the standby replays the migrations',
    60_000,
  );

  // 4. Two instances, as main.ts wires them with DATABASE_READ_URL.
  const config = loadConfig({ DATABASE_URL: primaryUrl, DATABASE_READ_URL: replicaUrl });
  if (config.database.kind !== 'postgres') throw new Error('expected a PostgreSQL configuration');
  const { url, readUrls } = config.database;
  type Instance = TestApp & { generation: ChangeGeneration; replicas: ReadReplicas; logged: string[] };
  const instance = async (name: string): Promise<Instance> => {
    const opened = await openDatabase({ kind: 'postgres', url }, { maxConnections: 6 });
    closers.push(() => opened.close());
    const generation = new ChangeGeneration();
    const feed = startPostgresChangeFeed(url, generation, () => undefined, {
      schema: await currentSchema(opened.db),
      applicationName: `rba-replica-test-${name}`,
    });
    closers.push(() => feed.close());
    await feed.ready();
    const logged: string[] = [];
    const replicas = openReadReplicas({
      primary: opened.pool,
      urls: readUrls!,
      generation,
      log: (message) => logged.push(message),
      retryMs: 200,
    });
    closers.push(() => replicas.close());
    const api = await buildTestApp(t, {
      database: { db: opened.db, kind: 'postgres', close: () => opened.close(), poolUse: () => opened.poolUse() },
      generation,
      replicas,
      metrics: { enabled: true, token: null },
    });
    return { ...api, generation, replicas, logged };
  };
  const one = await instance('one');
  const two = await instance('two');

  // A public result with an indicator and its points, written through instance one (the primary).
  const { result, indicator } = await createFixture(one);
  await one.request({ method: 'PATCH', url: `/api/v1/results/${result.id}`, payload: { visibility: 'public' } });
  const indicatorId: string = indicator.id;
  const put = (api: TestApp, values: number[]) =>
    api.request({
      method: 'PUT',
      url: `/api/v1/indicators/${indicatorId}/data-points`,
      payload: { points: values.map((value, i) => ({ period: String(2016 + i), value })) },
    });
  const saved = await put(one, [9.2, 8.9, 8.5, 8.4, 7.9, 7.1]);
  t.equal(saved.status, 200, 'points saved');
  /** An anonymous read of the public points (no token; the API's JSON: never cached, read each time). */
  const publicPoints = async (api: TestApp, headers: Record<string, string> = {}) => {
    const response = await api.request({
      method: 'GET',
      url: `/api/v1/indicators/${indicatorId}/data-points?limit=50`,
      as: null,
      headers,
    });
    return { status: response.status, values: (response.body?.items ?? []).map((p: { value: number }) => p.value) };
  };

  /** The lines of instance one's /metrics that start with `name`. */
  const metric = async (name: string) => {
    const { raw } = await one.request({ method: 'GET', url: '/metrics', as: null });
    return raw.split('\n').filter((line) => line.startsWith(name));
  };

  t.test('an anonymous read is answered by the replica, an authenticated one by the primary', async (t) => {
    t.same((await onReplica<{ standby: boolean }>('select pg_is_in_recovery() as standby'))[0], { standby: true });
    // Once the standby has replayed the writes above (at once on a quiet server; while other writers flood the
    // WAL it may trail by more than a read waits, and the primary answers meanwhile).
    let read = { status: 0, values: [] as number[] };
    await until(async () => {
      const before = { ...one.replicas.counts };
      read = await publicPoints(one);
      return one.replicas.counts.replica > before.replica && one.replicas.counts.primary === before.primary;
    }, 'an anonymous read answered by the standby alone');
    t.equal(read.status, 200);
    t.same(read.values, [9.2, 8.9, 8.5, 8.4, 7.9, 7.1], 'the points, as written');

    const member = { ...one.replicas.counts };
    const own = await one.request({ method: 'GET', url: `/api/v1/indicators/${indicatorId}/data-points?limit=50` });
    t.equal(own.status, 200);
    t.equal(one.replicas.counts.replica, member.replica, 'a token holder reads the primary');
    t.ok(one.replicas.counts.primary > member.primary);

    const analysis = await one.request({ method: 'GET', url: `/api/v1/indicators/${indicatorId}/analysis`, as: null });
    t.equal(analysis.status, 200, 'an anonymous analysis (which stores its fits: a write, on the primary) answers');
  });

  t.test('a read in chunks (a long series) runs its read-only transaction on the replica', async (t) => {
    const read = () =>
      asPublicRead(() =>
        readInChunks(
          one.replicas.db,
          one.replicas.db
            .selectFrom('dataPoints')
            .select(['period', 'value'])
            .where('indicatorId', '=', indicatorId)
            .where('validTo', 'is', null)
            .orderBy('periodIndex'),
          2, // chunks of two rows: the first read, then a cursor in a transaction
        ),
      );
    let rows: Array<{ period: string; value: number | null }> = [];
    let before = { ...one.replicas.counts };
    await until(async () => {
      before = { ...one.replicas.counts };
      rows = await read();
      return one.replicas.counts.primary === before.primary;
    }, 'a read in chunks answered by the standby alone');
    t.same(
      rows.map((r) => r.value),
      [9.2, 8.9, 8.5, 8.4, 7.9, 7.1],
    );
    // limit 2; start transaction read only; declare; fetch × 3; close; commit
    t.ok(one.replicas.counts.replica - before.replica >= 7, 'every statement, the transaction too, on the standby');
    const member = { ...one.replicas.counts };
    await readInChunks(one.replicas.db, one.replicas.db.selectFrom('dataPoints').select('value').orderBy('id'), 2);
    t.equal(one.replicas.counts.replica, member.replica, 'outside a public read: the primary');
  });

  t.test('a read after a write sees it: on the same instance, and on another with RBA-Change-Token', async (t) => {
    const write = await put(one, [9.2, 8.9, 8.5, 8.4, 7.9, 6.5]);
    t.equal(write.status, 200);
    t.same((await publicPoints(one)).values.at(-1), 6.5, 'the writing instance');
    const token = write.headers['rba-change-token'] as string;
    t.match(token, /^\d+$/);
    const again = await put(one, [9.2, 8.9, 8.5, 8.4, 7.9, 6.1]);
    const read = await publicPoints(two, { 'rba-change-token': again.headers['rba-change-token'] as string });
    t.equal(read.values.at(-1), 6.1, 'another instance, given the token (whether or not it heard the change yet)');
  });

  t.test('a replica that has not replayed a change is not read, and nothing stale is cached', async (t) => {
    const chart = `/api/v1/indicators/${indicatorId}/chart.vl.json`;
    const first = await two.request({ method: 'GET', url: chart, as: null });
    t.equal(first.status, 200);
    await onReplica('select pg_wal_replay_pause()');
    let paused = true;
    t.teardown(async () => {
      if (paused) await onReplica('select pg_wal_replay_resume()');
    });
    const write = await put(one, [9.2, 8.9, 8.5, 8.4, 7.9, 5.4]);
    t.equal(write.status, 200);
    const token = Number(write.headers['rba-change-token']);
    await until(async () => two.generation.seenToken >= token - 1, 'instance two hears the change');
    const stale = await onReplica<{ value: number }>(
      `select value::float8 as value from data_points where indicator_id = $1 and period = '2021' and valid_to is null`,
      [indicatorId],
    ).catch(() => []);
    const before = { ...two.replicas.counts };
    const chartAfter = await two.request({ method: 'GET', url: chart, as: null });
    t.equal(chartAfter.status, 200);
    t.match(chartAfter.raw, /5\.4/, 'the chart shows the change');
    t.notSame(chartAfter.raw, first.raw);
    t.equal(two.replicas.counts.replica, before.replica, 'not read from the paused replica');
    const points = await publicPoints(two);
    t.equal(points.values.at(-1), 5.4, 'nor are the points');
    if (stale.length > 0) t.not(stale[0]!.value, 5.4, 'which still holds the old value');
    const cached = await two.request({ method: 'GET', url: chart, as: null });
    t.equal(cached.raw, chartAfter.raw, 'the cached chart is the new one');

    await onReplica('select pg_wal_replay_resume()');
    paused = false;
    await until(async () => {
      const counted = two.replicas.counts.replica;
      const read = await publicPoints(two);
      return read.values.at(-1) === 5.4 && two.replicas.counts.replica > counted;
    }, 'the replica, caught up, answers again');
  });

  t.test('the replica stopped: public reads answer from the primary; started again, it is used again', async (t) => {
    await stop();
    const before = { ...one.replicas.counts };
    const answers = [];
    for (let i = 0; i < 8; i++) answers.push(await publicPoints(one));
    t.same(
      answers.map((a) => a.status),
      answers.map(() => 200),
      'every read answers',
    );
    t.same(answers.at(-1)!.values.at(-1), 5.4);
    t.equal(one.replicas.counts.replica, before.replica, 'none from the stopped replica');
    t.equal(one.logged.filter((m) => /left out/.test(m)).length, 1, 'logged once, not per request');
    t.match(one.logged.at(-1), /read replica 127\.0\.0\.1:\d+\/rba_replica_\w+ left out/);
    t.same(
      one.replicas.states.map((s) => s.up),
      [false],
    );
    t.match(
      (await metric('rba_db_replica_up'))[0],
      /^rba_db_replica_up\{replica="127\.0\.0\.1:\d+\/rba_replica_\w+"\} 0$/,
      'left out in the metrics',
    );
    const routed = (await metric('rba_db_routed_statements_total')).join('\n');
    t.match(routed, /target="replica"\} [1-9]/, 'the metrics count the statements the replica ran');
    t.match(routed, /target="primary"\} [1-9]/, 'and those the primary ran');

    await start();
    await until(async () => {
      const counted = one.replicas.counts.replica;
      const read = await publicPoints(one);
      return read.status === 200 && one.replicas.counts.replica > counted;
    }, 'the replica is used again');
    t.match(one.logged.at(-1), /answers again/);
    t.match((await metric('rba_db_replica_up'))[0], / 1$/, 'up again in the metrics');
  });
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what}`);
    await sleep(50);
  }
}
