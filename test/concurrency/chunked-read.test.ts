/**
 * Chunked reads (server/repositories/chunked-read.ts): every row once, in order, whatever the chunk size; a
 * read of several chunks sees one snapshot (rows written meanwhile are not half seen); a caller's transaction
 * is used as it is.
 */
import { sql, type Kysely } from 'kysely';
import t from 'tap';
import type { Database } from '../../schema/database.ts';
import { readInChunks } from '../../server/repositories/chunked-read.ts';
import { openTestDatabase } from '../helpers/test-app.ts';

const { db, kind } = await openTestDatabase(t);
await sql`create table chunk_probe (n integer primary key)`.execute(db);
await sql`insert into chunk_probe select generate_series(1, 10)`.execute(db);

const page = async (db: Kysely<Database>, after: { n: number } | null, limit: number) =>
  (
    await sql<{
      n: number;
    }>`select n from chunk_probe where n > ${after?.n ?? -1} order by n limit ${limit}`.execute(db)
  ).rows;
const ns = (rows: Array<{ n: number }>) => rows.map((r) => r.n);
const oneToTen = Array.from({ length: 10 }, (_, i) => i + 1);

t.test('every row once, in order, for any chunk size', async (t) => {
  for (const size of [1, 3, 5, 9, 10, 11, 4_000]) t.same(ns(await readInChunks(db, page, size)), oneToTen, `${size}`);
});

t.test('the chunks of one read see one snapshot', async (t) => {
  const writes: Array<Promise<unknown>> = [];
  const rows = await readInChunks(
    db,
    async (reader, after: { n: number } | null, limit) => {
      const chunk = await page(reader, after, limit);
      // Between two chunks of the transaction, another connection adds a row at either end.
      if (reader.isTransaction && after !== null && writes.length === 0) {
        const writer = sql`insert into chunk_probe values (0), (11)`.execute(db);
        writes.push(writer);
        // On PostgreSQL it commits now; PGlite's one connection runs it after the read's transaction.
        if (kind === 'postgres') await writer;
      }
      return chunk;
    },
    3,
  );
  t.same(ns(rows), oneToTen, 'neither new row is read');
  await Promise.all(writes);
  t.same(ns(await readInChunks(db, page, 3)), [0, ...oneToTen, 11], 'a later read sees both');
  await sql`delete from chunk_probe where n in (0, 11)`.execute(db);
});

t.test('the loop turns between chunks', async (t) => {
  // An immediate queued while a chunk is read has run before the next chunk is asked for.
  let queued = 0;
  let ran = 0;
  await readInChunks(
    db,
    async (reader, after: { n: number } | null, limit) => {
      t.equal(ran, queued, `before chunk ${queued + 1}: the loop turned`);
      queued++;
      setImmediate(() => ran++);
      return page(reader, after, limit);
    },
    2,
  );
  t.ok(queued >= 6, `${queued} chunks`);
});

t.test("a caller's transaction is used as it is", async (t) => {
  const rows = await db.transaction().execute(async (trx) => {
    await sql`insert into chunk_probe values (12)`.execute(trx);
    return readInChunks(trx, page, 4);
  });
  t.same(ns(rows), [...oneToTen, 12], 'its own write is seen');
});
