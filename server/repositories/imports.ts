/**
 * The SQL of CSV imports (the use case is services/csv-import.ts): one transaction held open while the file
 * streams in, the target's indicators locked in it, the rows staged (repositories/point-merge.ts), repeated
 * rows found over the staging table, and the record of each import in `imports`.
 */
import { sql, type ControlledTransaction, type Kysely, type Transaction } from 'kysely';
import type { ImportRecord } from '../../schema/contracts/imports.ts';
import type { Database, ImportRow } from '../../schema/database.ts';
import type { RowError } from '../domain/csv-rows.ts';
import type { StagedPoint } from '../domain/staged-point.ts';
import { NotFoundError } from '../errors.ts';
import { createStage, stagePoints, stagePointsCopy, type StageDefaults } from './point-merge.ts';

/** The transaction an import holds open while its file streams in. */
export type ImportTransaction = ControlledTransaction<Database>;

/**
 * Memory for each sort and hash of an import's statements (its transaction only): the duplicate check groups
 * every staged row and the merge joins them with the stored points, which at PostgreSQL's default (4 MB)
 * spill to disk from a few hundred thousand rows.
 */
const IMPORT_WORK_MEM = '64MB';

export async function beginImport(db: Kysely<Database>): Promise<ImportTransaction> {
  const trx = await db.startTransaction().execute();
  try {
    await sql`select set_config('work_mem', ${IMPORT_WORK_MEM}, true)`.execute(trx);
  } catch (error) {
    await trx.rollback().execute();
    throw error;
  }
  return trx;
}

export async function commitImport(trx: ImportTransaction): Promise<void> {
  await trx.commit().execute();
}

export async function rollbackImport(trx: ImportTransaction): Promise<void> {
  await trx.rollback().execute();
}

/** What an import reads of each indicator it may write to. */
export interface ImportIndicator {
  id: string;
  code: string | null;
  initiativeId: string;
  frequency: string;
  yearStartMonth: number;
  dimensions: Array<{ name: string; values: string[] }>;
  ownerPartnerId: string | null;
  /** Effective visibility (the indicator's, else its result's). */
  visibility: 'public' | 'private';
}

/**
 * Locks the target's indicators (an indicator, or every indicator of a result) in id order — deadlock-free —
 * for the rest of the transaction, and reads what row checks need. An unknown indicator is a NotFoundError.
 */
export async function lockImportIndicators(
  trx: Transaction<Database>,
  target: { kind: 'indicator' | 'result'; id: string },
): Promise<ImportIndicator[]> {
  const rows = await trx
    .selectFrom('indicators')
    .innerJoin('results', 'results.id', 'indicators.resultId')
    .select([
      'indicators.id',
      'indicators.code',
      'indicators.initiativeId',
      'indicators.frequency',
      'indicators.yearStartMonth',
      'indicators.dimensions',
      'indicators.ownerPartnerId',
      sql<string>`coalesce(indicators.visibility, results.visibility)`.as('effectiveVisibility'),
    ])
    .where(target.kind === 'indicator' ? 'indicators.id' : 'indicators.resultId', '=', target.id)
    .orderBy('indicators.id')
    .forUpdate(['indicators'])
    .execute();
  if (target.kind === 'indicator' && rows.length === 0) throw new NotFoundError('indicator', target.id);
  return rows.map(({ effectiveVisibility, ...row }) => ({
    ...row,
    visibility: effectiveVisibility === 'public' ? 'public' : 'private',
  }));
}

/** True when the partner owns at least one indicator of the result (who may start a result-level import). */
export async function partnerOwnsIndicatorOfResult(
  db: Kysely<Database>,
  resultId: string,
  partnerId: string,
): Promise<boolean> {
  const owned = await db
    .selectFrom('indicators')
    .select('id')
    .where('resultId', '=', resultId)
    .where('ownerPartnerId', '=', partnerId)
    .limit(1)
    .executeTakeFirst();
  return owned !== undefined;
}

const pgliteConnections = new WeakMap<object, boolean>();

/** PGlite's adapter cannot stream COPY; ask the server once per database. */
async function isPglite(db: Kysely<Database>, trx: Transaction<Database>): Promise<boolean> {
  let known = pgliteConnections.get(db);
  if (known === undefined) {
    const { rows } = await sql<{ version: string }>`select version() as version`.execute(trx);
    known = /pglite|wasm|emscripten/i.test(rows[0]!.version);
    pgliteConnections.set(db, known);
  }
  return known;
}

/**
 * Creates the merge's staging table and returns how to append to it: COPY on PostgreSQL, `unnest` inserts
 * on PGlite. `defaults`: the one indicator of an indicator-level import (its rows need not carry it).
 */
export async function openStage(
  db: Kysely<Database>,
  trx: Transaction<Database>,
  defaults?: StageDefaults,
): Promise<(points: readonly StagedPoint[]) => Promise<void>> {
  await createStage(trx, defaults);
  if (await isPglite(db, trx)) return (points) => stagePoints(trx, points);
  return (points) => stagePointsCopy(trx, points, defaults);
}

export interface RepeatedRows {
  /** The staged rows (ordinals) repeating one (indicator, period, disaggregation), the first 20 of each. */
  rows: number[];
  n: number;
}

/**
 * Rows repeating an (indicator, period, disaggregation) of an earlier row, found over the staging table: the
 * first `limit` groups, and how many repeats there are in all.
 */
export async function findRepeatedRows(
  trx: Transaction<Database>,
  limit: number,
): Promise<{ groups: RepeatedRows[]; extra: number }> {
  // Counting first finds the repeated points cheaply; only their rows are then gathered (an ordered array_agg
  // over every staged row sorted each of a million one-row groups: seconds for a file without repeats).
  const { rows } = await sql<RepeatedRows & { extra: number }>`
    select rows, n, sum(n - 1) over ()::int as extra
    from (
      select count(*)::int as n, (array_agg(s.ordinal order by s.ordinal))[1:20] as rows
      from point_stage s
      join (
        select indicator_id, disaggregation_key, period
        from point_stage group by indicator_id, disaggregation_key, period having count(*) > 1
      ) r using (indicator_id, disaggregation_key, period)
      group by s.indicator_id, s.disaggregation_key, s.period
    ) d
    order by rows[1]
    limit ${limit}`.execute(trx);
  return { groups: rows.map(({ rows, n }) => ({ rows, n })), extra: rows[0]?.extra ?? 0 };
}

/** Keeps the first of repeated rows (a dry run then plans the merge of what could be written). */
export async function dropRepeatedRows(trx: Transaction<Database>): Promise<void> {
  await sql`
    delete from point_stage s using point_stage t
    where s.indicator_id = t.indicator_id and s.disaggregation_key = t.disaggregation_key and s.period = t.period
      and s.ordinal > t.ordinal`.execute(trx);
}

/** Fresh statistics of the staging table before merging a large file. */
export async function analyzeStage(trx: Transaction<Database>): Promise<void> {
  await sql`analyze point_stage`.execute(trx);
}

/**
 * Fresh statistics of `data_points` after a bulk write: without them the planner looks the next merge's
 * points up by the wrong index (measured: 10 × slower re-import of 100,000 rows). ANALYZE samples, ~0.1 s.
 */
export async function analyzeDataPoints(db: Kysely<Database>): Promise<void> {
  await sql`analyze data_points`.execute(db);
}

/** What the record of a finished import says. */
export interface ImportOutcome {
  id: string;
  target: { kind: 'indicator' | 'result'; id: string; initiativeId: string };
  actor: string;
  startedAt: Date;
  dryRun: boolean;
  status: ImportRow['status'];
  format: ImportRow['format'];
  rowsRead: number;
  counts: { inserted: number; updated: number; unchanged: number };
  rejected: number;
  skipped: number;
  errorCount: number;
  /** The listed row errors (at most MAX_LISTED_ERRORS). */
  errors: RowError[];
  message: string | null;
}

/** Writes the record of an import (once, when it ends). */
export async function recordImport(
  db: Kysely<Database> | Transaction<Database>,
  outcome: ImportOutcome,
): Promise<void> {
  await db
    .insertInto('imports')
    .values({
      id: outcome.id,
      initiativeId: outcome.target.initiativeId,
      targetKind: outcome.target.kind,
      targetId: outcome.target.id,
      createdBy: outcome.actor,
      createdAt: outcome.startedAt,
      finishedAt: sql<Date>`clock_timestamp()`,
      dryRun: outcome.dryRun,
      status: outcome.status,
      format: outcome.format,
      rowsRead: outcome.rowsRead,
      inserted: outcome.counts.inserted,
      updated: outcome.counts.updated,
      unchanged: outcome.counts.unchanged,
      rejected: outcome.rejected,
      skipped: outcome.skipped,
      errorCount: outcome.errorCount,
      errors: JSON.stringify(outcome.errors),
      message: outcome.message === null ? null : outcome.message.slice(0, 2000),
    })
    .execute();
}

function toRecord(row: ImportRow): ImportRecord {
  return {
    id: row.id,
    initiativeId: row.initiativeId,
    target: { kind: row.targetKind, id: row.targetId },
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt.toISOString(),
    dryRun: row.dryRun,
    format: row.format,
    status: row.status,
    rows: row.rowsRead,
    inserted: row.inserted,
    updated: row.updated,
    unchanged: row.unchanged,
    rejected: row.rejected,
    skipped: row.skipped,
    errorCount: row.errorCount,
    errors: row.errors,
    message: row.message,
  };
}

export async function findImport(db: Kysely<Database>, id: string): Promise<ImportRecord | null> {
  const row = await db.selectFrom('imports').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toRecord(row) : null;
}
