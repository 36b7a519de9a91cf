import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AsOfQuery, errorResponses, ListQuery, Uuid } from '../../schema/contracts/common.ts';
import { DataQualityReport, RuleVersions } from '../../schema/contracts/data-quality.ts';
import { seesPrivate } from '../auth/visibility.ts';
import type { AppDependencies } from '../dependencies.ts';
import { indicatorDataQuality, indicatorRules, pageOf, resultDataQuality } from '../services/data-quality.ts';

const tags = ['data quality'];

export const dataQualityRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { db }) => {
  app.get('/results/:resultId/data-quality', {
    config: { access: { action: 'read_internal', anchor: { kind: 'result', param: 'resultId' } } },
    schema: {
      operationId: 'getResultDataQuality',
      summary: 'What to check before a meeting: broken rules, flagged values, overdue provisional values, gaps',
      description:
        'For every indicator of the result: values that break its rules as the data stand (source `rule`), warnings ' +
        'stored with values when they were written, acknowledged or not (`flag`), values still provisional after ' +
        'their reporting lag (`provisional`), and periods of the total with no value (`missingPeriods`). ' +
        'Unacknowledged items first. For members of the partnership (a token of its initiative), even on a public ' +
        'result. See docs/data-quality.md.',
      tags,
      params: z.object({ resultId: Uuid }),
      querystring: z.object({ ...ListQuery.shape, ...AsOfQuery.shape }),
      response: { 200: DataQualityReport, ...errorResponses(403, 404) },
    },
    handler: async (request) => {
      const report = await resultDataQuality(db, request.params.resultId, seesPrivate(request), request.query.asOf);
      return pageOf(report, request.query);
    },
  });

  app.get('/indicators/:indicatorId/data-quality', {
    config: { access: { action: 'read_internal', anchor: { kind: 'indicator', param: 'indicatorId' } } },
    schema: {
      operationId: 'getIndicatorDataQuality',
      summary: "One indicator's data-quality list (see the result's)",
      tags,
      params: z.object({ indicatorId: Uuid }),
      querystring: z.object({ ...ListQuery.shape, ...AsOfQuery.shape }),
      response: { 200: DataQualityReport, ...errorResponses(403, 404) },
    },
    handler: async (request) => {
      return pageOf(await indicatorDataQuality(db, request.params.indicatorId, request.query.asOf), request.query);
    },
  });

  app.get('/indicators/:indicatorId/rules', {
    config: { access: { action: 'read', anchor: { kind: 'indicator', param: 'indicatorId' } } },
    schema: {
      operationId: 'getIndicatorRules',
      summary: "An indicator's data-quality rules, as they stand or stood at asOf, with every earlier set",
      description: 'Every change of `rules` (PATCH /indicators/{id}) is kept: `versions` lists them, oldest first.',
      tags,
      params: z.object({ indicatorId: Uuid }),
      querystring: AsOfQuery,
      response: { 200: RuleVersions, ...errorResponses(404) },
    },
    handler: async (request) => indicatorRules(db, request.params.indicatorId, request.query.asOf),
  });
};
