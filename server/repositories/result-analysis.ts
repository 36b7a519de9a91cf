/**
 * Everything the scorecard and the SMART check need about a result (domain/result-for-analysis.ts), in five
 * queries whatever its size: the result, its outcomes, its indicators, the initiative's partners (owner
 * names), and the total-slice points of all of them.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../schema/database.ts';
import type { ResultForAnalysis } from '../domain/result-for-analysis.ts';
import type { TotalsReader } from '../domain/series-point.ts';
import { findResultOrThrow } from './results.ts';
import { onlyVisible, selectIndicators, toIndicator } from './indicators.ts';
import { toOutcome } from './outcomes.ts';

/** Private indicators are left out unless `includePrivate`. */
export async function loadResultForAnalysis(
  db: Kysely<Database>,
  resultId: string,
  includePrivate: boolean,
  /** Reads the indicators' totals as the caller may see them (services/reader-view.ts `visibleTotals`). */
  readTotals: TotalsReader,
): Promise<ResultForAnalysis> {
  const result = await findResultOrThrow(db, resultId);
  const [outcomeRows, indicatorRows, partners] = await Promise.all([
    db.selectFrom('outcomes').selectAll().where('resultId', '=', resultId).execute(),
    onlyVisible(selectIndicators(db), includePrivate).where('indicators.resultId', '=', resultId).execute(),
    db.selectFrom('partners').select(['id', 'name']).where('initiativeId', '=', result.initiativeId).execute(),
  ]);
  const seriesOf = await readTotals(indicatorRows.map((row) => row.id));
  return {
    result,
    outcomes: outcomeRows.map(toOutcome),
    indicators: indicatorRows.map((row) => ({ indicator: toIndicator(row), totalPoints: seriesOf.get(row.id) ?? [] })),
    partners,
  };
}
