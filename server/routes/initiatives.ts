import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { privateScopeOf } from '../auth/visibility.ts';
import { DeleteQuery, errorResponses, IfMatchHeaders, ListQuery, listOf, Uuid } from '../../schema/contracts/common.ts';
import { Initiative, InitiativeCreate, InitiativePatch } from '../../schema/contracts/initiatives.ts';
import {
  createInitiative,
  deleteInitiative,
  findInitiativeOrThrow,
  listInitiatives,
  updateInitiative,
} from '../repositories/initiatives.ts';
import type { AppDependencies } from '../dependencies.ts';

const tags = ['initiatives'];
const Params = z.object({ initiativeId: Uuid });

export const initiativeRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { db }) => {
  app.post('/initiatives', {
    config: { access: { action: 'admin' } },
    schema: {
      operationId: 'createInitiative',
      summary: 'Create an initiative (a cross-sector partnership)',
      tags,
      body: InitiativeCreate,
      response: { 201: Initiative, ...errorResponses(403, 409, 413, 415) },
    },
    handler: async (request, reply) => reply.code(201).send(await createInitiative(db, request.body)),
  });

  app.get('/initiatives', {
    config: { access: { action: 'read' } },
    schema: {
      operationId: 'listInitiatives',
      summary: 'List initiatives',
      tags,
      querystring: ListQuery,
      response: { 200: listOf(Initiative), ...errorResponses() },
    },
    handler: async (request) => listInitiatives(db, request.query, privateScopeOf(request.principal)),
  });

  app.get('/initiatives/:initiativeId', {
    config: { access: { action: 'read', anchor: { kind: 'initiative', param: 'initiativeId' } } },
    schema: {
      operationId: 'getInitiative',
      summary: 'Read an initiative',
      tags,
      params: Params,
      response: { 200: Initiative, ...errorResponses(404) },
    },
    handler: async (request) => findInitiativeOrThrow(db, request.params.initiativeId),
  });

  app.patch('/initiatives/:initiativeId', {
    config: { access: { action: 'write_structure', anchor: { kind: 'initiative', param: 'initiativeId' } } },
    schema: {
      operationId: 'updateInitiative',
      summary: 'Change an initiative',
      tags,
      params: Params,
      headers: IfMatchHeaders,
      body: InitiativePatch,
      response: { 200: Initiative, ...errorResponses(403, 404, 409, 412, 413, 415) },
    },
    handler: async (request) =>
      updateInitiative(db, request.params.initiativeId, request.body, request.headers['if-match']),
  });

  app.delete('/initiatives/:initiativeId', {
    config: { access: { action: 'admin', anchor: { kind: 'initiative', param: 'initiativeId' } } },
    schema: {
      operationId: 'deleteInitiative',
      summary: 'Delete an initiative',
      description:
        'An initiative with partners or results is deleted only with `cascade=true` (everything in it goes too); otherwise 409 lists what is in it.',
      tags,
      params: Params,
      querystring: DeleteQuery,
      response: { 204: z.null().meta({ description: 'Deleted' }), ...errorResponses(403, 404, 409) },
    },
    handler: async (request, reply) => {
      await deleteInitiative(db, request.params.initiativeId, request.query.cascade);
      return reply.code(204).send(null);
    },
  });
};
