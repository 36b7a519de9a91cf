/** Sign in, sign out, and accepting an invitation (with a new account, or an existing one's password). */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MIN_PASSWORD_LENGTH } from '../../auth/password.ts';
import { invitationPage, signInPage } from '../../pages/account.ts';
import { TEXT } from '../../pages/text.ts';
import type { AppDependencies, Db } from '../../dependencies.ts';
import { ConflictError, UnprocessableError } from '../../errors.ts';
import {
  acceptInvitationWithAccount,
  createAccount,
  openInvitation,
  SESSION_HOURS,
  signIn,
  signOut,
} from '../../services/people.ts';
import { checkCsrf, clearSessionCookie, frameOf, html, safeNext, setSessionCookie } from './context.ts';

const Csrf = { _csrf: z.string().max(100).optional() };
const InvitationParams = z.object({ secret: z.string().regex(/^rba_[\w-]{43}$/) });

type InvitationProblems = Parameters<typeof invitationPage>[0]['problems'];

/** The invitation page again, as its link stands now (used, or with an account meanwhile), with what went wrong. */
async function invitationAgain(
  db: Db,
  request: FastifyRequest,
  reply: FastifyReply,
  shown: { secret: string; problems: InvitationProblems; status: number; displayName?: string },
): Promise<FastifyReply> {
  return html(
    reply,
    invitationPage({
      csrf: frameOf(request, reply).csrf,
      secret: shown.secret,
      invitation: await openInvitation(db, shown.secret),
      ...(shown.displayName !== undefined && { displayName: shown.displayName }),
      problems: shown.problems,
      minPassword: MIN_PASSWORD_LENGTH,
    }),
    shown.status,
  );
}

export const accountRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { db }) => {
  app.get('/sign-in', {
    schema: {
      hide: true,
      querystring: z.object({ next: z.string().max(2000).optional(), out: z.string().optional() }),
    },
    handler: async (request, reply) =>
      html(
        reply,
        signInPage({
          csrf: frameOf(request, reply).csrf,
          next: safeNext(request.query.next),
          notice: request.query.out !== undefined ? TEXT.signedOut : null,
        }),
      ),
  });

  app.post('/sign-in', {
    schema: {
      hide: true,
      body: z.object({
        ...Csrf,
        email: z.string().max(320),
        password: z.string().max(1000),
        next: z.string().max(2000).optional(),
      }),
    },
    handler: async (request, reply) => {
      checkCsrf(request, request.body._csrf);
      const outcome = await signIn(db, request.body.email, request.body.password, request.ip);
      if (outcome.kind === 'signed_in') {
        setSessionCookie(request, reply, outcome.sessionSecret, SESSION_HOURS);
        return reply.redirect(safeNext(request.body.next), 303);
      }
      const problem = outcome.kind === 'slowed_down' ? TEXT.slowedDown : TEXT.wrongCredentials;
      return html(
        reply,
        signInPage({
          csrf: frameOf(request, reply).csrf,
          email: request.body.email,
          problem,
          next: safeNext(request.body.next),
        }),
        outcome.kind === 'slowed_down' ? 429 : 401,
      );
    },
  });

  app.post('/sign-out', {
    schema: { hide: true, body: z.object(Csrf) },
    handler: async (request, reply) => {
      checkCsrf(request, request.body._csrf);
      if (request.session) await signOut(db, request.session.secret);
      clearSessionCookie(request, reply);
      return reply.redirect('/app/sign-in?out=1', 303);
    },
  });

  app.get('/invitations/:secret', {
    schema: { hide: true, params: InvitationParams },
    handler: async (request, reply) => {
      const invitation = await openInvitation(db, request.params.secret);
      return html(
        reply,
        invitationPage({
          csrf: frameOf(request, reply).csrf,
          secret: request.params.secret,
          invitation,
          minPassword: MIN_PASSWORD_LENGTH,
        }),
        invitation === null ? 410 : 200,
      );
    },
  });

  app.post('/invitations/:secret', {
    schema: {
      hide: true,
      params: InvitationParams,
      body: z.object({ ...Csrf, displayName: z.string().max(1000), password: z.string().max(1000) }),
    },
    handler: async (request, reply) => {
      checkCsrf(request, request.body._csrf);
      const { secret } = request.params;
      try {
        const { sessionSecret } = await createAccount(db, secret, request.body);
        setSessionCookie(request, reply, sessionSecret, SESSION_HOURS);
        return await reply.redirect('/app', 303);
      } catch (error) {
        const page = (problems: InvitationProblems, status: number) =>
          invitationAgain(db, request, reply, { secret, problems, status, displayName: request.body.displayName });
        if (error instanceof UnprocessableError) {
          const fields = new Set(error.problems.map((p) => p.field));
          return page(
            {
              ...(fields.has('displayName') && { displayName: TEXT.nameProblem }),
              ...(fields.has('password') && { password: TEXT.passwordProblem(MIN_PASSWORD_LENGTH) }),
            },
            422,
          );
        }
        // An account made meanwhile for this email: the page now asks for its password instead.
        if (error instanceof ConflictError)
          return page({ form: error.code === 'account_exists' ? TEXT.accountExists : TEXT.invitationGone }, 409);
        throw error;
      }
    },
  });

  app.post('/invitations/:secret/accept', {
    schema: {
      hide: true,
      params: InvitationParams,
      body: z.object({ ...Csrf, password: z.string().max(1000) }),
    },
    handler: async (request, reply) => {
      checkCsrf(request, request.body._csrf);
      const { secret } = request.params;
      const page = (problems: InvitationProblems, status: number) =>
        invitationAgain(db, request, reply, { secret, problems, status });
      let outcome;
      try {
        outcome = await acceptInvitationWithAccount(db, secret, request.body.password, request.ip);
      } catch (error) {
        if (error instanceof ConflictError) return page({ form: TEXT.invitationGone }, 410);
        throw error;
      }
      if (outcome.kind === 'signed_in') {
        setSessionCookie(request, reply, outcome.sessionSecret, SESSION_HOURS);
        return reply.redirect('/app', 303);
      }
      return outcome.kind === 'slowed_down'
        ? page({ form: TEXT.slowedDown }, 429)
        : page({ password: TEXT.wrongPassword }, 401);
    },
  });
};
