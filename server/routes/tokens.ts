import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, ListQuery, listOf, Uuid } from '../../schema/contracts/common.ts';
import { ApiToken, CreatedToken, TokenCreate } from '../../schema/contracts/tokens.ts';
import { actorName } from '../auth/policy.ts';
import { createToken, listTokens, revokeToken } from '../repositories/tokens.ts';
import type { AppDependencies } from '../dependencies.ts';

const tags = ['access'];
const adminOnly = { access: { action: 'admin' as const } };

export const tokenRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { db }) => {
  app.post('/tokens', {
    config: adminOnly,
    schema: {
      operationId: 'createToken',
      summary: 'Create an API token (administrators)',
      description:
        'The secret is in this response only; it is stored as a hash. Send it as `Authorization: Bearer <secret>`.',
      tags,
      body: TokenCreate,
      response: { 201: CreatedToken, ...errorResponses(403, 413, 415, 422) },
    },
    handler: async (request, reply) =>
      reply.code(201).send(await createToken(db, request.body, actorName(request.principal))),
  });

  app.get('/tokens', {
    config: adminOnly,
    schema: {
      operationId: 'listTokens',
      summary: 'List API tokens, without their secrets (administrators)',
      tags,
      querystring: ListQuery,
      response: { 200: listOf(ApiToken), ...errorResponses(403) },
    },
    handler: async (request) => listTokens(db, request.query),
  });

  app.delete('/tokens/:tokenId', {
    config: adminOnly,
    schema: {
      operationId: 'revokeToken',
      summary: 'Revoke an API token (administrators)',
      tags,
      params: z.object({ tokenId: Uuid }),
      response: { 204: z.null().meta({ description: 'Revoked' }), ...errorResponses(403, 404) },
    },
    handler: async (request, reply) => {
      await revokeToken(db, request.params.tokenId);
      return reply.code(204).send(null);
    },
  });
};
