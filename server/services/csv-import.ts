/**
 * CSV imports of data points (`POST /indicators/{id}/data-points/import`, `POST /results/{id}/import`;
 * docs/csv.md). An import (`runImport`), in order:
 *  0. receives the whole body into a bounded temporary file (services/upload-spool.ts) before it touches the
 *     database: a slow or vanished client holds no connection and no lock (a client that leaves later stops
 *     the import at its next step, nothing written);
 *  1. (an id for the import: its record is written at the end, see 8);
 *  2. opens ONE transaction and locks the target's indicators (an indicator, or every indicator of a result,
 *     in id order): nobody changes them while the file is read;
 *  3. reads the header (invalid input when it cannot be used), then streams the rows: each batch of 5,000 is
 *     checked (domain/csv-rows.ts) and appended to the merge's staging table — by COPY on PostgreSQL, by
 *     `unnest` inserts on PGlite — while the next batch is being read. Only the batch in hand, the first
 *     1,000 errors and the counters live in memory, whatever the size of the file;
 *  4. refuses rows for indicators the caller may not write (a contributor writes its partner's indicators
 *     only, auth/policy.ts): forbidden, naming them;
 *  5. finds rows repeating an (indicator, period, disaggregation) in SQL, over the staging table;
 *  6. rejects the whole file when any row is bad (naming row, column and reason; nothing written), or, in a
 *     dry run, reports the errors;
 *  7. merges through `mergeStage` — the very merge `PUT …/data-points` uses, so both follow the same rules
 *     (omitted note/status/source keep stored values, unchanged points get no new version) — recording
 *     `import:<id>` as how each new version was written; a dry run only plans the merge, then rolls back;
 *  8. records the import in `imports`: inside the transaction when it commits, after the rollback when the
 *     file was rejected or the import failed, so such attempts are on record too. A request stopped before
 *     its header was accepted (empty, unusable header, too large) leaves no record.
 */
import type { Readable } from 'node:stream';
import { v7 as uuidv7 } from 'uuid';
import {
  MAX_IMPORT_BYTES,
  MAX_LISTED_ERRORS,
  type ImportQuery,
  type ImportReport,
} from '../../schema/contracts/imports.ts';
import { contributorPartner, decide, decideResultDataWrite, type Anchor, type Principal } from '../auth/policy.ts';
import { refusal } from '../auth/refusal.ts';
import { planColumns, type ColumnPlan, type ImportLevel } from '../domain/csv-header.ts';
import { describeRowError, RowChecker, type RowError, type TargetIndicator } from '../domain/csv-rows.ts';
import { calendarOf } from '../domain/indicator-rules.ts';
import type { StagedPoint } from '../domain/staged-point.ts';
import type { Db } from '../dependencies.ts';
import { BadRequestError, DomainError, ForbiddenError, TooLargeError, UnprocessableError } from '../errors.ts';
import { importFinished } from '../instrumentation.ts';
import {
  analyzeDataPoints,
  analyzeStage,
  beginImport,
  commitImport,
  dropRepeatedRows,
  findRepeatedRows,
  lockImportIndicators,
  openStage,
  partnerOwnsIndicatorOfResult,
  recordImport,
  rollbackImport,
  type ImportIndicator,
} from '../repositories/imports.ts';
import { mergeStage, type MergeCounts } from '../repositories/point-merge.ts';
import { plannedValueChanges } from '../repositories/quality.ts';
import { EMPTY_REPORT, runQualityGate, type GateReport } from './quality-gate.ts';
import { CsvReadError, openCsv } from './csv-reader.ts';
import { spoolUpload, type SpooledUpload } from './upload-spool.ts';

/** Rows checked and staged together. */
export const BATCH_ROWS = 5_000;
/** Points written by one import from which the table's statistics are refreshed. */
const ANALYZE_AFTER = 10_000;
/** Rows from which the staging table's statistics are refreshed before the merge. */
const ANALYZE_STAGE_AFTER = 50_000;

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
  /** Largest body as sent (compressed or not), and largest file once unpacked; both default to 512 MB. */
  maxBytes?: number;
  maxUnpackedBytes?: number;
  /** Aborted when the client leaves: the import stops (nothing written) at its next step. */
  signal?: AbortSignal;
}

/**
 * Who may start a result-level import (auth/policy.ts `decideResultDataWrite`): whoever may write data of
 * the result, and a contributor whose partner owns at least one of its indicators. Throws the refusal.
 */
export async function authorizeResultImport(
  db: Db,
  principal: Principal,
  result: Anchor,
  resultId: string,
): Promise<void> {
  const partnerId = contributorPartner(principal, result.initiativeId);
  const owns = partnerId !== null && (await partnerOwnsIndicatorOfResult(db, resultId, partnerId));
  const decision = decideResultDataWrite(principal, result, owns);
  if (decision !== 'allow') {
    throw refusal(
      decision,
      { resource: 'result', id: resultId },
      "Your token may not write data of this result's indicators.",
    );
  }
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

function toTarget(indicator: ImportIndicator, principal: Principal): TargetIndicator {
  const anchor = {
    initiativeId: indicator.initiativeId,
    visibility: indicator.visibility,
    ownerPartnerId: indicator.ownerPartnerId,
  };
  return {
    id: indicator.id,
    code: indicator.code,
    initiativeId: indicator.initiativeId,
    calendar: calendarOf(indicator),
    dimensions: indicator.dimensions,
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

interface Progress {
  format: ColumnPlan['format'] | null;
  rows: number;
  skipped: number;
  counts: MergeCounts;
  errors: ErrorList;
}

/** Rows of indicators the caller may not write: forbidden, naming them. */
function forbiddenRows(
  refused: Map<string, { indicator: TargetIndicator; rows: number[]; count: number }>,
): ForbiddenError {
  const list = [...refused.values()];
  const names = list.map(({ indicator }) => indicator.code ?? indicator.id);
  return new ForbiddenError(
    `Your token may not write data of ${names.length === 1 ? 'indicator' : 'indicators'} ${names.join(', ')}; nothing was written. Remove their rows, or ask an editor.`,
    list.map(({ indicator, rows, count }) => ({
      field: `indicator.${indicator.code ?? indicator.id}`,
      code: 'forbidden',
      message: `${count} row${count === 1 ? '' : 's'} (row ${rows.join(', row ')}${count > rows.length ? ', …' : ''}) write ${indicator.code ?? indicator.id}, which your partner does not own`,
    })),
  );
}

/** A file with bad rows: every listed error as a problem `rows.<row>.<column>`. */
function rejectedFile(importId: string, progress: Progress): UnprocessableError {
  const errors = progress.errors.sorted();
  const problems = errors.map((e) => ({
    field: `rows.${e.row}${e.column === null ? '' : `.${e.column}`}`,
    code: e.code,
    message: describeRowError(e),
  }));
  if (progress.errors.count > errors.length) {
    problems.push({
      field: 'rows',
      code: 'more_errors',
      message: `${progress.errors.count - errors.length} more errors are not listed`,
    });
  }
  const first = errors.slice(0, 3).map(describeRowError).join('; ');
  return new UnprocessableError(
    'rows_rejected',
    `${progress.errors.rejectedRows} of ${progress.rows} rows cannot be imported (${progress.errors.count} error${progress.errors.count === 1 ? '' : 's'}); nothing was written. ${first}${errors.length > 3 ? '; …' : ''} (import ${importId})`,
    problems,
  );
}

/** A file that cannot be read as CSV: invalid input, or too large. */
function unreadableFile(error: CsvReadError): DomainError {
  if (error.code === 'body_too_large') return new TooLargeError('body_too_large', error.message);
  return new BadRequestError(error.code, error.message, [
    { field: error.row ? `rows.${error.row}` : 'body', code: error.code, message: error.message },
  ]);
}

/**
 * Imports a CSV file into an indicator or a result: all rows or none. Returns the report (a dry run reports
 * errors instead of throwing them); throws BadRequestError (unreadable file or header), ForbiddenError (rows
 * of indicators the caller may not write), TooLargeError, UnprocessableError (bad rows).
 */
export async function runImport(db: Db, request: ImportRequest): Promise<ImportReport> {
  const started = performance.now();
  const finished = (rows: number, status: 'succeeded' | 'rejected' | 'failed') =>
    importFinished.publish({
      db,
      rows,
      seconds: (performance.now() - started) / 1000,
      status,
      dryRun: request.query.dryRun,
    });
  // 0. The whole body first, into a bounded temporary file: no connection or lock waits on the client.
  const upload = await spoolUpload(request.body, {
    maxBytes: request.maxBytes ?? MAX_IMPORT_BYTES,
    gzip: request.contentEncoding?.toLowerCase() === 'gzip',
    ...(request.signal && { signal: request.signal }),
  });
  try {
    stopIfClientLeft(request.signal);
    const report = await importSpooled(db, request, upload);
    finished(report.rows, report.status);
    return report;
  } catch (error) {
    finished(0, error instanceof DomainError ? 'rejected' : 'failed');
    throw error;
  } finally {
    await upload.dispose();
  }
}

/** The client closed the connection: nobody waits for the answer, so nothing is written. */
function stopIfClientLeft(signal: AbortSignal | undefined): void {
  if (signal?.aborted)
    throw new BadRequestError('client_closed', 'The client closed the connection; the import was abandoned.');
}

async function importSpooled(db: Db, request: ImportRequest, upload: SpooledUpload): Promise<ImportReport> {
  const { target, principal, query } = request;
  const importId = uuidv7();
  const how = `import:${importId}`;
  const startedAt = new Date();
  // Recorded once the header is accepted: a request stopped before (not CSV, unusable header) leaves no trace.
  let headerAccepted = false;
  const progress: Progress = {
    format: null,
    rows: 0,
    skipped: 0,
    counts: { inserted: 0, updated: 0, unchanged: 0 },
    errors: new ErrorList(),
  };
  const outcome = (status: 'succeeded' | 'rejected' | 'failed', message: string | null) => ({
    id: importId,
    target,
    actor: request.actor,
    startedAt,
    dryRun: query.dryRun,
    status,
    format: progress.format,
    rowsRead: progress.rows,
    counts: progress.counts,
    rejected: progress.errors.rejectedRows,
    skipped: progress.skipped,
    errorCount: progress.errors.count,
    errors: progress.errors.sorted(),
    message,
  });
  const body = upload.open();
  const trx = await beginImport(db);
  let committed = false;
  let csv: Awaited<ReturnType<typeof openCsv>> | null = null;
  try {
    // 2. Lock and read the target's indicators.
    const loaded = await lockImportIndicators(trx, target);
    stopIfClientLeft(request.signal);
    const indicators = loaded.map((indicator) => toTarget(indicator, principal));
    const only = target.kind === 'indicator' ? indicators[0]! : null;

    // 3. Header, then rows in batches.
    csv = await openCsv(body, { maxBytes: request.maxUnpackedBytes ?? MAX_IMPORT_BYTES });
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
    const stage = await openStage(
      db,
      trx,
      only ? { initiativeId: only.initiativeId, indicatorId: only.id } : undefined,
    );
    const refused = new Map<string, { indicator: TargetIndicator; rows: number[]; count: number }>();

    let batch: StagedPoint[] = [];
    let staging: Promise<void> = Promise.resolve();
    const flush = async () => {
      const full = batch;
      batch = [];
      await staging; // at most one batch in flight while the next one is read
      staging = stage(full);
      staging.catch(() => undefined); // awaited later; keeps an early failure from being "unhandled"
    };
    for await (const { firstRow, rows } of csv.batches) {
      stopIfClientLeft(request.signal);
      for (let i = 0; i < rows.length; i++) {
        const row = firstRow + i;
        progress.rows++;
        const checked = checker.check(row, rows[i]!);
        if (checked.kind === 'point') {
          batch.push(checked.point);
          if (batch.length >= BATCH_ROWS) await flush();
        } else if (checked.kind === 'errors') {
          progress.errors.addRow(checked.errors);
        } else if (checked.kind === 'skipped') {
          progress.skipped++;
        } else {
          const entry = refused.get(checked.indicator.id) ?? { indicator: checked.indicator, rows: [], count: 0 };
          entry.count++;
          if (entry.rows.length < 5) entry.rows.push(row);
          refused.set(checked.indicator.id, entry);
        }
      }
    }
    await flush();
    await staging;
    if (progress.rows === 0)
      throw new BadRequestError('empty_file', 'The file has a header but no rows; nothing was written.', [
        { field: 'rows', code: 'empty_file', message: 'no data rows' },
      ]);

    // 4. Rows the caller may not write.
    if (refused.size > 0) throw forbiddenRows(refused);

    // 5. Repeated points.
    const duplicates = await findRepeatedRows(trx, MAX_LISTED_ERRORS);
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
    if (progress.errors.count > 0) await dropRepeatedRows(trx);
    if (progress.rows > ANALYZE_STAGE_AFTER) await analyzeStage(trx);
    let quality: GateReport = EMPTY_REPORT;
    const gate = async (trx: Parameters<typeof runQualityGate>[0]) => {
      quality = await runQualityGate(trx, {
        actor: request.actor,
        pathOf: (row) => `rows.${row}`,
        dryRun: query.dryRun,
      });
    };
    progress.counts = await mergeStage(trx, request.actor, how, {
      apply: !query.dryRun,
      onlyChanges: true,
      analyze: progress.rows > ANALYZE_STAGE_AFTER,
      gate,
      pathOf: (row) => `rows.${row}`,
      // A dry run lists the rows an import would be refused for: values of approved or published periods.
      onLocked: (rows) => {
        for (const locked of rows)
          progress.errors.addRow([
            {
              row: locked.ordinal,
              column: null,
              code: 'period_locked',
              message: `${locked.period} is ${locked.state}: an editor must reopen it before its values can change`,
            },
          ]);
      },
    });
    // A dry run lists broken error rules with the row errors (a real import was refused by the gate).
    for (const e of quality.errors)
      progress.errors.addRow([{ row: e.ordinal, column: null, code: e.code, message: e.message }]);
    // Beyond the listed ones, broken rules are counted (rows and errors alike, as repeated rows are).
    progress.errors.count += quality.errorCount - quality.errors.length;
    progress.errors.rejectedRows += quality.errorCount - quality.errors.length;
    // Where the initiative blocks unacknowledged warnings, the dry run says which rows the import would refuse.
    for (const w of quality.blocking)
      progress.errors.addRow([
        {
          row: w.ordinal,
          column: null,
          code: 'needs_acknowledgement',
          message: `${w.code}: ${w.message} — acknowledge it (ACKNOWLEDGE and COMMENT columns) or correct the value`,
        },
      ]);
    progress.errors.count += quality.blockingCount - quality.blocking.length;
    const changes = await plannedValueChanges(trx, MAX_LISTED_ERRORS);

    // 8. Finish.
    const status = progress.errors.count > 0 ? 'rejected' : 'succeeded';
    if (query.dryRun) {
      await rollbackImport(trx);
      await recordImport(db, outcome(status, null));
    } else {
      stopIfClientLeft(request.signal);
      await recordImport(trx, outcome(status, null));
      await commitImport(trx);
    }
    committed = true;
    if (!query.dryRun && progress.counts.inserted + progress.counts.updated >= ANALYZE_AFTER) {
      await analyzeDataPoints(db).catch(() => undefined);
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
      warningCount: quality.warningCount,
      warnings: quality.warnings.slice(0, MAX_LISTED_ERRORS).map((w) => ({
        row: w.ordinal,
        code: w.code,
        severity: w.severity,
        message: w.message,
        acknowledged: w.acknowledged,
      })),
      changes: changes.map((c) => ({
        row: c.ordinal,
        period: c.period,
        disaggregation: c.disaggregation,
        old: c.old,
        new: c.new,
      })),
    };
  } catch (caught) {
    csv?.close();
    const error = caught instanceof CsvReadError ? unreadableFile(caught) : caught;
    if (!committed) {
      await rollbackImport(trx).catch(() => undefined);
      if (headerAccepted) {
        progress.counts = { inserted: 0, updated: 0, unchanged: 0 };
        const rejected = error instanceof DomainError;
        await recordImport(db, outcome(rejected ? 'rejected' : 'failed', (error as Error).message)).catch(
          () => undefined,
        );
      }
    }
    throw error;
  }
}
