/**
 * The embed pages partners put in an iframe: `/embed/indicators/{id}` and `/embed/results/{id}`.
 * Public objects only for anonymous visitors (anything else is a 404 that reveals nothing). Each page sends
 * `Content-Security-Policy: frame-ancestors` built from the initiative's `embedOrigins` (any origin when the
 * list is empty) and loads scripts from this server only.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Uuid, errorResponses } from '../../schema/contracts/common.ts';
import { IntervalLevelQuery } from '../../schema/contracts/analysis.ts';
import { embedPage } from '../../dashboards/embed-page.ts';
import { accessibleSvg } from '../../dashboards/index.ts';
import { sendCached } from '../cache/send-cached.ts';
import { analyzeIndicator } from '../engine/analyze-indicator.ts';
import {
  indicatorChartSpec,
  indicatorEmbedContent,
  resultDashboardSpec,
  resultEmbedContent,
  withoutTitle,
} from '../domain/dashboard-views.ts';
import { toEngineIndicator, toObservedPoints } from '../domain/engine-input.ts';
import { compileToVega, renderSvg } from '../domain/render-svg.ts';
import { buildScorecard } from '../domain/scorecard.ts';
import { embedAssets } from '../plugins/assets.ts';
import { seesPrivate } from '../auth/visibility.ts';
import { loadIndicatorChartData, loadResultDashboardData } from '../repositories/dashboard-data.ts';
import type { AppDependencies } from '../dependencies.ts';

const tags = ['dashboards'];
const Html = z.string().meta({ description: 'text/html' });

/** The page's Content-Security-Policy: scripts from here only, framed only by the partner origins. */
export function embedCsp(embedOrigins: string[]): string {
  const ancestors = embedOrigins.length > 0 ? embedOrigins.join(' ') : '*';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: https:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${ancestors}`,
  ].join('; ');
}

export const embedRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { db, cache }) => {
  const { urls } = embedAssets();
  const htmlHeaders = (embedOrigins: string[]) => ({ 'Content-Security-Policy': embedCsp(embedOrigins) });

  app.get('/embed/indicators/:indicatorId', {
    config: { access: { action: 'read', anchor: { kind: 'indicator', param: 'indicatorId' } } },
    schema: {
      operationId: 'embedIndicator',
      summary: "Embeddable, accessible page of an indicator's turn-the-curve chart",
      description:
        'Title, plain-language summary, the chart (server SVG without scripts, interactive with), the data as a table, keyboard use. Reports its height to the parent window (see /api/v1/indicators/{id}/embed).',
      tags,
      params: z.object({ indicatorId: Uuid }),
      querystring: IntervalLevelQuery,
      produces: ['text/html'],
      response: { 200: Html, ...errorResponses(404) },
    },
    handler: async (request, reply) => {
      return sendCached(
        request,
        reply,
        cache,
        `embed indicator ${request.params.indicatorId} ${request.query.level} ${request.query.asOf?.toISOString() ?? ''}`,
        async () => {
          const data = await loadIndicatorChartData(
            db,
            request.params.indicatorId,
            request.query.asOf,
            seesPrivate(request),
          );
          const analysis = analyzeIndicator(toEngineIndicator(data.row), toObservedPoints(data.points), {
            level: request.query.level,
          });
          const spec = withoutTitle(indicatorChartSpec(data, analysis, 'total'));
          const content = indicatorEmbedContent(data, analysis);
          const svg = accessibleSvg(await renderSvg(spec), { title: content.title, description: content.summary });
          const vegaSpec = compileToVega({
            ...spec,
            width: 'container',
            autosize: { type: 'fit-x', contains: 'padding' },
          } as typeof spec);
          const body = embedPage({ ...content, embedId: data.indicator.id, svg, vegaSpec, assets: urls });
          return {
            body,
            contentType: 'text/html; charset=utf-8',
            headers: htmlHeaders(data.initiative.embedOrigins),
            allowFraming: true,
          };
        },
      );
    },
  });

  app.get('/embed/results/:resultId', {
    config: { access: { action: 'read', anchor: { kind: 'result', param: 'resultId' } } },
    schema: {
      operationId: 'embedResult',
      summary: 'Embeddable, accessible scorecard page of a shared result',
      description:
        "The whole tree: each indicator's latest value, trend arrow, curve and progress status, with roll-ups; the scorecard also as a table.",
      tags,
      params: z.object({ resultId: Uuid }),
      querystring: IntervalLevelQuery,
      produces: ['text/html'],
      response: { 200: Html, ...errorResponses(404) },
    },
    handler: async (request, reply) => {
      return sendCached(
        request,
        reply,
        cache,
        `embed result ${request.params.resultId} ${request.query.level} ${request.query.asOf?.toISOString() ?? ''}`,
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
          const spec = withoutTitle(resultDashboardSpec(data, scorecard));
          const content = resultEmbedContent(data, scorecard);
          const svg = accessibleSvg(await renderSvg(spec), { title: content.title, description: content.summary });
          const body = embedPage({
            ...content,
            embedId: data.loaded.result.id,
            svg,
            vegaSpec: compileToVega(spec),
            assets: urls,
          });
          return {
            body,
            contentType: 'text/html; charset=utf-8',
            headers: htmlHeaders(data.initiative.embedOrigins),
            allowFraming: true,
          };
        },
      );
    },
  });
};
