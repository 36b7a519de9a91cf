import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, IfMatchHeaders, Uuid } from '../../schema/contracts/common.ts';
import {
  CurveReport,
  CurveReportHistory,
  CurveReportInput,
  CurveReportQuery,
} from '../../schema/contracts/curve-reports.ts';
import { actorName } from '../auth/policy.ts';
import { shownActors } from '../auth/visibility.ts';
import {
  deleteCurveReport,
  readCurveReport,
  readCurveReportHistory,
  writeCurveReport,
} from '../repositories/curve-reports.ts';
import type { AppDependencies } from '../dependencies.ts';

const tags = ['accountability'];
const Params = z.object({ indicatorId: Uuid });
const writeDescription =
  'The RBA questions as structured fields: the story behind the curve, the forces at work (helping or hindering), the partners with a role to play, what works (with evidence and cost: no-cost and low-cost ideas too) and the action plan. ' +
  'Every edit is kept (GET …/curve-report/history). Editors of the initiative and contributors of the partner owning the indicator may write it. ' +
  'Send If-Match with the version you read ("0" when none exists yet) to avoid overwriting a colleague\'s edit (412).';

export const curveReportRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { db }) => {
  app.get('/indicators/:indicatorId/curve-report', {
    config: { access: { action: 'read', anchor: { kind: 'indicator', param: 'indicatorId' } } },
    schema: {
      operationId: 'getCurveReport',
      summary: 'Read the turn-the-curve report of an indicator',
      description:
        'Version 0 with empty fields when nothing has been written yet. `asOf`: the report as it stood then.',
      tags,
      params: Params,
      querystring: CurveReportQuery,
      response: { 200: CurveReport, ...errorResponses(404) },
    },
    handler: async (request) => readCurveReport(db, request.params.indicatorId, request.query.asOf),
  });

  app.put('/indicators/:indicatorId/curve-report', {
    config: { access: { action: 'write_data', anchor: { kind: 'indicator', param: 'indicatorId' } } },
    schema: {
      operationId: 'putCurveReport',
      summary: 'Write the whole turn-the-curve report of an indicator (omitted fields are emptied)',
      description: writeDescription,
      tags,
      params: Params,
      headers: IfMatchHeaders,
      body: CurveReportInput,
      response: { 200: CurveReport, ...errorResponses(403, 404, 412, 413, 415, 422) },
    },
    handler: async (request) =>
      writeCurveReport(
        db,
        request.params.indicatorId,
        request.body,
        'replace',
        request.headers['if-match'],
        actorName(request.principal),
      ),
  });

  app.patch('/indicators/:indicatorId/curve-report', {
    config: { access: { action: 'write_data', anchor: { kind: 'indicator', param: 'indicatorId' } } },
    schema: {
      operationId: 'updateCurveReport',
      summary: 'Change some fields of the turn-the-curve report (omitted fields keep their value)',
      description: writeDescription,
      tags,
      params: Params,
      headers: IfMatchHeaders,
      body: CurveReportInput,
      response: { 200: CurveReport, ...errorResponses(403, 404, 412, 413, 415, 422) },
    },
    handler: async (request) =>
      writeCurveReport(
        db,
        request.params.indicatorId,
        request.body,
        'merge',
        request.headers['if-match'],
        actorName(request.principal),
      ),
  });

  app.delete('/indicators/:indicatorId/curve-report', {
    config: { access: { action: 'write_data', anchor: { kind: 'indicator', param: 'indicatorId' } } },
    schema: {
      operationId: 'deleteCurveReport',
      summary: 'Remove the turn-the-curve report (its history stays)',
      tags,
      params: Params,
      headers: IfMatchHeaders,
      response: { 204: z.null().meta({ description: 'Removed' }), ...errorResponses(403, 404, 412) },
    },
    handler: async (request, reply) => {
      await deleteCurveReport(
        db,
        request.params.indicatorId,
        request.headers['if-match'],
        actorName(request.principal),
      );
      return reply.code(204).send(null);
    },
  });

  app.get('/indicators/:indicatorId/curve-report/history', {
    config: { access: { action: 'read', anchor: { kind: 'indicator', param: 'indicatorId' } } },
    schema: {
      operationId: 'getCurveReportHistory',
      summary: 'Every revision of the turn-the-curve report: who, when, how, what changed',
      tags,
      params: Params,
      response: { 200: CurveReportHistory, ...errorResponses(404) },
    },
    handler: async (request) => {
      const history = await readCurveReportHistory(db, request.params.indicatorId);
      return { ...history, revisions: shownActors(request, history.revisions) };
    },
  });
};
