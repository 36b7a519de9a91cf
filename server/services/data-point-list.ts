/**
 * Reading data points (`GET /indicators/{id}/data-points`, `GET /data-points/{id}` and its history) as the
 * reader may see them (services/reader-view.ts): members see every value; the public, where the initiative
 * requires publication, only published periods as published, and suppressed cells as `value: null`,
 * `confStatus: "C"`.
 */
import type { DataPoint } from '../../schema/contracts/data-points.ts';
import { asAudience, type Audience } from '../domain/disclosure.ts';
import { calendarOf, disaggregationKey } from '../domain/indicator-rules.ts';
import { pointRange } from '../domain/point-range.ts';
import { periodIndex } from '../engine/periods.ts';
import type { Db } from '../dependencies.ts';
import { NotFoundError } from '../errors.ts';
import {
  findDataPointOrThrow,
  indicatorIdOfPoint,
  listDataPoints,
  readHistory,
  type Revision,
} from '../repositories/data-points.ts';
import { findIndicatorOrThrow } from '../repositories/indicators.ts';
import { periodStatesOf, publicationMomentsOf } from '../repositories/publication.ts';
import { readerViewOf, withheldCells, type ReaderView } from './reader-view.ts';

export interface DataPointListQuery {
  from?: string | undefined;
  to?: string | undefined;
  slice: string;
  limit: number;
  cursor?: string | undefined;
  asOf?: Date | undefined;
}

export async function listIndicatorDataPoints(
  db: Db,
  indicatorId: string,
  query: DataPointListQuery,
  reader: boolean | Audience,
) {
  const [indicator, view] = await Promise.all([
    findIndicatorOrThrow(db, indicatorId),
    readerViewOf(db, indicatorId, asAudience(reader), query.asOf),
  ]);
  const { limit, cursor } = query;
  const page = await listDataPoints(db, indicatorId, pointRange(indicator, query), { limit, cursor }, view.view);
  return {
    ...page,
    items: await withStates(db, indicator, await blankWithheld(db, indicator, page.items, view), view),
  };
}

/** One point as the reader may see it (404 when the public may not see it at all). */
export async function getDataPoint(db: Db, id: string, asOf: Date | undefined, reader: boolean | Audience) {
  const indicator = await findIndicatorOrThrow(db, await indicatorIdOfPoint(db, id));
  const view = await readerViewOf(db, indicator.id, asAudience(reader), asOf);
  const [point] = await blankWithheld(db, indicator, [await findDataPointOrThrow(db, id, view.view)], view);
  const [shown] = await withStates(db, indicator, [point!], view);
  return shown!;
}

/**
 * Every revision of a point as the reader may see it. The public, where publication is required, sees only
 * the versions that were published (each revision's `old` is then the previous published one) and no
 * deletion after publication; where small cells are suppressed, no value at all in the revisions.
 */
export async function getDataPointHistory(db: Db, id: string, reader: boolean | Audience) {
  const indicator = await findIndicatorOrThrow(db, await indicatorIdOfPoint(db, id));
  const view = await readerViewOf(db, indicator.id, asAudience(reader), undefined);
  const history = await readHistory(db, id);
  if (view.audience === 'members')
    return { ...history, point: (await withPublicationStates(db, indicator, [history.point]))[0]! };
  if (!view.view.publishedOnly && view.minCellSize === null) return history;
  let { revisions, deleted } = history;
  let point = history.point;
  if (view.view.publishedOnly) {
    point = await findDataPointOrThrow(db, id, view.view);
    const moments = await publicationMomentsOf(db, indicator.id, periodIndex(point.period, calendarOf(indicator)));
    revisions = publishedRevisions(revisions, moments);
    deleted = false;
  }
  if (view.minCellSize !== null) {
    const blank = <T extends { value: number | null } | null>(fields: T): T => fields && { ...fields, value: null };
    revisions = revisions.map((r) => ({ ...r, old: blank(r.old), new: blank(r.new) }));
  }
  [point] = await blankWithheld(db, indicator, [point], view);
  if (!point) throw new NotFoundError('dataPoint', id);
  return { point, deleted, revisions };
}

/**
 * The revisions whose version was the one in force at a publication moment, each `old` being the previous
 * such version: what the public has seen, in order.
 *
 * @example publishedRevisions([insert v1 at 10:00, update v2 at 11:00, update v3 at 12:00], [10:30, 12:30])
 *   // [insert v1, update v3 with old = v1's fields]
 */
export function publishedRevisions(revisions: Revision[], moments: Date[]): Revision[] {
  const versions = revisions.filter((r) => r.action !== 'delete');
  const kept: Revision[] = [];
  for (const revision of versions) {
    const from = Date.parse(revision.at);
    const next = revisions[revisions.indexOf(revision) + 1];
    const to = next ? Date.parse(next.at) : Infinity;
    if (!moments.some((m) => m.getTime() >= from && m.getTime() < to)) continue;
    const previous = kept[kept.length - 1];
    kept.push({
      ...revision,
      action: previous ? 'update' : 'insert',
      old: previous ? previous.new : null,
    });
  }
  return kept;
}

/** Members' points with the publication state of their period ("draft" where none was recorded). */
async function withStates(
  db: Db,
  indicator: { id: string; frequency: string; yearStartMonth: number },
  points: DataPoint[],
  view: ReaderView,
): Promise<DataPoint[]> {
  if (view.audience !== 'members') return points;
  return withPublicationStates(db, indicator, points);
}

/**
 * Points with the publication state of their period, for members (the writers' answers and the members' reads):
 * "draft" where none was recorded.
 */
export async function withPublicationStates(
  db: Db,
  indicator: { id: string; frequency: string; yearStartMonth: number },
  points: DataPoint[],
): Promise<DataPoint[]> {
  if (points.length === 0) return points;
  const calendar = calendarOf(indicator);
  const states = await periodStatesOf(db, indicator.id);
  return points.map((point) => ({
    ...point,
    publicationState: states.get(periodIndex(point.period, calendar)) ?? 'draft',
  }));
}

/** Points with the withheld cells' values blanked (`value: null`, `confStatus: "C"`). */
async function blankWithheld(
  db: Db,
  indicator: { id: string; frequency: string; yearStartMonth: number },
  points: DataPoint[],
  view: ReaderView,
): Promise<DataPoint[]> {
  if (view.minCellSize === null || points.length === 0) return points;
  const calendar = calendarOf(indicator);
  const withheld = await withheldCells(db, indicator.id, view);
  return points.map((point) =>
    withheld.has(`${periodIndex(point.period, calendar)} ${disaggregationKey(point.disaggregation)}`)
      ? // Its note may quote the number ("3 students left"): withheld with it.
        { ...point, value: null, note: null, confStatus: 'C' as const }
      : point,
  );
}
