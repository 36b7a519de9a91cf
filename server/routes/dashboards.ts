/**
 * Charts as an API product: Vega-Lite specs with inline data, server-rendered SVG, the scorecard
 * dashboard, and copy-paste embed snippets. Every answer is pre-serialised and cached until data change
 * (see server/cache/), with strong ETags.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IntervalLevelQuery } from '../../schema/contracts/analysis.ts';
import { errorResponses, Uuid } from '../../schema/contracts/common.ts';
import { accessibleSvg, describeIndicator, describeScorecard } from '../../dashboards/index.ts';
import { sendCached } from '../cache/send-cached.ts';
import { analyzeIndicator } from '../engine/analyze-indicator.ts';
import { indicatorChartSpec, embedSnippet, resultDashboardSpec, type ChartView } from '../domain/dashboard-views.ts';
import { toEngineIndicator, toObservedPoints } from '../domain/engine-input.ts';
import { renderSvg } from '../domain/render-svg.ts';
import { buildScorecard } from '../domain/scorecard.ts';
import { UnprocessableError } from '../errors.ts';
import { seesPrivate } from '../auth/visibility.ts';
import { loadIndicatorChartData, loadResultDashboardData } from '../repositories/dashboard-data.ts';
import { findIndicatorOrThrow } from '../repositories/indicators.ts';
import { findResultOrThrow } from '../repositories/results.ts';
import type { AppDependencies } from '../dependencies.ts';

const tags = ['dashboards'];
const IndicatorParams = z.object({ indicatorId: Uuid });
const ResultParams = z.object({ resultId: Uuid });
const ChartQuery = z.object({
  ...IntervalLevelQuery.shape,
  view: z
    .enum(['total', 'groups'])
    .default('total')
    .meta({ description: '`total`: the turn-the-curve chart; `groups`: one line per group with the equity gaps' }),
});
const VegaLiteSpec = z.looseObject({ $schema: z.string() }).meta({
  id: 'VegaLiteSpec',
  description: 'A Vega-Lite v6 specification with its data inline; restyle it as you like',
});
const Svg = z.string().meta({ description: 'image/svg+xml' });
const Snippet = z
  .object({
    embedUrl: z.string().meta({ description: 'The page to put in an iframe' }),
    html: z
      .string()
      .meta({ description: 'Copy-paste HTML: the iframe and a listener that applies its reported height' }),
    protocol: z.string().meta({ description: 'How the page reports its height to the parent window' }),
  })
  .meta({ id: 'EmbedSnippet' });

function queryKey(query: Record<string, unknown>): string {
  return JSON.stringify(Object.entries(query).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]));
}

/** The public base URL of this server, as the request reached it. */
function originOf(request: { protocol: string; host: string }): string {
  return `${request.protocol}://${request.host}`;
}

export const dashboardRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { db, cache }) => {
  const indicatorChart = async (indicatorId: string, query: z.infer<typeof ChartQuery>, includePrivate: boolean) => {
    const data = await loadIndicatorChartData(db, indicatorId, query.asOf, includePrivate);
    const analysis = analyzeIndicator(toEngineIndicator(data.row), toObservedPoints(data.points), {
      level: query.level,
    });
    return { data, analysis, spec: indicatorChartSpec(data, analysis, query.view as ChartView) };
  };

  app.get('/indicators/:indicatorId/chart.vl.json', {
    config: { access: { action: 'read', anchor: { kind: 'indicator', param: 'indicatorId' } } },
    schema: {
      operationId: 'getIndicatorChartSpec',
      summary: 'The turn-the-curve chart of an indicator as a Vega-Lite spec (data inline)',
      description:
        'Actual values (provisional ones hollow), the baseline forecast (dashed) with its interval band, the baseline rule, the target and interim targets; the curve and progress status in the subtitle; notes in tooltips. `view=groups` draws one line per group with the equity gaps.',
      tags,
      params: IndicatorParams,
      querystring: ChartQuery,
      response: { 200: VegaLiteSpec, ...errorResponses(404) },
    },
    handler: async (request, reply) =>
      sendCached(
        request,
        reply,
        cache,
        `chart.vl.json ${request.params.indicatorId} ${queryKey(request.query)}`,
        async () => {
          const { spec } = await indicatorChart(request.params.indicatorId, request.query, seesPrivate(request));
          return { body: JSON.stringify(spec), contentType: 'application/json; charset=utf-8' };
        },
      ),
  });

  app.get('/indicators/:indicatorId/chart.svg', {
    config: { access: { action: 'read', anchor: { kind: 'indicator', param: 'indicatorId' } } },
    schema: {
      operationId: 'getIndicatorChartSvg',
      summary: 'The same chart rendered on the server as SVG',
      description:
        'For places that cannot run scripts (e-mail, print, no-script readers). The SVG carries a title and a description for screen readers.',
      tags,
      params: IndicatorParams,
      querystring: ChartQuery,
      produces: ['image/svg+xml'],
      response: { 200: Svg, ...errorResponses(404) },
    },
    handler: async (request, reply) =>
      sendCached(
        request,
        reply,
        cache,
        `chart.svg ${request.params.indicatorId} ${queryKey(request.query)}`,
        async () => {
          const { data, analysis, spec } = await indicatorChart(
            request.params.indicatorId,
            request.query,
            seesPrivate(request),
          );
          const svg = accessibleSvg(await renderSvg(spec), {
            title: data.indicator.name,
            description: describeIndicator(data.indicator, analysis),
          });
          return { body: svg, contentType: 'image/svg+xml; charset=utf-8' };
        },
      ),
  });

  app.get('/results/:resultId/dashboard.vl.json', {
    config: { access: { action: 'read', anchor: { kind: 'result', param: 'resultId' } } },
    schema: {
      operationId: 'getResultDashboardSpec',
      summary: 'The scorecard of a result as one Vega-Lite spec',
      description:
        'The tree of outcomes and indicators as small multiples: latest value, trend arrow, sparkline, curve and progress status.',
      tags,
      params: ResultParams,
      querystring: IntervalLevelQuery,
      response: { 200: VegaLiteSpec, ...errorResponses(404) },
    },
    handler: async (request, reply) =>
      sendCached(
        request,
        reply,
        cache,
        `dashboard.vl.json ${request.params.resultId} ${queryKey(request.query)}`,
        async () => {
          const data = await loadResultDashboardData(
            db,
            request.params.resultId,
            seesPrivate(request),
            request.query.asOf,
          );
          const scorecard = buildScorecard(data.loaded, request.query.level, request.query.asOf ?? null, {
            now: request.query.asOf ?? new Date(),
            actions: data.actions,
          });
          const spec = resultDashboardSpec(data, scorecard);
          return {
            body: JSON.stringify({ ...spec, description: describeScorecard(data.initiative.name, scorecard) }),
            contentType: 'application/json; charset=utf-8',
          };
        },
      ),
  });

  const snippetSchema = (kind: 'indicator' | 'result') => ({
    operationId: kind === 'indicator' ? 'getIndicatorEmbedSnippet' : 'getResultEmbedSnippet',
    summary: `Copy-paste HTML that embeds this ${kind} on a partner's website`,
    description:
      'Only public objects can be embedded (a private one answers 422 `not_public`). The page reports its height with postMessage; the snippet applies it.',
    tags,
    response: { 200: Snippet, ...errorResponses(404, 422) },
  });
  const protocol =
    'The embed page posts { type: "rba-embed:height", embedId, height } to its parent on load and on every size change.';
  const notPublic = (kind: string) =>
    new UnprocessableError(
      'not_public',
      `This ${kind} is private: make it public before embedding it on a public website.`,
      [{ path: 'visibility', code: 'not_public', message: 'set visibility to public' }],
    );

  app.get('/indicators/:indicatorId/embed', {
    config: { access: { action: 'read', anchor: { kind: 'indicator', param: 'indicatorId' } } },
    schema: { ...snippetSchema('indicator'), params: IndicatorParams },
    handler: async (request) => {
      const indicator = await findIndicatorOrThrow(db, request.params.indicatorId);
      if (indicator.visibility !== 'public') throw notPublic('indicator');
      const embedUrl = `${originOf(request)}/embed/indicators/${indicator.id}`;
      return { embedUrl, html: embedSnippet(embedUrl, originOf(request), indicator.name), protocol };
    },
  });

  app.get('/results/:resultId/embed', {
    config: { access: { action: 'read', anchor: { kind: 'result', param: 'resultId' } } },
    schema: { ...snippetSchema('result'), params: ResultParams },
    handler: async (request) => {
      const result = await findResultOrThrow(db, request.params.resultId);
      if (result.visibility !== 'public') throw notPublic('result');
      const embedUrl = `${originOf(request)}/embed/results/${result.id}`;
      return { embedUrl, html: embedSnippet(embedUrl, originOf(request), result.statement), protocol };
    },
  });
};
