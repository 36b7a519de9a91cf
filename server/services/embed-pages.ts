/**
 * The pages partners put in an iframe (`/embed/indicators/{id}`, `/embed/results/{id}`): title,
 * plain-language summary, the chart twice — server-rendered SVG for readers without scripts, and the
 * compiled Vega spec for the interactive one —, the data as tables, and the turn-the-curve story.
 * Each page comes with the origins allowed to frame it (the route turns them into its CSP).
 */
import { embedPage, type EmbedAssets } from '../../dashboards/embed-page.ts';
import { resultEmbedContent, resultScorecardHtml } from '../domain/dashboard-views.ts';
import { asAudience } from '../domain/disclosure.ts';
import type { Db } from '../dependencies.ts';
import type { AnalysisOptions } from './analysis-options.ts';
import { loadChartData } from './indicator-chart.ts';
import { answerOffLoop } from './off-loop.ts';
import { loadResultDashboard } from './result-dashboard.ts';
import { withStoredFits } from './stored-fits.ts';

export interface EmbedPage {
  /** The page (UTF-8 bytes when made in the worker thread). */
  html: string | Buffer;
  /** The initiative's `embedOrigins`: who may frame the page (any origin when empty). */
  embedOrigins: string[];
}

export async function getIndicatorEmbedPage(
  db: Db,
  indicatorId: string,
  { asOf, level }: AnalysisOptions,
  includePrivate: boolean,
  assets: EmbedAssets,
): Promise<EmbedPage> {
  const data = await loadChartData(db, indicatorId, asOf, asAudience(includePrivate));
  // Analysis, both charts (server SVG, and the compiled Vega spec that follows the page's width) and the page
  // itself are made in the worker thread (off-loop.ts): a large indicator's page is megabytes of HTML.
  const { body } = await withStoredFits(
    db,
    { initiativeId: data.indicator.initiativeId, indicatorId },
    asOf ?? null,
    (storedFits) => answerOffLoop('embedAnswer', { data, storedFits, level, assets }),
  );
  return { html: body, embedOrigins: data.initiative.embedOrigins };
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
