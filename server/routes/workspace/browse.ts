/**
 * The browse pages: initiatives, an initiative, a result, an indicator (with its flagged values, each
 * acknowledged by a small form: the PATCH service with If-Match; its periods' publication states, with a form to
 * submit drafts for review) and its history.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Uuid } from '../../../schema/contracts/common.ts';
import { actorName, canSeePrivate, decide, decidePublication } from '../../auth/policy.ts';
import {
  historyPage,
  indicatorPage,
  initiativePage,
  initiativesPage,
  resultPage,
  type PublicationView,
} from '../../pages/browse.ts';
import { linkBase, type AppDependencies } from '../../dependencies.ts';
import { NotFoundError, UnprocessableError, VersionMismatchError } from '../../errors.ts';
import { patchDataPoint } from '../../services/data-entry.ts';
import { changeIndicatorPublication } from '../../services/publication.ts';
import { publicationStates } from '../../services/review-queue.ts';
import { dataQualityPage } from '../../pages/data-quality.ts';
import { embedAssets } from '../../plugins/assets.ts';
import {
  isPointOf,
  workspaceDataQuality,
  workspaceHistory,
  workspaceIndicator,
  workspaceIndicatorAccountability,
  workspaceInitiative,
  workspaceInitiatives,
  workspaceResult,
} from '../../services/workspace-browse.ts';
import { TEXT } from '../../pages/text.ts';
import { allow, checkCsrf, frameOf, html, mayWriteData, personOf } from './context.ts';
import { publicationRefusal } from './review.ts';

type IndicatorFlagError = { pointId: string; code: string; message: string; comment: string } | null;

export const browseRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { db, cache, publicUrl }) => {
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

  app.get('/results/:resultId/data-quality', {
    schema: { hide: true, params: z.object({ resultId: Uuid }) },
    handler: async (request, reply) => {
      const { resultId } = request.params;
      const anchor = await allow(db, request, 'result', resultId, 'read_internal');
      const includePrivate = canSeePrivate(request.principal, anchor.initiativeId);
      const { result, initiative, report, names } = await workspaceDataQuality(db, resultId, includePrivate);
      return html(
        reply,
        dataQualityPage(frameOf(request, reply), {
          id: resultId,
          statement: result.statement,
          crumbs: [
            { href: '/app', label: TEXT.home },
            { href: `/app/initiatives/${initiative.id}`, label: initiative.name },
            { href: `/app/results/${resultId}`, label: result.statement },
          ],
          report,
          names,
        }),
      );
    },
  });

  const renderIndicator = async (
    request: FastifyRequest,
    reply: FastifyReply,
    indicatorId: string,
    options: {
      notice?: string | null;
      /** A member's preview of the public view (`?preview=public`). */
      preview?: boolean;
      flagError?: IndicatorFlagError;
      submitError?: { message: string; periods: string[] } | null;
      changeError?: PublicationView['changeError'];
      status?: number;
    } = {},
  ) => {
    const anchor = await allow(db, request, 'indicator', indicatorId, 'read');
    const includePrivate = canSeePrivate(request.principal, anchor.initiativeId);
    const audience = !includePrivate ? 'public' : options.preview ? 'preview' : 'members';
    const origin = linkBase(publicUrl, request);
    const view = await cachedView(`workspace indicator ${indicatorId} ${audience} ${origin}`, () =>
      workspaceIndicator(db, indicatorId, audience, origin),
    );
    // Publication states are the partnership's working list (members and administrators), never cached.
    const publication =
      decide(request.principal, 'read_internal', anchor) === 'allow'
        ? {
            items: await publicationStates(db, indicatorId),
            canSubmit: mayWriteData(request, anchor),
            error: options.submitError ?? null,
            canReview: decidePublication(request.principal, 'reopen', anchor) === 'allow',
            changeError: options.changeError ?? null,
          }
        : null;
    const accountability = await workspaceIndicatorAccountability(db, indicatorId, includePrivate);
    return html(
      reply,
      indicatorPage(
        { ...frameOf(request, reply), notice: options.notice ?? null },
        {
          ...view,
          accountability,
          crumbs: [
            { href: '/app', label: TEXT.home },
            { href: `/app/initiatives/${view.initiative.id}`, label: view.initiative.name },
            { href: `/app/results/${view.resultId}`, label: TEXT.resultsHeading },
          ],
          canWrite: mayWriteData(request, anchor),
          flagError: options.flagError ?? null,
          publication,
        },
      ),
      options.status ?? 200,
    );
  };

  app.get('/indicators/:indicatorId', {
    schema: {
      hide: true,
      params: z.object({ indicatorId: Uuid }),
      querystring: z.object({
        acknowledged: z.coerce.number().int().min(0).max(1000).optional(),
        submitted: z.coerce.number().int().min(1).max(1000).optional(),
        preview: z.literal('public').optional(),
        changed: z.enum(['retract', 'reopen']).optional(),
        period: z.string().max(40).optional(),
      }),
    },
    handler: async (request, reply) => {
      const { acknowledged, submitted, preview, changed, period } = request.query;
      return renderIndicator(request, reply, request.params.indicatorId, {
        preview: preview === 'public',
        notice: preview
          ? TEXT.previewNotice
          : acknowledged
            ? TEXT.acknowledgedCount(acknowledged)
            : submitted
              ? TEXT.submittedCount(submitted)
              : changed && period
                ? TEXT.reviewDone(changed, period)
                : null,
      });
    },
  });

  /** Submits the ticked draft periods for review (the publication service, as the signed-in person). */
  app.post('/indicators/:indicatorId/publication', {
    schema: {
      hide: true,
      params: z.object({ indicatorId: Uuid }),
      body: z.object({
        _csrf: z.string().max(100).optional(),
        periods: z.union([z.string().max(40), z.array(z.string().max(40)).max(1000)]).optional(),
      }),
    },
    handler: async (request, reply) => {
      checkCsrf(request, request.body._csrf);
      const { indicatorId } = request.params;
      const anchor = await allow(db, request, 'indicator', indicatorId, 'write_data');
      const periods = [request.body.periods ?? []].flat().filter((p) => p !== '');
      const refuse = (message: string, status: number) =>
        renderIndicator(request, reply, indicatorId, { submitError: { message, periods }, status });
      if (periods.length === 0) return refuse(TEXT.chooseSubmit, 422);
      try {
        await changeIndicatorPublication(db, indicatorId, { periods, action: 'submit' }, request.principal, anchor);
      } catch (error) {
        const refused = publicationRefusal(error);
        if (!refused) throw error;
        return refuse(refused.message, refused.status);
      }
      return reply.redirect(`/app/indicators/${indicatorId}?submitted=${periods.length}#publication-heading`, 303);
    },
  });

  /** Retracts or reopens one period (reviewers; a reason is required), as the review page's actions do. */
  app.post('/indicators/:indicatorId/publication/change', {
    schema: {
      hide: true,
      params: z.object({ indicatorId: Uuid }),
      body: z.object({
        _csrf: z.string().max(100).optional(),
        period: z.string().min(1).max(40),
        action: z.enum(['retract', 'reopen']),
        reason: z.string().max(2000).default(''),
      }),
    },
    handler: async (request, reply) => {
      checkCsrf(request, request.body._csrf);
      const { indicatorId } = request.params;
      const { period, action } = request.body;
      const reason = request.body.reason.trim();
      const anchor = await allow(db, request, 'indicator', indicatorId, 'read_internal');
      try {
        await changeIndicatorPublication(
          db,
          indicatorId,
          { periods: [period], action, ...(reason && { reason }) },
          request.principal,
          anchor,
        );
      } catch (error) {
        const refused = publicationRefusal(error);
        if (!refused) throw error;
        return renderIndicator(request, reply, indicatorId, {
          changeError: { message: refused.message, period, reason },
          status: refused.status,
        });
      }
      const query = new URLSearchParams({ changed: action, period });
      return reply.redirect(`/app/indicators/${indicatorId}?${query}#publication-heading`, 303);
    },
  });

  /** Acknowledges one recorded flag of a current value: a new version of the point (PATCH, If-Match). */
  app.post('/indicators/:indicatorId/flags', {
    schema: {
      hide: true,
      params: z.object({ indicatorId: Uuid }),
      body: z.object({
        _csrf: z.string().max(100).optional(),
        point: Uuid,
        version: z.coerce.number().int().min(1),
        code: z.string().min(1).max(63),
        comment: z.string().max(2000).default(''),
      }),
    },
    handler: async (request, reply) => {
      checkCsrf(request, request.body._csrf);
      const { indicatorId } = request.params;
      const { point, version, code } = request.body;
      await allow(db, request, 'indicator', indicatorId, 'write_data');
      if (!(await isPointOf(db, point, indicatorId))) throw new NotFoundError('dataPoint', point);
      const comment = request.body.comment.trim();
      const refuse = (message: string, status: number) =>
        renderIndicator(request, reply, indicatorId, {
          flagError: { pointId: point, code, message, comment },
          status,
        });
      if (comment === '') return refuse(TEXT.flagCommentRequired, 422);
      try {
        await patchDataPoint(
          db,
          point,
          { acknowledge: [{ code, comment }] },
          `"${version}"`,
          actorName(request.principal),
        );
      } catch (error) {
        if (error instanceof VersionMismatchError) return refuse(TEXT.flagChanged, 409);
        if (error instanceof UnprocessableError) return refuse(error.message, 422);
        throw error;
      }
      return reply.redirect(`/app/indicators/${indicatorId}?acknowledged=1#flag-${point}`, 303);
    },
  });

  app.get('/indicators/:indicatorId/history', {
    schema: { hide: true, params: z.object({ indicatorId: Uuid }) },
    handler: async (request, reply) => {
      const { indicatorId } = request.params;
      // Every revision, drafts and small counts included, with who made it: members only (as the API's history
      // hides who for anyone else, and the public reads only published versions).
      await allow(db, request, 'indicator', indicatorId, 'read_internal');
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
};
