/**
 * The floor under a CSV import (issue 17, item 1): how fast can PostgreSQL write the final `data_points` rows
 * of an import, with no parsing, no checks and no staging by the app, against `psql \copy` of the same file
 * into `ref (period text, grp text, value float8, unique (grp, period))` — the reference. If writing the
 * rows alone is already below 0.5 × the reference's rows/s, no import that writes this table can meet the
 * issue's target.
 *
 * 1. A fresh schema `bench_floor_<random>`, migrated by the app's own code (`openDatabase` + `migrateToLatest`).
 *    Every connection has `search_path` set to it (the change-feed trigger calls `nextval('rba_change_seq')`
 *    unqualified).
 * 2. One initiative, result and daily indicator, inserted by SQL (the fewest columns the tables take).
 * 3. Staged in an unlogged table: 500 groups × (rows / 500) days from 2000-01-01, value `random() * 100`,
 *    ordered group by group and day by day (as import.bench.ts writes its file). From it, by `COPY … TO
 *    STDOUT` into a temporary folder: the import's file `period,group,value`, and a file of complete
 *    `data_points` rows (a `gen_random_uuid()` id, version 1, the initiative and indicator, period and its index,
 *    disaggregation and its key, value, `recorded_by` 'import', `recorded_how` 'csv'; the rest defaults).
 * 4. Timed, on one connection, each after `truncate` and `checkpoint`; the files streamed by COPY FROM STDIN
 *    (pg-copy-streams: what `psql \copy` does):
 *    (a) the reference: the import's file into `ref`;
 *    (b) `insert … select` from the staged table into `data_points` as migrated (primary key, foreign key to
 *        the indicator, the unique current-point index, the by-period and by-validity indexes);
 *    (c) COPY of the complete rows into `data_points` as migrated;
 *    then the schema's own `data_points` weakened step by step (the schema is dropped at the end), each
 *    measured by the same `insert … select` as (b):
 *    (d) without the foreign key;
 *    (e) also without the two secondary indexes `data_points_current_by_period` and `data_points_by_validity`;
 *    (f) also without the unique current-point index `data_points_current_key`: the primary key only (the
 *        check constraints and the statement-level change-feed trigger stay);
 *    (a′) the reference again (the machine is shared: both are printed, their mean rows/s is the reference).
 * 5. A table of seconds, rows/s and ratio to the reference for each, the table's size on disk after each,
 *    and the ceiling: the best ratio an import that writes the real table could reach, max((b), (c)), against
 *    the target 0.5. The schema and the files are dropped at the end, also on failure.
 *
 * `npm run bench:import-floor` (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test;
 * BENCH_IMPORT_ROWS, a multiple of 500, default 1,000,000).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { migrateToLatest, openDatabase } from '../server/database.ts';
import type { BenchFigure } from './timing.ts';

const GROUPS = 500;
const TARGET = 0.5;

export interface ImportFloorOptions {
  url: string;
  rows?: number;
}

export interface ImportFloorResult {
  figures: BenchFigure[];
  /** The best ratio to the reference of a write into the real table: max((b), (c)). */
  ceiling: number;
}

interface Variant {
  label: string;
  ms: number;
  bytes: number;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const perSecond = (rows: number, ms: number) => rows / (ms / 1000);
const thousands = (n: number) => Math.round(n).toLocaleString('en-US');
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

export async function benchImportFloor(options: ImportFloorOptions): Promise<ImportFloorResult> {
  const rows = options.rows ?? 1_000_000;
  if (!Number.isInteger(rows) || rows <= 0 || rows % GROUPS !== 0)
    throw new Error(`the rows must be a positive multiple of ${GROUPS}, not ${rows}`);
  const days = rows / GROUPS;
  const schema = `bench_floor_${randomBytes(4).toString('hex')}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rba-import-floor-'));
  const csvFile = path.join(dir, 'points.csv');
  const fullFile = path.join(dir, 'data-points.csv');
  const admin = new pg.Client({ connectionString: options.url });
  await admin.connect();
  let client: pg.Client | null = null;
  try {
    // 1. The schema, by the app's migrations.
    const opened = await openDatabase({ kind: 'postgres', url: options.url }, { searchPath: schema });
    try {
      await migrateToLatest(opened.db);
    } finally {
      await opened.close();
    }
    client = new pg.Client({ connectionString: options.url, options: `-c search_path=${schema}` });
    await client.connect();
    const c = client;

    // 2. The indicator the rows belong to.
    const initiativeId = randomUUID();
    const resultId = randomUUID();
    const indicatorId = randomUUID();
    await c.query('insert into initiatives (id, slug, name) values ($1, $2, $3)', [
      initiativeId,
      schema.replaceAll('_', '-'),
      `Import floor ${schema}`,
    ]);
    await c.query('insert into results (id, initiative_id, statement) values ($1, $2, $3)', [
      resultId,
      initiativeId,
      'Bench',
    ]);
    await c.query(
      `insert into indicators (id, initiative_id, result_id, name, unit, polarity, frequency)
       values ($1, $2, $3, 'Daily counts', 'count', 'higher_is_better', 'daily')`,
      [indicatorId, initiativeId, resultId],
    );

    // 3. The staged rows and the two files.
    await c.query(
      `create unlogged table staged as
       select (date '2000-01-01' + d)::text as period, d as period_index,
              jsonb_build_object('group', 'g' || g)::text as key, random() * 100 as value
       from generate_series(0, ${days - 1}) d, generate_series(1, ${GROUPS}) g
       order by g, d`,
    );
    await c.query('analyze staged');
    const ids = `'${initiativeId}'::uuid, '${indicatorId}'::uuid`;
    const fullColumns =
      'id, version, initiative_id, indicator_id, period, period_index, disaggregation, disaggregation_key, value, recorded_by, recorded_how';
    const fullSelect = `select gen_random_uuid(), 1, ${ids}, period, period_index, key::jsonb, key, value, 'import', 'csv' from staged`;
    await pipeline(
      c.query(
        copyTo(
          `copy (select period, key::jsonb ->> 'group' as "group", value from staged) to stdout with (format csv, header true)`,
        ),
      ),
      fs.createWriteStream(csvFile),
    );
    await pipeline(c.query(copyTo(`copy (${fullSelect}) to stdout with (format csv)`)), fs.createWriteStream(fullFile));
    console.log(
      `import floor: ${thousands(rows)} rows (${GROUPS} groups × ${thousands(days)} days), schema ${schema}; ` +
        `file period,group,value ${mb(fs.statSync(csvFile).size)}, complete data_points rows ${mb(fs.statSync(fullFile).size)}`,
    );
    await c.query(
      'create table ref (period text not null, grp text not null, value double precision not null, unique (grp, period))',
    );

    // 4. The measurements.
    const count = async (table: string) => {
      const { rows: found } = await c.query<{ n: string }>(`select count(*) as n from ${table}`);
      if (Number(found[0]!.n) !== rows) throw new Error(`${table} holds ${found[0]!.n} rows, not ${rows}`);
    };
    const size = async (table: string) => {
      const { rows: found } = await c.query<{ bytes: string }>('select pg_total_relation_size($1) as bytes', [table]);
      return Number(found[0]!.bytes);
    };
    const measure = async (label: string, table: string, write: () => Promise<unknown>): Promise<Variant> => {
      await c.query(`truncate ${table}`);
      await c.query('checkpoint');
      const start = performance.now();
      await write();
      const ms = performance.now() - start;
      await count(table);
      const bytes = await size(table);
      console.log(`  ${label}: ${seconds(ms)} (${thousands(perSecond(rows, ms))} rows/s, ${mb(bytes)})`);
      return { label, ms, bytes };
    };
    const copyFile = (file: string, target: string, format: string) => () =>
      pipeline(
        fs.createReadStream(file, { highWaterMark: 256 * 1024 }),
        c.query(copyFrom(`copy ${target} from stdin with (${format})`)),
      );
    const reference = () =>
      measure(
        '(a) reference: COPY of the file into ref',
        'ref',
        copyFile(csvFile, 'ref (period, grp, value)', 'format csv, header true'),
      );
    const insertSelect = (label: string) =>
      measure(label, 'data_points', () => c.query(`insert into data_points (${fullColumns}) ${fullSelect}`));

    const first = await reference();
    const b = await insertSelect('(b) insert … select into data_points as migrated');
    const cc = await measure(
      '(c) COPY of complete rows into data_points as migrated',
      'data_points',
      copyFile(fullFile, `data_points (${fullColumns})`, 'format csv'),
    );
    await c.query('alter table data_points drop constraint data_points_initiative_id_indicator_id_fkey');
    const d = await insertSelect('(d) insert … select, no foreign key');
    await c.query('drop index data_points_current_by_period, data_points_by_validity');
    const e = await insertSelect('(e) insert … select, no foreign key nor by-period and by-validity indexes');
    await c.query('drop index data_points_current_key');
    const f = await insertSelect('(f) insert … select, primary key only');
    const last = await reference();

    // 5. The table.
    const refRate = (perSecond(rows, first.ms) + perSecond(rows, last.ms)) / 2;
    const ratioOf = (v: Variant) => perSecond(rows, v.ms) / refRate;
    const lines: [Variant, string][] = [
      [first, '(a) reference COPY into ref, first'],
      [b, '(b) insert … select into data_points (PK, FK, 3 indexes)'],
      [cc, '(c) COPY complete rows into data_points (PK, FK, 3 indexes)'],
      [d, '(d) insert … select, no FK'],
      [e, '(e) insert … select, no FK, no by-period/by-validity'],
      [f, '(f) insert … select, primary key only'],
      [last, '(a) reference COPY into ref, again'],
    ];
    const width = Math.max(...lines.map(([, name]) => name.length));
    console.log(
      `\n${'variant'.padEnd(width)}  ${'seconds'.padStart(7)}  ${'rows/s'.padStart(9)}  ${'ratio'.padStart(5)}  ${'size'.padStart(7)}`,
    );
    for (const [v, name] of lines)
      console.log(
        `${name.padEnd(width)}  ${(v.ms / 1000).toFixed(2).padStart(7)}  ${thousands(perSecond(rows, v.ms)).padStart(9)}  ` +
          `${ratioOf(v).toFixed(2).padStart(5)}  ${mb(v.bytes).padStart(7)}`,
      );
    console.log(`reference: mean of the two runs ${thousands(refRate)} rows/s; ratio = rows/s ÷ that`);
    const ceiling = Math.max(ratioOf(b), ratioOf(cc));
    const met = ceiling >= TARGET;
    console.log(
      `ceiling: an import that writes the real data_points table can reach at best ${ceiling.toFixed(2)} × the reference ` +
        `(max of (b) ${ratioOf(b).toFixed(2)} and (c) ${ratioOf(cc).toFixed(2)}); target ≥ ${TARGET.toFixed(2)}: ` +
        (met ? 'within reach' : 'cannot be met by any import that writes this table'),
    );

    const figure = (name: string, v: Variant, verdict: BenchFigure['verdict'], target = '—'): BenchFigure => ({
      name,
      value: `${thousands(perSecond(rows, v.ms))} rows/s`,
      target,
      reference: `COPY into ref ${thousands(refRate)} rows/s`,
      ratio: ratioOf(v).toFixed(2),
      verdict,
    });
    return {
      ceiling,
      figures: [
        figure('Import floor: insert … select into data_points', b, 'info'),
        figure('Import floor: COPY of complete rows into data_points', cc, 'info'),
        {
          name: 'Import floor: ceiling for an import into data_points',
          value: `${ceiling.toFixed(2)} × COPY`,
          target: `≥ ${TARGET} × COPY`,
          reference: `COPY into ref ${thousands(refRate)} rows/s`,
          ratio: ceiling.toFixed(2),
          verdict: met ? 'MET' : 'MISSED',
        },
        figure('Import floor: no foreign key', d, 'info'),
        figure('Import floor: no foreign key, no by-period/by-validity indexes', e, 'info'),
        figure('Import floor: primary key only', f, 'info'),
      ],
    };
  } finally {
    if (client) await client.end().catch(() => undefined);
    await admin.query(`drop schema if exists "${schema}" cascade`).catch(() => undefined);
    await admin.end();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const rows = process.env.BENCH_IMPORT_ROWS ? Number(process.env.BENCH_IMPORT_ROWS) : undefined;
  benchImportFloor({ url, ...(rows !== undefined && { rows }) }).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
