/**
 * A database outage, on PostgreSQL only: the app reaches the server through a TCP proxy this test starts
 * and cuts (the real server keeps running). While the proxy is down, /readyz and the API answer 503 with
 * Retry-After within 2 seconds, nothing is half-written and the process stays up; when the proxy comes
 * back, requests succeed again without a restart.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import pg from 'pg';
import t from '../helpers/tap.ts';
import { buildApp } from '../../server/app.ts';
import { migrateToLatest, openDatabase } from '../../server/database.ts';
import { TEST_ADMIN_TOKEN, testDatabaseKind, testPostgresUrl } from '../helpers/test-app.ts';
import { isErrorShape } from './world.ts';

const TARGET_MS = 2_000;
/** Known bug, outside the files this suite may change (see the report). */
/** Forwards TCP connections to the real server; `cut()` refuses new ones and drops the open ones. */
class TcpProxy {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  port = 0;
  /** 'forward' passes bytes; 'blackhole' accepts connections and drops every byte (a network partition). */
  mode: 'forward' | 'blackhole' = 'forward';

  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<void> {
    const server = net.createServer((client) => {
      this.track(client);
      if (this.mode === 'blackhole') {
        client.on('data', () => undefined);
        return;
      }
      const upstream = net.connect(this.target.port, this.target.host);
      this.track(upstream);
      const drop = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.on('data', (chunk) => {
        if (this.mode === 'forward') upstream.write(chunk);
      });
      upstream.on('data', (chunk) => {
        if (this.mode === 'forward') client.write(chunk);
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  private track(socket: net.Socket) {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
  }

  /** The outage: nothing listens on the port any more and every open connection is dropped. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    const closed = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}

const skip =
  testDatabaseKind === 'postgres'
    ? false
    : 'PostgreSQL only: the outage is a TCP proxy cut in front of a PostgreSQL server (run with TEST_DATABASE=postgres)';

t.test('a database outage through a TCP proxy', { skip }, async (t) => {
  const target = new URL(testPostgresUrl);
  const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  await proxy.start();
  t.teardown(() => proxy.cut());
  const schema = `test_outage_${randomBytes(5).toString('hex')}`;
  const viaProxy = new URL(testPostgresUrl);
  viaProxy.port = String(proxy.port);
  const database = await openDatabase(
    { kind: 'postgres', url: viaProxy.toString() },
    { searchPath: schema, maxConnections: 4 },
  );
  t.teardown(async () => {
    await database.close();
    const client = new pg.Client({ connectionString: testPostgresUrl });
    await client.connect();
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
  });
  await migrateToLatest(database.db);
  const app = await buildApp({
    config: { bodyLimitBytes: 1_048_576, logLevel: 'silent', adminToken: TEST_ADMIN_TOKEN },
    db: database.db,
    logger: false,
    databaseProbe: database.probe,
  });
  t.teardown(() => app.close());
  const admin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
  const inject = async (
    method: string,
    url: string,
    options: { payload?: object; headers?: Record<string, string> } = {},
  ) => {
    const started = performance.now();
    const res = await app.inject({ method: method as 'GET', url, ...options });
    return { status: res.statusCode, headers: res.headers, body: res.body, ms: performance.now() - started };
  };

  // Some data, and a stored token (its lookup needs the database too).
  const initiative = JSON.parse(
    (await inject('POST', '/api/v1/initiatives', { payload: { name: 'Outage partnership' }, headers: admin })).body,
  );
  const result = JSON.parse(
    (
      await inject('POST', `/api/v1/initiatives/${initiative.id}/results`, {
        payload: { statement: 'Steady', visibility: 'public' },
        headers: admin,
      })
    ).body,
  );
  const indicator = JSON.parse(
    (
      await inject('POST', `/api/v1/results/${result.id}/indicators`, {
        payload: { name: 'Rate', unit: 'percent', polarity: 'lower_is_better', frequency: 'annual' },
        headers: admin,
      })
    ).body,
  );
  const token = JSON.parse(
    (
      await inject('POST', '/api/v1/tokens', {
        payload: { name: 'Outage editor', role: 'editor', initiativeId: initiative.id },
        headers: admin,
      })
    ).body,
  );
  t.ok(token.secret, 'a stored token');
  t.equal((await inject('GET', '/readyz')).status, 200, 'ready before the outage');

  let crashed: unknown = null;
  const onCrash = (error: unknown) => (crashed = error);
  process.on('uncaughtException', onCrash);
  t.teardown(() => process.off('uncaughtException', onCrash));

  await t.test('while the proxy is down: 503 with Retry-After, fast', async (t) => {
    await proxy.cut();
    const checks: Array<[string, string, { payload?: object; headers?: Record<string, string> }]> = [
      ['GET', '/readyz', {}],
      ['GET', `/api/v1/results/${result.id}`, {}],
      ['GET', `/api/v1/results/${result.id}/scorecard`, { headers: admin }],
      ['GET', `/api/v1/results/${result.id}`, { headers: { authorization: `Bearer ${token.secret}` } }],
      [
        'PUT',
        `/api/v1/indicators/${indicator.id}/data-points`,
        { payload: { points: [{ period: '2024', value: 5 }] }, headers: admin },
      ],
      ['GET', `/api/v1/results/${result.id}`, {}],
    ];
    for (const [method, url, options] of checks) {
      const res = await inject(method, url, options);
      const label = `${method} ${url.replace(/[0-9a-f-]{36}/g, '…')}${options.headers?.authorization?.includes('rba_') ? ' (stored token)' : ''}`;
      t.equal(
        res.status,
        503,
        `${label}: 503${label.includes('stored token') ? ' (not 401: the token is not unknown, its lookup failed)' : ''}`,
      );
      t.match(res.headers['retry-after'], /^\d+$/, `${label}: Retry-After`);
      t.ok(res.ms < TARGET_MS, `${label}: answered in ${Math.round(res.ms)} ms (< ${TARGET_MS})`);
      t.ok(isErrorShape(JSON.parse(res.body)), `${label}: the error shape`);
      t.notMatch(res.body, /ECONNREFUSED|127\.0\.0\.1|password|postgres:/i, `${label}: no internals`);
    }
    t.equal((await inject('GET', '/healthz')).status, 200, 'the process is alive');
  });

  await t.test('when the proxy is back: requests succeed again, without a restart', async (t) => {
    await proxy.start(); // the same port
    const deadline = Date.now() + 10_000;
    let first = await inject('GET', '/readyz');
    while (first.status !== 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      first = await inject('GET', '/readyz');
    }
    t.equal(first.status, 200, 'ready again');
    const statuses = [];
    for (let i = 0; i < 10; i++) {
      statuses.push(
        (
          await inject('GET', `/api/v1/results/${result.id}/scorecard`, {
            headers: { authorization: `Bearer ${token.secret}` },
          })
        ).status,
      );
    }
    t.same(statuses, Array(10).fill(200), 'reads with a stored token succeed, every time');
    const points = await inject('GET', `/api/v1/indicators/${indicator.id}/data-points`, { headers: admin });
    t.same(JSON.parse(points.body).items, [], 'the write refused during the outage left nothing behind');
    const put = await inject('PUT', `/api/v1/indicators/${indicator.id}/data-points`, {
      payload: { points: [{ period: '2024', value: 5 }] },
      headers: admin,
    });
    t.equal(put.status, 200, 'writes succeed again');
  });

  const heal = async () => {
    // Dropping the silenced connections fails whatever still waits on them.
    proxy.mode = 'forward';
    await proxy.cut();
    await proxy.start();
    const deadline = Date.now() + 10_000;
    let status = 0;
    while (status !== 200 && Date.now() < deadline) {
      status = (await inject('GET', `/api/v1/results/${result.id}`, { headers: admin })).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return status;
  };
  const warm = () =>
    Promise.all([1, 2, 3].map(() => inject('GET', `/api/v1/results/${result.id}`, { headers: admin })));
  t.equal(
    crashed,
    null,
    `the process stays up: no uncaught exception while the proxy was down${crashed ? ` (got: ${String((crashed as Error).message ?? crashed)})` : ''}`,
  );

  await t.test(
    'a connection lost in the middle of a query: that request gets a 503 and the process stays up',
    async (t) => {
      const known = {};
      crashed = null;
      await warm();
      proxy.mode = 'blackhole';
      const pending = inject('GET', `/api/v1/results/${result.id}`, { headers: admin });
      await new Promise((resolve) => setTimeout(resolve, 300)); // the query is on its way into the void
      await proxy.cut(); // …and its connection ends
      const res = await Promise.race([
        pending,
        new Promise<null>((resolve) => setTimeout(() => resolve(null), 5_000).unref()),
      ]);
      t.equal(res?.status, 503, 'the request is answered 503', known);
      t.equal(crashed, null, `no uncaught exception${crashed ? `: ${String((crashed as Error).message)}` : ''}`, known);
      crashed = null;
      await proxy.start();
      t.equal(await heal(), 200, 'and the app serves again');
    },
  );

  await t.test(
    'a partition (connections accepted, nothing answered): 503 with Retry-After within the target, not a hang',
    async (t) => {
      // server/plugins/database-watchdog.ts: a request unanswered after 1 s probes the database on a fresh
      // connection; a silent database fails the probe and the request gets its 503.
      const known = {};
      crashed = null;
      await warm();
      proxy.mode = 'blackhole';
      const GIVE_UP_MS = 6_000;
      const bounded = (label: string, pending: ReturnType<typeof inject>) =>
        Promise.race([
          pending.then((res) => ({ label, ...res })),
          new Promise<{ label: string; status: 0; headers: Record<string, unknown>; body: string; ms: number }>(
            (resolve) =>
              setTimeout(
                () => resolve({ label, status: 0, headers: {}, body: '', ms: GIVE_UP_MS }),
                GIVE_UP_MS,
              ).unref(),
          ),
        ]);
      const results = await Promise.all([
        bounded('/readyz', inject('GET', '/readyz')),
        bounded('an API read', inject('GET', `/api/v1/results/${result.id}`, { headers: admin })),
        bounded(
          'an API read with a stored token',
          inject('GET', `/api/v1/results/${result.id}`, { headers: { authorization: `Bearer ${token.secret}` } }),
        ),
      ]);
      for (const res of results) {
        const answer =
          res.status === 0 ? `no answer after ${GIVE_UP_MS} ms` : `${res.status} in ${Math.round(res.ms)} ms`;
        t.equal(res.status, 503, `${res.label}: 503 (${answer})`, known);
        t.ok(res.headers['retry-after'], `${res.label}: Retry-After`, known);
        t.ok(res.ms <= TARGET_MS + 250, `${res.label}: answered within the ${TARGET_MS} ms target (${answer})`, known);
      }
      t.equal(await heal(), 200, 'the app recovers once the partition heals');
      // Healing drops the silenced connections mid-query: that must not crash the process either.
      await new Promise((resolve) => setTimeout(resolve, 500));
      t.equal(crashed, null, `no uncaught exception${crashed ? `: ${String((crashed as Error).message)}` : ''}`);
    },
  );
});
