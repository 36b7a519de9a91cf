import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IndicatorAnalysis, IntervalLevelQuery } from '../../schema/contracts/analysis.ts';
import { errorResponses, Uuid } from '../../schema/contracts/common.ts';
import { ResultScorecard } from '../../schema/contracts/scorecard.ts';
import { SmartCheckResponse } from '../../schema/contracts/smart.ts';
import { analyzeIndicator } from '../engine/analyze-indicator.ts';
import { toEngineIndicator, toObservedPoints } from '../domain/engine-input.ts';
import { buildScorecard } from '../domain/scorecard.ts';
import { buildSmartCheck } from '../domain/smart.ts';
import { allPointsOf, findIndicatorRowOrThrow } from '../repositories/data-points.ts';
import { loadResultForAnalysis } from '../repositories/result-analysis.ts';
import { seesPrivate } from '../plugins/access.ts';
import type { AppDependencies } from '../app.ts';

const tags = ['analysis'];

export const analysisRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { db }) => {
  app.get('/indicators/:indicatorId/analysis', {
    config: { access: { action: 'read', anchor: { kind: 'indicator', param: 'indicatorId' } } },
    schema: {
      operationId: 'analyzeIndicator',
      summary: 'Turn-the-curve analysis of an indicator, every slice',
      description:
        'Level and change, current trend, the frozen baseline forecast with its prediction interval, whether the curve has turned, progress to the target (Statistics Canada / Open SDG method) and equity gaps per slice. Every section names its method; `inputs` lists what was used. See docs/methodology.md.',
      tags,
      params: z.object({ indicatorId: Uuid }),
      querystring: IntervalLevelQuery,
      response: { 200: IndicatorAnalysis, ...errorResponses(404) },
    },
    handler: async (request) => {
      const indicator = await findIndicatorRowOrThrow(db, request.params.indicatorId);
      const points = await allPointsOf(db, [indicator.id], request.query.asOf);
      const analysis = analyzeIndicator(toEngineIndicator(indicator), toObservedPoints(points), { level: request.query.level });
      return { indicatorId: indicator.id, asOf: request.query.asOf?.toISOString() ?? null, ...analysis };
    },
  });

  app.get('/results/:resultId/scorecard', {
    config: { access: { action: 'read', anchor: { kind: 'result', param: 'resultId' } } },
    schema: {
      operationId: 'getScorecard',
      summary: 'The tree of a result with each indicator\'s analysis summary and every roll-up',
      description:
        'Each indicator: latest value, trend arrow, curve status, progress status and score. Each outcome and the result: the mean score of every indicator below it (engine.md §7), with counts per status. Answered from a fixed number of queries.',
      tags,
      params: z.object({ resultId: Uuid }),
      querystring: IntervalLevelQuery,
      response: { 200: ResultScorecard, ...errorResponses(404) },
    },
    handler: async (request) => buildScorecard(
        await loadResultForAnalysis(db, request.params.resultId, seesPrivate(request), request.query.asOf),
        request.query.level,
        request.query.asOf ?? null,
      ),
  });

  app.get('/results/:resultId/smart', {
    config: { access: { action: 'read', anchor: { kind: 'result', param: 'resultId' } } },
    schema: {
      operationId: 'getSmartCheck',
      summary: 'SMART check of a shared result (Living Cities\' components)',
      description: 'Specific, Measurable, Attainable, Relevant and Time-bound, for the result and each indicator, with reasons in plain words.',
      tags,
      params: z.object({ resultId: Uuid }),
      response: { 200: SmartCheckResponse, ...errorResponses(404) },
    },
    handler: async (request) => buildSmartCheck(await loadResultForAnalysis(db, request.params.resultId, seesPrivate(request))),
  });
};
