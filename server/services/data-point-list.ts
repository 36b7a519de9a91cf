/**
 * Reading an indicator's data points (`GET /indicators/{id}/data-points`): the query's period labels and
 * slice are read in the indicator's calendar and dimensions (domain/point-range.ts), then one page is read.
 */
import type { Db } from '../dependencies.ts';
import { pointRange } from '../domain/point-range.ts';
import { listDataPoints } from '../repositories/data-points.ts';
import { findIndicatorOrThrow } from '../repositories/indicators.ts';

export interface DataPointListQuery {
  from?: string | undefined;
  to?: string | undefined;
  slice: string;
  limit: number;
  cursor?: string | undefined;
  asOf?: Date | undefined;
}

export async function listIndicatorDataPoints(db: Db, indicatorId: string, query: DataPointListQuery) {
  const indicator = await findIndicatorOrThrow(db, indicatorId);
  const { limit, cursor, asOf } = query;
  return listDataPoints(db, indicatorId, pointRange(indicator, query), { limit, cursor }, asOf);
}
