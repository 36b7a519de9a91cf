/**
 * Behind PgBouncer in transaction mode (README "Settings", docs/deployment.md): each transaction may run on
 * another server connection, so nothing may rely on session state (named prepared statements, SET outside a
 * transaction, session advisory locks, temporary tables kept across transactions, LISTEN). Two instances
 * query through a real `pgbouncer` (a pool of 2 server connections for their 2 × 6 clients) and listen and
 * migrate on a direct connection (DATABASE_LISTEN_URL), as main.ts wires them: concurrent writes and reads,
 * a CSV import (COPY into a staging table) with a chunked read of its 2,500 rows, and one instance's cache
 * dropped by the other's write.
 *
 * PostgreSQL only, and only where a `pgbouncer` binary is on PATH (Debian: `apt-get install pgbouncer`; .ci/run
 * installs it). The test makes a database of its own (PgBouncer passes no search_path: the tables live in
 * `public`, as in production) and drops it at the end.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import t from '../helpers/tap.ts';
import { freePort } from '../helpers/free-port.ts';
import { ChangeGeneration } from '../../server/cache/change-generation.ts';
import { startPostgresChangeFeed } from '../../server/cache/postgres-change-feed.ts';
import { loadConfig } from '../../server/config.ts';
import { currentSchema, migrateDatabase, openDatabase } from '../../server/database.ts';
import { buildTestApp, createFixture, testDatabaseKind, testPostgresUrl, type TestApp } from '../helpers/test-app.ts';

/** The pooler's server connections for the database: fewer than the instances' clients, so they are shared. */
const SERVER_CONNECTIONS = 2;

async function onPath(binary: string): Promise<string | null> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, binary);
    if (
      await fs.access(candidate, fsConstants.X_OK).then(
        () => true,
        () => false,
      )
    )
      return candidate;
  }
  return null;
}

const pgbouncer = testDatabaseKind === 'postgres' ? await onPath('pgbouncer') : null;
if (testDatabaseKind !== 'postgres') {
  t.plan(0, 'PostgreSQL only (TEST_DATABASE=postgres): PgBouncer pools connections to a PostgreSQL server');
} else if (!pgbouncer) {
  t.plan(0, 'no `pgbouncer` binary on PATH (Debian: apt-get install pgbouncer; .ci/run installs it)');
} else {
  // 1. A database of its own, on the server the tests use.
  const server = new URL(testPostgresUrl);
  const user = decodeURIComponent(server.username || 'postgres');
  const database = `rba_pgbouncer_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  await admin.query(`create database ${database}`);
  await admin.end();
  const directUrl = Object.assign(new URL(testPostgresUrl), { pathname: `/${database}` }).href;

  // 2. PgBouncer in transaction mode in front of it, on a free port, configured in a temporary directory.
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'rba-pgbouncer-'));
  await fs.chmod(dir, 0o755); // PgBouncer refuses to run as root: started as root, it switches to `postgres`
  const port = await freePort();
  const target = [
    `host=${server.hostname}`,
    `port=${server.port || 5432}`,
    `dbname=${database}`,
    `user=${user}`,
    ...(server.password ? [`password=${decodeURIComponent(server.password)}`] : []),
  ].join(' ');
  await fs.writeFile(
    path.join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      `rba = ${target}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${path.join(dir, 'users.txt')}`,
      'pool_mode = transaction',
      `default_pool_size = ${SERVER_CONNECTIONS}`,
      'max_client_conn = 200',
      'ignore_startup_parameters = extra_float_digits',
      '',
    ].join('\n'),
    { mode: 0o644 },
  );
  await fs.writeFile(path.join(dir, 'users.txt'), `"${user}" ""\n`, { mode: 0o644 });
  const runAs = process.getuid?.() === 0 ? ['-u', 'postgres'] : [];
  const bouncer = spawn(pgbouncer, [...runAs, path.join(dir, 'pgbouncer.ini')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let bouncerLog = '';
  bouncer.stdout.on('data', (chunk: Buffer) => (bouncerLog += chunk.toString()));
  bouncer.stderr.on('data', (chunk: Buffer) => (bouncerLog += chunk.toString()));
  const exited = new Promise((resolve) => bouncer.once('exit', resolve));
  const pooledUrl = `postgres://${encodeURIComponent(user)}@127.0.0.1:${port}/rba`;

  const closers: Array<() => Promise<unknown>> = [];
  t.teardown(async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    bouncer.kill('SIGTERM');
    await exited;
    const cleanup = new pg.Client({ connectionString: testPostgresUrl });
    await cleanup.connect();
    await cleanup.query(`drop database if exists ${database} with (force)`);
    await cleanup.end();
    await fs.rm(dir, { recursive: true, force: true });
  });

  let reachable = false;
  for (let attempt = 0; attempt < 100 && !reachable && bouncer.exitCode === null; attempt++) {
    const probe = new pg.Client({ connectionString: pooledUrl, connectionTimeoutMillis: 500 });
    probe.on('error', () => undefined);
    reachable = await probe.connect().then(
      () => probe.query('select 1').then(() => true),
      () => false,
    );
    await probe.end().catch(() => undefined);
    if (!reachable) await sleep(100);
  }
  if (!reachable) throw new Error(`pgbouncer did not start:\n${bouncerLog}`);

  // 3. The settings as an operator writes them, and two instances wired as main.ts wires them.
  const config = loadConfig({ DATABASE_URL: pooledUrl, DATABASE_LISTEN_URL: directUrl });
  if (config.database.kind !== 'postgres') throw new Error('expected a PostgreSQL configuration');
  const { url, listenUrl } = config.database;
  const instance = async (name: string): Promise<TestApp & { generation: ChangeGeneration }> => {
    const opened = await openDatabase({ kind: 'postgres', url }, { maxConnections: 6 });
    closers.push(() => opened.close());
    const generation = new ChangeGeneration();
    const feed = startPostgresChangeFeed(listenUrl ?? url, generation, () => undefined, {
      schema: await currentSchema(opened.db),
      applicationName: `rba-pgbouncer-test-${name}`,
    });
    closers.push(() => feed.close());
    await feed.ready();
    const api = await buildTestApp(t, {
      database: { db: opened.db, kind: 'postgres', close: () => opened.close(), poolUse: () => opened.poolUse() },
      generation,
    });
    return { ...api, generation };
  };
  {
    // As main.ts does at start: the migrator's session lock needs the direct connection.
    const starting = await openDatabase({ kind: 'postgres', url }, { maxConnections: 2 });
    await migrateDatabase(config.database, starting.db);
    await starting.close();
  }
  const one = await instance('one');
  const two = await instance('two');

  t.test('the settings: DATABASE_LISTEN_URL is for PostgreSQL behind a pooler', async (t) => {
    t.same(config.database, { kind: 'postgres', url: pooledUrl, listenUrl: directUrl });
    t.notOk('listenUrl' in loadConfig({ DATABASE_URL: pooledUrl }).database, 'unset: LISTEN uses DATABASE_URL');
    t.throws(() => loadConfig({ DATABASE_LISTEN_URL: directUrl }), /DATABASE_LISTEN_URL: needs DATABASE_URL/);
    t.throws(() => loadConfig({ DATABASE_URL: pooledUrl, DATABASE_LISTEN_URL: 'mysql://x' }), /DATABASE_LISTEN_URL/);
  });

  t.test('queries go through the pooler, LISTEN does not', async (t) => {
    const direct = new pg.Client({ connectionString: directUrl });
    await direct.connect();
    t.teardown(() => direct.end());
    const { rows } = await direct.query<{ name: string; client: string }>(
      `select application_name as name, client_port::text as client from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid() and application_name like 'rba-pgbouncer-test-%'`,
    );
    t.same(rows.map((r) => r.name).sort(), ['rba-pgbouncer-test-one', 'rba-pgbouncer-test-two'], 'one feed each');
    const { rows: pooled } = await direct.query<{ n: number }>(
      `select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()
          and application_name not like 'rba-pgbouncer-test-%' and backend_type = 'client backend'`,
    );
    t.ok(pooled[0]!.n <= SERVER_CONNECTIONS, `at most ${SERVER_CONNECTIONS} server connections for the queries`);
    const { rows: locks } = await direct.query(
      `select 1 from pg_locks where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())`,
    );
    t.equal(locks.length, 0, 'no session lock is left behind on a server connection (migrations ran directly)');
  });

  t.test('concurrent writes and reads on both instances', async (t) => {
    const fixtures = await Promise.all([one, two, one, two].map((api) => createFixture(api)));
    const writes = await Promise.all(
      fixtures.flatMap(({ indicator }, i) =>
        [one, two].map((api, j) =>
          api.request({
            method: 'PUT',
            url: `/api/v1/indicators/${indicator.id}/data-points`,
            payload: { points: [2015, 2016, 2017, 2018].map((year) => ({ period: String(year), value: 10 * i + j })) },
          }),
        ),
      ),
    );
    t.same(
      writes.map((w) => w.status),
      writes.map(() => 200),
      'every batch is saved',
    );
    const reads = await Promise.all(
      fixtures.flatMap(({ indicator }) =>
        [one, two].flatMap((api) => [
          api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.id}/data-points` }),
          api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.id}/analysis` }),
        ]),
      ),
    );
    t.same(
      reads.map((r) => r.status),
      reads.map(() => 200),
      'every read is answered',
    );
    for (const [i, { indicator }] of fixtures.entries()) {
      const points = (await two.request({ method: 'GET', url: `/api/v1/indicators/${indicator.id}/data-points` })).body
        .items as Array<{ period: string; value: number; version: number }>;
      t.equal(points.length, 4, `indicator ${i}: one current value per period`);
      t.ok(
        points.every((p) => p.version === 2 && (p.value === 10 * i || p.value === 10 * i + 1)),
        `indicator ${i}: both batches applied, one after the other`,
      );
    }
  });

  t.test('a CSV import through the pooler, and a chunked read of its rows on the other instance', async (t) => {
    const { indicator } = await createFixture(one, {
      frequency: 'monthly',
      unit: 'count',
      polarity: 'higher_is_better',
    });
    const months = Array.from({ length: 2_500 }, (_, i) => {
      const month = 1800 * 12 + i;
      return `${Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}`;
    });
    const csv = `period,value\n${months.map((period, i) => `${period},${i % 97}`).join('\n')}\n`;
    const imported = await one.request({
      method: 'POST',
      url: `/api/v1/indicators/${indicator.id}/data-points/import`,
      payload: csv,
      headers: { 'content-type': 'text/csv' },
    });
    t.equal(imported.status, 200, 'imported');
    t.match(imported.body, { status: 'succeeded', rows: 2_500, inserted: 2_500 });
    const again = await two.request({
      method: 'POST',
      url: `/api/v1/indicators/${indicator.id}/data-points/import`,
      payload: csv,
      headers: { 'content-type': 'text/csv' },
    });
    t.match(again.body, { status: 'succeeded', inserted: 0, unchanged: 2_500 }, 'the same file again: nothing new');
    const analysis = await two.request({ method: 'GET', url: `/api/v1/indicators/${indicator.id}/analysis` });
    t.equal(analysis.status, 200);
    t.equal(analysis.body.total.pointCount, 2_500, 'the series read in chunks through a cursor');
    const page = await two.request({ method: 'GET', url: `/api/v1/indicators/${indicator.id}/data-points?limit=1000` });
    t.equal(page.body.items.length, 1_000);
  });

  t.test("one instance's write drops the other's cached chart, heard on the direct connection", async (t) => {
    const { indicator, result } = await createFixture(one);
    const published = await one.request({
      method: 'PATCH',
      url: `/api/v1/results/${result.id}`,
      payload: { visibility: 'public' },
    });
    t.equal(published.status, 200);
    const saved = await one.request({
      method: 'PUT',
      url: `/api/v1/indicators/${indicator.id}/data-points`,
      payload: { points: [2019, 2020, 2021].map((year, i) => ({ period: String(year), value: 8 - i })) },
    });
    t.equal(saved.status, 200);
    const chartUrl = `/api/v1/indicators/${indicator.id}/chart.vl.json`;
    const before = await two.request({ method: 'GET', url: chartUrl, as: null });
    t.equal(before.status, 200);
    t.same((await two.request({ method: 'GET', url: chartUrl, as: null })).raw, before.raw, 'cached on instance two');
    t.notMatch(before.raw, /"2022"/);

    const heardBefore = two.generation.value;
    const write = await one.request({
      method: 'PUT',
      url: `/api/v1/indicators/${indicator.id}/data-points`,
      payload: { points: [{ period: '2022', value: 4 }] },
    });
    t.equal(write.status, 200);
    const since = performance.now();
    while (two.generation.value === heardBefore && performance.now() - since < 5_000) await sleep(10);
    t.ok(two.generation.value > heardBefore, 'instance two heard the write (well before the 10 s bound)');
    const after = await two.request({ method: 'GET', url: chartUrl, as: null });
    t.match(after.raw, /"2022"/, 'and its chart shows it');

    const token = write.headers['rba-change-token'];
    t.ok(token, 'the write carries a change token');
    const readYourWrite = await two.request({
      method: 'GET',
      url: `/api/v1/indicators/${indicator.id}/data-points`,
      headers: { 'rba-change-token': String(token) },
    });
    t.ok(
      (readYourWrite.body.items as Array<{ period: string }>).some((p) => p.period === '2022'),
      'a read with the token sees the write',
    );
  });
}
