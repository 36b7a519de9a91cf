import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DeleteQuery, errorResponses, IfMatchHeaders, ListQuery, listOf, Uuid } from '../../schema/contracts/common.ts';
import { Outcome, OutcomeCreate, OutcomePatch } from '../../schema/contracts/outcomes.ts';
import { findResultOrThrow } from '../repositories/results.ts';
import {
  createOutcome,
  deleteOutcome,
  findOutcomeOrThrow,
  listOutcomes,
  updateOutcome,
} from '../repositories/outcomes.ts';
import type { AppDependencies } from '../dependencies.ts';

const tags = ['outcomes'];
const ResultParams = z.object({ resultId: Uuid });
const Params = z.object({ outcomeId: Uuid });

export const outcomeRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { db }) => {
  app.post('/results/:resultId/outcomes', {
    config: { access: { action: 'write_structure', anchor: { kind: 'result', param: 'resultId' } } },
    schema: {
      operationId: 'createOutcome',
      summary: 'Add an outcome to the tree of a result',
      description:
        'parentOutcomeId (an outcome of the same result) nests it; omitted or null puts it directly under the result.',
      tags,
      params: ResultParams,
      body: OutcomeCreate,
      response: { 201: Outcome, ...errorResponses(403, 404, 413, 415, 422) },
    },
    handler: async (request, reply) =>
      reply.code(201).send(await createOutcome(db, request.params.resultId, request.body)),
  });

  app.get('/results/:resultId/outcomes', {
    config: { access: { action: 'read', anchor: { kind: 'result', param: 'resultId' } } },
    schema: {
      operationId: 'listOutcomes',
      summary: 'List the outcomes of a result (flat; see /tree for the nesting)',
      tags,
      params: ResultParams,
      querystring: ListQuery,
      response: { 200: listOf(Outcome), ...errorResponses(404) },
    },
    handler: async (request) => {
      await findResultOrThrow(db, request.params.resultId);
      return listOutcomes(db, request.params.resultId, request.query);
    },
  });

  app.get('/outcomes/:outcomeId', {
    config: { access: { action: 'read', anchor: { kind: 'outcome', param: 'outcomeId' } } },
    schema: {
      operationId: 'getOutcome',
      summary: 'Read an outcome',
      tags,
      params: Params,
      response: { 200: Outcome, ...errorResponses(404) },
    },
    handler: async (request) => findOutcomeOrThrow(db, request.params.outcomeId),
  });

  app.patch('/outcomes/:outcomeId', {
    config: { access: { action: 'write_structure', anchor: { kind: 'outcome', param: 'outcomeId' } } },
    schema: {
      operationId: 'updateOutcome',
      summary: 'Change or move an outcome',
      description:
        'Moving under itself or one of its descendants is a 422 (outcome_cycle); under an outcome of another result a 422 too.',
      tags,
      params: Params,
      headers: IfMatchHeaders,
      body: OutcomePatch,
      response: { 200: Outcome, ...errorResponses(403, 404, 412, 413, 415, 422) },
    },
    handler: async (request) => updateOutcome(db, request.params.outcomeId, request.body, request.headers['if-match']),
  });

  app.delete('/outcomes/:outcomeId', {
    config: { access: { action: 'write_structure', anchor: { kind: 'outcome', param: 'outcomeId' } } },
    schema: {
      operationId: 'deleteOutcome',
      summary: 'Delete an outcome',
      description:
        'An outcome with sub-outcomes or indicators is deleted only with `cascade=true` (the subtree, its indicators and data go too); otherwise 409 counts them.',
      tags,
      params: Params,
      querystring: DeleteQuery,
      response: { 204: z.null().meta({ description: 'Deleted' }), ...errorResponses(403, 404, 409) },
    },
    handler: async (request, reply) => {
      await deleteOutcome(db, request.params.outcomeId, request.query.cascade);
      return reply.code(204).send(null);
    },
  });
};
