import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NO_MIGRATIONS, sql, type Kysely } from 'kysely';
import type { Test } from 'tap';
import t from '../helpers/tap.ts';
import type { Database } from '../../schema/database.ts';
import { migrations } from '../../schema/migrations/index.ts';
import { buildApp } from '../../server/app.ts';
import { currentSchema, migrateToLatest, migrator } from '../../server/database.ts';
import { openTestDatabase, TEST_ADMIN_TOKEN } from '../helpers/test-app.ts';

/** The tables of the shared-result tree; later migrations may add more. */
const TREE_TABLES = ['data_points', 'indicators', 'initiatives', 'outcomes', 'partners', 'results'];

const { db } = await openTestDatabase(t, { migrate: false });
const schema = await currentSchema(db);

/** The application's tables in this test's schema (Kysely's own bookkeeping tables left out). */
async function tables(db: Kysely<Database>): Promise<string[]> {
  const all = await db.introspection.getTables({ withInternalKyselyTables: false });
  return all
    .filter((table) => table.schema === schema)
    .map((table) => table.name)
    .sort();
}

/** Creates an initiative → result → indicator → data point through the API, and reads it back. */
async function usable(t: Test, db: Kysely<Database>) {
  const app = await buildApp({
    config: { bodyLimitBytes: 1_048_576, logLevel: 'silent', adminToken: TEST_ADMIN_TOKEN },
    db,
    logger: false,
  });
  try {
    const inject = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => {
      const headers = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
      const res = await app.inject({ method, url: `/api/v1${url}`, headers, ...(payload && { payload }) });
      return { status: res.statusCode, body: JSON.parse(res.body) };
    };
    const initiatives = await inject('GET', '/initiatives');
    t.same(initiatives.body.items, [], 'starts empty');
    const initiative = await inject('POST', '/initiatives', { name: 'Migrated' });
    t.equal(initiative.status, 201);
    const result = await inject('POST', `/initiatives/${initiative.body.id}/results`, { statement: 'S' });
    const outcome = await inject('POST', `/results/${result.body.id}/outcomes`, { title: 'O' });
    const indicator = await inject('POST', `/results/${result.body.id}/indicators`, {
      name: 'I',
      unit: 'count',
      polarity: 'higher_is_better',
      frequency: 'annual',
      outcomeId: outcome.body.id,
      dimensions: [{ name: 'age_group', values: ['16_24'] }],
    });
    t.equal(indicator.status, 201);
    const put = await inject('PUT', `/indicators/${indicator.body.id}/data-points`, {
      points: [
        { period: '2024', value: 1.5 },
        { period: '2024', value: 2.5, disaggregation: { age_group: '16_24' } },
      ],
    });
    t.equal(put.status, 200);
    const tree = await inject('GET', `/results/${result.body.id}/tree`);
    t.equal(tree.body.outcomes[0].indicators[0].id, indicator.body.id);
    const points = await inject('GET', `/indicators/${indicator.body.id}/data-points?slice=all`);
    const read = points.body.items.map((p: { value: number; disaggregation: object }) => [p.value, p.disaggregation]);
    t.same(
      read.sort((a: [number], b: [number]) => a[0] - b[0]),
      [
        [1.5, {}],
        [2.5, { age_group: '16_24' }],
      ],
    );
  } finally {
    await app.close();
  }
}

t.test('every migration file is registered, in order', async (t) => {
  const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../schema/migrations');
  const files = (await fs.readdir(dir))
    .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
    .map((f) => f.replace(/\.ts$/, ''))
    .sort();
  t.same(Object.keys(migrations), files, 'index.ts lists every file, sorted');
  for (const [name, migration] of Object.entries(migrations)) {
    t.type(migration.up, 'function', `${name} has up`);
    t.type(migration.down, 'function', `${name} has down (it can be rolled back)`);
  }
});

t.test('up to latest, down to zero, up again', async (t) => {
  t.same(await tables(db), [], 'a fresh schema has no tables');

  const up = await migrateToLatest(db);
  t.same(
    up.results?.map((r) => [r.migrationName, r.direction, r.status]),
    Object.keys(migrations).map((name) => [name, 'Up', 'Success']),
  );
  const latest = await tables(db);
  for (const table of TREE_TABLES) t.ok(latest.includes(table), `${table} exists`);
  const again = await migrateToLatest(db);
  t.same(again.results, [], 'migrating again is a no-op');
  await usable(t, db);

  // Down one migration at a time until none is left.
  let steps = 0;
  for (;;) {
    const down = await migrator(db, schema).migrateDown();
    t.equal(down.error, undefined);
    if (!down.results || down.results.length === 0) break;
    t.same(
      down.results.map((r) => [r.direction, r.status]),
      [['Down', 'Success']],
    );
    steps++;
    t.ok(steps <= Object.keys(migrations).length, 'no more steps than migrations');
  }
  t.equal(steps, Object.keys(migrations).length);
  t.same(await tables(db), [], 'every table of the application is gone');

  await migrateToLatest(db);
  t.same(await tables(db), latest, 'the same tables again');
  await usable(t, db);

  const toZero = await migrator(db, schema).migrateTo(NO_MIGRATIONS);
  t.equal(toZero.error, undefined);
  t.same(
    toZero.results?.map((r) => r.status),
    Object.keys(migrations).map(() => 'Success'),
  );
  t.same(await tables(db), [], 'migrateTo(NO_MIGRATIONS) drops everything too');

  await migrateToLatest(db);
  await usable(t, db);
});

t.test('2026120601-memberships: each person keeps their one role as a membership, and back', async (t) => {
  await migrator(db, schema).migrateTo(NO_MIGRATIONS);
  await migrator(db, schema).migrateTo('2026120501-publication');
  const initiative = '00000000-0000-7000-8000-000000000001';
  const partner = '00000000-0000-7000-8000-000000000002';
  await sql`insert into initiatives (id, name, slug) values (${initiative}, 'I', 'i')`.execute(db);
  await sql`insert into partners (id, initiative_id, name, sector) values (${partner}, ${initiative}, 'P', 'public')`.execute(
    db,
  );
  const person = (n: number) => `00000000-0000-7000-8000-00000000010${n}`;
  await sql`
    insert into people (id, email, display_name, password_hash, role, initiative_id, partner_id) values
      (${person(1)}, 'admin@example.org', 'A', 'x', 'admin', null, null),
      (${person(2)}, 'editor@example.org', 'E', 'x', 'editor', ${initiative}, null),
      (${person(3)}, 'contributor@example.org', 'C', 'x', 'contributor', ${initiative}, ${partner})`.execute(db);
  await migrateToLatest(db);
  const memberships = await sql<{ personId: string; role: string; partnerId: string | null }>`
    select person_id, role, partner_id from memberships order by person_id`.execute(db);
  t.same(memberships.rows, [
    { personId: person(2), role: 'editor', partnerId: null },
    { personId: person(3), role: 'contributor', partnerId: partner },
  ]);
  const admins = await sql<{ id: string }>`select id from people where admin`.execute(db);
  t.same(
    admins.rows.map((r) => r.id),
    [person(1)],
    'the administrator keeps the flag',
  );
  await migrator(db, schema).migrateTo('2026120501-publication');
  const back = await sql<{ id: string; role: string; partnerId: string | null }>`
    select id, role, partner_id from people order by id`.execute(db);
  t.same(back.rows, [
    { id: person(1), role: 'admin', partnerId: null },
    { id: person(2), role: 'editor', partnerId: null },
    { id: person(3), role: 'contributor', partnerId: partner },
  ]);
  await migrator(db, schema).migrateTo(NO_MIGRATIONS);
  await migrateToLatest(db);
});
