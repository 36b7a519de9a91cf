/**
 * The review queue (/app/review): submitted periods to approve or send back, approved ones to publish
 * (services/review-queue.ts), each action through the publication service as the signed-in person. A refused
 * action (four eyes 403, a state that moved 409, a missing reason 422) re-renders the page with its message
 * next to its form; a done one redirects back with a confirmation.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Uuid } from '../../../schema/contracts/common.ts';
import type { AppDependencies } from '../../dependencies.ts';
import { ConflictError, type DomainError, ForbiddenError, UnprocessableError } from '../../errors.ts';
import { reviewPage, type ReviewView } from '../../pages/review.ts';
import { TEXT } from '../../pages/text.ts';
import { changeIndicatorPublication } from '../../services/publication.ts';
import { getReviewQueue } from '../../services/review-queue.ts';
import { allow, checkCsrf, frameOf, html, personOf } from './context.ts';

const ACTIONS = ['approve', 'send_back', 'publish'] as const;

/**
 * A refusal of the publication service as a page shows it: its words and status (403 who, 409 the state moved,
 * 422 a missing reason); null for any other error (rethrown by the caller).
 */
export function publicationRefusal(error: unknown): { message: string; status: number } | null {
  if (!(error instanceof ForbiddenError || error instanceof ConflictError || error instanceof UnprocessableError))
    return null;
  const status = error instanceof ForbiddenError ? 403 : error instanceof ConflictError ? 409 : 422;
  return { message: publicationProblem(error), status };
}

/** The page's words for a refusal of the publication service. */
function publicationProblem(error: DomainError): string {
  const code = error.problems[0]?.code ?? error.code;
  if (code === 'four_eyes') return TEXT.fourEyes;
  if (code === 'reason_required') return TEXT.reasonRequired;
  if (code === 'invalid_transition') return TEXT.reviewStateChanged;
  if (error instanceof ForbiddenError) return TEXT.reviewForbidden;
  return error.message;
}

export const reviewRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { db }) => {
  const render = async (
    request: FastifyRequest,
    reply: FastifyReply,
    options: { notice?: string | null; error?: ReviewView['error']; status?: number } = {},
  ) => {
    personOf(request);
    const queue = await getReviewQueue(db, request.principal);
    return html(
      reply,
      reviewPage(
        { ...frameOf(request, reply), notice: options.notice ?? null },
        { ...queue, error: options.error ?? null },
      ),
      options.status ?? 200,
    );
  };

  app.get('/review', {
    schema: {
      hide: true,
      querystring: z.object({
        done: z.enum(ACTIONS).optional(),
        period: z.string().max(40).optional(),
      }),
    },
    handler: async (request, reply) => {
      const { done, period } = request.query;
      return render(request, reply, { notice: done && period ? TEXT.reviewDone(done, period) : null });
    },
  });

  app.post('/review', {
    schema: {
      hide: true,
      body: z.object({
        _csrf: z.string().max(100).optional(),
        indicator: Uuid,
        period: z.string().min(1).max(40),
        action: z.enum(ACTIONS),
        reason: z.string().max(2000).default(''),
      }),
    },
    handler: async (request, reply) => {
      checkCsrf(request, request.body._csrf);
      const { indicator, period, action } = request.body;
      const reason = request.body.reason.trim();
      const anchor = await allow(db, request, 'indicator', indicator, 'read_internal');
      try {
        await changeIndicatorPublication(
          db,
          indicator,
          { periods: [period], action, ...(reason && { reason }) },
          request.principal,
          anchor,
        );
      } catch (error) {
        const refused = publicationRefusal(error);
        if (!refused) throw error;
        return render(request, reply, {
          error: { indicatorId: indicator, period, action, message: refused.message, reason },
          status: refused.status,
        });
      }
      const query = new URLSearchParams({ done: action, period });
      return reply.redirect(`/app/review?${query}`, 303);
    },
  });
};
