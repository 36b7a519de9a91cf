/**
 * The turn-the-curve chart of an indicator (`chart.vl.json`, `chart.svg`, and the embed page):
 *   1. read the indicator with every point (as of asOf), its initiative (brand), its turn-the-curve report
 *      and the actions the reader may see that existed at asOf;
 *   2. analyse it with the engine;
 *   3. build the Vega-Lite spec (domain/dashboard-views.ts), and render it to SVG when asked.
 */
import type { TopLevelSpec } from 'vega-lite';
import { accessibleSvg, describeIndicator } from '../../dashboards/index.ts';
import { fontFaceCss, type EmbedAssets } from '../../dashboards/embed-page.ts';
import { renderPng } from '../../dashboards/render-png.ts';
import { actionsAsOf } from '../domain/actions.ts';
import { indicatorChartSpec, type ChartView, type IndicatorChartData } from '../domain/dashboard-views.ts';
import { toEngineIndicator, toObservedPoints } from '../domain/engine-input.ts';
import { renderSvg } from '../domain/render-svg.ts';
import type { IndicatorAnalysis } from '../engine/types.ts';
import type { Db } from '../dependencies.ts';
import { actionsOfIndicators } from '../repositories/actions.ts';
import { findCurveReport } from '../repositories/curve-reports.ts';
import { seriesOf } from '../repositories/data-points.ts';
import { findIndicatorOrThrow } from '../repositories/indicators.ts';
import { findInitiativeOrThrow } from '../repositories/initiatives.ts';
import type { AnalysisOptions } from './analysis-options.ts';
import { analyzeWithStoredFits } from './stored-fits.ts';

export interface IndicatorChart {
  data: IndicatorChartData;
  analysis: IndicatorAnalysis;
}

/** Steps 1–2: everything the chart of an indicator draws, analysed. */
export async function loadIndicatorChart(
  db: Db,
  indicatorId: string,
  { asOf, level }: AnalysisOptions,
  includePrivate: boolean,
): Promise<IndicatorChart> {
  const indicator = await findIndicatorOrThrow(db, indicatorId);
  const [points, initiative, curveReport, actions] = await Promise.all([
    seriesOf(db, indicatorId, asOf),
    findInitiativeOrThrow(db, indicator.initiativeId),
    findCurveReport(db, indicatorId, asOf),
    actionsOfIndicators(db, [indicatorId], includePrivate),
  ]);
  const data = { indicator, points, initiative, curveReport, actions: actionsAsOf(actions, asOf, new Date()) };
  const [analysis] = await analyzeWithStoredFits(
    db,
    [
      {
        initiativeId: indicator.initiativeId,
        indicatorId,
        indicator: toEngineIndicator(indicator),
        points: toObservedPoints(points),
      },
    ],
    { level, asOf: asOf ?? null },
  );
  return { data, analysis: analysis! };
}

/** The chart as a Vega-Lite spec with its data inline: `total` (turn the curve) or `groups` (equity gaps). */
export async function getIndicatorChartSpec(
  db: Db,
  indicatorId: string,
  options: AnalysisOptions & { view: ChartView },
  includePrivate: boolean,
): Promise<TopLevelSpec> {
  const { data, analysis } = await loadIndicatorChart(db, indicatorId, options, includePrivate);
  return indicatorChartSpec(data, analysis, options.view);
}

/**
 * The same chart rendered on the server at a width (320–1,280 px), titled and described for screen readers;
 * the SVG loads the bundled fonts it was measured with from this server's assets.
 */
export async function getIndicatorChartSvg(
  db: Db,
  indicatorId: string,
  options: AnalysisOptions & { view: ChartView; width: number },
  includePrivate: boolean,
  assets: EmbedAssets,
): Promise<string> {
  const { data, analysis } = await loadIndicatorChart(db, indicatorId, options, includePrivate);
  return accessibleSvg(
    await renderSvg(indicatorChartSpec(data, analysis, options.view, options.width)),
    { title: data.indicator.name, description: describeIndicator(data.indicator, analysis) },
    { fontFaceCss: fontFaceCss(assets.fonts) },
  );
}

/** The SVG chart rasterised (for slides and reports), `scale` pixels per chart pixel. */
export async function getIndicatorChartPng(
  db: Db,
  indicatorId: string,
  options: AnalysisOptions & { view: ChartView; width: number; scale: number },
  includePrivate: boolean,
  assets: EmbedAssets,
): Promise<Buffer> {
  return renderPng(await getIndicatorChartSvg(db, indicatorId, options, includePrivate, assets), options.scale);
}
