/**
 * Large reads in bounded chunks. PGlite runs in this thread and answers a query in one synchronous step
 * (execution and the parsing of every row: ~25–40 µs a data point), so one query of an indicator's 25,000
 * points stopped the event loop for ~0.7–1 s; with PostgreSQL, `pg` parses a large result in one go too.
 *
 * A read that fits in one chunk is one statement, as before. A larger one is read again through a cursor
 * (`declare … cursor`, `fetch n`): the query runs once (one scan and sort, however many chunks), all chunks
 * see one snapshot (a batch written meanwhile is never half seen), and the loop turns between chunks.
 */
import { setImmediate as loopTurn } from 'node:timers/promises';
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { Database } from '../../schema/database.ts';

/** Rows per chunk: ~50 ms of the loop on PGlite on a quiet 2-core machine, ~150 ms on a loaded one. */
export const CHUNK_ROWS = 2_000;

let cursors = 0;

/**
 * Every row of `query` (ordered, without a limit of its own), read in chunks of `chunkRows`. In a caller's
 * transaction (`db` is one) the cursor lives in it; otherwise in a read-only transaction of its own.
 */
export async function readInChunks<Row>(
  db: Kysely<Database>,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any tables, any selection
  query: SelectQueryBuilder<Database, any, Row>,
  chunkRows = CHUNK_ROWS,
): Promise<Row[]> {
  if (!db.isTransaction) {
    const first = await query.limit(chunkRows).execute();
    if (first.length < chunkRows) return first;
    await loopTurn();
  }
  const all = async (trx: Kysely<Database>): Promise<Row[]> => {
    const cursor = sql.id(`chunked_read_${++cursors}`);
    await sql`declare ${cursor} no scroll cursor for ${query}`.execute(trx);
    const rows: Row[] = [];
    for (;;) {
      const chunk = await sql<Row>`fetch ${sql.lit(chunkRows)} from ${cursor}`.execute(trx);
      for (const row of chunk.rows) rows.push(row);
      if (chunk.rows.length < chunkRows) break;
      await loopTurn();
    }
    await sql`close ${cursor}`.execute(trx);
    return rows;
  };
  // Read only: with read replicas, the transaction of a public read may then run on one (database-replicas.ts).
  return db.isTransaction ? all(db) : db.transaction().setAccessMode('read only').execute(all);
}
