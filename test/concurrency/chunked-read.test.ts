/**
 * Chunked reads (server/repositories/chunked-read.ts): every row once, in order, whatever the chunk size; the
 * chunks of one read see one snapshot (rows written meanwhile are not half seen); the loop turns between
 * chunks; a caller's transaction is used as it is.
 */
import {
  sql,
  type Kysely,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import t from '../helpers/tap.ts';
import type { Database } from '../../schema/database.ts';
import { readInChunks } from '../../server/repositories/chunked-read.ts';
import { openTestDatabase } from '../helpers/test-app.ts';

const { db, kind } = await openTestDatabase(t);
await sql`create table chunk_probe (n integer primary key)`.execute(db);
await sql`insert into chunk_probe select generate_series(1, 10)`.execute(db);

const probe = (db: Kysely<Database>) => (db as Kysely<any>).selectFrom('chunkProbe').select('n').orderBy('n');
const ns = (rows: Array<{ n: number }>) => rows.map((r) => r.n);
const oneToTen = Array.from({ length: 10 }, (_, i) => i + 1);

/** Calls `onFetch` after each `fetch` of a cursor has answered. */
function afterEachFetch(onFetch: (rows: number) => Promise<void> | void): KyselyPlugin {
  const fetches = new WeakSet<object>();
  return {
    transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
      if (node.kind === 'RawNode' && node.sqlFragments[0]?.trimStart().startsWith('fetch')) fetches.add(queryId);
      return node;
    },
    async transformResult({ result, queryId }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      if (fetches.has(queryId)) await onFetch(result.rows.length);
      return result;
    },
  };
}

t.test('every row once, in order, for any chunk size', async (t) => {
  for (const size of [1, 3, 5, 9, 10, 11, 2_000])
    t.same(ns(await readInChunks(db, probe(db), size)), oneToTen, `${size}`);
});

t.test('the chunks of one read see one snapshot', async (t) => {
  const writes: Array<Promise<unknown>> = [];
  const watched = db.withPlugin(
    afterEachFetch(async () => {
      if (writes.length > 0) return;
      // After the first chunk, another connection adds a row at either end.
      const writer = sql`insert into chunk_probe values (0), (11)`.execute(db);
      writes.push(writer);
      // On PostgreSQL it commits now; PGlite's one connection runs it after the read's transaction.
      if (kind === 'postgres') await writer;
    }),
  );
  t.same(ns(await readInChunks(watched, probe(watched), 3)), oneToTen, 'neither new row is read');
  t.equal(writes.length, 1, 'written between two chunks');
  await Promise.all(writes);
  t.same(ns(await readInChunks(db, probe(db), 3)), [0, ...oneToTen, 11], 'a later read sees both');
  await sql`delete from chunk_probe where n in (0, 11)`.execute(db);
});

t.test('the loop turns between chunks', async (t) => {
  // An immediate queued as a chunk arrives has run before the next chunk is asked for.
  let queued = 0;
  let ran = 0;
  const chunks = new WeakSet<object>();
  const watched = db.withPlugin({
    transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
      const fetch = node.kind === 'RawNode' && node.sqlFragments[0]?.trimStart().startsWith('fetch');
      if (fetch) t.equal(ran, queued, `before fetch ${queued}: the loop turned`);
      if (fetch || node.kind === 'SelectQueryNode') chunks.add(queryId);
      return node;
    },
    async transformResult({ result, queryId }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      if (chunks.has(queryId)) {
        queued++;
        setImmediate(() => ran++);
      }
      return result;
    },
  });
  t.same(ns(await readInChunks(watched, probe(watched), 2)), oneToTen);
  t.equal(queued, 7, 'the first chunk alone, then six fetches');
});

t.test("a caller's transaction is used as it is", async (t) => {
  const rows = await db.transaction().execute(async (trx) => {
    await sql`insert into chunk_probe values (12)`.execute(trx);
    return readInChunks(trx, probe(trx), 4);
  });
  t.same(ns(rows), [...oneToTen, 12], 'its own write is seen');
});
