/**
 * In a shard the test files take turns with one embedded database (test/helpers/test-app.ts, docs/testing.md):
 * the next file must find it as a fresh one would be — empty, without the tables a test made, identities and
 * sequences restarted, no transaction or session setting left behind. Two "files" in a row, as a shard runs
 * them.
 */
import { sql } from 'kysely';
import type { Test } from 'tap';
import { openTestDatabase, testDatabaseKind } from './helpers/test-app.ts';
import t from './helpers/tap.ts';
import { endShard, enterTestFile, inShard, leaveTestFile } from './helpers/tap.ts';

type Db = Awaited<ReturnType<typeof openTestDatabase>>['db'];

/** Each table of this schema (Kysely's own records aside) with its number of rows. */
async function rowCounts(db: Db): Promise<Array<{ name: string; rows: number }>> {
  const { rows: tables } = await sql<{ name: string }>`
    select relname as name from pg_stat_user_tables
     where schemaname = current_schema() and relname not like 'kysely\_%' order by relname`.execute(db);
  const counts = [];
  for (const { name } of tables) {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(name)}`.execute(db);
    counts.push({ name, rows: rows[0]!.n });
  }
  return counts;
}

t.test('the next file in a shard finds the shared database as a fresh one', async (t) => {
  if (testDatabaseKind !== 'pglite') {
    t.pass('PostgreSQL: a schema of its own per database, nothing shared');
    return;
  }
  // Alone, this file plays the shard too: it closes the shared database the shard would close at its end.
  if (!inShard()) t.teardown(endShard);
  const asAFile = async (name: string, body: (t: Test) => Promise<void>) => {
    const outer = inShard();
    await t.test(name, async (file) => {
      enterTestFile(file);
      await body(file);
    });
    // Alone this file ran as tap's root; in a shard, as its own subtest: give `t` back to whichever it was.
    if (!outer) leaveTestFile();
    else enterTestFile(t);
  };

  let fresh: Array<{ name: string; rows: number }> = [];
  let tables: string[] = [];
  await asAFile('a first file writes, makes a table, and leaves a transaction and a setting behind', async (t) => {
    const { db } = await openTestDatabase(t);
    fresh = await rowCounts(db);
    tables = fresh.map((row) => row.name);
    t.ok(
      fresh.every((row) => row.rows === 0),
      'it starts empty',
    );
    await sql`insert into initiatives (id, slug, name) values (gen_random_uuid(), 'left-behind', 'Left behind')`.execute(
      db,
    );
    await sql`select nextval('rba_change_seq')`.execute(db);
    await sql`create table made_by_a_test (n integer)`.execute(db);
    await sql`set statement_timeout = '1234ms'`.execute(db);
    t.equal((await rowCounts(db)).find((row) => row.name === 'initiatives')?.rows, 1, 'one initiative written');
    // PGlite has one session: a transaction begun on it stays open when the file's pool closes.
    await sql`begin`.execute(db);
    await sql`insert into initiatives (id, slug, name) values (gen_random_uuid(), 'in-flight', 'In flight')`.execute(
      db,
    );
  });

  await asAFile('the next file', async (t) => {
    const { db } = await openTestDatabase(t);
    const now = await rowCounts(db);
    t.same(
      now.map((row) => row.name),
      tables,
      "the migrations' tables, not the one a test made",
    );
    t.ok(
      now.every((row) => row.rows === 0),
      'every table empty',
    );
    const { rows } = await sql<{ n: string }>`select nextval('rba_change_seq')::text as n`.execute(db);
    t.equal(rows[0]!.n, '1', 'the change sequence restarted');
    const setting = await sql<{ timeout: string }>`select current_setting('statement_timeout') as timeout`.execute(db);
    t.equal(setting.rows[0]!.timeout, '0', 'session settings reset');
  });
});
