/**
 * Smaller faults a probe found: an unbounded `embedOrigins` entry (a 1 MB CSP header), 408/431 answers without
 * the error shape, client aborts logged as "database unavailable", `/readyz` answering twice while the database
 * is silent, and token names in public histories.
 */
import net from 'node:net';
import { Writable } from 'node:stream';
import { Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import t from '../helpers/tap.ts';
import type { Database } from '../../schema/database.ts';
import { buildApp } from '../../server/app.ts';
import { TEST_ADMIN_TOKEN, buildTestApp, createFixture, openTestDatabase } from '../helpers/test-app.ts';

/** Log lines (pino JSON) a test can read. */
function logSink(): { lines: Array<{ msg: string; level: number }>; stream: Writable } {
  const lines: Array<{ msg: string; level: number }> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, stream };
}

/** Sends raw bytes and resolves with everything the server wrote back before closing. */
function rawExchange(port: number, send: (socket: net.Socket) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => send(socket));
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer within 10 s')));
  });
}

function parseRaw(text: string): { status: number; body: any } {
  const [head, body] = text.split('\r\n\r\n', 2) as [string, string];
  return { status: Number(head.split(' ')[1]), body: JSON.parse(body) };
}

t.test('embedOrigins: each entry a real origin of at most 300 characters', async (t) => {
  const api = await buildTestApp(t);
  const { initiative } = await createFixture(api);
  const patch = (embedOrigins: string[]) =>
    api.request({ method: 'PATCH', url: `/api/v1/initiatives/${initiative.id}`, payload: { embedOrigins } });
  const long = `https://${'a'.repeat(1_000_000)}.example.org`;
  for (const bad of [long, `https://${'a'.repeat(290)}.org`, 'https://a..example.org', 'https://example.org:99999']) {
    const res = await patch(['https://partner.example.org', bad]);
    t.equal(res.status, 400, `refused: ${bad.slice(0, 40)}`);
    t.equal(res.body.error.details[0].path, 'body.embedOrigins.1');
    t.ok(res.raw.length < 2_000, 'the answer does not echo the value');
  }
  t.equal((await patch(['https://partner.example.org', 'http://localhost:8080'])).status, 200);
  const page = await api.request({ method: 'GET', url: `/api/v1/initiatives/${initiative.id}` });
  t.same(page.body.embedOrigins, ['https://partner.example.org', 'http://localhost:8080']);
});

t.test('408 and 431 in the error shape; a client that leaves is logged as such', async (t) => {
  const { db } = await openTestDatabase(t);
  const log = logSink();
  const app = await buildApp({
    config: { bodyLimitBytes: 1_048_576, logLevel: 'info', adminToken: TEST_ADMIN_TOKEN, requestTimeoutMs: 400 },
    db,
    logger: { level: 'info', stream: log.stream },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  t.teardown(() => app.close());
  const port = (app.server.address() as net.AddressInfo).port;

  const big = parseRaw(
    await rawExchange(port, (s) => s.write(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`)),
  );
  t.equal(big.status, 431);
  t.same(big.body.error.code, 'headers_too_large');
  t.same(Object.keys(big.body.error), ['code', 'message', 'details']);

  const started = Date.now();
  const slow = parseRaw(
    await rawExchange(port, (s) =>
      s.write(
        `POST /api/v1/initiatives HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TEST_ADMIN_TOKEN}\r\n` +
          'Content-Type: application/json\r\n',
      ),
    ),
  );
  t.equal(slow.status, 408, 'a request that stops arriving');
  t.same(slow.body.error.code, 'request_timeout');
  t.same(Object.keys(slow.body.error), ['code', 'message', 'details']);
  t.ok(Date.now() - started < 5_000);

  // A client that sends half a body and hangs up.
  await rawExchange(port, (s) => {
    s.write(
      `POST /api/v1/initiatives HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TEST_ADMIN_TOKEN}\r\n` +
        'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"name":',
    );
    setTimeout(() => s.destroy(), 100);
  });
  await new Promise((resolve) => setTimeout(resolve, 300));
  const messages = log.lines.map((l) => l.msg);
  t.notOk(messages.includes('database unavailable'), 'no client problem is blamed on the database');
  t.ok(messages.includes('client aborted the request'), 'logged as an abort');
  t.notOk(
    log.lines.some((l) => l.level >= 50),
    'no error-level line for a client that left',
  );
  t.equal(
    (
      (await db.selectFrom('initiatives').select(db.fn.countAll().as('n')).executeTakeFirstOrThrow())
        .n as unknown as string
    ).toString(),
    '0',
    'nothing written',
  );
});

t.test('/readyz answers once while the database is silent', async (t) => {
  const never = () => new Promise<never>(() => undefined);
  // A database that accepts and never answers (a network partition), whatever the backend.
  const silent = new Kysely<Database>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
      createDriver: () => ({
        init: async () => undefined,
        acquireConnection: never,
        beginTransaction: never,
        commitTransaction: never,
        rollbackTransaction: never,
        releaseConnection: async () => undefined,
        destroy: async () => undefined,
      }),
    },
  });
  const log = logSink();
  const app = await buildApp({
    config: { bodyLimitBytes: 1_048_576, logLevel: 'info' },
    db: silent,
    logger: { level: 'info', stream: log.stream },
    databaseProbe: never,
  });
  t.teardown(() => app.close());
  const started = Date.now();
  const res = await app.inject({ method: 'GET', url: '/readyz' });
  t.equal(res.statusCode, 503);
  t.equal(res.json().error.code, 'database_unavailable');
  t.ok(Date.now() - started < 3_000, 'within the readiness limit');
  await new Promise((resolve) => setTimeout(resolve, 2_500)); // past every timer of the request
  t.notOk(
    log.lines.some((l) => /already sent/i.test(l.msg)),
    'no second reply attempted',
  );
});

t.test("public histories: 'hidden' instead of token names for callers outside the initiative", async (t) => {
  const api = await buildTestApp(t);
  const { indicator, result, initiative } = await createFixture(api);
  await api.request({ method: 'PATCH', url: `/api/v1/results/${result.id}`, payload: { visibility: 'public' } });
  const token = await api.request({
    method: 'POST',
    url: '/api/v1/tokens',
    payload: { name: 'Ana Jones (data team)', role: 'editor', initiativeId: initiative.id },
  });
  const put = await api.request({
    method: 'PUT',
    url: `/api/v1/indicators/${indicator.id}/data-points`,
    payload: { points: [{ period: '2019', value: 5 }] },
    as: token.body.secret,
  });
  const url = `/api/v1/data-points/${put.body.points[0].id}/history`;
  t.equal(put.status, 200, put.raw);
  const member = await api.request({ method: 'GET', url, as: token.body.secret });
  t.equal(member.body.revisions[0].by, 'Ana Jones (data team)', 'members see who');
  const other = await createFixture(api);
  const outsider = await api.request({
    method: 'POST',
    url: '/api/v1/tokens',
    payload: { name: 'outsider', role: 'viewer', initiativeId: other.initiative.id },
  });
  for (const as of [null, outsider.body.secret]) {
    const res = await api.request({ method: 'GET', url, as });
    t.equal(res.status, 200);
    t.equal(res.body.revisions[0].by, 'hidden');
    t.notMatch(res.raw, /Ana Jones/, 'nowhere in the history');
  }
});
