/**
 * The workspace for people, under /app (../shared contract: docs/workspace.md): server-rendered pages that
 * work without JavaScript, backed by the same services as the API. Forms are URL-encoded (CSV uploads
 * multipart); every POST carries the CSRF token; errors become pages, not JSON.
 */
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { errorPage } from '../../pages/account.ts';
import { TEXT } from '../../pages/text.ts';
import type { AppDependencies } from '../../dependencies.ts';
import { ForbiddenError, NotFoundError, UnauthenticatedError } from '../../errors.ts';
import { accountRoutes } from './account.ts';
import { browseRoutes } from './browse.ts';
import { CsrfError, frameOf, html, SignInRequired } from './context.ts';
import { dataRoutes } from './data.ts';
import { reviewRoutes } from './review.ts';
import { tokenPageRoutes } from './tokens.ts';

/** A CSV file the workspace checks and imports in one page (larger files: the API or `npm run import`). */
export const WORKSPACE_MAX_CSV_BYTES = 5 * 1024 * 1024;

export const workspaceRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { db, cache, publicUrl }) => {
  // Not the options object itself: it carries the `/app` prefix, which the children would add again.
  const deps = { db, cache, publicUrl: publicUrl ?? null };
  await app.register(formbody, { bodyLimit: WORKSPACE_MAX_CSV_BYTES * 2 });
  await app.register(multipart, { limits: { fileSize: WORKSPACE_MAX_CSV_BYTES, files: 1, fields: 5 } });

  app.setErrorHandler(async (error, request, reply) => {
    if (error instanceof SignInRequired || error instanceof UnauthenticatedError) {
      return reply.redirect(`/app/sign-in?next=${encodeURIComponent(request.url)}`, 303);
    }
    const frame = frameOf(request, reply);
    const show = (message: string, status: number) => html(reply, errorPage({ ...frame, message }), status);
    if (error instanceof CsrfError) return show(TEXT.csrfRefused, 403);
    if (error instanceof NotFoundError) return show(TEXT.notFound, 404);
    if (error instanceof ForbiddenError) return show(TEXT.forbidden, 403);
    if (hasZodFastifySchemaValidationErrors(error)) return show(TEXT.badRequest, 400);
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500) return show(TEXT.badRequest, status);
    request.log.error(error);
    return show(TEXT.serverError, 500);
  });

  await app.register(accountRoutes, deps);
  await app.register(browseRoutes, deps);
  await app.register(dataRoutes, deps);
  await app.register(reviewRoutes, deps);
  await app.register(tokenPageRoutes, deps);
};
