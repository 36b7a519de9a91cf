/**
 * The pages partners put in an iframe (`/embed/indicators/{id}`, `/embed/results/{id}`): title,
 * plain-language summary, the chart twice — server-rendered SVG for readers without scripts, and the
 * compiled Vega spec for the interactive one —, the data as tables, and the turn-the-curve story.
 * Each page comes with the origins allowed to frame it (the route turns them into its CSP).
 */
import { accessibleSvg } from '../../dashboards/index.ts';
import { embedPage, type EmbedAssets } from '../../dashboards/embed-page.ts';
import {
  indicatorChartSpec,
  indicatorEmbedContent,
  resultEmbedContent,
  resultScorecardHtml,
  withoutTitle,
} from '../domain/dashboard-views.ts';
import { compileToVega, renderSvg } from '../domain/render-svg.ts';
import type { Db } from '../dependencies.ts';
import type { AnalysisOptions } from './analysis-options.ts';
import { loadIndicatorChart } from './indicator-chart.ts';
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
  const spec = withoutTitle(indicatorChartSpec(data, analysis, 'total'));
  const content = indicatorEmbedContent(data, analysis);
  const svg = accessibleSvg(await renderSvg(spec), { title: content.title, description: content.summary });
  // The interactive chart follows the page's width (ticks, labels and legend adapt to it).
  const vegaSpec = compileToVega(withoutTitle(indicatorChartSpec(data, analysis, 'total', 'container')));
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
