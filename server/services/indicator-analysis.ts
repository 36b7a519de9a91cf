/**
 * The turn-the-curve analysis of one indicator (`GET /indicators/{id}/analysis`):
 *   1. read the indicator, its points as the reader may see them (as of asOf; services/reader-view.ts), its
 *      turn-the-curve report and its linked actions;
 *   2. analyse every slice with the engine, reusing the stored baseline fits that still apply;
 *   3. add the plain-language summary, the report and the actions that existed at asOf, judged on that day.
 */
import type { z } from 'zod';
import type { IndicatorAnalysisWithReport } from '../../schema/contracts/curve-reports.ts';
import { summarizeIndicator } from '../../dashboards/index.ts';
import { actionsAsOf } from '../domain/actions.ts';
import { toEngineIndicator, toObservedPoints } from '../domain/engine-input.ts';
import type { Db } from '../dependencies.ts';
import { actionsOfIndicators } from '../repositories/actions.ts';
import { findCurveReport } from '../repositories/curve-reports.ts';
import { seriesOf } from '../repositories/data-points.ts';
import { findIndicatorOrThrow } from '../repositories/indicators.ts';
import { asAudience, type Audience } from '../domain/disclosure.ts';
import { readerViewOf, withoutWithheld } from './reader-view.ts';
import type { AnalysisOptions } from './analysis-options.ts';
import { analyzeInWorker } from './off-loop.ts';
import { analyzeWithStoredFits } from './stored-fits.ts';

export async function getIndicatorAnalysis(
  db: Db,
  indicatorId: string,
  { asOf, level }: AnalysisOptions,
  includePrivate: boolean | Audience,
): Promise<z.infer<typeof IndicatorAnalysisWithReport>> {
  const [indicator, reader] = await Promise.all([
    findIndicatorOrThrow(db, indicatorId),
    readerViewOf(db, indicatorId, asAudience(includePrivate), asOf),
  ]);
  const [series, curveReport, actions] = await Promise.all([
    seriesOf(db, indicator.id, reader.view),
    findCurveReport(db, indicator.id, asOf),
    actionsOfIndicators(db, [indicator.id], asAudience(includePrivate) !== 'public'),
  ]);
  const { points } = withoutWithheld(series, [], reader);
  // With the stored baseline fits that still apply (stored-fits.ts); the engine runs in the worker thread
  // (off-loop.ts): a large group analysis must not stop other requests.
  const [analysis] = await analyzeWithStoredFits(
    db,
    [
      {
        initiativeId: indicator.initiativeId,
        indicatorId: indicator.id,
        indicator: toEngineIndicator(indicator),
        points: toObservedPoints(points),
      },
    ],
    { level, asOf: asOf ?? null },
    analyzeInWorker,
  );
  return {
    indicatorId: indicator.id,
    asOf: asOf?.toISOString() ?? null,
    ...analysis!,
    // The same two sentences the embed page shows above the chart.
    summary: summarizeIndicator(indicator, analysis!),
    curveReport,
    actions: actionsAsOf(actions, asOf, new Date()),
  };
}
