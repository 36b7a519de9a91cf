/**
 * Everything the scorecard and the SMART check need about a result, in five queries whatever its size:
 * the result, its outcomes, its indicators, the initiative's partners (owner names), and the total-slice
 * points of all of them.
 */
import type { Kysely } from 'kysely';
import type { Database, DataPointRow } from '../../schema/database.ts';
import type { Indicator } from '../../schema/contracts/indicators.ts';
import type { Outcome } from '../../schema/contracts/outcomes.ts';
import type { Result } from '../../schema/contracts/results.ts';
import { validAt } from './versions.ts';
import { findResultOrThrow } from './results.ts';
import { onlyVisible, selectIndicators, toIndicator, type IndicatorWithVisibility } from './indicators.ts';
import { toOutcome } from './outcomes.ts';

/** The columns of a point the scorecard, SMART check and sparklines use (reading all 18 costs 3–5×). */
export type AnalysisPoint = Pick<
  DataPointRow,
  'indicatorId' | 'period' | 'periodIndex' | 'value' | 'disaggregation' | 'note' | 'status'
>;

export interface ResultForAnalysis {
  result: Result;
  outcomes: Outcome[];
  indicators: Array<{ indicator: Indicator; row: IndicatorWithVisibility; totalPoints: AnalysisPoint[] }>;
  /** The initiative's partners (names of indicator owners); loaded by `loadResultForAnalysis`. */
  partners?: Array<{ id: string; name: string }>;
}

/** Private indicators are left out unless `includePrivate`. */
export async function loadResultForAnalysis(
  db: Kysely<Database>,
  resultId: string,
  includePrivate: boolean,
  asOf?: Date,
): Promise<ResultForAnalysis> {
  const result = await findResultOrThrow(db, resultId);
  const [outcomeRows, indicatorRows, partners] = await Promise.all([
    db.selectFrom('outcomes').selectAll().where('resultId', '=', resultId).execute(),
    onlyVisible(selectIndicators(db), includePrivate).where('indicators.resultId', '=', resultId).execute(),
    db.selectFrom('partners').select(['id', 'name']).where('initiativeId', '=', result.initiativeId).execute(),
  ]);
  const ids = indicatorRows.map((row) => row.id);
  const points = ids.length
    ? await validAt(
        db
          .selectFrom('dataPoints')
          .select(['indicatorId', 'period', 'periodIndex', 'value', 'disaggregation', 'note', 'status']),
        'dataPoints',
        asOf,
      )
        .where('indicatorId', 'in', ids)
        .where('disaggregationKey', '=', '{}')
        .orderBy('indicatorId')
        .orderBy('periodIndex')
        .execute()
    : [];
  const pointsOf = new Map<string, AnalysisPoint[]>();
  for (const point of points) {
    const list = pointsOf.get(point.indicatorId) ?? [];
    list.push(point);
    pointsOf.set(point.indicatorId, list);
  }
  return {
    result,
    outcomes: outcomeRows.map(toOutcome),
    indicators: indicatorRows.map((row) => ({
      indicator: toIndicator(row),
      row,
      totalPoints: pointsOf.get(row.id) ?? [],
    })),
    partners,
  };
}
