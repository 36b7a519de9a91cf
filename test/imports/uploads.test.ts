/**
 * Uploads over real connections: a slow upload does not stop the service (the body is spooled before the
 * import takes a database connection or a lock), and a client that leaves — while sending, or while its
 * import waits for the indicator's lock, gzip-compressed or not — crashes nothing, leaves no lock and writes
 * nothing.
 */
import t from '../helpers/tap.ts';
import net from 'node:net';
import { gzipSync } from 'node:zlib';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { buildTestApp, TEST_ADMIN_TOKEN } from '../helpers/test-app.ts';
import { addIndicator, allPoints, createFixture } from './helpers.ts';

const api = await buildTestApp(t);
await api.app.listen({ port: 0, host: '127.0.0.1' });
const port = (api.app.server.address() as net.AddressInfo).port;

/** Opens a connection and sends an import's request head; the body is the caller's to send (or not). */
async function startImport(indicatorId: string, length: number, gzip: boolean): Promise<net.Socket> {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(
    `POST /api/v1/indicators/${indicatorId}/data-points/import HTTP/1.1\r\n` +
      `Host: 127.0.0.1\r\nAuthorization: Bearer ${TEST_ADMIN_TOKEN}\r\nContent-Type: text/csv\r\n` +
      `${gzip ? 'Content-Encoding: gzip\r\n' : ''}Content-Length: ${length}\r\n\r\n`,
  );
  return socket;
}

/** The answer's status line once the server sends it. */
function statusOf(socket: net.Socket): Promise<number> {
  return new Promise((resolve, reject) => {
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      const match = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (match) resolve(Number(match[1]));
    });
    socket.on('close', () => reject(new Error(`closed without an answer: ${text}`)));
  });
}

/** Rows of a monthly indicator: one per month from January 2000. */
const csvOf = (rows: number, value: number) =>
  'period,value\n' +
  Array.from(
    { length: rows },
    (_, i) => `${2000 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')},${value}`,
  ).join('\n');

/** Writes one point of January 1999 (distinct from every imported one): proves nobody holds the indicator's lock. */
async function writeWithin(indicatorId: string, ms: number) {
  const started = performance.now();
  const res = await api.request({
    method: 'PUT',
    url: `/api/v1/indicators/${indicatorId}/data-points`,
    payload: { points: [{ period: '1999-01', value: 1 }] },
  });
  return {
    status: res.status,
    ms: performance.now() - started,
    ok: res.status === 200 && performance.now() - started < ms,
  };
}

const fixture = await createFixture(api, { frequency: 'annual' });
const other = await createFixture(api);

t.test('a slow upload does not stop other requests (the body is received before the database is used)', async (t) => {
  const body = Buffer.from('period,value\n' + '2020,1\n'.repeat(15_000)); // ~100 KB
  const socket = await startImport(fixture.indicator.id, body.length, false);
  socket.write(body.subarray(0, 1024)); // …and the rest is still "on its way"
  await sleep(100);
  const started = performance.now();
  const read = await api.request({ method: 'GET', url: `/api/v1/initiatives/${other.initiative.id}` });
  const write = await api.request({
    method: 'PUT',
    url: `/api/v1/indicators/${fixture.indicator.id}/data-points`,
    payload: { points: [{ period: '2019', value: 3 }] },
  });
  const elapsed = performance.now() - started;
  t.equal(read.status, 200, 'another initiative is answered');
  t.equal(write.status, 200, 'the uploading indicator itself is not locked by the pending upload');
  t.ok(elapsed < 2_000, `answered in ${Math.round(elapsed)} ms during the upload`);
  const answer = statusOf(socket);
  socket.write(body.subarray(1024));
  t.equal(await answer, 422, 'the upload, once complete, is imported (here: its repeated rows are refused)');
  socket.destroy();
});

t.test('a gzip import whose client leaves while waiting for the lock crashes nothing and writes nothing', async (t) => {
  const indicator = await addIndicator(api, fixture.result.id, { frequency: 'monthly' });
  const body = gzipSync(csvOf(100, 7));
  // Somebody else holds the indicator's lock (on PGlite, also its only connection).
  const holder = await api.db.startTransaction().execute();
  await sql`select id from indicators where id = ${indicator.id} for update`.execute(holder);
  const socket = await startImport(indicator.id, body.length, true);
  socket.end(body);
  await sleep(300); // received, spooled, waiting
  socket.destroy();
  await sleep(200);
  await holder.commit().execute();
  const write = await writeWithin(indicator.id, 5_000);
  t.ok(write.ok, `the indicator is writable at once (${write.status} in ${Math.round(write.ms)} ms)`);
  t.same(
    (await allPoints(api, indicator.id)).map((p) => p.period),
    ['1999-01'],
    'the abandoned import wrote nothing',
  );
});

t.test('an oversized upload is a 413 answered on the open connection', async (t) => {
  const small = await buildTestApp(t, { maxImportBytes: 10_000 });
  await small.app.listen({ port: 0, host: '127.0.0.1' });
  const { indicator } = await createFixture(small);
  const socket = net.connect((small.app.server.address() as net.AddressInfo).port, '127.0.0.1');
  socket.on('error', () => undefined);
  await new Promise((resolve) => socket.once('connect', resolve));
  const body = Buffer.from('period,value\n' + '2020,1\n'.repeat(5_000));
  socket.write(
    `POST /api/v1/indicators/${indicator.id}/data-points/import HTTP/1.1\r\nHost: x\r\n` +
      `Authorization: Bearer ${TEST_ADMIN_TOKEN}\r\nContent-Type: text/csv\r\nContent-Length: ${body.length}\r\n\r\n`,
  );
  const answer = statusOf(socket);
  socket.write(body);
  t.equal(await answer, 413);
  socket.destroy();
});

t.test(
  'fuzz: clients leaving at random points leave the indicator unlocked and the import all or nothing',
  async (t) => {
    const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 100_000);
    t.comment(`FUZZ_SEED=${seed}`);
    let state = seed;
    const random = () => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    const ROWS = 200;
    for (let round = 0; round < 30; round++) {
      const indicator = await addIndicator(api, fixture.result.id, { frequency: 'monthly' });
      const gzip = random() < 0.5;
      const body = gzip ? gzipSync(csvOf(ROWS, round)) : Buffer.from(csvOf(ROWS, round));
      const cut = random() < 0.2 ? body.length : Math.floor(random() * body.length);
      const socket = await startImport(indicator.id, body.length, gzip);
      // The part sent arrives in a few pieces, then the client leaves after a moment.
      for (let sent = 0; sent < cut;) {
        const piece = Math.min(cut - sent, 1 + Math.floor(random() * 2048));
        socket.write(body.subarray(sent, sent + piece));
        sent += piece;
        if (random() < 0.3) await sleep(1);
      }
      await sleep(Math.floor(random() * 20));
      socket.destroy();
      const write = await writeWithin(indicator.id, 5_000);
      t.ok(
        write.ok,
        `round ${round} (cut ${cut}/${body.length}, gzip ${gzip}): writable, ${write.status} in ${Math.round(write.ms)} ms`,
      );
      const imported = (await allPoints(api, indicator.id)).filter((p) => p.period !== '1999-01');
      t.ok(
        imported.length === 0 ||
          (imported.length === ROWS && cut === body.length && imported.every((p) => p.value === round)),
        `round ${round}: all or nothing (${imported.length} points)`,
      );
    }
    // Still serving: nothing crashed.
    t.equal((await api.request({ method: 'GET', url: '/healthz', as: null })).status, 200);
  },
);
