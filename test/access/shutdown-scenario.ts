/**
 * SIGTERM: the real server (server/main.ts) on a database of its own — a PostgreSQL database, or an embedded
 * PGlite directory — gets SIGTERM while a large batch of data points, or a streamed CSV import, is in flight.
 * The request completes (200) with every point stored (or, had it been cut, none: never a part), new
 * connections are refused from then on, the process exits 0, and a PGlite directory opens cleanly afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Test } from 'tap';
import { freePort } from '../helpers/free-port.ts';
import { migratedPgliteSnapshot } from '../helpers/pglite-snapshot.ts';

// As in test/helpers/test-app.ts, without importing it (and with it the whole app: this file only spawns it).
const testDatabaseKind = process.env.TEST_DATABASE === 'postgres' ? 'postgres' : 'pglite';
const testPostgresUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The PostgreSQL cases run in the PostgreSQL pass, the PGlite ones in the PGlite pass. */
export const skipUnless = (kind: 'postgres' | 'pglite') =>
  testDatabaseKind === kind ? false : `runs in the ${kind} pass (TEST_DATABASE=${kind})`;

/** Whether a new TCP connection to the port is accepted. */
function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** True once a new connection is refused, within a second (the listener closes just after the "shutting down" line). */
async function refusedSoon(port: number): Promise<boolean> {
  const deadline = Date.now() + 1_000;
  while (Date.now() < deadline) {
    if (!(await canConnect(port))) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

export interface Scenario {
  points: number;
  /** 'upload': SIGTERM while the body is still arriving; 'write': SIGTERM just after the whole body was sent. */
  when: 'upload' | 'write';
  database: 'postgres' | 'pglite';
  /** 'batch': PUT …/data-points with JSON; 'import': POST …/data-points/import with a CSV file. */
  request: 'batch' | 'import';
}

/** A database of the scenario's own: its settings for the server, and a count of an indicator's stored rows. */
async function ownDatabase(t: Test, kind: Scenario['database']) {
  if (kind === 'pglite') {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'rba-shutdown-'));
    t.teardown(() => rm(dataDir, { recursive: true, force: true }));
    // A migrated database to start from (the snapshot the test apps load, ~1 s): the server finds its
    // migrations done instead of running initdb and every migration (~6 s, twice a file). A fresh directory's
    // first start is test/access/first-hour.test.ts's.
    const prepared = await PGlite.create(dataDir, { loadDataDir: await migratedPgliteSnapshot() });
    await prepared.close();
    return {
      settings: { PGLITE_DIR: dataDir },
      // Opening the directory again after the exit also proves the server left it consistent.
      async countRows(indicatorId: string) {
        const pglite = await PGlite.create(dataDir);
        try {
          const { rows } = await pglite.query<{ n: number }>(
            'select count(*)::int as n from data_points where indicator_id = $1',
            [indicatorId],
          );
          return rows[0]!.n;
        } finally {
          await pglite.close();
        }
      },
    };
  }
  const databaseName = `rba_shutdown_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  await admin.query(`create database ${databaseName}`);
  t.teardown(async () => {
    await admin.query(`drop database if exists ${databaseName} with (force)`);
    await admin.end();
  });
  const databaseUrl = new URL(testPostgresUrl);
  databaseUrl.pathname = `/${databaseName}`;
  return {
    settings: { DATABASE_URL: databaseUrl.toString() },
    async countRows(indicatorId: string) {
      const check = new pg.Client({ connectionString: databaseUrl.toString() });
      await check.connect();
      try {
        const { rows } = await check.query<{ n: number }>(
          'select count(*)::int as n from data_points where indicator_id = $1',
          [indicatorId],
        );
        return rows[0]!.n;
      } finally {
        await check.end();
      }
    },
  };
}

export async function scenario(t: Test, { points: POINTS, when, database, request: kind }: Scenario) {
  const own = await ownDatabase(t, database);

  const port = await freePort();
  const token = `shutdown-test-${randomBytes(12).toString('hex')}`;
  const { NODE_OPTIONS: _ignored, ...environment } = process.env; // not the test runner's loaders
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: {
      ...environment,
      ...own.settings,
      PORT: String(port),
      HOST: '127.0.0.1',
      RBA_ADMIN_TOKEN: token,
      SEED_DEMO: 'false',
      RATE_LIMIT_PER_MINUTE: '0',
      LOG_LEVEL: 'info', // the test watches for main.ts's "shutting down" line
      BODY_LIMIT_BYTES: String(4 * 1024 * 1024),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  // Wait for it to listen.
  const base = `http://127.0.0.1:${port}`;
  const started = Date.now();
  let up = false;
  while (!up && Date.now() - started < 60_000 && child.exitCode === null) {
    up = await fetch(`${base}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (!up) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  if (!up) return t.fail(`the server did not start: ${output.slice(-2000)}`);

  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const post = async (url: string, body: object) => {
    const res = await fetch(`${base}/api/v1${url}`, { method: 'POST', headers, body: JSON.stringify(body) });
    if (res.status !== 201) throw new Error(`${url} → ${res.status}: ${await res.text()}`);
    return (await res.json()) as { id: string };
  };
  const initiative = await post('/initiatives', { name: 'Shutdown partnership' });
  const result = await post(`/initiatives/${initiative.id}/results`, { statement: 'Daily counts' });
  const indicator = await post(`/results/${result.id}/indicators`, {
    name: 'Daily count',
    unit: 'count',
    polarity: 'higher_is_better',
    frequency: 'daily',
  });

  const day0 = Date.UTC(1990, 0, 1); // 10,000 days: to 2017, all in the past
  const points = Array.from({ length: POINTS }, (_, i) => ({
    period: new Date(day0 + i * 86_400_000).toISOString().slice(0, 10),
    value: i,
    note: `day ${i}`,
  }));
  const body =
    kind === 'batch'
      ? Buffer.from(JSON.stringify({ points }))
      : Buffer.from(['period,value,note', ...points.map((p) => `${p.period},${p.value},${p.note}`)].join('\n'));
  const url =
    kind === 'batch'
      ? `${base}/api/v1/indicators/${indicator.id}/data-points`
      : `${base}/api/v1/indicators/${indicator.id}/data-points/import`;

  // 'upload': all but the tail of the body is sent, so the request is certainly in flight at SIGTERM.
  let refusedDuringShutdown = false;
  let shutdownBeganBeforeAnswer = when === 'upload';
  let answered = false;
  const response = new Promise<{ status: number; body: string } | { error: string }>((resolve) => {
    const request = http.request(url, {
      method: kind === 'batch' ? 'PUT' : 'POST',
      headers: {
        ...headers,
        'content-type': kind === 'batch' ? 'application/json' : 'text/csv',
        'content-length': String(body.length),
      },
    });
    request.on('response', (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => {
        answered = true;
        resolve({ status: res.statusCode ?? 0, body: text });
      });
      res.on('error', (error) => resolve({ error: error.message }));
    });
    request.on('error', (error) => resolve({ error: error.message }));
    if (when === 'upload') {
      request.write(body.subarray(0, body.length - 100));
      setTimeout(() => {
        child.kill('SIGTERM');
        setTimeout(async () => {
          // While the batch is still open, nobody new gets in.
          refusedDuringShutdown = await refusedSoon(port);
          request.end(body.subarray(body.length - 100));
        }, 500);
      }, 300);
    } else {
      request.end(body, () => {
        setTimeout(async () => {
          child.kill('SIGTERM');
          // The signal is handled when the server's event loop is free (parsing the batch is CPU work):
          // wait for main.ts to say it is shutting down, then knock.
          const deadline = Date.now() + 10_000;
          while (!/shutting down/.test(output) && Date.now() < deadline)
            await new Promise((resolve) => setTimeout(resolve, 5));
          shutdownBeganBeforeAnswer = !answered;
          refusedDuringShutdown = await refusedSoon(port);
        }, 30);
      });
    }
  });
  const answer = await response;
  const { code, signal } = await Promise.race([
    exited,
    new Promise<{ code: null; signal: null }>((resolve) =>
      setTimeout(() => resolve({ code: null, signal: null }), 30_000).unref(),
    ),
  ]);

  const stored = await own.countRows(indicator.id);

  if ('status' in answer) {
    t.equal(answer.status, 200, `the in-flight batch completes: ${answer.status} ${answer.body.slice(0, 200)}`);
    if (answer.status === 200) {
      const summary = JSON.parse(answer.body) as { inserted: number };
      t.equal(summary.inserted, POINTS, `${POINTS} points inserted`);
    }
    t.equal(stored, answer.status === 200 ? POINTS : 0, `stored: ${stored} (all of them, or none if refused)`);
  } else {
    t.fail(`the in-flight batch was cut: ${answer.error}`);
    t.ok(stored === 0 || stored === POINTS, `never a partial batch: ${stored} stored`);
  }
  t.ok(
    shutdownBeganBeforeAnswer,
    'the shutdown began while the batch was in flight (else this scenario tested nothing)',
  );
  t.ok(refusedDuringShutdown, 'new connections are refused once the shutdown began (within 1 s)');
  t.notOk(await canConnect(port), 'and after the exit');
  t.equal(signal, null, 'the process was not killed by the signal');
  t.equal(code, 0, `the process exits 0${code === 0 ? '' : `; its output: ${output.slice(-2000)}`}`);
}
