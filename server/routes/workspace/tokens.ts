/** Personal API tokens: list, create (the secret shown once), revoke. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Uuid } from '../../../schema/contracts/common.ts';
import { tokensPage } from '../../pages/tokens.ts';
import { TEXT } from '../../pages/text.ts';
import type { AppDependencies } from '../../dependencies.ts';
import { UnprocessableError } from '../../errors.ts';
import {
  createPersonalToken,
  listPersonalTokens,
  revokePersonalToken,
  tokenGrantsOf,
} from '../../services/personal-tokens.ts';
import { checkCsrf, frameOf, html, personOf } from './context.ts';

const Csrf = { _csrf: z.string().max(100).optional() };

export const tokenPageRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { db }) => {
  app.get('/tokens', {
    schema: { hide: true, querystring: z.object({ revoked: z.string().optional() }) },
    handler: async (request, reply) => {
      const person = personOf(request);
      return html(
        reply,
        tokensPage(
          { ...frameOf(request, reply), notice: request.query.revoked !== undefined ? TEXT.tokenRevoked : null },
          {
            tokens: await listPersonalTokens(db, person),
            grants: await tokenGrantsOf(db, person),
            secret: null,
            problems: {},
            name: '',
          },
        ),
      );
    },
  });

  app.post('/tokens', {
    schema: { hide: true, body: z.object({ ...Csrf, name: z.string().max(1000), role: z.string().max(50) }) },
    handler: async (request, reply) => {
      const person = personOf(request);
      checkCsrf(request, request.body._csrf);
      const grants = await tokenGrantsOf(db, person);
      try {
        const created = await createPersonalToken(db, person, request.body);
        return html(
          reply,
          tokensPage(frameOf(request, reply), {
            tokens: await listPersonalTokens(db, person),
            grants,
            secret: created.secret,
            problems: {},
            name: '',
          }),
          201,
        );
      } catch (error) {
        if (!(error instanceof UnprocessableError)) throw error;
        const fields = new Set(error.problems.map((p) => p.field));
        return html(
          reply,
          tokensPage(frameOf(request, reply), {
            tokens: await listPersonalTokens(db, person),
            grants,
            secret: null,
            problems: {
              ...(fields.has('name') && { name: TEXT.tokenNameProblem }),
              ...(fields.has('role') && { role: TEXT.tokenRoleProblem }),
            },
            name: request.body.name,
          }),
          422,
        );
      }
    },
  });

  app.post('/tokens/:tokenId/revoke', {
    schema: { hide: true, params: z.object({ tokenId: Uuid }), body: z.object(Csrf) },
    handler: async (request, reply) => {
      const person = personOf(request);
      checkCsrf(request, request.body._csrf);
      await revokePersonalToken(db, person, request.params.tokenId);
      return reply.redirect('/app/tokens?revoked=1', 303);
    },
  });
};
