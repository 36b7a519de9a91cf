import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AsOfQuery, errorResponses, IfMatchHeaders, ListQuery, listOf, Uuid } from '../../schema/contracts/common.ts';
import {
  DataPoint,
  DataPointHistory,
  DataPointPatch,
  DataPointsQuery,
  DataPointsUpsert,
  UpsertSummary,
} from '../../schema/contracts/data-points.ts';
import { deleteDataPoint } from '../repositories/data-points.ts';
import { enterDataPoints, patchDataPoint } from '../services/data-entry.ts';
import { getDataPoint, getDataPointHistory, listIndicatorDataPoints } from '../services/data-point-list.ts';
import { actorName } from '../auth/policy.ts';
import { HIDDEN_ACTOR, seesPrivate, shownActors, shownFlags } from '../auth/visibility.ts';
import type { AppDependencies } from '../dependencies.ts';

const tags = ['data points'];
const IndicatorParams = z.object({ indicatorId: Uuid });
const Params = z.object({ dataPointId: Uuid });

export const dataPointRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { db }) => {
  app.put('/indicators/:indicatorId/data-points', {
    config: { access: { action: 'write_data', anchor: { kind: 'indicator', param: 'indicatorId' } } },
    schema: {
      operationId: 'upsertDataPoints',
      summary: 'Enter or correct data points, in one all-or-nothing batch',
      description:
        'Upserts by (period, disaggregation). All points are written or none: a 422 names every bad point (`body.points.<i>.<field>`). ' +
        'Omitted note/status/source keep their stored value; null clears them. Unchanged points are not rewritten.',
      tags,
      params: IndicatorParams,
      body: DataPointsUpsert,
      response: { 200: UpsertSummary, ...errorResponses(403, 404, 413, 415, 422) },
    },
    handler: async (request) =>
      enterDataPoints(db, request.params.indicatorId, request.body.points, actorName(request.principal)),
  });

  app.get('/indicators/:indicatorId/data-points', {
    config: { access: { action: 'read', anchor: { kind: 'indicator', param: 'indicatorId' } } },
    schema: {
      operationId: 'listDataPoints',
      summary: 'Read the data points of an indicator',
      description:
        'Ordered by slice then period. `slice` selects the total (default), all slices, or one disaggregation.',
      tags,
      params: IndicatorParams,
      querystring: z.object({ ...ListQuery.shape, ...DataPointsQuery.shape, ...AsOfQuery.shape }),
      response: { 200: listOf(DataPoint), ...errorResponses(404, 422) },
    },
    handler: async (request) => {
      const page = await listIndicatorDataPoints(db, request.params.indicatorId, request.query, seesPrivate(request));
      return { ...page, items: shownFlags(request, page.items) };
    },
  });

  app.get('/data-points/:dataPointId', {
    config: { access: { action: 'read', anchor: { kind: 'dataPoint', param: 'dataPointId' } } },
    schema: {
      operationId: 'getDataPoint',
      summary: 'Read one data point (as it stands, or as it stood at asOf)',
      tags,
      params: Params,
      querystring: AsOfQuery,
      response: { 200: DataPoint, ...errorResponses(404) },
    },
    handler: async (request) => {
      const [point] = shownFlags(request, [
        await getDataPoint(db, request.params.dataPointId, request.query.asOf, seesPrivate(request)),
      ]);
      return point!;
    },
  });

  app.get('/data-points/:dataPointId/history', {
    config: { access: { action: 'read', anchor: { kind: 'dataPoint', param: 'dataPointId' } } },
    schema: {
      operationId: 'getDataPointHistory',
      summary: 'Every revision of a data point: old and new values, who, when, how',
      description: 'Deleted points keep their history here.',
      tags,
      params: Params,
      response: { 200: DataPointHistory, ...errorResponses(404) },
    },
    handler: async (request) => {
      const history = await getDataPointHistory(db, request.params.dataPointId, seesPrivate(request));
      if (seesPrivate(request)) return history;
      // Token names are the initiative's members' business (auth/visibility.ts).
      return {
        ...history,
        point: { ...shownFlags(request, [history.point])[0]!, updatedBy: HIDDEN_ACTOR },
        revisions: shownActors(request, history.revisions).map((revision) => ({
          ...revision,
          old: revision.old && shownFlags(request, [revision.old])[0]!,
          new: revision.new && shownFlags(request, [revision.new])[0]!,
        })),
      };
    },
  });

  app.patch('/data-points/:dataPointId', {
    config: { access: { action: 'write_data', anchor: { kind: 'dataPoint', param: 'dataPointId' } } },
    schema: {
      operationId: 'updateDataPoint',
      summary: 'Correct one data point',
      description:
        'Send If-Match with the version you read; if someone changed the point since, the answer is 412 with the current version.',
      tags,
      params: Params,
      headers: IfMatchHeaders,
      body: DataPointPatch,
      response: { 200: DataPoint, ...errorResponses(403, 404, 412, 413, 415) },
    },
    handler: async (request) =>
      patchDataPoint(
        db,
        request.params.dataPointId,
        request.body,
        request.headers['if-match'],
        actorName(request.principal),
      ),
  });

  app.delete('/data-points/:dataPointId', {
    config: { access: { action: 'write_data', anchor: { kind: 'dataPoint', param: 'dataPointId' } } },
    schema: {
      operationId: 'deleteDataPoint',
      summary: 'Delete one data point',
      tags,
      params: Params,
      headers: IfMatchHeaders,
      response: { 204: z.null().meta({ description: 'Deleted' }), ...errorResponses(403, 404, 412) },
    },
    handler: async (request, reply) => {
      await deleteDataPoint(db, request.params.dataPointId, request.headers['if-match'], actorName(request.principal));
      return reply.code(204).send(null);
    },
  });
};
