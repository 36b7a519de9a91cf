/**
 * The scorecard of a result (`GET /results/{id}/scorecard`, and under its dashboard and embed page):
 *   1. read the result for analysis (tree, indicators, total series as of asOf, partners) and the actions
 *      linked to its indicators — only what the reader may see;
 *   2. summarise each indicator and roll the summaries up the tree (domain/scorecard.ts), judging data
 *      freshness and overdue actions at asOf, or now.
 */
import type { ResultScorecard } from '../../schema/contracts/scorecard.ts';
import type { StoredAction } from '../domain/actions.ts';
import type { ResultForAnalysis } from '../domain/result-for-analysis.ts';
import { buildScorecard } from '../domain/scorecard.ts';
import type { Db } from '../dependencies.ts';
import { actionsOfIndicators } from '../repositories/actions.ts';
import { audienceOf } from '../domain/disclosure.ts';
import { loadResultForAnalysis } from '../repositories/result-analysis.ts';
import { visibleTotals } from './reader-view.ts';
import { toEngineIndicator, toObservedPoints } from '../domain/engine-input.ts';
import { offLoop } from './off-loop.ts';
import { totalsWithFitsGiven, totalsWithStoredFits } from './stored-fits.ts';
import type { AnalysisOptions } from './analysis-options.ts';

/**
 * A result of up to this many points (total slices) is analysed on this thread: ~10 ms, less than a trip to
 * the worker thread costs. A larger one (200 indicators × 120 points: ~0.1–0.3 s of analyses) goes to the
 * worker thread, in batches of `BATCH_POINTS`, so that no request holds the event loop for long
 * (issue 13) and a small scorecard never waits behind another request's work in the worker.
 */
const HERE_UP_TO_POINTS = 2_000;
const BATCH_POINTS = 6_000;

export async function getResultScorecard(
  db: Db,
  resultId: string,
  options: AnalysisOptions,
  includePrivate: boolean,
): Promise<ResultScorecard> {
  const loaded = await loadResultForAnalysis(db, resultId, includePrivate, (ids) =>
    visibleTotals(db, ids, () => audienceOf(includePrivate), options.asOf),
  );
  const actions = await actionsOfIndicators(db, indicatorIdsOf(loaded), includePrivate);
  return scorecardOf(db, loaded, actions, options);
}

export function indicatorIdsOf(loaded: ResultForAnalysis): string[] {
  return loaded.indicators.map((i) => i.indicator.id);
}

/** The scorecard of loaded data, judged at asOf (or now); baseline fits stored and reused (stored-fits.ts). */
export async function scorecardOf(
  db: Db,
  loaded: ResultForAnalysis,
  actions: StoredAction[],
  { asOf, level }: AnalysisOptions,
): Promise<ResultScorecard> {
  const subjects = loaded.indicators.map(({ indicator, totalPoints }) => ({
    initiativeId: indicator.initiativeId,
    indicatorId: indicator.id,
    indicator: toEngineIndicator(indicator),
    points: toObservedPoints(totalPoints),
  }));
  const here = subjects.reduce((n, s) => n + s.points.length, 0) <= HERE_UP_TO_POINTS;
  const analyses = await totalsWithStoredFits(
    db,
    subjects,
    { asOf: asOf ?? null, batchPoints: BATCH_POINTS },
    here
      ? async (batch) => totalsWithFitsGiven(batch, level)
      : (batch) => offLoop('totals', { subjects: batch, level }),
  );
  const totals = new Map(loaded.indicators.map(({ indicator }, i) => [indicator.id, analyses[i]!]));
  return buildScorecard(loaded, level, asOf ?? null, { now: asOf ?? new Date(), actions, totals });
}
