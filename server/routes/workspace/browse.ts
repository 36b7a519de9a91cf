/** The browse pages: initiatives, an initiative, a result, an indicator and its history, review. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Uuid } from '../../../schema/contracts/common.ts';
import { canSeePrivate } from '../../auth/policy.ts';
import {
  historyPage,
  indicatorPage,
  initiativePage,
  initiativesPage,
  resultPage,
  reviewPage,
} from '../../pages/browse.ts';
import type { AppDependencies } from '../../dependencies.ts';
import { embedAssets } from '../../plugins/assets.ts';
import {
  workspaceHistory,
  workspaceIndicator,
  workspaceInitiative,
  workspaceInitiatives,
  workspaceResult,
} from '../../services/workspace-browse.ts';
import { TEXT } from '../../pages/text.ts';
import { allow, frameOf, html, mayWriteData, originOf, personOf } from './context.ts';

export const browseRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { db, cache }) => {
  const { urls } = embedAssets();

  /**
   * A page's data, kept until the change generation moves (any write, on any instance) like the API's charts:
   * the analysis (a forecast fit) and the chart's SVG cost hundreds of milliseconds (bench/workspace.bench.ts).
   * Keyed by what the reader may see, so private data never reach another audience.
   */
  async function cachedView<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const hit = cache.get(key);
    if (hit) return JSON.parse(hit.body as string) as T;
    const generation = cache.generationValue;
    const value = await compute();
    cache.set(key, { body: JSON.stringify(value), contentType: 'application/json' }, generation);
    return value;
  }

  app.get('/', {
    schema: { hide: true },
    handler: async (request, reply) => {
      personOf(request);
      return html(reply, initiativesPage(frameOf(request, reply), await workspaceInitiatives(db, request.principal)));
    },
  });

  app.get('/initiatives/:initiativeId', {
    schema: { hide: true, params: z.object({ initiativeId: Uuid }) },
    handler: async (request, reply) => {
      const { initiativeId } = request.params;
      await allow(db, request, 'initiative', initiativeId, 'read');
      const view = await workspaceInitiative(db, initiativeId, canSeePrivate(request.principal, initiativeId));
      return html(reply, initiativePage(frameOf(request, reply), view));
    },
  });

  app.get('/results/:resultId', {
    schema: { hide: true, params: z.object({ resultId: Uuid }) },
    handler: async (request, reply) => {
      const { resultId } = request.params;
      const anchor = await allow(db, request, 'result', resultId, 'read');
      const includePrivate = canSeePrivate(request.principal, anchor.initiativeId);
      const view = await cachedView(`workspace result ${resultId} ${includePrivate}`, () =>
        workspaceResult(db, resultId, includePrivate),
      );
      return html(
        reply,
        resultPage(frameOf(request, reply), {
          ...view,
          stylesheet: urls.stylesheet,
          canWrite: mayWriteData(request, anchor),
        }),
      );
    },
  });

  app.get('/indicators/:indicatorId', {
    schema: { hide: true, params: z.object({ indicatorId: Uuid }) },
    handler: async (request, reply) => {
      const { indicatorId } = request.params;
      const anchor = await allow(db, request, 'indicator', indicatorId, 'read');
      const includePrivate = canSeePrivate(request.principal, anchor.initiativeId);
      const origin = originOf(request);
      const view = await cachedView(`workspace indicator ${indicatorId} ${includePrivate} ${origin}`, () =>
        workspaceIndicator(db, indicatorId, includePrivate, origin),
      );
      return html(
        reply,
        indicatorPage(frameOf(request, reply), {
          ...view,
          crumbs: [
            { href: '/app', label: TEXT.home },
            { href: `/app/initiatives/${view.initiative.id}`, label: view.initiative.name },
            { href: `/app/results/${view.resultId}`, label: TEXT.resultsHeading },
          ],
          canWrite: mayWriteData(request, anchor),
        }),
      );
    },
  });

  app.get('/indicators/:indicatorId/history', {
    schema: { hide: true, params: z.object({ indicatorId: Uuid }) },
    handler: async (request, reply) => {
      const { indicatorId } = request.params;
      await allow(db, request, 'indicator', indicatorId, 'read');
      const { indicator, revisions } = await workspaceHistory(db, indicatorId);
      return html(
        reply,
        historyPage(frameOf(request, reply), {
          id: indicator.id,
          name: indicator.name,
          crumbs: [
            { href: '/app', label: TEXT.home },
            { href: `/app/indicators/${indicator.id}`, label: indicator.name },
          ],
          revisions,
        }),
      );
    },
  });

  app.get('/review', {
    schema: { hide: true },
    handler: async (request, reply) => {
      personOf(request);
      return html(reply, reviewPage(frameOf(request, reply)));
    },
  });
};
