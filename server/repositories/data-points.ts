/**
 * Data points: one value per period per disaggregation slice of an indicator.
 *
 * Batch writes (`upsertDataPoints`) are all-or-nothing: every point is checked first (period fits the
 * frequency, disaggregation declared, no duplicates in the batch) and the 422 names every bad one; then
 * one transaction writes them. Writers of the same indicator are serialised by a row lock on the
 * indicator, so concurrent batches never lose an update and, holding one lock each, never deadlock.
 * A point whose value, note, status and source are unchanged is not written at all (its version stays).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Database, DataPointRow, IndicatorRow } from '../../schema/database.ts';
import type { DataPoint, DataPointInput, DataPointPatch } from '../../schema/contracts/data-points.ts';
import { parsePeriod, type PeriodCalendar } from '../engine/periods.ts';
import { disaggregationKey, disaggregationProblems } from '../domain/indicator-rules.ts';
import { BadRequestError, NotFoundError, UnprocessableError, type ErrorDetail } from '../errors.ts';
import { decodeCursor, toPage } from './pagination.ts';
import { assertVersion } from './versioning.ts';

/** Largest number of rows per INSERT statement (PostgreSQL allows 65,535 parameters). */
const INSERT_CHUNK = 2_000;

export function toDataPoint(row: DataPointRow): DataPoint {
  return {
    id: row.id,
    indicatorId: row.indicatorId,
    period: row.period,
    value: row.value,
    disaggregation: row.disaggregation,
    note: row.note,
    status: row.status as DataPoint['status'],
    source: row.source,
    version: row.version,
    updatedAt: row.updatedAt.toISOString(),
    updatedBy: row.updatedBy,
  };
}

export function calendarOf(indicator: Pick<IndicatorRow, 'frequency' | 'yearStartMonth'>): PeriodCalendar {
  return { frequency: indicator.frequency as PeriodCalendar['frequency'], yearStartMonth: indicator.yearStartMonth };
}

/** A point that passed validation, ready to write. */
interface CheckedPoint {
  input: DataPointInput;
  periodIndex: number;
  disaggregation: Record<string, string>;
  key: string;
}

/**
 * Checks a batch against the indicator; returns the checked points or throws one 422 listing every
 * bad point (`body.points.<i>.<field>`).
 */
export function checkPoints(indicator: IndicatorRow, points: DataPointInput[], pathPrefix = 'body.points'): CheckedPoint[] {
  const calendar = calendarOf(indicator);
  const problems: ErrorDetail[] = [];
  const checked: CheckedPoint[] = [];
  const seen = new Map<string, number>();
  points.forEach((input, i) => {
    const parsed = parsePeriod(input.period, calendar);
    if (!parsed.ok) problems.push({ path: `${pathPrefix}.${i}.period`, code: parsed.code, message: parsed.reason });
    const disaggregation = input.disaggregation ?? {};
    problems.push(...disaggregationProblems(indicator.dimensions, disaggregation, `${pathPrefix}.${i}.disaggregation`));
    const key = disaggregationKey(disaggregation);
    const identity = `${input.period} ${key}`;
    const first = seen.get(identity);
    if (first !== undefined) {
      problems.push({
        path: `${pathPrefix}.${i}`,
        code: 'duplicate_point',
        message: `same period and disaggregation as ${pathPrefix}.${first}`,
      });
    } else {
      seen.set(identity, i);
    }
    if (parsed.ok) checked.push({ input, periodIndex: parsed.index, disaggregation, key });
  });
  if (problems.length > 0) {
    const bad = new Set(problems.map((p) => p.path.split('.').slice(0, 3).join('.'))).size;
    throw new UnprocessableError(
      problems[0]!.code,
      `${bad} of ${points.length} points cannot be saved; nothing was written. ${problems
        .slice(0, 5)
        .map((p) => `${p.path}: ${p.message}`)
        .join('; ')}${problems.length > 5 ? '; …' : ''}`,
      problems,
    );
  }
  return checked;
}

/** The stored indicator row (calendar, dimensions…) or a 404. */
export async function findIndicatorRowOrThrow(db: Kysely<Database>, indicatorId: string): Promise<IndicatorRow> {
  const indicator = await db.selectFrom('indicators').selectAll().where('id', '=', indicatorId).executeTakeFirst();
  if (!indicator) throw new NotFoundError('indicator', indicatorId);
  return indicator;
}

/** Locks the indicator row for the rest of the transaction: writers of one indicator go one at a time. */
export async function lockIndicator(trx: Transaction<Database>, indicatorId: string): Promise<IndicatorRow> {
  const indicator = await trx.selectFrom('indicators').selectAll().where('id', '=', indicatorId).forUpdate().executeTakeFirst();
  if (!indicator) throw new NotFoundError('indicator', indicatorId);
  return indicator;
}

export interface UpsertOutcome {
  inserted: number;
  updated: number;
  unchanged: number;
  points: DataPoint[];
}

/** Field values after applying an input to an existing point: omitted fields keep their stored value. */
function merged(input: DataPointInput, existing: DataPointRow | undefined) {
  return {
    value: input.value,
    note: input.note !== undefined ? input.note : (existing?.note ?? null),
    status: input.status !== undefined ? input.status : (existing?.status ?? null),
    source: input.source !== undefined ? input.source : (existing?.source ?? null),
  };
}

/**
 * Writes checked points inside an open transaction that already holds the indicator's lock.
 * Omitted optional fields (note, status, source) keep their stored value; `null` clears them.
 */
export async function writeCheckedPoints(
  trx: Transaction<Database>,
  indicator: IndicatorRow,
  points: CheckedPoint[],
  actor: string,
): Promise<UpsertOutcome> {
  const existingRows = points.length
    ? await trx
        .selectFrom('dataPoints')
        .selectAll()
        .where('indicatorId', '=', indicator.id)
        .where((eb) =>
          eb(
            eb.refTuple('disaggregationKey', 'period'),
            'in',
            sql<[string, string]>`(select * from unnest(${points.map((p) => p.key)}::text[], ${points.map((p) => p.input.period)}::text[]))`,
          ),
        )
        .execute()
    : [];
  const existing = new Map(existingRows.map((row) => [`${row.period} ${row.disaggregationKey}`, row]));

  const inserts: Array<{ id: string; point: CheckedPoint }> = [];
  const updates: Array<{ id: string; fields: ReturnType<typeof merged> }> = [];
  const ids: string[] = [];
  for (const point of points) {
    const row = existing.get(`${point.input.period} ${point.key}`);
    const fields = merged(point.input, row);
    if (!row) {
      const id = uuidv7();
      inserts.push({ id, point });
      ids.push(id);
      continue;
    }
    ids.push(row.id);
    const same =
      row.value === fields.value && row.note === fields.note && row.status === fields.status && row.source === fields.source;
    if (!same) updates.push({ id: row.id, fields });
  }

  for (let start = 0; start < inserts.length; start += INSERT_CHUNK) {
    await trx
      .insertInto('dataPoints')
      .values(
        inserts.slice(start, start + INSERT_CHUNK).map(({ id, point }) => ({
          id,
          initiativeId: indicator.initiativeId,
          indicatorId: indicator.id,
          period: point.input.period,
          periodIndex: point.periodIndex,
          disaggregation: JSON.stringify(point.disaggregation),
          disaggregationKey: point.key,
          ...merged(point.input, undefined),
          updatedBy: actor,
        })),
      )
      .execute();
  }
  if (updates.length > 0) {
    await sql`
      update data_points as d set
        value = u.value, note = u.note, status = u.status, source = u.source,
        version = d.version + 1, updated_at = now(), updated_by = ${actor}
      from unnest(
        ${updates.map((u) => u.id)}::uuid[], ${updates.map((u) => u.fields.value)}::float8[],
        ${updates.map((u) => u.fields.note)}::text[], ${updates.map((u) => u.fields.status)}::text[],
        ${updates.map((u) => u.fields.source)}::text[]
      ) as u(id, value, note, status, source)
      where d.id = u.id`.execute(trx);
  }
  const rows = ids.length ? await trx.selectFrom('dataPoints').selectAll().where('id', 'in', ids).execute() : [];
  const byId = new Map(rows.map((row) => [row.id, row]));
  return {
    inserted: inserts.length,
    updated: updates.length,
    unchanged: points.length - inserts.length - updates.length,
    points: ids.map((id) => toDataPoint(byId.get(id)!)),
  };
}

/** PUT /indicators/{id}/data-points: validate all, then write all in one transaction. */
export async function upsertDataPoints(
  db: Kysely<Database>,
  indicatorId: string,
  points: DataPointInput[],
  actor: string,
): Promise<UpsertOutcome> {
  return db.transaction().execute(async (trx) => {
    const indicator = await lockIndicator(trx, indicatorId);
    return writeCheckedPoints(trx, indicator, checkPoints(indicator, points), actor);
  });
}

export type SliceFilter = { kind: 'total' } | { kind: 'all' } | { kind: 'one'; key: string };

/** `total` | `all` | a JSON disaggregation → a filter; bad JSON is a 400, undeclared dimensions a 422. */
export function parseSliceFilter(slice: string, dimensions: IndicatorRow['dimensions']): SliceFilter {
  if (slice === 'total') return { kind: 'total' };
  if (slice === 'all') return { kind: 'all' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(slice);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !Object.values(parsed).every((v) => typeof v === 'string')) {
    throw new BadRequestError('invalid_slice', 'slice must be total, all, or a JSON object of dimension → value.', [
      { path: 'querystring.slice', code: 'invalid_slice', message: 'e.g. {"sex":"female"}' },
    ]);
  }
  const disaggregation = parsed as Record<string, string>;
  const problems = disaggregationProblems(dimensions, disaggregation, 'querystring.slice');
  if (problems.length > 0) throw new UnprocessableError(problems[0]!.code, 'The slice names undeclared dimensions or values.', problems);
  return { kind: 'one', key: disaggregationKey(disaggregation) };
}

export interface PointRange {
  fromIndex?: number | undefined;
  toIndex?: number | undefined;
  slice: SliceFilter;
}

export async function listDataPoints(
  db: Kysely<Database>,
  indicatorId: string,
  range: PointRange,
  page: { limit: number; cursor?: string | undefined },
) {
  let query = db
    .selectFrom('dataPoints')
    .selectAll()
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
    query = query.where((eb) => eb(eb.refTuple('disaggregationKey', 'periodIndex'), '>', eb.tuple(String(key), Number(index))));
  }
  return toPage(await query.execute(), page.limit, toDataPoint, (row) => [row.disaggregationKey, row.periodIndex]);
}

/** Every point of the given indicators, ordered by indicator, slice and period (for analysis and trees). */
export async function allPointsOf(db: Kysely<Database>, indicatorIds: string[]): Promise<DataPointRow[]> {
  if (indicatorIds.length === 0) return [];
  return db
    .selectFrom('dataPoints')
    .selectAll()
    .where('indicatorId', 'in', indicatorIds)
    .orderBy('indicatorId')
    .orderBy('disaggregationKey')
    .orderBy('periodIndex')
    .execute();
}

export async function findDataPointOrThrow(db: Kysely<Database>, id: string): Promise<DataPoint> {
  const row = await db.selectFrom('dataPoints').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('dataPoint', id);
  return toDataPoint(row);
}

export async function updateDataPoint(
  db: Kysely<Database>,
  id: string,
  patch: DataPointPatch,
  ifMatch: string | undefined,
  actor: string,
): Promise<DataPoint> {
  return db.transaction().execute(async (trx) => {
    const found = await trx.selectFrom('dataPoints').select('indicatorId').where('id', '=', id).executeTakeFirst();
    if (!found) throw new NotFoundError('dataPoint', id);
    await lockIndicator(trx, found.indicatorId);
    const current = await trx.selectFrom('dataPoints').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assertVersion(current.version, ifMatch);
    const next = {
      value: patch.value ?? current.value,
      note: patch.note !== undefined ? patch.note : current.note,
      status: patch.status !== undefined ? patch.status : current.status,
      source: patch.source !== undefined ? patch.source : current.source,
    };
    const same = next.value === current.value && next.note === current.note && next.status === current.status && next.source === current.source;
    if (same) return toDataPoint(current);
    const row = await trx
      .updateTable('dataPoints')
      .set({ ...next, version: sql<number>`version + 1`, updatedAt: sql<Date>`now()`, updatedBy: actor })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toDataPoint(row);
  });
}

export async function deleteDataPoint(db: Kysely<Database>, id: string, ifMatch: string | undefined): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('dataPoints').select(['version']).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!current) throw new NotFoundError('dataPoint', id);
    assertVersion(current.version, ifMatch);
    await trx.deleteFrom('dataPoints').where('id', '=', id).execute();
  });
}
