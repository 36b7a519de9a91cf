import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, ListQuery, listOf, Uuid } from '../../schema/contracts/common.ts';
import {
  PeriodPublication,
  PublicationChange,
  PublicationChangeResult,
  PublicationTransition,
} from '../../schema/contracts/publication.ts';
import type { AppDependencies } from '../dependencies.ts';
import { changeIndicatorPublication, getPublication, getPublicationHistory } from '../services/publication.ts';

const tags = ['publication'];
const Params = z.object({ indicatorId: Uuid });

export const publicationRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { db }) => {
  app.get('/indicators/:indicatorId/publication', {
    config: { access: { action: 'read_internal', anchor: { kind: 'indicator', param: 'indicatorId' } } },
    schema: {
      operationId: 'getIndicatorPublication',
      summary: 'The publication state of every period of an indicator, and who moved it when and why',
      description:
        'States: draft → submitted → approved → published (and retracted). A period with data and no record is a ' +
        'draft. With the initiative’s `publication.required` (GET /initiatives/{id}), the public sees only published ' +
        'periods. For members of the partnership. See docs/publication.md.',
      tags,
      params: Params,
      querystring: ListQuery,
      response: { 200: listOf(PeriodPublication), ...errorResponses(403, 404) },
    },
    handler: async (request) => getPublication(db, request.params.indicatorId, request.query),
  });

  app.get('/indicators/:indicatorId/publication/history', {
    config: { access: { action: 'read_internal', anchor: { kind: 'indicator', param: 'indicatorId' } } },
    schema: {
      operationId: 'getIndicatorPublicationHistory',
      summary: 'Every transition of the periods of an indicator, newest first: who, when, why (the latest 500)',
      tags,
      params: Params,
      querystring: ListQuery,
      response: { 200: listOf(PublicationTransition), ...errorResponses(403, 404) },
    },
    handler: async (request) => getPublicationHistory(db, request.params.indicatorId, request.query),
  });

  app.post('/indicators/:indicatorId/publication', {
    config: { access: { action: 'read_internal', anchor: { kind: 'indicator', param: 'indicatorId' } } },
    schema: {
      operationId: 'changeIndicatorPublication',
      summary: 'Submit, approve, publish, send back, retract or reopen periods of an indicator (all or none)',
      description:
        'Contributors (of the partner owning the indicator) and editors submit; editors approve, publish, send back ' +
        '(reason), retract (reason) and reopen (reason). Approved and published periods are locked: writes to ' +
        'their values answer 409 `period_locked` until reopened. With `publication.fourEyes`, whoever submitted a ' +
        'period may not approve it (403 `four_eyes`). A state that does not allow the action is 409.',
      tags,
      params: Params,
      body: PublicationChange,
      response: { 200: PublicationChangeResult, ...errorResponses(400, 403, 404, 409, 413, 415, 422) },
    },
    handler: async (request) =>
      changeIndicatorPublication(db, request.params.indicatorId, request.body, request.principal, request.anchor!),
  });
};
