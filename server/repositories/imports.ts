/**
 * CSV imports and exports of data points.
 *
 * An import (`runImport`), in order:
 *  1. (an id for the import: its record is written at the end, see 8);
 *  2. opens ONE transaction and locks the target's indicators (an indicator, or every indicator of a result,
 *     in id order): nobody changes them while the file streams in;
 *  3. reads the header (400 when it cannot be used), then streams the rows: each batch of 5,000 is checked
 *     (csv-rows.ts) and appended to the merge's staging table — by COPY on PostgreSQL, by `unnest` inserts on
 *     PGlite — while the next batch is being read. Only the batch in hand, the first 1,000 errors and the
 *     counters live in memory, whatever the size of the file;
 *  4. refuses rows for indicators the caller may not write (a contributor writes its partner's indicators
 *     only): 403 naming them;
 *  5. finds rows repeating an (indicator, period, disaggregation) in SQL, over the staging table;
 *  6. rejects the whole file when any row is bad (422 naming row, column and reason; nothing written), or,
 *     in a dry run, reports the errors;
 *  7. merges through `mergeStage` — the very merge `PUT …/data-points` uses, so both follow the same rules
 *     (omitted note/status/source keep stored values, unchanged points get no new version) — recording
 *     `import:<id>` as how each new version was written; a dry run only plans the merge, then rolls back;
 *  8. records the import in `imports`: inside the transaction when it commits, after the rollback when the
 *     file was rejected (422/403) or the import failed, so such attempts are on record too. A request stopped
 *     before its header was accepted (not CSV, empty, unusable header: 400/413/415) leaves no record.
 *
 * Exports (`exportPages`) read a target's points page by page (keyset), so memory stays bounded too.
 */
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { sql, type Kysely, type Transaction } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Database, IndicatorRow, ImportRow } from '../../schema/database.ts';
import { decide, type Principal } from '../auth/policy.ts';
import { planColumns, type ColumnPlan, type ImportLevel } from '../domain/csv-header.ts';
import { CsvReadError, openCsv } from '../domain/csv-reader.ts';
import { describeRowError, RowChecker, type RowError, type TargetIndicator } from '../domain/csv-rows.ts';
import {
  MAX_IMPORT_BYTES,
  MAX_LISTED_ERRORS,
  type ImportQuery,
  type ImportRecord,
  type ImportReport,
} from '../domain/csv-report.ts';
import { ApiError, BadRequestError, NotFoundError, UnprocessableError } from '../errors.ts';
import type { PeriodCalendar } from '../engine/periods.ts';
import { calendarOf } from './data-points.ts';
import { validAt } from './versions.ts';
import {
  createStage,
  mergeStage,
  stagePoints,
  stagePointsCopy,
  type MergeCounts,
  type StagedPoint,
} from './point-merge.ts';

/** Rows checked and staged together. */
const BATCH_ROWS = 5_000;
/** Points written by one import from which the table's statistics are refreshed. */
const ANALYZE_AFTER = 10_000;

export interface ImportTarget {
  kind: ImportLevel;
  id: string;
  initiativeId: string;
}

export interface ImportRequest {
  target: ImportTarget;
  body: Readable;
  /** The request's Content-Encoding (`gzip` is unpacked). */
  contentEncoding?: string | undefined;
  principal: Principal;
  actor: string;
  query: ImportQuery;
  maxBytes?: number;
}

/** The first errors, and how many there were. */
class ErrorList {
  readonly listed: RowError[] = [];
  count = 0;
  rejectedRows = 0;
  addRow(errors: RowError[]): void {
    this.rejectedRows++;
    this.count += errors.length;
    for (const error of errors) if (this.listed.length < MAX_LISTED_ERRORS) this.listed.push(error);
  }
  sorted(): RowError[] {
    return [...this.listed].sort((a, b) => a.row - b.row);
  }
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

type LoadedIndicator = Pick<
  IndicatorRow,
  'id' | 'code' | 'initiativeId' | 'frequency' | 'yearStartMonth' | 'dimensions' | 'ownerPartnerId'
> & {
  effectiveVisibility: string;
};

/** Locks the target's indicators (in id order: deadlock-free) and reads what row checks need. */
async function lockTargetIndicators(trx: Transaction<Database>, target: ImportTarget): Promise<LoadedIndicator[]> {
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
  return rows;
}

function toTarget(row: LoadedIndicator, principal: Principal): TargetIndicator {
  const anchor = {
    initiativeId: row.initiativeId,
    visibility: row.effectiveVisibility === 'public' ? 'public' : 'private',
    ownerPartnerId: row.ownerPartnerId,
  } as const;
  return {
    id: row.id,
    code: row.code,
    initiativeId: row.initiativeId,
    calendar: calendarOf(row) as PeriodCalendar,
    dimensions: row.dimensions,
    writable: decide(principal, 'write_data', anchor) === 'allow',
  };
}

/** Every dimension name of the target's indicators, in their order, once each. */
function dimensionNamesOf(indicators: TargetIndicator[]): string[] {
  const names: string[] = [];
  for (const indicator of indicators)
    for (const d of indicator.dimensions) if (!names.includes(d.name)) names.push(d.name);
  return names;
}

interface DuplicateGroup {
  rows: number[];
  n: number;
  extra: number;
}

/** Rows repeating an (indicator, period, disaggregation) of an earlier row, found over the staging table. */
async function findDuplicates(trx: Transaction<Database>): Promise<{ groups: DuplicateGroup[]; extra: number }> {
  const { rows } = await sql<DuplicateGroup>`
    select rows, n, sum(n - 1) over ()::int as extra
    from (
      select count(*)::int as n, (array_agg(ordinal order by ordinal))[1:20] as rows
      from point_stage group by indicator_id, disaggregation_key, period having count(*) > 1
    ) d
    order by rows[1]
    limit ${MAX_LISTED_ERRORS}`.execute(trx);
  return { groups: rows, extra: rows[0]?.extra ?? 0 };
}

/** Keeps the first of repeated rows (a dry run then plans the merge of what could be written). */
async function dropDuplicates(trx: Transaction<Database>): Promise<void> {
  await sql`
    delete from point_stage s using point_stage t
    where s.indicator_id = t.indicator_id and s.disaggregation_key = t.disaggregation_key and s.period = t.period
      and s.ordinal > t.ordinal`.execute(trx);
}

interface Progress {
  format: ColumnPlan['format'] | null;
  rows: number;
  skipped: number;
  counts: MergeCounts;
  errors: ErrorList;
}

/** Writes the import's record (once, when it ends). */
async function recordImport(
  db: Kysely<Database> | Transaction<Database>,
  record: { id: string; target: ImportTarget; actor: string; startedAt: Date; dryRun: boolean },
  status: ImportRow['status'],
  progress: Progress,
  message: string | null,
): Promise<void> {
  await db
    .insertInto('imports')
    .values({
      id: record.id,
      initiativeId: record.target.initiativeId,
      targetKind: record.target.kind,
      targetId: record.target.id,
      createdBy: record.actor,
      createdAt: record.startedAt,
      finishedAt: sql<Date>`clock_timestamp()`,
      dryRun: record.dryRun,
      status,
      format: progress.format,
      rowsRead: progress.rows,
      inserted: progress.counts.inserted,
      updated: progress.counts.updated,
      unchanged: progress.counts.unchanged,
      rejected: progress.errors.rejectedRows,
      skipped: progress.skipped,
      errorCount: progress.errors.count,
      errors: JSON.stringify(progress.errors.sorted()),
      message: message === null ? null : message.slice(0, 2000),
    })
    .execute();
}

/** The 403 for rows of indicators the caller may not write. */
function forbiddenRows(refused: Map<string, { indicator: TargetIndicator; rows: number[]; count: number }>): ApiError {
  const list = [...refused.values()];
  const names = list.map(({ indicator }) => indicator.code ?? indicator.id);
  return new ApiError(
    403,
    'forbidden',
    `Your token may not write data of ${names.length === 1 ? 'indicator' : 'indicators'} ${names.join(', ')}; nothing was written. Remove their rows, or ask an editor.`,
    list.map(({ indicator, rows, count }) => ({
      path: `indicator.${indicator.code ?? indicator.id}`,
      code: 'forbidden',
      message: `${count} row${count === 1 ? '' : 's'} (row ${rows.join(', row ')}${count > rows.length ? ', …' : ''}) write ${indicator.code ?? indicator.id}, which your partner does not own`,
    })),
  );
}

/** The 422 for a file with bad rows: every listed error as a detail `rows.<row>.<column>`. */
function rejectedFile(importId: string, progress: Progress): UnprocessableError {
  const errors = progress.errors.sorted();
  const details = errors.map((e) => ({
    path: `rows.${e.row}${e.column === null ? '' : `.${e.column}`}`,
    code: e.code,
    message: describeRowError(e),
  }));
  if (progress.errors.count > errors.length) {
    details.push({
      path: 'rows',
      code: 'more_errors',
      message: `${progress.errors.count - errors.length} more errors are not listed`,
    });
  }
  const first = errors.slice(0, 3).map(describeRowError).join('; ');
  return new UnprocessableError(
    'rows_rejected',
    `${progress.errors.rejectedRows} of ${progress.rows} rows cannot be imported (${progress.errors.count} error${progress.errors.count === 1 ? '' : 's'}); nothing was written. ${first}${errors.length > 3 ? '; …' : ''} (import ${importId})`,
    details,
  );
}

/**
 * Imports a CSV file into an indicator or a result: all rows or none. Returns the report (a dry run reports
 * errors instead of throwing them); throws 400 (unreadable file or header), 403 (rows of indicators the caller
 * may not write), 413 (too large), 422 (bad rows).
 */
export async function runImport(db: Kysely<Database>, request: ImportRequest): Promise<ImportReport> {
  const { target, principal, query } = request;
  const importId = uuidv7();
  const how = `import:${importId}`;
  const startedAt = new Date();
  const record = { id: importId, target, actor: request.actor, startedAt, dryRun: query.dryRun };
  // Recorded once the header is accepted: a request stopped before (not CSV, unusable header) leaves no trace.
  let headerAccepted = false;
  const progress: Progress = {
    format: null,
    rows: 0,
    skipped: 0,
    counts: { inserted: 0, updated: 0, unchanged: 0 },
    errors: new ErrorList(),
  };
  const body = request.contentEncoding?.toLowerCase() === 'gzip' ? request.body.pipe(createGunzip()) : request.body;
  if (body !== request.body) request.body.on('error', (error) => body.destroy(error));
  const trx = await db.startTransaction().execute();
  let committed = false;
  let csv: Awaited<ReturnType<typeof openCsv>> | null = null;
  try {
    // 2. Lock and read the target's indicators.
    const loaded = await lockTargetIndicators(trx, target);
    const indicators = loaded.map((row) => toTarget(row, principal));
    const only = target.kind === 'indicator' ? indicators[0]! : null;

    // 3. Header, then rows in batches.
    csv = await openCsv(body, { maxBytes: request.maxBytes ?? MAX_IMPORT_BYTES });
    const planned = planColumns(csv.header, { level: target.kind, dimensionNames: dimensionNamesOf(indicators) });
    if (!planned.ok) throw new BadRequestError(planned.code, planned.message, planned.problems);
    const plan = planned.plan;
    progress.format = plan.format;
    headerAccepted = true;
    const checker = new RowChecker(plan, indicators, only, {
      emptyCells: query.emptyCells,
      decimalComma: csv.delimiter === ';',
      series: query.series,
      units: query.units,
    });
    await createStage(trx);
    const stage = (await isPglite(db, trx)) ? stagePoints : stagePointsCopy;
    const refused = new Map<string, { indicator: TargetIndicator; rows: number[]; count: number }>();

    let batch: StagedPoint[] = [];
    let staging: Promise<void> = Promise.resolve();
    const flush = async () => {
      const full = batch;
      batch = [];
      await staging; // at most one batch in flight while the next one is read
      staging = stage(trx, full);
      staging.catch(() => undefined); // awaited later; keeps an early failure from being "unhandled"
    };
    for await (const { firstRow, rows } of csv.batches) {
      for (let i = 0; i < rows.length; i++) {
        const row = firstRow + i;
        progress.rows++;
        const outcome = checker.check(row, rows[i]!);
        if (outcome.kind === 'point') {
          batch.push(outcome.point);
          if (batch.length >= BATCH_ROWS) await flush();
        } else if (outcome.kind === 'errors') {
          progress.errors.addRow(outcome.errors);
        } else if (outcome.kind === 'skipped') {
          progress.skipped++;
        } else {
          const entry = refused.get(outcome.indicator.id) ?? { indicator: outcome.indicator, rows: [], count: 0 };
          entry.count++;
          if (entry.rows.length < 5) entry.rows.push(row);
          refused.set(outcome.indicator.id, entry);
        }
      }
    }
    await flush();
    await staging;
    if (progress.rows === 0)
      throw new BadRequestError('empty_file', 'The file has a header but no rows; nothing was written.', [
        { path: 'rows', code: 'empty_file', message: 'no data rows' },
      ]);

    // 4. Rows the caller may not write.
    if (refused.size > 0) throw forbiddenRows(refused);

    // 5. Repeated points.
    const duplicates = await findDuplicates(trx);
    let listedRepeats = 0;
    for (const group of duplicates.groups) {
      const [first, ...later] = group.rows;
      for (const row of later) {
        progress.errors.addRow([
          {
            row,
            column: null,
            code: 'duplicate_row',
            message: `repeats row ${first}: same indicator, period and disaggregation`,
          },
        ]);
        listedRepeats++;
      }
    }
    // Repeats beyond the 20 rows listed per group, or beyond the first 1,000 groups, are counted only.
    progress.errors.count += duplicates.extra - listedRepeats;
    progress.errors.rejectedRows += duplicates.extra - listedRepeats;

    // 6–7. All or nothing.
    if (progress.errors.count > 0 && !query.dryRun) throw rejectedFile(importId, progress);
    if (progress.errors.count > 0) await dropDuplicates(trx);
    if (progress.rows > 50_000) await sql`analyze point_stage`.execute(trx);
    progress.counts = await mergeStage(trx, request.actor, how, { apply: !query.dryRun });

    // 8. Finish.
    const status = progress.errors.count > 0 ? 'rejected' : 'succeeded';
    if (query.dryRun) {
      await trx.rollback().execute();
      await recordImport(db, record, status, progress, null);
    } else {
      await recordImport(trx, record, status, progress, null);
      await trx.commit().execute();
    }
    committed = true;
    if (!query.dryRun && progress.counts.inserted + progress.counts.updated >= ANALYZE_AFTER) {
      // Fresh statistics after a bulk write: without them the planner looks the next merge's points up by
      // the wrong index (measured: 10 × slower re-import of 100,000 rows). ANALYZE samples, ~0.1 s.
      await sql`analyze data_points`.execute(db).catch(() => undefined);
    }
    return {
      importId,
      status,
      dryRun: query.dryRun,
      format: plan.format,
      rows: progress.rows,
      ...progress.counts,
      rejected: progress.errors.rejectedRows,
      skipped: progress.skipped,
      errorCount: progress.errors.count,
      errors: progress.errors.sorted(),
    };
  } catch (caught) {
    csv?.close();
    const error =
      caught instanceof CsvReadError
        ? caught.code === 'body_too_large'
          ? new ApiError(413, 'body_too_large', caught.message)
          : new BadRequestError(caught.code, caught.message, [
              { path: caught.row ? `rows.${caught.row}` : 'body', code: caught.code, message: caught.message },
            ])
        : caught;
    if (!committed) {
      await trx
        .rollback()
        .execute()
        .catch(() => undefined);
      const rejected = error instanceof ApiError && error.statusCode < 500;
      if (headerAccepted) {
        const counts = { inserted: 0, updated: 0, unchanged: 0 };
        await recordImport(
          db,
          record,
          rejected ? 'rejected' : 'failed',
          { ...progress, counts },
          (error as Error).message,
        ).catch(() => undefined);
      }
    }
    throw error;
  }
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

// ---------------------------------------------------------------------------------------------------
// Exports

/** Points read per query. */
const EXPORT_PAGE = 5_000;

export interface ExportIndicator {
  id: string;
  code: string | null;
  name: string;
  dimensions: Array<{ name: string; values: string[] }>;
}

export interface ExportPoint {
  period: string;
  disaggregation: Record<string, string>;
  value: number;
  note: string | null;
  status: string | null;
  source: string | null;
}

/** The indicators a result's export lists, in the result's order; private ones only for those who see them. */
export async function exportIndicatorsOfResult(
  db: Kysely<Database>,
  resultId: string,
  seesPrivate: boolean,
): Promise<ExportIndicator[]> {
  let query = db
    .selectFrom('indicators')
    .innerJoin('results', 'results.id', 'indicators.resultId')
    .select(['indicators.id', 'indicators.code', 'indicators.name', 'indicators.dimensions'])
    .where('indicators.resultId', '=', resultId)
    .orderBy('indicators.position')
    .orderBy('indicators.createdAt')
    .orderBy('indicators.id');
  if (!seesPrivate)
    query = query.where(sql<string>`coalesce(indicators.visibility, results.visibility)`, '=', 'public');
  return query.execute();
}

export async function exportIndicator(db: Kysely<Database>, indicatorId: string): Promise<ExportIndicator> {
  const row = await db
    .selectFrom('indicators')
    .select(['id', 'code', 'name', 'dimensions'])
    .where('id', '=', indicatorId)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('indicator', indicatorId);
  return row;
}

/**
 * An indicator's points, page by page: the total first, then each slice, each by period; as they stand or
 * as they stood at `asOf`.
 */
export async function* exportPages(
  db: Kysely<Database>,
  indicatorId: string,
  asOf: Date | undefined,
): AsyncGenerator<ExportPoint[]> {
  const base = () =>
    validAt(
      db
        .selectFrom('dataPoints')
        .select(['period', 'periodIndex', 'disaggregation', 'disaggregationKey', 'value', 'note', 'status', 'source']),
      'dataPoints',
      asOf,
    )
      .where('indicatorId', '=', indicatorId)
      .limit(EXPORT_PAGE);
  // The total.
  let after: number | null = null;
  for (;;) {
    let query = base().where('disaggregationKey', '=', '{}').orderBy('periodIndex');
    if (after !== null) query = query.where('periodIndex', '>', after);
    const rows = await query.execute();
    if (rows.length > 0) yield rows;
    if (rows.length < EXPORT_PAGE) break;
    after = rows[rows.length - 1]!.periodIndex;
  }
  // Every slice.
  let cursor: [string, number] | null = null;
  for (;;) {
    let query = base().where('disaggregationKey', '<>', '{}').orderBy('disaggregationKey').orderBy('periodIndex');
    if (cursor !== null) {
      const [key, index] = cursor;
      query = query.where((eb) => eb(eb.refTuple('disaggregationKey', 'periodIndex'), '>', eb.tuple(key, index)));
    }
    const rows = await query.execute();
    if (rows.length > 0) yield rows;
    if (rows.length < EXPORT_PAGE) break;
    const last = rows[rows.length - 1]!;
    cursor = [last.disaggregationKey, last.periodIndex];
  }
}
