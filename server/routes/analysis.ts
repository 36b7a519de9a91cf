import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IntervalLevelQuery } from '../../schema/contracts/analysis.ts';
import { IndicatorAnalysisWithReport } from '../../schema/contracts/curve-reports.ts';
import { errorResponses, Uuid } from '../../schema/contracts/common.ts';
import { ResultScorecard } from '../../schema/contracts/scorecard.ts';
import { SmartCheckResponse } from '../../schema/contracts/smart.ts';
import { seesPrivate } from '../auth/visibility.ts';
import { getIndicatorAnalysisJson } from '../services/indicator-analysis.ts';
import { getResultScorecard } from '../services/result-scorecard.ts';
import { getResultSmartCheck } from '../services/result-smart-check.ts';
import type { AppDependencies } from '../dependencies.ts';

const tags = ['analysis'];

export const analysisRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { db }) => {
  app.get('/indicators/:indicatorId/analysis', {
    config: { access: { action: 'read', anchor: { kind: 'indicator', param: 'indicatorId' } } },
    schema: {
      operationId: 'analyzeIndicator',
      summary: 'Turn-the-curve analysis of an indicator, every slice',
      description:
        'Level and change, current trend, the frozen baseline forecast with its prediction interval, whether the curve has turned, progress to the target (Statistics Canada / Open SDG method) and equity gaps per slice. Every section names its method; `inputs` lists what was used. See docs/methodology.md. ' +
        "With the turn-the-curve report (as of asOf) and the actions linked to the indicator, for the chart's timeline (docs/accountability.md).",
      tags,
      params: z.object({ indicatorId: Uuid }),
      querystring: IntervalLevelQuery,
      response: { 200: IndicatorAnalysisWithReport, ...errorResponses(404) },
    },
    // Encoded against this response schema and serialised in the worker thread (services/off-loop-tasks.ts):
    // the answer's bytes are sent as they are.
    handler: async (request, reply) => {
      const json = await getIndicatorAnalysisJson(db, request.params.indicatorId, request.query, seesPrivate(request));
      return (reply as FastifyReply).type('application/json; charset=utf-8').send(json);
    },
  });

  app.get('/results/:resultId/scorecard', {
    config: { access: { action: 'read', anchor: { kind: 'result', param: 'resultId' } } },
    schema: {
      operationId: 'getScorecard',
      summary: "The tree of a result with each indicator's analysis summary and every roll-up",
      description:
        'Each indicator: latest value, trend arrow, curve status, progress status and score. Each outcome and the result: the mean score of every population indicator below it (docs/methodology.md §7), with counts per status; performance measures are listed apart (`performanceMeasures`, `programs`) and not rolled up. ' +
        'Data whose reporting lag has passed are flagged with their owner partner (`dataFreshness`), and so are overdue actions (`actions`), judged at asOf or now. Answered from a fixed number of queries.',
      tags,
      params: z.object({ resultId: Uuid }),
      querystring: IntervalLevelQuery,
      response: { 200: ResultScorecard, ...errorResponses(404) },
    },
    handler: async (request) => getResultScorecard(db, request.params.resultId, request.query, seesPrivate(request)),
  });

  app.get('/results/:resultId/smart', {
    config: { access: { action: 'read', anchor: { kind: 'result', param: 'resultId' } } },
    schema: {
      operationId: 'getSmartCheck',
      summary: "SMART check of a shared result (Living Cities' components)",
      description:
        'Specific, Measurable, Attainable, Relevant and Time-bound, for the result and each indicator, with reasons in plain words.',
      tags,
      params: z.object({ resultId: Uuid }),
      response: { 200: SmartCheckResponse, ...errorResponses(404) },
    },
    handler: async (request) => getResultSmartCheck(db, request.params.resultId, seesPrivate(request)),
  });
};
