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
import { seesPrivate } from '../auth/visibility.ts';
import { sendCached } from '../cache/send-cached.ts';
import { embedAssets } from '../plugins/assets.ts';
import { getIndicatorEmbedPage, getResultEmbedPage, type EmbedPage } from '../services/embed-pages.ts';
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
  const cachedPage = (page: EmbedPage) => ({
    body: page.html,
    contentType: 'text/html; charset=utf-8',
    headers: { 'Content-Security-Policy': embedCsp(page.embedOrigins) },
    allowFraming: true,
  });

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
        async () =>
          cachedPage(
            await getIndicatorEmbedPage(db, request.params.indicatorId, request.query, seesPrivate(request), urls),
          ),
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
        async () =>
          cachedPage(await getResultEmbedPage(db, request.params.resultId, request.query, seesPrivate(request), urls)),
      );
    },
  });
};
