import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DeleteQuery, errorResponses, IfMatchHeaders, ListQuery, listOf, Uuid } from '../../schema/contracts/common.ts';
import { Result, ResultCreate, ResultPatch } from '../../schema/contracts/results.ts';
import { ResultTree } from '../../schema/contracts/tree.ts';
import { findInitiativeOrThrow } from '../repositories/initiatives.ts';
import { createResult, deleteResult, findResultOrThrow, listResults, updateResult } from '../repositories/results.ts';
import { readResultTree } from '../repositories/tree.ts';
import { seesPrivate } from '../auth/visibility.ts';
import type { AppDependencies } from '../dependencies.ts';

const tags = ['results'];
const InitiativeParams = z.object({ initiativeId: Uuid });
const Params = z.object({ resultId: Uuid });

export const resultRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { db }) => {
  app.post('/initiatives/:initiativeId/results', {
    config: { access: { action: 'write_structure', anchor: { kind: 'initiative', param: 'initiativeId' } } },
    schema: {
      operationId: 'createResult',
      summary: 'Create a shared result (a population-level condition of well-being)',
      tags,
      params: InitiativeParams,
      body: ResultCreate,
      response: { 201: Result, ...errorResponses(403, 404, 413, 415) },
    },
    handler: async (request, reply) => {
      await findInitiativeOrThrow(db, request.params.initiativeId);
      return reply.code(201).send(await createResult(db, request.params.initiativeId, request.body));
    },
  });

  app.get('/initiatives/:initiativeId/results', {
    config: { access: { action: 'read', anchor: { kind: 'initiative', param: 'initiativeId' } } },
    schema: {
      operationId: 'listResults',
      summary: 'List the shared results of an initiative',
      tags,
      params: InitiativeParams,
      querystring: ListQuery,
      response: { 200: listOf(Result), ...errorResponses(404) },
    },
    handler: async (request) => {
      await findInitiativeOrThrow(db, request.params.initiativeId);
      return listResults(db, request.params.initiativeId, request.query, seesPrivate(request));
    },
  });

  app.get('/results/:resultId', {
    config: { access: { action: 'read', anchor: { kind: 'result', param: 'resultId' } } },
    schema: {
      operationId: 'getResult',
      summary: 'Read a shared result',
      tags,
      params: Params,
      response: { 200: Result, ...errorResponses(404) },
    },
    handler: async (request) => findResultOrThrow(db, request.params.resultId),
  });

  app.get('/results/:resultId/tree', {
    config: { access: { action: 'read', anchor: { kind: 'result', param: 'resultId' } } },
    schema: {
      operationId: 'getResultTree',
      summary: 'The result with its outcomes nested and every indicator',
      description: 'Answered from three queries whatever the size of the tree. Siblings are ordered by position.',
      tags,
      params: Params,
      response: { 200: ResultTree, ...errorResponses(404) },
    },
    handler: async (request) => readResultTree(db, request.params.resultId, seesPrivate(request)),
  });

  app.patch('/results/:resultId', {
    config: { access: { action: 'write_structure', anchor: { kind: 'result', param: 'resultId' } } },
    schema: {
      operationId: 'updateResult',
      summary: 'Change a shared result',
      tags,
      params: Params,
      headers: IfMatchHeaders,
      body: ResultPatch,
      response: { 200: Result, ...errorResponses(403, 404, 412, 413, 415) },
    },
    handler: async (request) => updateResult(db, request.params.resultId, request.body, request.headers['if-match']),
  });

  app.delete('/results/:resultId', {
    config: { access: { action: 'write_structure', anchor: { kind: 'result', param: 'resultId' } } },
    schema: {
      operationId: 'deleteResult',
      summary: 'Delete a shared result',
      description:
        'A result with outcomes or indicators is deleted only with `cascade=true` (its tree, indicators and data go too); otherwise 409 counts them.',
      tags,
      params: Params,
      querystring: DeleteQuery,
      response: { 204: z.null().meta({ description: 'Deleted' }), ...errorResponses(403, 404, 409) },
    },
    handler: async (request, reply) => {
      await deleteResult(db, request.params.resultId, request.query.cascade);
      return reply.code(204).send(null);
    },
  });
};
