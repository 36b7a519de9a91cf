/**
 * The pages partners put in an iframe (`/embed/indicators/{id}`, `/embed/results/{id}`): title,
 * plain-language summary, the chart twice — server-rendered SVG for readers without scripts, and the
 * compiled Vega spec for the interactive one —, the data as tables, and the turn-the-curve story.
 * Each page comes with the origins allowed to frame it (the route turns them into its CSP).
 */
import { embedPage, type EmbedAssets } from '../../dashboards/embed-page.ts';
import { indicatorEmbedContent, resultEmbedContent, resultScorecardHtml } from '../domain/dashboard-views.ts';
import type { Db } from '../dependencies.ts';
import type { AnalysisOptions } from './analysis-options.ts';
import { loadIndicatorChart } from './indicator-chart.ts';
import { offLoop } from './off-loop.ts';
import { loadResultDashboard } from './result-dashboard.ts';

export interface EmbedPage {
  html: string;
  /** The initiative's `embedOrigins`: who may frame the page (any origin when empty). */
  embedOrigins: string[];
}

export async function getIndicatorEmbedPage(
  db: Db,
  indicatorId: string,
  options: AnalysisOptions,
  includePrivate: boolean,
  assets: EmbedAssets,
): Promise<EmbedPage> {
  const { data, analysis } = await loadIndicatorChart(db, indicatorId, options, includePrivate);
  const content = indicatorEmbedContent(data, analysis);
  // Both charts are built in the worker thread (off-loop.ts); the interactive one follows the page's width.
  const { svg, vegaSpec } = await offLoop('embedCharts', {
    data,
    analysis,
    title: content.title,
    summary: content.summary,
  });
  return {
    html: embedPage({ ...content, embedId: data.indicator.id, svg, vegaSpec, assets }),
    embedOrigins: data.initiative.embedOrigins,
  };
}

export async function getResultEmbedPage(
  db: Db,
  resultId: string,
  options: AnalysisOptions,
  includePrivate: boolean,
  assets: EmbedAssets,
): Promise<EmbedPage> {
  const { data, scorecard } = await loadResultDashboard(db, resultId, options, includePrivate);
  const content = resultEmbedContent(data, scorecard);
  return {
    html: embedPage({
      ...content,
      embedId: data.loaded.result.id,
      html: resultScorecardHtml(data, scorecard),
      // Only the page script runs (height reports): no chart to draw here.
      assets: { ...assets, scripts: assets.scripts.filter((src) => src.includes('/embed-')) },
    }),
    embedOrigins: data.initiative.embedOrigins,
  };
}
