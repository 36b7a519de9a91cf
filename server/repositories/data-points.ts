/**
 * Data points: one value per period per disaggregation slice of an indicator.
 *
 * Batch writes (`upsertDataPoints`) are all-or-nothing: every point is checked first (period fits the
 * frequency, disaggregation declared, no duplicates in the batch, domain/data-point-batch.ts) and one UnprocessableError names every bad one; then
 * one transaction writes them through the staged merge of `point-merge.ts`.
 *
 * Every change keeps the previous version (valid_from/valid_to): reads take the current versions, or the
 * versions valid at `asOf`; `readHistory` lists every revision of a point.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, DataPointRow, FlagJson, IndicatorRow } from '../../schema/database.ts';
import type { DataPoint, DataPointInput, DataPointPatch } from '../../schema/contracts/data-points.ts';
import { checkPoints, statusFields, toStaged, type CheckedPoint } from '../domain/data-point-batch.ts';
import type { PointMark, SeriesPoint } from '../domain/series-point.ts';
import type { PointRange } from '../domain/point-range.ts';
import { calendarOf } from '../domain/indicator-rules.ts';
import { periodTimingProblem, utcToday } from '../domain/period-timing.ts';
import { ConflictError, NotFoundError, UnprocessableError, type FieldProblem } from '../errors.ts';
import { readInChunks } from './chunked-read.ts';
import { decodeCursor, toPage } from './pagination.ts';
import {
  assertPeriodUnlocked,
  createStage,
  mergedIds,
  mergeStage,
  stagePoints,
  type MergeGate,
} from './point-merge.ts';
import { whereVisible, type PointView } from './point-view.ts';
import { versionTimestamp } from './versions.ts';
import { assertVersion } from './versioning.ts';

export function toDataPoint(row: DataPointRow): DataPoint {
  return {
    id: row.id,
    indicatorId: row.indicatorId,
    period: row.period,
    value: row.value,
    disaggregation: row.disaggregation,
    note: row.note,
    status: row.status,
    source: row.source,
    obsStatus: effectiveObsStatus(row),
    footnote: row.footnote,
    confStatus: 'F',
    flags: row.flags,
    version: row.version,
    updatedAt: row.validFrom.toISOString(),
    updatedBy: row.recordedBy,
  };
}

/**
 * The observation status a read shows: the one given, else P for a provisional value (status provisional and
 * obsStatus P are one fact, stored in `status`: domain/data-point-batch.ts `statusFields`), else A (normal).
 */
export function effectiveObsStatus(row: Pick<DataPointRow, 'obsStatus' | 'status'>): DataPoint['obsStatus'] {
  return row.obsStatus ?? (row.status === 'provisional' ? 'P' : 'A');
}

/** The stored indicator row (calendar, dimensions…) or a NotFoundError. */
export async function findIndicatorRowOrThrow(db: Kysely<Database>, indicatorId: string): Promise<IndicatorRow> {
  const indicator = await db.selectFrom('indicators').selectAll().where('id', '=', indicatorId).executeTakeFirst();
  if (!indicator) throw new NotFoundError('indicator', indicatorId);
  return indicator;
}

/** Locks the indicator row for the rest of the transaction: writers of one indicator go one at a time. */
export async function lockIndicator(trx: Transaction<Database>, indicatorId: string): Promise<IndicatorRow> {
  const indicator = await trx
    .selectFrom('indicators')
    .selectAll()
    .where('id', '=', indicatorId)
    .forUpdate()
    .executeTakeFirst();
  if (!indicator) throw new NotFoundError('indicator', indicatorId);
  return indicator;
}

export interface UpsertOutcome {
  inserted: number;
  updated: number;
  unchanged: number;
  points: DataPoint[];
}

/** Who writes, and the data-quality gate the merge passes between its plan and its writes. */
export interface WriteContext {
  actor: string;
  gate?: MergeGate;
}

/**
 * PUT /indicators/{id}/data-points: validate all, then write all in one transaction. Omitted note, status
 * and source keep their stored value; null clears them; unchanged points are not rewritten.
 */
export async function upsertDataPoints(
  db: Kysely<Database>,
  indicatorId: string,
  points: DataPointInput[],
  { actor, gate }: WriteContext,
  /**
   * If-Match per point (the workspace's grid): the version each point had when the form was read, 0 for a
   * point that did not exist. When any differs now, nothing is written and a ConflictError names each point.
   */
  expectedVersions?: ReadonlyArray<number | undefined>,
): Promise<UpsertOutcome> {
  return db.transaction().execute(async (trx) => {
    const indicator = await lockIndicator(trx, indicatorId);
    const checked = checkPoints(indicator, points);
    if (expectedVersions) await refuseChangedSinceRead(trx, indicatorId, checked, expectedVersions);
    await createStage(trx);
    await stagePoints(trx, toStaged(indicator, checked));
    const counts = await mergeStage(trx, actor, 'api', { apply: true, ...(gate && { gate }) });
    const ids = await mergedIds(trx);
    const rows = await trx
      .selectFrom('dataPoints')
      .selectAll()
      .where('id', 'in', ids)
      .where('validTo', 'is', null)
      .execute();
    const byId = new Map(rows.map((row) => [row.id, row]));
    return { ...counts, points: ids.map((id) => toDataPoint(byId.get(id)!)) };
  });
}

/** Under the indicator's lock: every point whose current version is not the one its editor read. */
async function refuseChangedSinceRead(
  trx: Transaction<Database>,
  indicatorId: string,
  checked: CheckedPoint[],
  expectedVersions: ReadonlyArray<number | undefined>,
): Promise<void> {
  const current = await trx
    .selectFrom('dataPoints')
    .select(['periodIndex', 'disaggregationKey', 'version', 'value', 'recordedBy'])
    .where('indicatorId', '=', indicatorId)
    .where('validTo', 'is', null)
    .execute();
  const byKey = new Map(current.map((row) => [`${row.periodIndex} ${row.disaggregationKey}`, row]));
  const problems: FieldProblem[] = [];
  checked.forEach((point, i) => {
    const expected = expectedVersions[i];
    if (expected === undefined) return;
    const now = byKey.get(`${point.periodIndex} ${point.key}`);
    if ((now?.version ?? 0) === expected) return;
    problems.push({
      field: `points.${i}`,
      code: 'edit_conflict',
      message: now
        ? `changed by ${now.recordedBy} to ${now.value} (version ${now.version}) since you read it`
        : 'deleted since you read it',
    });
  });
  if (problems.length > 0)
    throw new ConflictError(
      'edit_conflict',
      `${problems.length} of the values you changed were changed by someone else since you read them; nothing was written.`,
      problems,
    );
}

/**
 * Every current point of an indicator with its version (the workspace's grid reads them for If-Match) and the
 * data-quality flags stored with it (the workspace shows them and acknowledges them by id).
 */
export async function currentPointVersions(db: Kysely<Database>, indicatorId: string) {
  return db
    .selectFrom('dataPoints')
    .select(['id', 'period', 'periodIndex', 'disaggregation', 'disaggregationKey', 'value', 'version', 'flags'])
    .where('indicatorId', '=', indicatorId)
    .where('validTo', 'is', null)
    .orderBy('periodIndex')
    .execute();
}

/** The latest revisions of an indicator's points, newest first (the workspace's History page). */
export async function indicatorRevisions(db: Kysely<Database>, indicatorId: string, limit: number) {
  const rows = await db
    .selectFrom('dataPoints')
    .select(['period', 'disaggregation', 'value', 'version', 'validFrom', 'recordedBy', 'recordedHow', 'flags'])
    .where('indicatorId', '=', indicatorId)
    .orderBy('validFrom', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    period: row.period,
    disaggregation: row.disaggregation,
    value: row.value,
    version: row.version,
    at: row.validFrom.toISOString(),
    by: row.recordedBy,
    how: row.recordedHow,
    flags: row.flags,
  }));
}

export async function listDataPoints(
  db: Kysely<Database>,
  indicatorId: string,
  range: PointRange,
  page: { limit: number; cursor?: string | undefined },
  view: PointView,
) {
  let query = whereVisible(db.selectFrom('dataPoints').selectAll(), view)
    .where('indicatorId', '=', indicatorId)
    .orderBy('disaggregationKey')
    .orderBy('periodIndex')
    .limit(page.limit + 1);
  if (range.fromIndex !== undefined) query = query.where('periodIndex', '>=', range.fromIndex);
  if (range.toIndex !== undefined) query = query.where('periodIndex', '<=', range.toIndex);
  if (range.slice.kind === 'total') query = query.where('disaggregationKey', '=', '{}');
  if (range.slice.kind === 'one') query = query.where('disaggregationKey', '=', range.slice.key);
  if (page.cursor) {
    const [key, index] = decodeCursor(page.cursor, ['string', 'number']);
    query = query.where((eb) =>
      eb(eb.refTuple('disaggregationKey', 'periodIndex'), '>', eb.tuple(String(key), Number(index))),
    );
  }
  return toPage(await query.execute(), page.limit, toDataPoint, (row) => [row.disaggregationKey, row.periodIndex]);
}

/** The columns a series point is read from (domain/series-point.ts). */
const SERIES_COLUMNS = ['period', 'periodIndex', 'value', 'disaggregation', 'note', 'status', 'obsStatus'] as const;

/** Every point of an indicator (total and slices), ordered by slice and period, as analysis and charts read them. */
export async function seriesOf(db: Kysely<Database>, indicatorId: string, view: PointView): Promise<SeriesPoint[]> {
  // A point marked M (missing) has no value: it is no observation of the series. In chunks (chunked-read.ts):
  // an indicator of 20 groups × 1,200 periods is 25,200 rows.
  const rows = await readInChunks(
    db,
    whereVisible(db.selectFrom('dataPoints').select(SERIES_COLUMNS), view)
      .where('indicatorId', '=', indicatorId)
      .where('value', 'is not', null)
      .orderBy('disaggregationKey')
      .orderBy('periodIndex'),
  );
  return rows as SeriesPoint[];
}

/**
 * What the published chart and tables of an indicator show beside the values: every current (or `asOf`) point
 * that has a footnote, a data-quality flag nobody acknowledged ("unverified"), or is marked missing (M, no
 * value). Only those rows are read (most points have none), so the charts' series read stays narrow.
 */
export async function pointMarksOf(db: Kysely<Database>, indicatorId: string, view: PointView): Promise<PointMark[]> {
  // In chunks too: every point may have a footnote.
  const rows = await readInChunks(
    db,
    whereVisible(
      db.selectFrom('dataPoints').select(['period', 'periodIndex', 'disaggregation', 'value', 'footnote', 'flags']),
      view,
    )
      .where('indicatorId', '=', indicatorId)
      .where((eb) =>
        eb.or([
          eb('value', 'is', null),
          eb('footnote', 'is not', null),
          eb(sql<boolean>`jsonb_path_exists(flags, '$[*] ? (@.acknowledged == false)')`, '=', true),
        ]),
      )
      .orderBy('disaggregationKey')
      .orderBy('periodIndex'),
  );
  return rows.map((row) => ({
    period: row.period,
    periodIndex: row.periodIndex,
    disaggregation: row.disaggregation,
    missing: row.value === null,
    footnote: row.footnote,
    unverified: row.flags.some((flag) => !flag.acknowledged),
  }));
}

/**
 * The total slice of each of the indicators, by period, as analysis reads them (the scorecard, the SMART
 * check, the self-assessment): one query whatever their number. One row per indicator, its points as one
 * JSON array (the same fields, in the same order, as `SERIES_COLUMNS`): PGlite answers in this thread, and
 * parsing a large result field by field (24,000 points of 200 indicators) held the event loop ~4× longer
 * than one `JSON.parse` per indicator does; `pg` gains alike.
 */
export async function totalSeriesOf(
  db: Kysely<Database>,
  indicatorIds: string[],
  view: PointView,
): Promise<Map<string, SeriesPoint[]>> {
  if (indicatorIds.length === 0) return new Map();
  const rows = await whereVisible(
    db.selectFrom('dataPoints').select([
      'indicatorId',
      sql<string>`json_agg(json_build_object(
          'period', data_points.period, 'periodIndex', data_points.period_index, 'value', data_points.value,
          'disaggregation', data_points.disaggregation, 'note', data_points.note, 'status', data_points.status,
          'obsStatus', data_points.obs_status) order by data_points.period_index)::text`.as('points'),
    ]),
    view,
  )
    .where('indicatorId', 'in', indicatorIds)
    .where('disaggregationKey', '=', '{}')
    .where('value', 'is not', null)
    .groupBy('indicatorId')
    .orderBy('indicatorId')
    .execute();
  return new Map(rows.map(({ indicatorId, points }) => [indicatorId, JSON.parse(points) as SeriesPoint[]]));
}

/** Every cell (period, slice, value) of an indicator in the view: what small-cell suppression reads. */
export async function cellsOf(
  db: Kysely<Database>,
  indicatorId: string,
  view: PointView,
): Promise<Array<{ periodIndex: number; disaggregation: Record<string, string>; value: number | null }>> {
  return whereVisible(db.selectFrom('dataPoints').select(['periodIndex', 'disaggregation', 'value']), view)
    .where('indicatorId', '=', indicatorId)
    .execute();
}

export async function findDataPointOrThrow(db: Kysely<Database>, id: string, view: PointView): Promise<DataPoint> {
  const row = await whereVisible(db.selectFrom('dataPoints').selectAll(), view).where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('dataPoint', id);
  return toDataPoint(row);
}

/** The indicator a data point belongs to (any version), or a NotFoundError. */
export async function indicatorIdOfPoint(db: Kysely<Database>, id: string): Promise<string> {
  const found = await db
    .selectFrom('dataPoints')
    .select('indicatorId')
    .where('id', '=', id)
    .limit(1)
    .executeTakeFirst();
  if (!found) throw new NotFoundError('dataPoint', id);
  return found.indicatorId;
}

/** Locks the point's indicator, then reads the point's current version (NotFoundError when none). */
async function lockCurrentVersion(trx: Transaction<Database>, id: string): Promise<DataPointRow> {
  await lockIndicator(trx, await indicatorIdOfPoint(trx, id));
  const current = await trx
    .selectFrom('dataPoints')
    .selectAll()
    .where('id', '=', id)
    .where('validTo', 'is', null)
    .executeTakeFirst();
  if (!current) throw new NotFoundError('dataPoint', id);
  return current;
}

/**
 * PATCH /data-points/{id}: changes the given fields of one point through the same merge (and data-quality
 * gate) as a batch. The value may be omitted (kept); obsStatus M (missing) without a value clears it.
 */
export async function updateDataPoint(
  db: Kysely<Database>,
  id: string,
  patch: DataPointPatch,
  ifMatch: string | undefined,
  { actor, gate }: WriteContext,
): Promise<DataPoint> {
  return db.transaction().execute(async (trx) => {
    const current = await lockCurrentVersion(trx, id);
    assertVersion(current.version, ifMatch);
    const indicator = await trx
      .selectFrom('indicators')
      .select(['id', 'initiativeId', 'frequency', 'yearStartMonth'])
      .where('id', '=', current.indicatorId)
      .executeTakeFirstOrThrow();
    // A value given for a point marked M (missing) ends the mark.
    const endsMissing = patch.obsStatus === undefined && patch.value != null && current.obsStatus === 'M';
    const obsStatus = patch.obsStatus !== undefined ? patch.obsStatus : endsMissing ? null : current.obsStatus;
    const value = patch.value !== undefined ? patch.value : patch.obsStatus === 'M' ? null : current.value;
    if (value === null && obsStatus !== 'M')
      throw new UnprocessableError('value_required', 'A value is required unless obsStatus is M (missing).', [
        { field: 'value', code: 'value_required', message: 'give a value, or obsStatus M (missing)' },
      ]);
    if (value !== null && obsStatus === 'M')
      throw new UnprocessableError('value_with_missing', 'A point marked M (missing) has no value: send value null.', [
        { field: 'value', code: 'value_with_missing', message: 'send null with obsStatus M' },
      ]);
    const input: DataPointInput = {
      period: current.period,
      value,
      disaggregation: current.disaggregation,
      ...(patch.note !== undefined && { note: patch.note }),
      ...(patch.status !== undefined && { status: patch.status }),
      ...(patch.source !== undefined && { source: patch.source }),
      ...(patch.obsStatus !== undefined && { obsStatus: patch.obsStatus }),
      ...(endsMissing && { obsStatus: null }),
      ...(patch.footnote !== undefined && { footnote: patch.footnote }),
      ...(patch.acknowledge !== undefined && { acknowledge: patch.acknowledge }),
    };
    const status = statusFields(input);
    if (status.statusGiven && status.status !== current.status) {
      // A point of a period still in progress stays provisional until the period has ended.
      const timing = periodTimingProblem(current.period, calendarOf(indicator), status.status, utcToday());
      if (timing) throw new UnprocessableError(timing.code, timing.message, [{ field: 'status', ...timing }]);
    }
    if (patch.obsStatus === 'P' && patch.status === 'final')
      throw new UnprocessableError('status_conflict', 'obsStatus P (provisional) contradicts status final.', [
        { field: 'obsStatus', code: 'status_conflict', message: 'contradicts status final' },
      ]);
    await createStage(trx);
    await stagePoints(
      trx,
      toStaged(indicator, [
        {
          input,
          periodIndex: current.periodIndex,
          disaggregation: current.disaggregation,
          key: current.disaggregationKey,
        },
      ]),
    );
    await mergeStage(trx, actor, 'api', { apply: true, ...(gate && { gate }) });
    const row = await trx
      .selectFrom('dataPoints')
      .selectAll()
      .where('id', '=', id)
      .where('validTo', 'is', null)
      .executeTakeFirstOrThrow();
    return toDataPoint(row);
  });
}

/** Deletes a point: its current version is closed, with who and how; the history stays. */
export async function deleteDataPoint(
  db: Kysely<Database>,
  id: string,
  ifMatch: string | undefined,
  actor: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const current = await lockCurrentVersion(trx, id);
    assertVersion(current.version, ifMatch);
    await assertPeriodUnlocked(trx, current.indicatorId, current.periodIndex, current.period);
    await trx
      .updateTable('dataPoints')
      .set({ validTo: sql<Date>`${await versionTimestamp(trx)}::timestamptz`, closedBy: actor, closedHow: 'api' })
      .where('id', '=', id)
      .where('validTo', 'is', null)
      .execute();
  });
}

export interface Revision {
  action: 'insert' | 'update' | 'delete';
  version: number;
  at: string;
  by: string;
  how: string;
  old: RevisionFields | null;
  new: RevisionFields | null;
}

export interface RevisionFields {
  value: number | null;
  note: string | null;
  status: string | null;
  source: string | null;
  obsStatus: string;
  footnote: string | null;
  flags: FlagJson[];
}

/**
 * Every revision of a point, oldest first: its insert, each update (old and new values) and its delete,
 * with who, when and how. Deleted points keep their history.
 */
export async function readHistory(
  db: Kysely<Database>,
  id: string,
): Promise<{ point: DataPoint; deleted: boolean; revisions: Revision[] }> {
  const versions = await db.selectFrom('dataPoints').selectAll().where('id', '=', id).orderBy('version').execute();
  if (versions.length === 0) throw new NotFoundError('dataPoint', id);
  const fields = (row: DataPointRow): RevisionFields => ({
    value: row.value,
    note: row.note,
    status: row.status,
    source: row.source,
    obsStatus: effectiveObsStatus(row),
    footnote: row.footnote,
    flags: row.flags,
  });
  const revisions: Revision[] = versions.map((row, i) => ({
    action: i === 0 ? 'insert' : 'update',
    version: row.version,
    at: row.validFrom.toISOString(),
    by: row.recordedBy,
    how: row.recordedHow,
    old: i === 0 ? null : fields(versions[i - 1]!),
    new: fields(row),
  }));
  const last = versions[versions.length - 1]!;
  const deleted = last.validTo !== null;
  if (deleted) {
    revisions.push({
      action: 'delete',
      version: last.version,
      at: last.validTo!.toISOString(),
      by: last.closedBy ?? 'unknown',
      how: last.closedHow ?? 'unknown',
      old: fields(last),
      new: null,
    });
  }
  return { point: toDataPoint(last), deleted, revisions };
}
