/**
 * Everything the scorecard and the SMART check need about a result, in four queries whatever its size:
 * the result, its outcomes, its indicators, and the total-slice points of all of them.
 */
import type { Kysely } from 'kysely';
import type { Database, DataPointRow } from '../../schema/database.ts';
import type { Indicator } from '../../schema/contracts/indicators.ts';
import type { Outcome } from '../../schema/contracts/outcomes.ts';
import type { Result } from '../../schema/contracts/results.ts';
import { findResultOrThrow } from './results.ts';
import { selectIndicators, toIndicator, type IndicatorWithVisibility } from './indicators.ts';
import { toOutcome } from './outcomes.ts';

export interface ResultForAnalysis {
  result: Result;
  outcomes: Outcome[];
  indicators: Array<{ indicator: Indicator; row: IndicatorWithVisibility; totalPoints: DataPointRow[] }>;
}

export async function loadResultForAnalysis(db: Kysely<Database>, resultId: string): Promise<ResultForAnalysis> {
  const result = await findResultOrThrow(db, resultId);
  const [outcomeRows, indicatorRows] = await Promise.all([
    db.selectFrom('outcomes').selectAll().where('resultId', '=', resultId).execute(),
    selectIndicators(db).where('indicators.resultId', '=', resultId).execute(),
  ]);
  const points = await db
    .selectFrom('dataPoints')
    .innerJoin('indicators', 'indicators.id', 'dataPoints.indicatorId')
    .selectAll('dataPoints')
    .where('indicators.resultId', '=', resultId)
    .where('dataPoints.disaggregationKey', '=', '{}')
    .orderBy('dataPoints.indicatorId')
    .orderBy('dataPoints.periodIndex')
    .execute();
  const pointsOf = new Map<string, DataPointRow[]>();
  for (const point of points) {
    const list = pointsOf.get(point.indicatorId) ?? [];
    list.push(point);
    pointsOf.set(point.indicatorId, list);
  }
  return {
    result,
    outcomes: outcomeRows.map(toOutcome),
    indicators: indicatorRows.map((row) => ({ indicator: toIndicator(row), row, totalPoints: pointsOf.get(row.id) ?? [] })),
  };
}
