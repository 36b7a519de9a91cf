/**
 * What the dashboard and embed routes draw: an indicator with all its points and its initiative's brand, or
 * a result's scorecard inputs with its initiative. A fixed number of queries each.
 */
import type { Kysely } from 'kysely';
import type { Database, DataPointRow } from '../../schema/database.ts';
import type { Indicator } from '../../schema/contracts/indicators.ts';
import type { Initiative } from '../../schema/contracts/initiatives.ts';
import type { Result } from '../../schema/contracts/results.ts';
import { allPointsOf } from './data-points.ts';
import { selectIndicators, toIndicator, type IndicatorWithVisibility } from './indicators.ts';
import { findInitiativeOrThrow } from './initiatives.ts';
import { loadResultForAnalysis, type ResultForAnalysis } from './result-analysis.ts';
import { findResultOrThrow } from './results.ts';
import { NotFoundError } from '../errors.ts';

export interface IndicatorChartData {
  indicator: Indicator;
  row: IndicatorWithVisibility;
  points: DataPointRow[];
  result: Result;
  initiative: Initiative;
}

export async function loadIndicatorChartData(db: Kysely<Database>, indicatorId: string, asOf?: Date): Promise<IndicatorChartData> {
  const row = await selectIndicators(db).where('indicators.id', '=', indicatorId).executeTakeFirst();
  if (!row) throw new NotFoundError('indicator', indicatorId);
  const [points, result, initiative] = await Promise.all([
    allPointsOf(db, [indicatorId], asOf),
    findResultOrThrow(db, row.resultId),
    findInitiativeOrThrow(db, row.initiativeId),
  ]);
  return { indicator: toIndicator(row), row, points, result, initiative };
}

export interface ResultDashboardData {
  loaded: ResultForAnalysis;
  initiative: Initiative;
}

export async function loadResultDashboardData(
  db: Kysely<Database>,
  resultId: string,
  includePrivate: boolean,
  asOf?: Date,
): Promise<ResultDashboardData> {
  const loaded = await loadResultForAnalysis(db, resultId, includePrivate, asOf);
  return { loaded, initiative: await findInitiativeOrThrow(db, loaded.result.initiativeId) };
}
