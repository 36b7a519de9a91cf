/**
 * Charts as an API product: Vega-Lite specs with inline data, server-rendered SVG, the scorecard
 * dashboard, and copy-paste embed snippets. Every answer is pre-serialised and cached until data change
 * (see server/cache/), with strong ETags.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IntervalLevelQuery } from '../../schema/contracts/analysis.ts';
import { errorResponses, Uuid } from '../../schema/contracts/common.ts';
import { seesPrivate } from '../auth/visibility.ts';
import { sendCached } from '../cache/send-cached.ts';
import { ChartQuery, ImageQuery, PngQuery } from '../../schema/contracts/charts.ts';
import { embedAssets } from '../plugins/assets.ts';
import { getIndicatorChartPng, getIndicatorChartSpecJson, getIndicatorChartSvg } from '../services/indicator-chart.ts';
import { getResultDashboardSpec } from '../services/result-dashboard.ts';
import { getIndicatorEmbedSnippet, getResultEmbedSnippet } from '../services/embed-snippets.ts';
import type { AppDependencies } from '../dependencies.ts';

const tags = ['dashboards'];
const IndicatorParams = z.object({ indicatorId: Uuid });
const ResultParams = z.object({ resultId: Uuid });
const VegaLiteSpec = z.looseObject({ $schema: z.string() }).meta({
  id: 'VegaLiteSpec',
  description: 'A Vega-Lite v6 specification with its data inline; restyle it as you like',
});
const Svg = z.string().meta({ description: 'image/svg+xml' });
const Png = z.string().meta({ description: 'image/png', format: 'binary' });
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

/**
 * `publicUrl`: the configured base of absolute links (PUBLIC_URL). Snippets never use the request's Host
 * header: anyone can send one, and it would land in HTML a partner pastes into a page.
 */
export const dashboardRoutes: FastifyPluginAsyncZod<AppDependencies & { publicUrl: string }> = async (
  app,
  { db, cache, publicUrl },
) => {
  const { urls } = embedAssets();
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
          const spec = await getIndicatorChartSpecJson(
            db,
            request.params.indicatorId,
            request.query,
            seesPrivate(request),
          );
          return { body: spec, contentType: 'application/json; charset=utf-8' };
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
      querystring: ImageQuery,
      produces: ['image/svg+xml'],
      response: { 200: Svg, ...errorResponses(404) },
    },
    handler: async (request, reply) =>
      sendCached(
        request,
        reply,
        cache,
        `chart.svg ${request.params.indicatorId} ${queryKey(request.query)}`,
        async () => ({
          body: await getIndicatorChartSvg(db, request.params.indicatorId, request.query, seesPrivate(request), urls),
          contentType: 'image/svg+xml; charset=utf-8',
        }),
      ),
  });

  app.get('/indicators/:indicatorId/chart.png', {
    config: { access: { action: 'read', anchor: { kind: 'indicator', param: 'indicatorId' } } },
    schema: {
      operationId: 'getIndicatorChartPng',
      summary: 'The same chart as a PNG image, for slides and reports',
      description:
        'chart.svg rasterised on the server with the bundled fonts: the same layout, caching, ETag and access rules.',
      tags,
      params: IndicatorParams,
      querystring: PngQuery,
      produces: ['image/png'],
      response: { 200: Png, ...errorResponses(404) },
    },
    handler: async (request, reply) =>
      sendCached(
        request,
        reply,
        cache,
        `chart.png ${request.params.indicatorId} ${queryKey(request.query)}`,
        async () => ({
          body: await getIndicatorChartPng(db, request.params.indicatorId, request.query, seesPrivate(request), urls),
          contentType: 'image/png',
          compressible: false,
        }),
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
          const spec = await getResultDashboardSpec(db, request.params.resultId, request.query, seesPrivate(request));
          return { body: JSON.stringify(spec), contentType: 'application/json; charset=utf-8' };
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

  app.get('/indicators/:indicatorId/embed', {
    config: { access: { action: 'read', anchor: { kind: 'indicator', param: 'indicatorId' } } },
    schema: { ...snippetSchema('indicator'), params: IndicatorParams },
    handler: async (request) => getIndicatorEmbedSnippet(db, request.params.indicatorId, publicUrl),
  });

  app.get('/results/:resultId/embed', {
    config: { access: { action: 'read', anchor: { kind: 'result', param: 'resultId' } } },
    schema: { ...snippetSchema('result'), params: ResultParams },
    handler: async (request) => getResultEmbedSnippet(db, request.params.resultId, publicUrl),
  });
};
