import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  Action,
  ActionCreate,
  ActionListQuery,
  ActionPatch,
  ActionUpdate,
  ActionUpdateCreate,
} from '../../schema/contracts/actions.ts';
import { errorResponses, IfMatchHeaders, ListQuery, listOf, Uuid } from '../../schema/contracts/common.ts';
import { actorName } from '../auth/policy.ts';
import { seesPrivate, shownActors } from '../auth/visibility.ts';
import {
  addActionUpdate,
  createAction,
  deleteAction,
  findActionOrThrow,
  listActions,
  listActionUpdates,
  updateAction,
} from '../repositories/actions.ts';
import type { AppDependencies } from '../dependencies.ts';

const tags = ['accountability'];
const Params = z.object({ actionId: Uuid });

export const actionRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { db }) => {
  app.post('/initiatives/:initiativeId/actions', {
    config: { access: { action: 'write_structure', anchor: { kind: 'initiative', param: 'initiativeId' } } },
    schema: {
      operationId: 'createAction',
      summary: 'Commit to an action: who does what, by when, for which curves',
      description:
        'The owner must be a partner and the indicators indicators of this initiative (422). `quickWin` is derived (due within 90 days of start); if sent it must agree with the dates. The commitment is recorded with who made it (GET /actions/{id}/updates).',
      tags,
      params: z.object({ initiativeId: Uuid }),
      body: ActionCreate,
      response: { 201: Action, ...errorResponses(403, 404, 413, 415, 422) },
    },
    handler: async (request, reply) =>
      reply
        .code(201)
        .send(
          await createAction(db, request.params.initiativeId, request.body, actorName(request.principal), new Date()),
        ),
  });

  app.get('/initiatives/:initiativeId/actions', {
    config: { access: { action: 'read', anchor: { kind: 'initiative', param: 'initiativeId' } } },
    schema: {
      operationId: 'listActions',
      summary: 'The action plan of a partnership, by start date',
      description:
        'Only public actions unless your token belongs to the initiative. Each action says whether it is overdue today.',
      tags,
      params: z.object({ initiativeId: Uuid }),
      querystring: ActionListQuery,
      response: { 200: listOf(Action), ...errorResponses(404) },
    },
    handler: async (request) => {
      const { status, limit, cursor } = request.query;
      return listActions(
        db,
        { initiativeId: request.params.initiativeId, status },
        { limit, cursor },
        seesPrivate(request),
        new Date(),
      );
    },
  });

  app.get('/indicators/:indicatorId/actions', {
    config: { access: { action: 'read', anchor: { kind: 'indicator', param: 'indicatorId' } } },
    schema: {
      operationId: 'listIndicatorActions',
      summary: "The actions meant to turn this indicator's curve, by start date (for the chart's timeline)",
      tags,
      params: z.object({ indicatorId: Uuid }),
      querystring: ActionListQuery,
      response: { 200: listOf(Action), ...errorResponses(404) },
    },
    handler: async (request) => {
      const { status, limit, cursor } = request.query;
      return listActions(
        db,
        { indicatorId: request.params.indicatorId, status },
        { limit, cursor },
        seesPrivate(request),
        new Date(),
      );
    },
  });

  app.get('/actions/:actionId', {
    config: { access: { action: 'read', anchor: { kind: 'action', param: 'actionId' } } },
    schema: {
      operationId: 'getAction',
      summary: 'Read an action',
      tags,
      params: Params,
      response: { 200: Action, ...errorResponses(404) },
    },
    handler: async (request) => findActionOrThrow(db, request.params.actionId, new Date()),
  });

  app.patch('/actions/:actionId', {
    config: { access: { action: 'write_structure', anchor: { kind: 'action', param: 'actionId' } } },
    schema: {
      operationId: 'updateAction',
      summary: 'Change an action (every change is recorded: field, from, to, who)',
      description:
        'Send If-Match with the version you read (412 otherwise). Status done without completedOn means done today.',
      tags,
      params: Params,
      headers: IfMatchHeaders,
      body: ActionPatch,
      response: { 200: Action, ...errorResponses(403, 404, 412, 413, 415, 422) },
    },
    handler: async (request) =>
      updateAction(
        db,
        request.params.actionId,
        request.body,
        request.headers['if-match'],
        actorName(request.principal),
        new Date(),
      ),
  });

  app.delete('/actions/:actionId', {
    config: { access: { action: 'write_structure', anchor: { kind: 'action', param: 'actionId' } } },
    schema: {
      operationId: 'deleteAction',
      summary: 'Delete an action entered by mistake, with its record',
      description: 'To give up on a commitment and keep its record, set its status to dropped instead.',
      tags,
      params: Params,
      headers: IfMatchHeaders,
      response: { 204: z.null().meta({ description: 'Deleted' }), ...errorResponses(403, 404, 412) },
    },
    handler: async (request, reply) => {
      await deleteAction(db, request.params.actionId, request.headers['if-match']);
      return reply.code(204).send(null);
    },
  });

  app.post('/actions/:actionId/updates', {
    config: { access: { action: 'write_data', anchor: { kind: 'action', param: 'actionId' } } },
    schema: {
      operationId: 'addActionUpdate',
      summary: 'Report progress on an action (a note, and optionally a new status)',
      description:
        'Editors of the initiative and contributors of the owner partner may report. A new status is applied to the action and recorded with the note.',
      tags,
      params: Params,
      body: ActionUpdateCreate,
      response: { 201: ActionUpdate, ...errorResponses(403, 404, 413, 415, 422) },
    },
    handler: async (request, reply) =>
      reply
        .code(201)
        .send(
          await addActionUpdate(db, request.params.actionId, request.body, actorName(request.principal), new Date()),
        ),
  });

  app.get('/actions/:actionId/updates', {
    config: { access: { action: 'read', anchor: { kind: 'action', param: 'actionId' } } },
    schema: {
      operationId: 'listActionUpdates',
      summary: 'The record of an action: the commitment, every change and every progress note, oldest first',
      tags,
      params: Params,
      querystring: ListQuery,
      response: { 200: listOf(ActionUpdate), ...errorResponses(404) },
    },
    handler: async (request) => {
      const page = await listActionUpdates(db, request.params.actionId, request.query);
      return { ...page, items: shownActors(request, page.items) };
    },
  });
};
