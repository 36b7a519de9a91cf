import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, IfMatchHeaders, ListQuery, listOf, Uuid } from '../../schema/contracts/common.ts';
import { Partner, PartnerCreate, PartnerPatch } from '../../schema/contracts/partners.ts';
import { findInitiativeOrThrow } from '../repositories/initiatives.ts';
import {
  createPartner,
  deletePartner,
  findPartnerOrThrow,
  listPartners,
  updatePartner,
} from '../repositories/partners.ts';
import type { AppDependencies } from '../dependencies.ts';

const tags = ['partners'];
const InitiativeParams = z.object({ initiativeId: Uuid });
const Params = z.object({ partnerId: Uuid });

export const partnerRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { db }) => {
  app.post('/initiatives/:initiativeId/partners', {
    config: { access: { action: 'write_structure', anchor: { kind: 'initiative', param: 'initiativeId' } } },
    schema: {
      operationId: 'createPartner',
      summary: 'Add a partner organisation to an initiative',
      tags,
      params: InitiativeParams,
      body: PartnerCreate,
      response: { 201: Partner, ...errorResponses(403, 404, 413, 415) },
    },
    handler: async (request, reply) => {
      await findInitiativeOrThrow(db, request.params.initiativeId);
      return reply.code(201).send(await createPartner(db, request.params.initiativeId, request.body));
    },
  });

  app.get('/initiatives/:initiativeId/partners', {
    config: { access: { action: 'read', anchor: { kind: 'initiative', param: 'initiativeId' } } },
    schema: {
      operationId: 'listPartners',
      summary: 'List the partners of an initiative',
      tags,
      params: InitiativeParams,
      querystring: ListQuery,
      response: { 200: listOf(Partner), ...errorResponses(404) },
    },
    handler: async (request) => {
      await findInitiativeOrThrow(db, request.params.initiativeId);
      return listPartners(db, request.params.initiativeId, request.query);
    },
  });

  app.get('/partners/:partnerId', {
    config: { access: { action: 'read', anchor: { kind: 'partner', param: 'partnerId' } } },
    schema: {
      operationId: 'getPartner',
      summary: 'Read a partner',
      tags,
      params: Params,
      response: { 200: Partner, ...errorResponses(404) },
    },
    handler: async (request) => findPartnerOrThrow(db, request.params.partnerId),
  });

  app.patch('/partners/:partnerId', {
    config: { access: { action: 'write_structure', anchor: { kind: 'partner', param: 'partnerId' } } },
    schema: {
      operationId: 'updatePartner',
      summary: 'Change a partner',
      tags,
      params: Params,
      headers: IfMatchHeaders,
      body: PartnerPatch,
      response: { 200: Partner, ...errorResponses(403, 404, 412, 413, 415) },
    },
    handler: async (request) => updatePartner(db, request.params.partnerId, request.body, request.headers['if-match']),
  });

  app.delete('/partners/:partnerId', {
    config: { access: { action: 'write_structure', anchor: { kind: 'partner', param: 'partnerId' } } },
    schema: {
      operationId: 'deletePartner',
      summary: 'Remove a partner',
      description: 'Indicators this partner owned keep their data and lose their owner (ownerPartnerId becomes null).',
      tags,
      params: Params,
      response: { 204: z.null().meta({ description: 'Deleted' }), ...errorResponses(403, 404) },
    },
    handler: async (request, reply) => {
      await deletePartner(db, request.params.partnerId);
      return reply.code(204).send(null);
    },
  });
};
