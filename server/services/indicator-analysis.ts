/**
 * The turn-the-curve analysis of one indicator (`GET /indicators/{id}/analysis`):
 *   1. read the indicator, its points as the reader may see them (as of asOf; services/reader-view.ts), its
 *      turn-the-curve report and its linked actions;
 *   2. analyse every slice with the engine, reusing the stored baseline fits that still apply;
 *   3. add the plain-language summary, the report and the actions that existed at asOf, judged on that day.
 * Steps 2–3 and the answer's JSON run in the worker thread (off-loop.ts): a large group analysis is seconds
 * of CPU and megabytes of JSON, which must not stop other requests.
 */
import { actionsAsOf } from '../domain/actions.ts';
import type { Db } from '../dependencies.ts';
import { actionsOfIndicators } from '../repositories/actions.ts';
import { findCurveReport } from '../repositories/curve-reports.ts';
import { seriesOf } from '../repositories/data-points.ts';
import { findIndicatorOrThrow } from '../repositories/indicators.ts';
import { asAudience, type Audience } from '../domain/disclosure.ts';
import { readerViewOf, withoutWithheld } from './reader-view.ts';
import type { AnalysisOptions } from './analysis-options.ts';
import { answerOffLoop } from './off-loop.ts';
import { withStoredFits } from './stored-fits.ts';

/** The analysis as the JSON text of the answer (UTF-8), checked against its response schema. */
export async function getIndicatorAnalysisJson(
  db: Db,
  indicatorId: string,
  { asOf, level }: AnalysisOptions,
  includePrivate: boolean | Audience,
): Promise<Buffer> {
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
  const { body } = await withStoredFits(
    db,
    { initiativeId: indicator.initiativeId, indicatorId: indicator.id },
    asOf ?? null,
    (storedFits) =>
      answerOffLoop('analysisAnswer', {
        indicator,
        points,
        storedFits,
        level,
        asOf: asOf?.toISOString() ?? null,
        curveReport,
        actions: actionsAsOf(actions, asOf, new Date()),
      }),
  );
  return body;
}
