/**
 * What CSV exports read (the use case is services/csv-export.ts): the indicators of a target, and their points
 * page by page (keyset), so that memory stays bounded whatever the size of the data.
 */
import { setImmediate as loopTurn } from 'node:timers/promises';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../schema/database.ts';
import type { ExportIndicator, ExportPoint } from '../domain/csv-export.ts';
import { NotFoundError } from '../errors.ts';
import { CHUNK_ROWS } from './chunked-read.ts';
import { whereVisible, type PointView } from './point-view.ts';

/** Points read per query: a chunk of chunked-read.ts (PGlite parses a page on the event loop in one go). */
const EXPORT_PAGE = CHUNK_ROWS;

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
  view: PointView,
): AsyncGenerator<ExportPoint[]> {
  const base = () =>
    whereVisible(
      db
        .selectFrom('dataPoints')
        .select([
          'period',
          'periodIndex',
          'disaggregation',
          'disaggregationKey',
          'value',
          'note',
          'status',
          'source',
          'obsStatus',
          'footnote',
        ]),
      view,
    )
      .where('indicatorId', '=', indicatorId)
      .limit(EXPORT_PAGE);
  // Each page on a loop turn of its own: a consumer that takes the pages as fast as they come (an inject, a
  // fast client) would otherwise have the whole export read and written in one turn (25,200 points: ~0.5 s
  // of the event loop on PGlite, which answers in this thread).
  const page = async <Row>(query: { execute(): Promise<Row[]> }): Promise<Row[]> => {
    await loopTurn();
    return query.execute();
  };
  // The total.
  let after: number | null = null;
  for (;;) {
    let query = base().where('disaggregationKey', '=', '{}').orderBy('periodIndex');
    if (after !== null) query = query.where('periodIndex', '>', after);
    const rows = await page(query);
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
    const rows = await page(query);
    if (rows.length > 0) yield rows;
    if (rows.length < EXPORT_PAGE) break;
    const last = rows[rows.length - 1]!;
    cursor = [last.disaggregationKey, last.periodIndex];
  }
}
