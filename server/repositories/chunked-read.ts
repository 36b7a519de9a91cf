/**
 * Large reads in bounded chunks. PGlite runs in this thread and answers a query in one synchronous step
 * (execution and the parsing of every row: ~25 µs a row), so one query of an indicator's 25,000 points
 * stopped the event loop for ~0.7 s; with PostgreSQL, `pg` parses a large result in one go too. A chunked
 * read asks for `CHUNK_ROWS` rows at a time in a unique order (keyset pagination) and lets the loop turn
 * between chunks.
 *
 * Consistency: a read that fits in one chunk is one statement, as before. A larger one is read again from the
 * start inside one repeatable-read transaction, so that all its chunks see one snapshot (a batch written
 * between two chunks is never half seen).
 */
import { setImmediate as loopTurn } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { Database } from '../../schema/database.ts';

/** Rows per query: ~0.1 s of the loop at most on PGlite on a slow machine. */
export const CHUNK_ROWS = 4_000;

/**
 * Every row of a keyset-paginated read: `page(db, after, limit)` answers up to `limit` rows ordered by a
 * unique key, starting after the row `after` (null: from the first).
 */
export async function readInChunks<Key, Row extends Key>(
  db: Kysely<Database>,
  page: (db: Kysely<Database>, after: Key | null, limit: number) => Promise<Row[]>,
  chunkRows = CHUNK_ROWS,
): Promise<Row[]> {
  const first = await page(db, null, chunkRows);
  if (first.length < chunkRows) return first;
  await loopTurn();
  const rest = async (trx: Kysely<Database>, rows: Row[]): Promise<Row[]> => {
    for (;;) {
      const chunk = await page(trx, rows.length === 0 ? null : rows[rows.length - 1]!, chunkRows);
      for (const row of chunk) rows.push(row);
      if (chunk.length < chunkRows) return rows;
      await loopTurn();
    }
  };
  // A caller's transaction (a writer holding the indicator's lock) goes on from the first chunk.
  if (db.isTransaction) return rest(db, first);
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute((trx) => rest(trx, []));
}
