/**
 * The scorecard of a result as one Vega-Lite spec (`dashboard.vl.json`, and the result's embed page):
 *   1. read the result for analysis, its initiative (name, brand) and the actions linked to its indicators;
 *   2. build the scorecard (result-scorecard.ts);
 *   3. draw it as small multiples (domain/dashboard-views.ts), described in words.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ResultScorecard } from '../../schema/contracts/scorecard.ts';
import { describeScorecard } from '../../dashboards/index.ts';
import { resultDashboardSpec, type ResultDashboardData } from '../domain/dashboard-views.ts';
import type { Db } from '../dependencies.ts';
import { actionsOfIndicators } from '../repositories/actions.ts';
import { findInitiativeOrThrow } from '../repositories/initiatives.ts';
import { audienceOf } from '../domain/disclosure.ts';
import { loadResultForAnalysis } from '../repositories/result-analysis.ts';
import { visibleTotals } from './reader-view.ts';
import type { AnalysisOptions } from './analysis-options.ts';
import { indicatorIdsOf, scorecardOf } from './result-scorecard.ts';

export interface ResultDashboard {
  data: ResultDashboardData;
  scorecard: ResultScorecard;
}

/** Steps 1–2. */
export async function loadResultDashboard(
  db: Db,
  resultId: string,
  options: AnalysisOptions,
  includePrivate: boolean,
): Promise<ResultDashboard> {
  const loaded = await loadResultForAnalysis(db, resultId, includePrivate, (ids) =>
    visibleTotals(db, ids, () => audienceOf(includePrivate), options.asOf),
  );
  const [initiative, actions] = await Promise.all([
    findInitiativeOrThrow(db, loaded.result.initiativeId),
    actionsOfIndicators(db, indicatorIdsOf(loaded), includePrivate),
  ]);
  return { data: { loaded, initiative }, scorecard: await scorecardOf(db, loaded, actions, options) };
}

/** The dashboard spec, with a description of the scorecard in words. */
export async function getResultDashboardSpec(
  db: Db,
  resultId: string,
  options: AnalysisOptions,
  includePrivate: boolean,
): Promise<TopLevelSpec> {
  const { data, scorecard } = await loadResultDashboard(db, resultId, options, includePrivate);
  return { ...resultDashboardSpec(data, scorecard), description: describeScorecard(data.initiative.name, scorecard) };
}
