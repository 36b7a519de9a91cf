import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DeleteQuery, errorResponses, IfMatchHeaders, ListQuery, listOf, Uuid } from '../../schema/contracts/common.ts';
import { Indicator, IndicatorCreate, IndicatorPatch } from '../../schema/contracts/indicators.ts';
import { findResultOrThrow } from '../repositories/results.ts';
import {
  createIndicator,
  deleteIndicator,
  findIndicatorOrThrow,
  listIndicators,
  updateIndicator,
} from '../repositories/indicators.ts';
import { seesPrivate } from '../auth/visibility.ts';
import type { AppDependencies } from '../dependencies.ts';

const tags = ['indicators'];
const ResultParams = z.object({ resultId: Uuid });
const Params = z.object({ indicatorId: Uuid });

export const indicatorRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { db }) => {
  app.post('/results/:resultId/indicators', {
    config: { access: { action: 'write_structure', anchor: { kind: 'result', param: 'resultId' } } },
    schema: {
      operationId: 'createIndicator',
      summary: 'Define a SMART indicator of a result (headline) or of one of its outcomes',
      description:
        'Periods (baselinePeriod, target, interimTargets, forecastOverride) must fit the frequency (422 otherwise); referenceGroup must use declared dimensions.',
      tags,
      params: ResultParams,
      body: IndicatorCreate,
      response: { 201: Indicator, ...errorResponses(403, 404, 409, 413, 415, 422) },
    },
    handler: async (request, reply) =>
      reply.code(201).send(await createIndicator(db, request.params.resultId, request.body)),
  });

  app.get('/results/:resultId/indicators', {
    config: { access: { action: 'read', anchor: { kind: 'result', param: 'resultId' } } },
    schema: {
      operationId: 'listIndicators',
      summary: 'List every indicator of a result (headline and under outcomes)',
      tags,
      params: ResultParams,
      querystring: ListQuery,
      response: { 200: listOf(Indicator), ...errorResponses(404) },
    },
    handler: async (request) => {
      await findResultOrThrow(db, request.params.resultId);
      return listIndicators(db, request.params.resultId, request.query, seesPrivate(request));
    },
  });

  app.get('/indicators/:indicatorId', {
    config: { access: { action: 'read', anchor: { kind: 'indicator', param: 'indicatorId' } } },
    schema: {
      operationId: 'getIndicator',
      summary: 'Read an indicator',
      tags,
      params: Params,
      response: { 200: Indicator, ...errorResponses(404) },
    },
    handler: async (request) => findIndicatorOrThrow(db, request.params.indicatorId),
  });

  app.patch('/indicators/:indicatorId', {
    config: { access: { action: 'write_structure', anchor: { kind: 'indicator', param: 'indicatorId' } } },
    schema: {
      operationId: 'updateIndicator',
      summary: 'Change an indicator',
      description:
        "The frequency of an indicator with data cannot change (409); nor can dimensions lose values that data use (409). Send If-Match with the version you read to avoid overwriting a colleague's change (412).",
      tags,
      params: Params,
      headers: IfMatchHeaders,
      body: IndicatorPatch,
      response: { 200: Indicator, ...errorResponses(403, 404, 409, 412, 413, 415, 422) },
    },
    handler: async (request) =>
      updateIndicator(db, request.params.indicatorId, request.body, request.headers['if-match']),
  });

  app.delete('/indicators/:indicatorId', {
    config: { access: { action: 'write_structure', anchor: { kind: 'indicator', param: 'indicatorId' } } },
    schema: {
      operationId: 'deleteIndicator',
      summary: 'Delete an indicator',
      description:
        'An indicator with data points is deleted only with `cascade=true` (its data go too); otherwise 409 counts them.',
      tags,
      params: Params,
      querystring: DeleteQuery,
      response: { 204: z.null().meta({ description: 'Deleted' }), ...errorResponses(403, 404, 409) },
    },
    handler: async (request, reply) => {
      await deleteIndicator(db, request.params.indicatorId, request.query.cascade);
      return reply.code(204).send(null);
    },
  });
};
