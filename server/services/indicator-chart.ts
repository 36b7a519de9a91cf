/**
 * The turn-the-curve chart of an indicator (`chart.vl.json`, `chart.svg`, and the embed page):
 *   1. read the indicator with every point (as of asOf) and the footnotes, unverified flags and missing
 *      periods beside them, its initiative (brand), its turn-the-curve report
 *      and the actions the reader may see that existed at asOf;
 *   2. analyse it with the engine;
 *   3. build the Vega-Lite spec (domain/dashboard-views.ts), and render it to SVG when asked.
 */
import { fontFaceCss, type EmbedAssets } from '../../dashboards/embed-page.ts';
import { renderPng } from '../../dashboards/render-png.ts';
import { actionsAsOf } from '../domain/actions.ts';
import type { ChartView, IndicatorChartData } from '../domain/dashboard-views.ts';
import { toEngineIndicator, toObservedPoints } from '../domain/engine-input.ts';
import type { IndicatorAnalysis } from '../engine/types.ts';
import type { Db } from '../dependencies.ts';
import { actionsOfIndicators } from '../repositories/actions.ts';
import { findCurveReport } from '../repositories/curve-reports.ts';
import { pointMarksOf, seriesOf } from '../repositories/data-points.ts';
import { findIndicatorOrThrow } from '../repositories/indicators.ts';
import { asAudience, type Audience } from '../domain/disclosure.ts';
import { readerViewOf, withoutWithheld } from './reader-view.ts';
import { findInitiativeOrThrow } from '../repositories/initiatives.ts';
import type { AnalysisOptions } from './analysis-options.ts';
import { analyzeInWorker, answerOffLoop } from './off-loop.ts';
import { analyzeWithStoredFits, withStoredFits } from './stored-fits.ts';

export interface IndicatorChart {
  data: IndicatorChartData;
  analysis: IndicatorAnalysis;
}

/** Step 1: everything the chart of an indicator draws. */
export async function loadChartData(
  db: Db,
  indicatorId: string,
  asOf: Date | undefined,
  audience: Audience,
): Promise<IndicatorChartData> {
  const [indicator, reader] = await Promise.all([
    findIndicatorOrThrow(db, indicatorId),
    readerViewOf(db, indicatorId, audience, asOf),
  ]);
  const [series, allMarks, initiative, curveReport, actions] = await Promise.all([
    seriesOf(db, indicatorId, reader.view),
    pointMarksOf(db, indicatorId, reader.view),
    findInitiativeOrThrow(db, indicator.initiativeId),
    findCurveReport(db, indicatorId, asOf),
    actionsOfIndicators(db, [indicatorId], audience !== 'public'),
  ]);
  const { points, marks } = withoutWithheld(series, allMarks, reader);
  return { indicator, points, marks, initiative, curveReport, actions: actionsAsOf(actions, asOf, new Date()) };
}

/** Steps 1–2: everything the chart of an indicator draws, analysed (in the worker thread: off-loop.ts). */
export async function loadIndicatorChart(
  db: Db,
  indicatorId: string,
  { asOf, level }: AnalysisOptions,
  includePrivate: boolean | Audience,
): Promise<IndicatorChart> {
  const data = await loadChartData(db, indicatorId, asOf, asAudience(includePrivate));
  const [analysis] = await analyzeWithStoredFits(
    db,
    [
      {
        initiativeId: data.indicator.initiativeId,
        indicatorId,
        indicator: toEngineIndicator(data.indicator),
        points: toObservedPoints(data.points),
      },
    ],
    { level, asOf: asOf ?? null },
    analyzeInWorker,
  );
  return { data, analysis: analysis! };
}

/**
 * The chart's answer made in the worker thread (off-loop.ts) from the loaded data: analysis (with the stored
 * fits), then the spec's JSON or the SVG, as UTF-8 bytes. Neither the analysis nor the answer is copied
 * between threads as objects, nor serialised on the event loop.
 */
async function chartAnswer(
  db: Db,
  indicatorId: string,
  { asOf, level }: AnalysisOptions,
  includePrivate: boolean | Audience,
  output: { view: ChartView; svg?: { width: number; fontFaceCss: string } },
): Promise<Buffer> {
  const data = await loadChartData(db, indicatorId, asOf, asAudience(includePrivate));
  const { body } = await withStoredFits(
    db,
    { initiativeId: data.indicator.initiativeId, indicatorId },
    asOf ?? null,
    (storedFits) => answerOffLoop('chartAnswer', { data, storedFits, level, ...output }),
  );
  return body;
}

/** The chart as a Vega-Lite spec with its data inline (its JSON text): `total` (turn the curve) or `groups` (equity gaps). */
export async function getIndicatorChartSpecJson(
  db: Db,
  indicatorId: string,
  options: AnalysisOptions & { view: ChartView },
  includePrivate: boolean | Audience,
): Promise<Buffer> {
  return chartAnswer(db, indicatorId, options, includePrivate, { view: options.view });
}

/**
 * The same chart rendered on the server at a width (320–1,280 px), titled and described for screen readers;
 * the SVG loads the bundled fonts it was measured with from this server's assets.
 */
export async function getIndicatorChartSvg(
  db: Db,
  indicatorId: string,
  options: AnalysisOptions & { view: ChartView; width: number },
  includePrivate: boolean | Audience,
  assets: EmbedAssets,
): Promise<Buffer> {
  return chartAnswer(db, indicatorId, options, includePrivate, {
    view: options.view,
    svg: { width: options.width, fontFaceCss: fontFaceCss(assets.fonts) },
  });
}

/** The SVG chart rasterised (for slides and reports), `scale` pixels per chart pixel. */
export async function getIndicatorChartPng(
  db: Db,
  indicatorId: string,
  options: AnalysisOptions & { view: ChartView; width: number; scale: number },
  includePrivate: boolean | Audience,
  assets: EmbedAssets,
): Promise<Buffer> {
  const svg = await getIndicatorChartSvg(db, indicatorId, options, includePrivate, assets);
  return renderPng(svg.toString('utf8'), options.scale);
}
